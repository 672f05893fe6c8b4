import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../../support/logger.js';
import type { ModelInfo } from '../../../core/model/types.js';
import { bearerTokenCheck } from '../bearer-token.js';
import { errors } from '../errors.js';
import { ok, type HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

export interface ModelReloadDeps {
  reloadModel: () => Promise<ModelInfo>;
  logger: Logger;
  /** HTTP_TOKEN: when set, a request must carry `Authorization: Bearer <token>` or gets 401. */
  token?: string;
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

  const authorized = deps.token === undefined ? () => true : bearerTokenCheck(deps.token);

  const handler = (req: IncomingMessage): HttpResponse | Promise<HttpResponse> => {
    // Checked before anything is reloaded, and before joining a reload already under way.
    if (!authorized(req.headers.authorization)) return errors.unauthorized;
    pending ??= reload().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return { path: '/model/reload', methods: { POST: handler } };
}
