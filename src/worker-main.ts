/** `npm run worker` (the compose `worker` service): worker and HTTP sidecar, connecting to MQTT_URL. */
import { runEntry } from './app/entry.js';

void runEntry('worker', { broker: false, worker: true, simulator: false });
