import { z } from 'zod';
import { isValidFilter, unshared } from '../adapters/broker/auth/topic-filter.js';
import { filterPrefix } from '../core/topics.js';
import { parseDuration } from '../core/context/duration.js';
import type { SensorSchema } from '../core/sensors.js';
import { resolveSensors } from './sensor-config.js';
import { detectorSettings } from './detector-settings.js';
import { checkScaleOut, isPartition, scaleConfig, WORKER_ID_PATTERN } from './scale-config.js';
import { variableOf } from './setting-names.js';
import { SettingError } from '../support/setting-error.js';
import { checkGeneratorOptions } from '../simulator/generator.js';
import { FAULT_KINDS, type FaultKind, type SimulatedField } from '../simulator/settings.js';

/**
 * The single source of configuration: every environment variable the
 * programs read, with its type, default and meaning. The README's table is
 * generated from these descriptions (`npm run -s docs:config`), and a test
 * keeps the two in step.
 */

const port = (def: number, what: string) =>
  z.coerce.number().int().min(0).max(65535).default(def).describe(`${what} (0 picks a free port)`);
const positiveInt = (def: number, what: string) => z.coerce.number().int().positive().default(def).describe(what);
const fraction = (def: number, what: string) => z.coerce.number().min(0).max(1).default(def).describe(what);
const flag = (def: boolean, what: string) => z.stringbool().default(def).describe(what);
const text = (def: string, what: string) => z.string().min(1).default(def).describe(what);
const optionalText = (what: string) => z.string().min(1).optional().describe(what);
const nonNegative = (def: number, what: string) => z.coerce.number().nonnegative().default(def).describe(what);
/** `10s`, `5m`, `1h`, `100r` (readings), `inf`; see core/context/duration.ts. */
const duration = (def: string, what: string) =>
  z
    .string()
    .default(def)
    .refine((v) => typeof parseDuration(v) !== 'string' || v.trim() === '0s', { message: 'must be a duration like 10s, 5m, 1h, 2d, a count of readings like 100r, or inf' })
    .describe(what);
