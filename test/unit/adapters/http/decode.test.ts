import { decodeJson } from '../../../../src/adapters/http/decode.js';

describe('decodeJson', () => {
  it.each([
    ['no content type', '{"t":1}', undefined],
    ['application/json', '{"t":1}', 'application/json'],
    ['a UTF-8 charset in any case', '{"t":1}', 'application/json; charset=UTF-8'],
    ['a quoted charset', '{"t":1}', 'application/json; charset="utf-8"'],
    ['another content type', '{"t":1}', 'text/plain'],
    ['a byte-order mark', '\ufeff{"t":1}', 'application/json'],
  ])('when the body has %s, then it decodes', (_name, text, contentType) => {
    expect(decodeJson(Buffer.from(text), contentType)).toEqual({ ok: true, value: { t: 1 } });
  });

  it('when the charset is latin1, then non-ASCII text decodes with it', () => {
    const bytes = Buffer.from('{"site":"Köln"}', 'latin1');
    expect(decodeJson(bytes, 'application/json; charset=iso-8859-1')).toEqual({ ok: true, value: { site: 'Köln' } });
  });

  it.each([
    ['empty', '', undefined, 400, 'empty_body'],
    ['only whitespace', '  \n ', undefined, 400, 'empty_body'],
    ['not JSON', '{"t":', undefined, 400, 'invalid_json'],
    ['an unknown charset', '{}', 'application/json; charset=klingon', 415, 'unsupported_charset'],
  ])('when the body is %s, then it is refused', (_name, text, contentType, status, code) => {
    expect(decodeJson(Buffer.from(text), contentType)).toMatchObject({ ok: false, error: { status, body: { error: code } } });
  });

  it.each([
    ['no charset', undefined],
    ['a UTF-8 charset', 'application/json; charset=utf-8'],
  ])('when UTF-8 is expected (%s) and the bytes are not UTF-8, then it is refused, not patched with U+FFFD', (_name, contentType) => {
    const bytes = Buffer.concat([Buffer.from('{"temperature":25,"site":"'), Buffer.of(0xc3, 0x28), Buffer.from('"}')]);
    expect(decodeJson(bytes, contentType)).toMatchObject({ ok: false, error: { status: 400, body: { error: 'not_utf8' } } });
  });

  it('when the JSON is invalid, then the message carries the parser error', () => {
    const text = '{"t": }';
    const parseError = captureParseError(text);
    const result = decodeJson(Buffer.from(text), undefined);
    expect(result).toMatchObject({ ok: false, error: { body: { message: `request body is not valid JSON: ${parseError}` } } });
  });
});

function captureParseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected invalid JSON');
}
