/**
 * `factory-anomaly replay` as users run it (issue 8, part 3): a historian export or a benchmark file, `;`
 * separated with a datetime column, published into a broker at full speed. Every row arrives as a reading,
 * in order, stamped with its recorded time; the JSON summary is the last line.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/broker-auth.js';
import { connectClient, createResources, startTestBroker, waitForMessages } from '../helpers/mqtt.js';
import { runLauncher } from '../helpers/processes.js';
import { PUMP_SENSORS, PUMP_START, pumpRows, writeSkabCsv } from '../helpers/pump.js';

type Reading = Record<string, unknown> & { timestamp: string };

describe('replay of recorded CSV files', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function listen(count: number) {
    const broker = await startTestBroker(resources);
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/sensors/#', { qos: 1 });
    return { url: broker.url, received: waitForMessages(observer, 'factory/sensors/#', count, () => true, 20_000) };
  }

  it("when a SKAB-shaped file (';', datetime) is replayed at --max, then every row arrives in order with its recorded time and the summary is last", async () => {
    const rows = pumpRows(120, { seed: 3, fault: { from: 60, to: 80, sd: 6 } });
    const file = writeSkabCsv(tempDir(resources, 'replay-'), 'valve1-0.csv', rows);
    const { url, received } = await listen(rows.length);
    const args = ['replay', '--data', file, '--delimiter', ';', '--time-column', 'datetime', '--exclude', 'anomaly,changepoint', '--device', 'line1/pump-1', '--max', '--url', url];
    const run = await runLauncher(resources, args, { CI: 'true' });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });

    const messages = await received;
    expect(new Set(messages.map((m) => m.topic))).toEqual(new Set(['factory/sensors/line1/pump-1']));
    const readings = messages.map((m) => JSON.parse(m.payload.toString()) as Reading);
    // SKAB's datetime has whole seconds; the reading carries it as ISO-8601 UTC.
    expect(readings.map((r) => r.timestamp)).toEqual(rows.map((r) => new Date(r.t).toISOString()));
    expect(readings[0]).toEqual({ timestamp: '2024-01-02T00:00:00.000Z', ...Object.fromEntries(PUMP_SENSORS.map((name, j) => [name, rows[0]!.values[j]])) });
    expect(readings.every((r) => !('anomaly' in r) && !('changepoint' in r) && !('datetime' in r))).toBe(true);

    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ rows: 120, published: 120, failed: 0, devices: 1, seconds: expect.any(Number), rate: expect.any(Number), stopped: false });
  });

  it('when a folder of files is replayed, then each file is a device on the line and the rows interleave by recorded time', async () => {
    const dir = join(tempDir(resources, 'replay-'), 'valve1');
    mkdirSync(dir);
    // One row a second each; the second file starts two seconds later. No --delimiter: the header's ';' says it.
    writeSkabCsv(dir, '1.csv', pumpRows(5, { seed: 4 }));
    writeSkabCsv(dir, '2.csv', pumpRows(5, { seed: 5, start: PUMP_START + 2000 }));
    const { url, received } = await listen(10);
    const run = await runLauncher(resources, ['replay', '--data', dir, '--time-column', 'datetime', '--exclude', 'anomaly,changepoint', '--device', 'valve1', '--max', '--url', url], { CI: 'true' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ rows: 10, published: 10, devices: 2 });
    const order = (await received).map((m) => m.topic.split('/').at(-1));
    // Times 0 1 2 2 3 3 4 4 5 6 s: at equal times a folder's file order is kept.
    expect(order).toEqual(['1', '1', '1', '2', '1', '2', '1', '2', '2', '2']);
  });
});