/** A topic we publish to must be concrete: wildcards are only for subscriptions. */
const publishTopic = (def: string, what: string) =>
  text(def, what).refine((t) => !/[+#]/.test(t), { message: 'a publish topic cannot contain + or #' });

/** The longest delay setTimeout honours (2^31 - 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const envSchema = z.object({
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  LOG_PRETTY: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('Human-readable logs; auto = when stdout is a terminal, JSON lines otherwise'),

  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|tcp|tls|wss?):\/\/.+/, 'must be a URL like mqtt://host:1883')
    .optional()
    .describe('External broker URL; when set no embedded broker starts and worker and simulator connect here'),
  MQTT_HOST: text('127.0.0.1', 'Bind address of the embedded broker'),
  MQTT_PORT: port(1883, 'Embedded broker MQTT/TCP port'),
  MQTT_WS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8083)
    .describe('Embedded broker MQTT-over-WebSocket port; 0 or empty disables the WebSocket listener (unlike the other ports, 0 does not pick a free one)'),
  MQTT_USERNAME: optionalText('Username the worker and simulator present to the broker'),
  MQTT_PASSWORD: optionalText('Password the worker and simulator present to the broker'),
  MQTT_CLIENT_ID: text('anomaly-worker', 'Stable client id of the worker (its persistent session is keyed on it)'),
  MQTT_QOS: z.coerce.number().int().min(0).max(2).default(1).describe('QoS of the sensor subscription and of results'),
  MQTT_AUTH_FILE: optionalText(
    'Users file of the embedded broker (roles and scrypt hashes; edit with `npm run -s users`); when set every client must log in',
  ),
  MQTT_ALLOW_ANONYMOUS: flag(false, 'Without MQTT_AUTH_FILE, accept anonymous clients even when MQTT_HOST is not a loopback address'),
  MQTT_DEVICE_TOPIC_PATTERN: text('factory/sensors/{username}/#', 'Topics a user of role device may publish to; {username} is its user name').refine(
    (p) => p.includes('{username}') && isValidFilter(p.split('{username}').join('x')),
    { message: 'must be a topic filter containing {username}' },
  ),
  MQTT_TLS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('Embedded broker MQTT-over-TLS port (0 picks a free port); unset disables it; needs MQTT_TLS_CERT and MQTT_TLS_KEY'),
  MQTT_TLS_CERT: optionalText('PEM certificate (chain) file of the MQTTS listener'),
  MQTT_TLS_KEY: optionalText('PEM private key file of the MQTTS listener'),
  MQTT_TLS_CA: optionalText('PEM CA file that MQTTS client certificates must chain to'),
  MQTT_TLS_REQUIRE_CLIENT_CERT: flag(false, 'Refuse MQTTS clients without a certificate signed by MQTT_TLS_CA'),
  // Above MAX_PAYLOAD_BYTES on purpose: a payload a little too large reaches the worker and is dead-lettered
  // with a reason the device's owner can see; only absurd packets are cut at the broker.
  MQTT_MAX_PACKET_BYTES: positiveInt(262144, 'Largest MQTT packet the embedded broker accepts, header included; a client sending a larger one is disconnected').refine(
    (n) => n >= 2,
    { message: 'must be at least 2 (the smallest MQTT packet)' },
  ),
  MQTT_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe('Open connections the embedded broker accepts on all listeners together; 0 = no limit'),
  MQTT_PUBLISH_RATE_LIMIT: z.coerce
    .number()
    .nonnegative()
    .default(100)
    .describe('Messages per second each device (or viewer) connection may publish; more are dropped and counted; 0 = no limit'),
  MQTT_PUBLISH_RATE_BURST: positiveInt(200, 'Messages a device may publish back to back before MQTT_PUBLISH_RATE_LIMIT applies'),
  MQTT_MAX_QUEUED_PER_CLIENT: z.coerce
    .number()
    .int()
    .nonnegative()
    // The worker's own session is the one that matters: 100,000 readings is ~5.5 h of the default
    // simulation (5 devices at 1/s) while the worker is down, at ~250 bytes each ~25 MB.
    .default(100000)
    .describe('QoS 1/2 messages the embedded broker queues per offline client with a persistent session; newer ones are dropped and counted; 0 = no limit'),

  // Issue 10: hardening
  BROKER_STORE: z
    .string()
    .regex(/^(memory|redis:\/\/.+)$/, 'must be memory or redis://host:port/db')
    .default('memory')
    .describe('Embedded broker state (sessions, subscriptions, queued QoS 1 messages, retained messages): memory (lost on restart) or redis://host:port/db (kept)'),
  MQTT_CONNECT_TIMEOUT_MS: positiveInt(5000, 'A socket that has not sent CONNECT within this many ms is closed'),
  MQTT_MAX_KEEPALIVE: positiveInt(300, 'Longest keep-alive in seconds a client may ask for; 0 (none) and longer ones are lowered to it'),
  MQTT_MAX_PENDING_PER_IP: positiveInt(32, 'Connections one address may hold before their CONNECT is through; more are closed at once'),
  MQTT_RESERVED_CONNECTIONS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(16)
    .describe('Connection slots above MQTT_MAX_CONNECTIONS kept for worker and admin users (and MQTT_CLIENT_ID), so devices cannot lock them out'),
  MQTT_MAX_RETAINED: z.coerce.number().int().nonnegative().default(1000).describe('Retained messages the embedded broker holds in all; more are refused (dropped, counted)'),
  MQTT_MAX_RETAINED_BYTES: positiveInt(16 * 1024 * 1024, 'Payload bytes of all retained messages together'),
  MQTT_MAX_RETAINED_PER_CLIENT: positiveInt(100, 'Retained messages one user (or anonymous client id) may hold'),
  MQTT_DEVICES_MAY_RETAIN: flag(false, 'Let users of role device publish retained messages (refused and counted otherwise)'),
  MQTT_AUTH_FREE_FAILURES: positiveInt(5, 'Failed logins per user name or address before each further one is delayed'),
  MQTT_AUTH_MAX_DELAY_MS: positiveInt(60000, 'Longest a user name or address that keeps failing is refused outright (the delay doubles per failure from 1 s)'),
  MAX_DEVICES_PER_CREDENTIAL: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(100)
    .describe(
      'Distinct device ids the worker accepts under one line (one device user); more are dead-lettered (device_limit); 0 = no limit. With MODEL_SCOPE=device keep it under MODEL_MAX_DEVICES minus the other devices, so one credential cannot evict their models',
    ),
  MAX_DEVICES: z.coerce.number().int().nonnegative().default(10000).describe('Distinct device ids the worker accepts in all; more are dead-lettered (device_limit); 0 = no limit'),
  DEVICE_ID_PATTERN: z
    .string()
    .min(1)
    .default('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')
    .refine(isRegExp, { message: 'must be a regular expression' })
    .describe('Device ids (<line>/<device>) the worker accepts; others are dead-lettered (invalid_device)'),

  TOPIC_SENSORS: text('factory/sensors/#', 'Subscription filter for sensor readings').refine(isSensorFilter, {
    // The device id is what follows the prefix: under any other filter every reading would be dead-lettered.
    message: 'must be <prefix>/# (or $share/<group>/<prefix>/#) with no wildcard in the prefix',
  }),
  TOPIC_ANOMALIES: publishTopic('factory/anomalies', 'Where anomalies are published'),
  TOPIC_SCORES: publishTopic('factory/scores', 'Prefix of per-device results: <prefix>/<line>/<device>'),
  PUBLISH_SCORES: flag(true, 'Publish every result (not only anomalies) under TOPIC_SCORES'),
  TOPIC_ERRORS: publishTopic('factory/errors', 'Dead letters: rejected messages with the reason'),
  TOPIC_STATUS: publishTopic('factory/status/worker', 'Retained worker status: online, or offline via Last Will'),
  TOPIC_INJECTED: publishTopic('factory/simulator/injected', 'Ground truth of anomalies the simulator injects'),
  MAX_PAYLOAD_BYTES: positiveInt(65536, 'Largest sensor payload the worker accepts; larger ones are dead-lettered'),

  // Issue 8: any sensor set
  SENSORS: text(
    'temperature,humidity,sound',
    'Comma-separated sensor fields every reading carries, in model order (1 to 64); SENSOR_SCHEMA gives more per field',
  ),
  SENSOR_SCHEMA: optionalText(
    'JSON file describing each sensor field: name, payload path (values.temp), unit, physical min/max, optional, kind (steady or drifting), simulator baseline; overrides SENSORS',
  ),
  MAX_BATCH: positiveInt(500, 'Readings a payload may carry as a JSON array (a gateway batch); each is scored and published on its own'),

  // Issue 11: scale-out
  MQTT_PROTOCOL_VERSION: z
    .enum(['3.1.1', '5'])
    .optional()
    .describe('MQTT version the worker and simulator speak: 3.1.1 or 5; unset = 5 with WORKER_GROUP, 3.1.1 otherwise'),
  MQTT_CLIENT_CA: optionalText('PEM CA file the worker and simulator trust for an mqtts:// or wss:// MQTT_URL, instead of the system CAs'),
  MQTT_CLIENT_CERT: optionalText('PEM client certificate the worker and simulator present to a broker that asks for one; needs MQTT_CLIENT_KEY'),
  MQTT_CLIENT_KEY: optionalText('PEM private key of MQTT_CLIENT_CERT'),
  WORKER_ID: z
    .string()
    .regex(WORKER_ID_PATTERN, 'must be 1 to 64 letters, digits, dots, dashes or underscores ({hostname} stands for the host name)')
    .optional()
    .describe('Stable id of this worker among several: its client id is MQTT_CLIENT_ID-WORKER_ID and its status topic TOPIC_STATUS/WORKER_ID; {hostname} is replaced by the host name'),
  WORKER_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
    .optional()
    .describe('Share group: subscribe as $share/WORKER_GROUP/TOPIC_SENSORS over MQTT 5, so each reading goes to one worker of the group; needs an MQTT 5 broker in MQTT_URL'),
  WORKER_PARTITION: z
    .string()
    .refine(isPartition, { message: 'must be i/n with 0 <= i < n <= 1024, e.g. 0/3' })
    .optional()
    .describe('i/n: this worker scores only the devices whose stable hash mod n is i and acknowledges the others unscored; run n workers, i = 0 .. n-1'),
  WORKER_CLAIM_WINDOW_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .max(60000)
    .default(500)
    .describe('How long a starting worker waits for another worker to answer for its client id (the duplicate check); 0 turns the check off'),
  DEVICE_STATE_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a URL like redis://host:6379')
    .optional()
    .describe('Keep the model and time context of each device in this Redis instead of MODEL_DIR (saved on eviction and at shutdown), so whichever worker next sees a device carries on with it'),
  BROKER_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a URL like redis://host:6379')
    .optional()
    .describe('Joins this embedded broker to the others with the same Redis (mqemitter-redis): a message published on one reaches subscribers on all'),

  HTTP_HOST: text('127.0.0.1', 'Bind address of the HTTP sidecar'),
  HTTP_PORT: port(5000, 'HTTP sidecar port (GET /health, POST /predict)'),
  HTTP_BODY_LIMIT: positiveInt(65536, 'Largest /predict body in bytes; larger gets 413'),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10000, 'Longest a client may take to send the request headers (slowloris guard)'),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30000, 'Longest a client may take to send a whole request; at least HTTP_HEADERS_TIMEOUT_MS'),
  HTTP_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^\S+$/, 'must not contain spaces: Authorization: Bearer <token> carries one word')
    .optional()
    .describe('Bearer token that POST /model/reload and GET /metrics require (at least 16 characters); unset leaves them open'),

  SIMULATOR_ENABLED: flag(true, 'Run the sensor simulator inside `npm start`'),
  SIMULATOR_DEVICES: positiveInt(5, 'Number of simulated devices'),
  SIMULATOR_LINES: positiveInt(2, 'Number of production lines the devices are spread over'),
  SIMULATOR_RATE: z.coerce.number().positive().default(1).describe('Readings per second per device, in simulated time (SIMULATOR_TIME_SCALE)'),
  SIMULATOR_ANOMALY_RATE: fraction(0.02, 'Probability that a reading starts an injected anomaly'),
  SIMULATOR_SEED: z.coerce.number().int().default(42).describe('Seed of the simulator random generator'),
  SIMULATOR_TEMPERATURE_BASE: z.coerce.number().default(25).describe('Baseline temperature in °C'),
  SIMULATOR_TEMPERATURE_VARIATION: z.coerce.number().nonnegative().default(1).describe('Standard deviation of temperature in °C'),
  SIMULATOR_HUMIDITY_BASE: z.coerce.number().default(50).describe('Baseline relative humidity in %'),
  SIMULATOR_HUMIDITY_VARIATION: z.coerce.number().nonnegative().default(2).describe('Standard deviation of humidity in %'),
  SIMULATOR_SOUND_BASE: z.coerce.number().default(60).describe('Baseline sound level in dB'),
  SIMULATOR_SOUND_VARIATION: z.coerce.number().nonnegative().default(2).describe('Standard deviation of sound in dB'),

  // Issue 9: the simulator's time, moving baselines, correlated sensors and fault kinds
  SIMULATOR_TIME_SCALE: z.coerce
    .number()
    .positive()
    .default(1)
    .describe('Simulated seconds per wall-clock second: readings are stamped in simulated time, so 60 runs an hour a minute; 1 = real time'),
  SIMULATOR_DAY_SECONDS: z.coerce.number().positive().default(86400).describe('Length of the simulated day in seconds of simulated time; shorten it to see the daily cycle in a demo'),
  SIMULATOR_DAILY_AMPLITUDE: z.coerce
    .number()
    .nonnegative()
    .default(3)
    .describe("Amplitude of every sensor's daily cycle, in its variations (each sensor has its own phase); 0 = none"),
  SIMULATOR_WARMUP_SECONDS: z.coerce
    .number()
    .nonnegative()
    .default(30)
    .describe('Time constant of the warm-up after a device starts: it closes 63 % of the gap in this many seconds; 0 = none'),
  SIMULATOR_WARMUP_OFFSET: z.coerce.number().default(-6).describe('Where a device starts, in variations from its running baseline (negative = below)'),
  SIMULATOR_LOAD_SENSORS: text('auto', 'Sensors that follow a shared machine load, comma-separated; auto = the 1st, 3rd, 5th, ... (both of two); none = no shared load').refine(
    (v) => v === 'auto' || v === 'none' || v.split(',').every((n) => n.trim() !== ''),
    { message: 'must be auto, none or comma-separated sensor names' },
  ),
  SIMULATOR_LOAD_CORRELATION: fraction(0.95, 'Correlation between two sensors that follow the shared load'),
  SIMULATOR_LOAD_SECONDS: z.coerce.number().positive().default(30).describe('Time constant of the shared load in seconds: how quickly it wanders'),
  SIMULATOR_FAULT_KINDS: text('all', `Fault kinds to inject, comma-separated, or all: ${FAULT_KINDS.join(', ')}`).refine(
    (v) => v === 'all' || v.split(',').every((k) => (FAULT_KINDS as readonly string[]).includes(k.trim())),
    { message: `must be all or comma-separated kinds among ${FAULT_KINDS.join(', ')}` },
  ),
  SIMULATOR_FAULT_GAP_SECONDS: z.coerce
    .number()
    .nonnegative()
    .default(60)
    .describe("Healthy seconds of simulated time, at least, after a device starts and between two of its faults"),

  MODEL_ENGINE: z.enum(['native', 'ml-isolation-forest']).default('native').describe('Isolation Forest implementation'),
  MODEL_TREES: positiveInt(100, 'Number of trees'),
  MODEL_SAMPLE_SIZE: positiveInt(256, 'Subsample size ψ per tree'),
  MODEL_SEED: z.coerce.number().int().default(42).describe('Seed of the model random generator'),
  MODEL_TRAINING_SIZE: positiveInt(10000, 'Simulated normal readings to train on when no model file is loaded'),
  MODEL_CONTAMINATION: z.coerce
    .number()
    .gt(0)
    .lt(0.5)
    // 0.001 measured best on the default simulation (npm run -s eval:live): ~2 false alarms per 1,000 normal readings.
    .default(0.001)
    .describe('Expected share of anomalies; the threshold is the (1 - this) quantile of training scores'),
  MODEL_THRESHOLD: z.coerce.number().gt(0).lt(1).optional().describe('Fixed score threshold; overrides MODEL_CONTAMINATION'),
  MODEL_Z_LIMIT: z.coerce
    .number()
    .nonnegative()
    .default(4.5)
    .describe(
      'Deviation check: a sensor this many sd from its baseline (a drifting sensor: from its running mean), or jumping from its last value by this many times its normal change, is anomalous whatever the forest says; 0 disables',
    ),
  MODEL_PATH: optionalText('Model file loaded at start if it exists'),
  MODEL_SAVE: flag(false, 'Save the trained model to MODEL_PATH when it was trained at start'),
  MODEL_SCOPE: z
    .enum(['global', 'device'])
    .default('global')
    .describe('global: one model scores every device; device: each device gets its own model after MODEL_WARMUP readings'),
  MODEL_WARMUP: z.coerce
    .number()
    .int()
    .min(16)
    .default(256)
    .describe('Device scope: readings a device model is trained on; until then the global model scores them (status warming_up)'),
  MODEL_MAX_DEVICES: positiveInt(
    200,
    'Device scope: device models and warm-ups held in memory (about 0.5 MB per model at 100 trees); the least recently used is evicted',
  ),
  MODEL_DIR: optionalText('Device scope: directory evicted device models are saved to (all of them at shutdown) and loaded from when the device returns'),
  MODEL_RETRAIN_EVERY: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Drift adaptation: retrain each model from its window after this many readings it scored; 0 = off'),
  MODEL_RETRAIN_MINUTES: z.coerce
    .number()
    .nonnegative()
    .default(0)
    .describe('Drift adaptation: retrain each model from its window when this many minutes have passed; 0 = off'),
  MODEL_WINDOW: z.coerce
    .number()
    .int()
    .min(16)
    .default(1024)
    .describe('Drift adaptation: recent readings not flagged as anomalies kept per model to retrain on'),
  MODEL_RETRAIN_MAX_ANOMALY_SHARE: fraction(
    0.1,
    'Drift adaptation: a retrain is refused (logged, counted) when more than this share of the readings since the last one were anomalies',
  ),

  // Issue 9: time context, a calibrated score, incidents, silent devices (docs/detection.md has the reasons)
  TIME_CONTEXT: flag(true, 'Judge each reading in the context of its device\'s recent history; false = each reading alone against the model\'s fixed training envelope'),
  ANOMALY_THRESHOLD: fraction(0.5, 'Calibrated anomaly_score at or above which a reading is anomalous; every check maps its own limit onto it, on every device'),
  LEVEL_HALF_LIFE: duration('10r', 'Half-life of each sensor\'s smoothed level (what BAND_LIMIT judges): 10s, 5m, 1h, or readings like 20r'),
  BASELINE_HALF_LIFE: duration('1h', 'Half-life with which a sensor\'s baseline follows its level while the device is quiet (frozen during anomalies and incidents); inf = never'),
  NORMALIZER_HALF_LIFE: duration('100r', 'Half-life of the running mean and sd that normalise the forest\'s inputs'),
  BAND_LIMIT: nonNegative(2, 'A smoothed level this many sd from its baseline is anomalous (a shift that lasts); 0 = off'),
  SPREAD_LIMIT: nonNegative(2.5, 'Recent change from one reading to the next this many times a sensor\'s normal change (learnt in training) is anomalous: noise grows, mean unchanged; 0 = off'),
  DRIFT_BLOCK: z
    .string()
    .default('auto')
    .refine((v) => v.trim() === 'auto' || typeof parseDuration(v) !== 'string', { message: 'must be auto or a duration like 50s, 5m, or a count of readings like 100r' })
    .describe('Block length of the drift rule: a sensor whose training variance lies mostly between block means drifts; auto = an eighth of the training'),
  DRIFT_SHARE: fraction(0.25, 'A sensor drifts (its deviation judged against its running mean, no level-shift check) when more than this share of its training variance lies between DRIFT_BLOCK means'),
  FLATLINE_FACTOR: nonNegative(2, 'A sensor unchanged for this many times its longest training run (and FLATLINE_MIN) is stuck; 0 = off'),
  FLATLINE_MIN: duration('60s', 'Shortest time a sensor must sit unchanged to count as stuck'),
  RANGE_NOVELTY: flag(false, 'Range novelty: a value, or the mean or sd of the last RANGE_WINDOW values, beyond its own history older than RANGE_LAG readings'),
  RANGE_TOLERANCE: nonNegative(0.05, 'Range novelty: how far beyond the old range, as a share of it, counts'),
  RANGE_LAG: positiveInt(50, 'Range novelty: readings of history kept out of the range, so a slow excursion fires once it passes the old extreme'),
  RANGE_WINDOW: positiveInt(8, 'Range novelty: readings in the rolling mean and sd'),
  FOREST_CHECK: flag(true, 'Score the Isolation Forest on each device\'s normalised recent values (multivariate patterns, correlation breaks)'),
  FOREST_SHINGLE: z.coerce.number().int().min(1).max(16).default(1).describe('Readings of each sensor the forest sees at once (a shingle of recent context)'),
  FOREST_CALIBRATION: z.enum(['likelihood', 'threshold']).default('likelihood').describe('likelihood: the forest\'s score against its own recent history on each device; threshold: against the model\'s training threshold'),
  LIKELIHOOD_AVERAGE: positiveInt(10, 'Raw forest scores averaged before the likelihood judges them'),
  CORRELATION_MIN: fraction(0.8, 'Sensors whose training readings correlate at least this much (|ρ|) are watched for decoupling; 0 = off'),
  CORRELATION_LIMIT: nonNegative(3, 'Two correlated sensors are anomalous when their scatter around their usual line grows to this many times normal'),
  SEASON_PERIODS: z
    .string()
    .default('1d,1w')
    .refine((v) => v.trim() === 'off' || v.split(',').every((d) => { const p = parseDuration(d); return typeof p !== 'string' && p.ms !== undefined && Number.isFinite(p.ms); }), {
      message: 'must be off or durations like 1d,1w',
    })
    .describe('Periods a sensor may repeat with (decided per sensor from its training readings, which must span 1.5 periods); off = none'),
  SEASON_REFERENCES: z.coerce.number().int().min(1).max(8).default(3).describe('Past periods a seasonal sensor is compared with (the median of their same time slot)'),
  INCIDENT_OPEN: z
    .string()
    .regex(/^\d+\/\d+$/, 'must be k/n like 3/5')
    .refine((v) => { const [k, n] = v.split('/').map(Number); return k! >= 1 && n! >= k! && n! <= 31; }, { message: 'needs 1 <= k <= n <= 31' })
    .default('3/5')
    .describe('An incident opens when k of the last n readings of a device are anomalous (k/n)'),
  INCIDENT_EXTREME: fraction(0.8, 'One reading scoring this or more opens an incident on its own (0.8: a deviation of about 6.9 sd at the default limit)'),
  INCIDENT_QUIET: duration('30r', 'An incident closes after this long without an anomalous reading (event time, or readings like 50r)'),
  INCIDENT_COOLDOWN: duration('0s', 'No new incident opens on a device within this long of its last one closing'),
  TOPIC_INCIDENTS: publishTopic('factory/incidents', 'Incident events; each device\'s current incident is also retained on <topic>/<line>/<device>'),
  DEVICE_SILENCE_FACTOR: nonNegative(5, 'A device silent for this many times its usual reporting interval opens an incident of kind silent; 0 = off'),
  DEVICE_SILENCE_MIN_S: nonNegative(30, '...and silent for at least this many seconds'),

  // Issue 12: metrics, the live dashboard, the periodic log summary.
  METRICS_DEVICE_LABELS: flag(false, 'Label per-reading metrics (scored, anomalies) by device as well as by line; one series per device, for small plants'),
  METRICS_MAX_LABEL_VALUES: positiveInt(200, 'Distinct lines (or devices) the metrics label; readings of further ones are counted under "other"'),
  DASHBOARD_ENABLED: flag(true, 'Serve the live dashboard at GET / on the HTTP sidecar'),
  DASHBOARD_MQTT_URL: z
    .string()
    .regex(/^wss?:\/\/.+/, 'must be a WebSocket URL like ws://host:8083')
    .optional()
    .describe("MQTT-over-WebSocket URL the dashboard page connects to; default: the page's host at the embedded broker's WebSocket port (MQTT_WS_PORT)"),
  LOG_SUMMARY_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .max(86400)
    .default(60)
    .describe('Seconds between throughput summary log lines (readings, anomalies, rejections, rates); 0 = none'),

  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    // Node runs a longer setTimeout after 1 ms, which would cut every shutdown short.
    .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest a timer can wait`)
    .default(10000)
    .describe('Deadline for a graceful shutdown before the process is forced to exit'),
}).superRefine(checkCombinations);

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/** `<prefix>/#`, maybe shared: the worker reads the device id from the rest of each topic (src/topics.ts). */
function isSensorFilter(filter: string): boolean {
  const inner = unshared(filter);
  if (inner === undefined || !isValidFilter(inner) || !inner.endsWith('/#')) return false;
  const prefix = inner.slice(0, -2);
  return prefix.length > 0 && !/[+#]/.test(prefix);
}

/** `prefix/#` matches `topic`: the prefix itself or anything below it. */
function isUnder(topic: string, prefix: string): boolean {
  return topic === prefix || topic.startsWith(`${prefix}/`);
}

/** Some topic is both under `a/#` and under `b/…` (one is a level-wise prefix of the other). */
function subtreesOverlap(a: string, b: string): boolean {
  return isUnder(a, b) || isUnder(b, a);
}

/** Settings that are only valid together; each problem is reported on the variable to set. */
function checkCombinations(e: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const problem = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  if (e.MQTT_TLS_PORT !== undefined) {
    if (e.MQTT_TLS_CERT === undefined) problem('MQTT_TLS_CERT', 'required when MQTT_TLS_PORT is set');
    if (e.MQTT_TLS_KEY === undefined) problem('MQTT_TLS_KEY', 'required when MQTT_TLS_PORT is set');
  } else {
    const set = ['MQTT_TLS_CERT', 'MQTT_TLS_KEY', 'MQTT_TLS_CA'].filter((v) => e[v] !== undefined);
    if (set.length > 0 || e.MQTT_TLS_REQUIRE_CLIENT_CERT === true) {
      problem('MQTT_TLS_PORT', `required when ${set.length > 0 ? set.join(', ') : 'MQTT_TLS_REQUIRE_CLIENT_CERT'} is set`);
    }
  }
  if (e.MQTT_TLS_REQUIRE_CLIENT_CERT === true && e.MQTT_TLS_CA === undefined) problem('MQTT_TLS_CA', 'required when MQTT_TLS_REQUIRE_CLIENT_CERT=true');
  if (typeof e.TOPIC_SENSORS === 'string' && e.TOPIC_SENSORS.startsWith('$share/') && e.MQTT_URL === undefined) {
    // Aedes has no shared subscriptions: it would take the filter literally and deliver no reading to the worker.
    problem('TOPIC_SENSORS', 'a shared subscription ($share/...) needs an external broker (MQTT_URL); the embedded broker has none');
  }
  if (typeof e.TOPIC_SENSORS === 'string') {
    // The worker dead-letters what is not a reading, so a subscription that covers its own output feeds on itself.
    const sensors = filterPrefix(e.TOPIC_SENSORS);
    const outputs: Array<[string, unknown, boolean]> = [
      ['TOPIC_ANOMALIES', e.TOPIC_ANOMALIES, false],
      ['TOPIC_SCORES', e.PUBLISH_SCORES === false ? undefined : e.TOPIC_SCORES, true],
      ['TOPIC_ERRORS', e.TOPIC_ERRORS, false],
      ['TOPIC_STATUS', e.TOPIC_STATUS, false],
      ['TOPIC_INJECTED', e.TOPIC_INJECTED, false],
    ];
    for (const [variable, topic, isPrefix] of outputs) {
      if (typeof topic === 'string' && (isPrefix ? subtreesOverlap(sensors, topic) : isUnder(topic, sensors))) {
        problem(variable, `is under TOPIC_SENSORS (${e.TOPIC_SENSORS}): the worker would read what it publishes, and dead-letter it, for ever`);
      }
    }
  }
  checkScaleOut(e, problem);
  if ((e.HTTP_HEADERS_TIMEOUT_MS as number) > (e.HTTP_REQUEST_TIMEOUT_MS as number)) {
    problem('HTTP_HEADERS_TIMEOUT_MS', 'cannot exceed HTTP_REQUEST_TIMEOUT_MS');
  }
}

export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Unset and empty variables both mean "use the default", except where emptiness is itself a setting. */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key]?.trim();
    if (value === undefined) continue;
    if (value === '') {
      if (key === 'MQTT_WS_PORT') out[key] = '0';
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** Variables whose values are secrets: a problem with one never echoes the value (it would land in a log). */
const SECRET_VARIABLES = new Set(['MQTT_PASSWORD', 'HTTP_TOKEN']);

/** A given value as a problem shows it: quoted, secrets by their length only, URL credentials cut. */
function shownValue(name: string, given: string): string {
  if (SECRET_VARIABLES.has(name)) return `${[...given].length} characters, not shown`;
  return JSON.stringify(given.replace(/(:\/\/)[^\s/@]+@/, '$1***@'));
}

/** Parses the environment once; throws a ConfigError listing every problem with its variable name. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(cleanEnv(env));
  if (result.success) return result.data;
  throw new ConfigError(envProblems(result.error.issues, env));
}

function envProblems(issues: readonly z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const name = issue.path.join('.');
    const given = env[name];
    // zod's own words for a coerced number that is not one ("expected number, received NaN") confuse operators.
    const message = issue.code === 'invalid_type' && issue.expected === 'number' ? 'must be a number' : issue.message;
    return `${name}: ${message}${given === undefined ? '' : ` (got ${shownValue(name, given)})`}`;
  });
}

/** Every problem at once: the variables' and the sensor schema's. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = cleanEnv(env);
  const parsed = envSchema.safeParse(cleaned);
  const sensors = resolveSensors(cleaned.SENSORS ?? 'temperature,humidity,sound', cleaned.SENSOR_SCHEMA);
  const problems = [...(parsed.success ? [] : envProblems(parsed.error.issues, env)), ...(sensors.ok ? [] : sensors.problems)];
  if (!parsed.success || !sensors.ok) throw new ConfigError(problems);
  const config = toConfig(parsed.data, sensors.schema);
  const simulatorProblem = checkSimulator(config.simulator);
  if (simulatorProblem !== undefined) throw new ConfigError([simulatorProblem]);
  return deepFreeze(config);
}

/** The simulator settings that only the sensor set can judge: load sensors it has, fault kinds it can show. */
function checkSimulator(simulator: ReturnType<typeof toConfig>['simulator']): string | undefined {
  if (simulator.sensors === undefined) return undefined;
  try {
    checkGeneratorOptions({ ...simulator, sensors: simulator.sensors });
    return undefined;
  } catch (err) {
    if (err instanceof SettingError) return err.describe(variableOf);
    throw err;
  }
}

export type Config = ReturnType<typeof toConfig>;
export type SimulatorConfig = Config['simulator'];
export type ModelConfig = Config['model'];
export type TopicsConfig = Config['topics'];

function toConfig(e: Env, sensors: SensorSchema) {
  return {
    sensors,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    mqtt: {
      url: e.MQTT_URL,
      host: e.MQTT_HOST,
      port: e.MQTT_PORT,
      wsPort: e.MQTT_WS_PORT === 0 ? undefined : e.MQTT_WS_PORT,
      username: e.MQTT_USERNAME,
      password: e.MQTT_PASSWORD,
      clientId: e.MQTT_CLIENT_ID,
      qos: e.MQTT_QOS as 0 | 1 | 2,
    },
    broker: {
      authFile: e.MQTT_AUTH_FILE,
      allowAnonymous: e.MQTT_ALLOW_ANONYMOUS,
      deviceTopicPattern: e.MQTT_DEVICE_TOPIC_PATTERN,
      tls: tlsConfig(e),
      limits: {
        maxPacketBytes: e.MQTT_MAX_PACKET_BYTES,
        maxConnections: e.MQTT_MAX_CONNECTIONS === 0 ? undefined : e.MQTT_MAX_CONNECTIONS,
        publishRate: e.MQTT_PUBLISH_RATE_LIMIT === 0 ? undefined : { perSecond: e.MQTT_PUBLISH_RATE_LIMIT, burst: e.MQTT_PUBLISH_RATE_BURST },
        maxQueuedPerClient: e.MQTT_MAX_QUEUED_PER_CLIENT === 0 ? undefined : e.MQTT_MAX_QUEUED_PER_CLIENT,
        // Issue 10: hardening
        connectTimeoutMs: e.MQTT_CONNECT_TIMEOUT_MS,
        maxKeepaliveS: e.MQTT_MAX_KEEPALIVE,
        maxPendingPerAddress: e.MQTT_MAX_PENDING_PER_IP,
        reservedConnections: e.MQTT_RESERVED_CONNECTIONS,
        retained: {
          maxCount: e.MQTT_MAX_RETAINED,
          maxBytes: e.MQTT_MAX_RETAINED_BYTES,
          maxPerOwner: e.MQTT_MAX_RETAINED_PER_CLIENT,
          devicesMayRetain: e.MQTT_DEVICES_MAY_RETAIN,
        },
        authThrottle: { freeFailures: e.MQTT_AUTH_FREE_FAILURES, baseDelayMs: 1000, maxDelayMs: e.MQTT_AUTH_MAX_DELAY_MS },
      },
      store: e.BROKER_STORE === 'memory' ? ({ kind: 'memory' } as const) : ({ kind: 'redis', url: e.BROKER_STORE } as const),
    },
    // Issue 10: hardening
    devices: {
      idPattern: e.DEVICE_ID_PATTERN,
      maxPerLine: e.MAX_DEVICES_PER_CREDENTIAL === 0 ? undefined : e.MAX_DEVICES_PER_CREDENTIAL,
      maxTotal: e.MAX_DEVICES === 0 ? undefined : e.MAX_DEVICES,
    },
    topics: {
      sensors: e.TOPIC_SENSORS,
      anomalies: e.TOPIC_ANOMALIES,
      scores: e.PUBLISH_SCORES ? e.TOPIC_SCORES : undefined,
      errors: e.TOPIC_ERRORS,
      status: e.TOPIC_STATUS,
      incidents: e.TOPIC_INCIDENTS,
      injected: e.TOPIC_INJECTED,
    },
    worker: { maxPayloadBytes: e.MAX_PAYLOAD_BYTES, maxBatch: e.MAX_BATCH },
    http: {
      host: e.HTTP_HOST,
      port: e.HTTP_PORT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      token: e.HTTP_TOKEN,
    },
    simulator: {
      enabled: e.SIMULATOR_ENABLED,
      devices: e.SIMULATOR_DEVICES,
      lines: e.SIMULATOR_LINES,
      rate: e.SIMULATOR_RATE,
      anomalyRate: e.SIMULATOR_ANOMALY_RATE,
      seed: e.SIMULATOR_SEED,
      ...simulatedSensors(sensors, e),
      ...simulatedTimeAndFaults(e),
    },
    model: {
      engine: e.MODEL_ENGINE,
      trees: e.MODEL_TREES,
      sampleSize: e.MODEL_SAMPLE_SIZE,
      seed: e.MODEL_SEED,
      trainingSize: e.MODEL_TRAINING_SIZE,
      contamination: e.MODEL_CONTAMINATION,
      threshold: e.MODEL_THRESHOLD,
      zLimit: e.MODEL_Z_LIMIT,
      path: e.MODEL_PATH,
      save: e.MODEL_SAVE,
      scope: e.MODEL_SCOPE,
      warmup: e.MODEL_WARMUP,
      maxDevices: e.MODEL_MAX_DEVICES,
      dir: e.MODEL_DIR,
      retrain: {
        everyReadings: e.MODEL_RETRAIN_EVERY,
        everyMinutes: e.MODEL_RETRAIN_MINUTES,
        window: e.MODEL_WINDOW,
        maxAnomalyShare: e.MODEL_RETRAIN_MAX_ANOMALY_SHARE,
      },
    },
    detector: detectorSettings(e),
    silence: e.DEVICE_SILENCE_FACTOR > 0 ? { factor: e.DEVICE_SILENCE_FACTOR, minMs: e.DEVICE_SILENCE_MIN_S * 1000 } : undefined,

    // Issue 12.
    metrics: { deviceLabels: e.METRICS_DEVICE_LABELS, maxLabelValues: e.METRICS_MAX_LABEL_VALUES },
    dashboard: { enabled: e.DASHBOARD_ENABLED, mqttUrl: e.DASHBOARD_MQTT_URL },
    logSummarySeconds: e.LOG_SUMMARY_SECONDS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // Issue 11: scale-out
    scale: scaleConfig(e),
  };
}

/** The MQTTS listener, when MQTT_TLS_PORT is set (checkCombinations made sure its files are too). */
function tlsConfig(e: Env) {
  if (e.MQTT_TLS_PORT === undefined || e.MQTT_TLS_CERT === undefined || e.MQTT_TLS_KEY === undefined) return undefined;
  return {
    port: e.MQTT_TLS_PORT,
    certFile: e.MQTT_TLS_CERT,
    keyFile: e.MQTT_TLS_KEY,
    caFile: e.MQTT_TLS_CA,
    requireClientCert: e.MQTT_TLS_REQUIRE_CLIENT_CERT,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The simulator's fields: each sensor's baseline from the schema (`simulate`), the SIMULATOR_*_BASE and
 * _VARIATION variables overriding the three default sensors. Without a baseline for every field the
 * simulator cannot run: `missing` names the fields, for the message that says so.
 */
function simulatedSensors(schema: SensorSchema, e: Env): { sensors: SimulatedField[] | undefined; missing: string[] } {
  const overrides: Record<string, { base: number; variation: number }> = {
    temperature: { base: e.SIMULATOR_TEMPERATURE_BASE, variation: e.SIMULATOR_TEMPERATURE_VARIATION },
    humidity: { base: e.SIMULATOR_HUMIDITY_BASE, variation: e.SIMULATOR_HUMIDITY_VARIATION },
    sound: { base: e.SIMULATOR_SOUND_BASE, variation: e.SIMULATOR_SOUND_VARIATION },
  };
  const missing: string[] = [];
  const sensors = schema.fields.map((field): SimulatedField => {
    const baseline = field.simulate ?? overrides[field.name];
    if (baseline === undefined) missing.push(field.name);
    const { base, variation } = overrides[field.name] ?? baseline ?? { base: 0, variation: 1 };
    return { name: field.name, base, variation, ...(field.min !== undefined ? { min: field.min } : {}), ...(field.max !== undefined ? { max: field.max } : {}) };
  });
  return { sensors: missing.length === 0 ? sensors : undefined, missing };
}

/** Issue 9: simulated time, moving baselines, the shared load and the faults to inject. */
function simulatedTimeAndFaults(e: Env) {
  const list = (v: string) => v.split(',').map((x) => x.trim());
  return {
    timeScale: e.SIMULATOR_TIME_SCALE,
    baseline: {
      warmupSeconds: e.SIMULATOR_WARMUP_SECONDS,
      warmupOffset: e.SIMULATOR_WARMUP_OFFSET,
      daySeconds: e.SIMULATOR_DAY_SECONDS,
      dailyAmplitude: e.SIMULATOR_DAILY_AMPLITUDE,
    },
    load: {
      sensors: e.SIMULATOR_LOAD_SENSORS === 'auto' ? ('auto' as const) : e.SIMULATOR_LOAD_SENSORS === 'none' ? [] : list(e.SIMULATOR_LOAD_SENSORS),
      correlation: e.SIMULATOR_LOAD_CORRELATION,
      seconds: e.SIMULATOR_LOAD_SECONDS,
    },
    faults: {
      kinds: e.SIMULATOR_FAULT_KINDS === 'all' ? ('all' as const) : (list(e.SIMULATOR_FAULT_KINDS) as FaultKind[]),
      gapSeconds: e.SIMULATOR_FAULT_GAP_SECONDS,
    },
  };
}
