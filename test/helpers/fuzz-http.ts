import { createHttpApp, type HttpApp } from '../../src/adapters/http/app.js';
import { startHttpServer, type RunningHttpServer } from '../../src/adapters/http/server.js';
import type { Logger } from '../../src/support/logger.js';
import { createTestModel } from './test-model.js';
import type { Resources } from './mqtt.js';

/** The production default of HTTP_BODY_LIMIT. */
export const FUZZ_BODY_LIMIT = 65536;

/**
 * App and server on port 0 sharing one logger (test/helpers/http.ts keeps the
 * server's silent), with short header and request timeouts so stalled
 * requests are answered (408) within a test. Closed at teardown.
 */
export async function startFuzzHttp(resources: Resources, logger: Logger): Promise<RunningHttpServer & { app: HttpApp }> {
  const model = createTestModel();
  const app = createHttpApp({
    getModel: () => model,
    health: () => ({ ready: true, checks: {} }),
    bodyLimitBytes: FUZZ_BODY_LIMIT,
    logger,
    isClosing: () => false,
  });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, handler: app, logger, headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  resources.add(server, (s) => s.close());
  return { ...server, app };
}
