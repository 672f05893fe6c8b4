import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../logger.js';
import type { ModelInfo } from '../../model/types.js';
import { errors } from '../errors.js';
import { ok, type HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

export interface ModelReloadDeps {
  reloadModel: () => Promise<ModelInfo>;
  logger: Logger;
}

/**
 * POST /model/reload: retrains or reloads the model and returns its info.
 * Concurrent calls share one reload rather than racing each other.
 */
export function modelReloadRoute(deps: ModelReloadDeps): Route {
  let pending: Promise<HttpResponse> | undefined;

  const reload = async (): Promise<HttpResponse> => {
    try {
      const info = await deps.reloadModel();
      deps.logger.info({ model: info }, 'model reloaded');
      return ok({ status: 'reloaded', model: info });
    } catch (err) {
      return errors.reloadFailed(err);
    }
  };

  const handler = (_req: IncomingMessage): Promise<HttpResponse> => {
    // AUTH: when the admin token lands, check `_req.headers.authorization` here
    // and return a 401 before anything is reloaded.
    pending ??= reload().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return { path: '/model/reload', methods: { POST: handler } };
}
