/**
 * `replay --data <file.csv|folder> [...]`: publishes recorded rows as readings
 * over MQTT, at the recorded pace times a factor, at a fixed rate, or as fast
 * as the broker takes them; a progress line on a terminal, the JSON summary last.
 */
import { parseArgs } from 'node:util';
import { mergeByTime, readRecorded } from '../../adapters/files/recorded-files.js';
import { replayRows } from '../../adapters/mqtt/replay-publisher.js';
import { paceOf } from '../../core/replay-schedule.js';
import { filterPrefix, sensorTopic } from '../../core/topics.js';
import { createProgress } from '../../support/progress.js';
import { ConfigError, loadConfig } from '../config.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import { progressEnabled } from '../progress-mode.js';
import type { Command } from './command.js';
import { brokerUrl } from './simulate-options.js';

export const REPLAY_USAGE = `Usage: factory-anomaly replay --data <file.csv|folder> [options]

Publishes recorded rows (a historian export, a benchmark) as readings over MQTT, each row
to factory/sensors/<device>, with its recorded time as the reading's timestamp: the worker
judges them in event time, so the verdicts do not depend on the replay's speed.

  --data <path>            a CSV file (one device) or a folder of CSV files (one device each)
  --delimiter <c>          column separator (default: , or ; when the header has only semicolons)
  --time-column <name>     the column with each row's time (default: rows one second apart)
  --device <id>            a file's device id (default replay/<file name>); for a folder, the line (default replay)
  --map <col=field,...>    rename columns to the sensor fields the worker expects
  --exclude <col,...>      columns that are not readings (labels)
  --speed <x>              the recorded pace times x (default 1)
  --rate <n>               n readings per second instead
  --max                    as fast as the broker takes them
  --url <url>              broker (default MQTT_URL, or the embedded broker's address)
  -h, --help               this help

The JSON summary comes last: {"rows","published","failed","devices","seconds","rate","stopped"}.`;

export const replay: Command = {
  summary: 'publish recorded rows (CSV) as readings over MQTT, at their recorded pace or faster',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          data: { type: 'string' },
          delimiter: { type: 'string' },
          'time-column': { type: 'string' },
          device: { type: 'string' },
          map: { type: 'string' },
          exclude: { type: 'string' },
          speed: { type: 'string' },
          rate: { type: 'string' },
          max: { type: 'boolean' },
          url: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (values.help) {
      console.log(REPLAY_USAGE);
      return EXIT_OK;
    }
    if (values.data === undefined) throw new UsageError('--data is required');
    const pace = paceOf(number(values.speed, '--speed'), number(values.rate, '--rate'), values.max === true);
    if (typeof pace === 'string') throw new UsageError(pace);
    const map = parseMap(values.map);
    let config;
    try {
      config = loadConfig(process.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(`replay: ${err.message}`);
      return EXIT_USAGE;
    }
    const url = values.url ?? brokerUrl(config.mqtt);
    let devices;
    try {
      devices = await readRecorded(values.data, {
        delimiter: values.delimiter,
        timeColumn: values['time-column'],
        device: values.device,
        map,
        exclude: values.exclude?.split(',').map((c) => c.trim()),
      });
    } catch (err) {
      console.error(`replay: ${(err as Error).message}`);
      return EXIT_FAILURE;
    }
    const prefix = filterPrefix(config.topics.sensors);
    const rows = mergeByTime(devices).map(({ device, row }) => ({ topic: sensorTopic(prefix, device), t: row.t, payload: JSON.stringify(row.reading) }));
    const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: 'replay', total: rows.length, unit: 'readings' });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const summary = await replayRows(rows, {
        url,
        client: { ...(config.mqtt.username ? { username: config.mqtt.username } : {}), ...(config.mqtt.password ? { password: config.mqtt.password } : {}) },
        qos: config.mqtt.qos,
        pace,
        signal: abort.signal,
        onProgress: (done) => progress.update(done),
      });
      progress.finish();
      console.log(JSON.stringify({ ...summary, devices: devices.length }));
      return summary.failed > 0 || summary.stopped ? EXIT_FAILURE : EXIT_OK;
    } catch (err) {
      progress.finish();
      console.error(`replay: cannot publish to ${url}: ${(err as Error).message}`);
      return EXIT_FAILURE;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};

function number(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number (got ${JSON.stringify(text)})`);
  return n;
}

/** `col=field,col2=field2`. */
function parseMap(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return undefined;
  const map = new Map<string, string>();
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--map takes column=field pairs separated by commas (got ${JSON.stringify(pair)})`);
    map.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return map;
}
