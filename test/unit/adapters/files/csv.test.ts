import { labelledData, numericColumns, parseCsv, splitCsvLine } from '../../../../src/adapters/files/csv.js';

describe('CSV reading', () => {
  it('when the file has CRLF, a BOM, blank lines and spaces, then the table is clean', () => {
    const table = parseCsv('\uFEFFtimestamp, temperature,humidity\r\n2024-01-01T00:00:00,25.5, 48\r\n\r\n2024-01-01T00:00:01,-1e2,.5\r\n', 'r.csv');
    expect(table.header).toEqual(['timestamp', 'temperature', 'humidity']);
    expect(table.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(numericColumns(table, ['humidity', 'temperature'])).toEqual([
      [48, 25.5],
      [0.5, -100],
    ]);
  });

  it('when a field is quoted, then commas and doubled quotes inside it are kept', () => {
    expect(splitCsvLine('1,"a, ""b""",3')).toEqual(['1', 'a, "b"', '3']);
  });

  it.each([
    ['an empty file', '', /r.csv: empty file/],
    ['only a header', 'a,b\n', /r.csv: no data rows/],
    ['a short line', 'a,b\n1,2\n3\n', /r.csv: line 3 has 1 cells, the header has 2/],
  ])('when the file is %s, then parsing fails naming the file', (_name, text, message) => {
    expect(() => parseCsv(text, 'r.csv')).toThrow(message);
  });

  it.each([
    ['a word', 'abc'],
    ['an empty cell', ''],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['hex', '0x10'],
    ['an overflow', '1e999'],
  ])('when a cell is %s, then the error gives the line and column', (_name, cell) => {
    const table = parseCsv(`a,b\n1,2\n3,${cell}\n`, 'r.csv');
    expect(() => numericColumns(table, ['a', 'b'])).toThrow(`r.csv: line 3, column "b": ${JSON.stringify(cell)} is not a finite number`);
  });

  it('when a column is missing, then the error lists the columns there are', () => {
    const table = parseCsv('a,b\n1,2\n', 'r.csv');
    expect(() => numericColumns(table, ['a', 'sound'])).toThrow('r.csv: no column "sound" (columns: a, b)');
  });
});

describe('labelled datasets', () => {
  it('when the header is label,v1..vN, then labels and features are split', () => {
    const data = labelledData(parseCsv('label,v1,v2\n0,1,2\n1,3,4\n', 'd.csv'));
    expect(Array.from(data.labels)).toEqual([0, 1]);
    expect(data.rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(data.features).toEqual(['v1', 'v2']);
  });

  it.each([
    ['no label column', 'v1,label\n1,0\n', /first column must be "label"/],
    ['a label that is not 0 or 1', 'label,v1\n0,1\nanomaly,2\n', /d.csv: line 3, column "label": "anomaly" is not 0 or 1/],
    ['no features', 'label\n0\n', /no feature columns/],
  ])('when the file has %s, then it is rejected', (_name, text, message) => {
    expect(() => labelledData(parseCsv(text, 'd.csv'))).toThrow(message);
  });
});
