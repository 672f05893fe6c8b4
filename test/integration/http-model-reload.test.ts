import type { ModelInfo } from '../../src/core/model/types.js';
import { request, useHttp } from '../helpers/http.js';
import { createTestModel } from '../helpers/test-model.js';

const http = useHttp();
const newInfo: ModelInfo = { ...createTestModel().info, id: 'reloaded', version: 2 };

describe('POST /model/reload', () => {
  it('when reloadModel is given, then it answers 200 with the new model info', async () => {
    const server = await http.start({ deps: { reloadModel: () => Promise.resolve(newInfo) } });
    const res = await request(`${server.url}/model/reload`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reloaded', model: newInfo });
  });

  it('when the reload fails, then it answers 500 JSON with the reason and no stack', async () => {
    const server = await http.start({ deps: { reloadModel: () => Promise.reject(new Error('model file is corrupt')) } });
    const res = await request(`${server.url}/model/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'reload_failed', message: 'model reload failed: model file is corrupt' });
  });

  it('when two reloads overlap, then they share one reload', async () => {
    let calls = 0;
    let finish: (info: ModelInfo) => void = () => undefined;
    const reloadModel = () => {
      calls += 1;
      return new Promise<ModelInfo>((resolve) => (finish = resolve));
    };
    const server = await http.start({ deps: { reloadModel } });
    const first = request(`${server.url}/model/reload`, { method: 'POST' });
    const second = request(`${server.url}/model/reload`, { method: 'POST' });
    // Both requests are in once the app has counted them.
    while ((server.app.stats().routes['/model/reload']?.requests ?? 0) < 2) await new Promise((r) => setImmediate(r));
    finish(newInfo);
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status, calls]).toEqual([200, 200, 1]);
  });

  it('when GET is used, then it answers 405 with Allow: POST', async () => {
    const server = await http.start({ deps: { reloadModel: () => Promise.resolve(newInfo) } });
    const res = await request(`${server.url}/model/reload`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('unexpected failures', () => {
  it('when the model throws while scoring, then it answers 500 internal_error without details', async () => {
    const broken = { ...createTestModel(), score: () => { throw new Error('secret internals'); } };
    const server = await http.start({ state: { model: broken } });
    const res = await request(`${server.url}/predict`, { method: 'POST', body: '{"temperature":1,"humidity":1,"sound":1}' });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'internal error; see the service log' });
  });

  it('when a health check cannot be serialised, then /health answers 500 JSON', async () => {
    const server = await http.start({ state: { checks: { big: 1n } } });
    const res = await request(`${server.url}/health`);
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('internal_error');
  });
});
