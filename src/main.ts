/** `npm start`: broker, worker, HTTP sidecar and simulator in one process. */
import { runEntry } from './app/entry.js';

void runEntry('factory-anomaly', { broker: true, worker: true, simulator: true });
