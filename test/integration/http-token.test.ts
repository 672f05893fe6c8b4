import type { ModelInfo } from '../../src/core/model/types.js';
import { bearerTokenCheck } from '../../src/adapters/http/bearer-token.js';
import { request, useHttp } from '../helpers/http.js';
import { createTestModel } from '../helpers/test-model.js';

const http = useHttp();
const TOKEN = 'a-test-token-of-some-length';
const newInfo: ModelInfo = { ...createTestModel().info, id: 'reloaded', version: 2 };

describe('POST /model/reload with HTTP_TOKEN', () => {
  async function start() {
    let reloads = 0;
    const server = await http.start({ deps: { token: TOKEN, reloadModel: () => (reloads++, Promise.resolve(newInfo)) } });
    return { server, reloads: () => reloads };
  }
  const reload = (url: string, authorization?: string) =>
    request(`${url}/model/reload`, { method: 'POST', headers: authorization === undefined ? {} : { authorization } });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`],
    ['the token with another scheme', `Basic ${TOKEN}`],
    ['the bare token', TOKEN],
  ])('when the request has %s, then it gets 401 and nothing is reloaded', async (_what, authorization) => {
    const { server, reloads } = await start();
    const res = await reload(server.url, authorization);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toMatchObject({ error: 'unauthorized' });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    expect(reloads()).toBe(0);
  });

  it('when the request carries the token, then it is reloaded (200)', async () => {
    const { server, reloads } = await start();
    const res = await reload(server.url, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reloaded', model: newInfo });
    expect(reloads()).toBe(1);
  });

  it('when no token is configured, then the endpoint stays open as before', async () => {
    const server = await http.start({ deps: { reloadModel: () => Promise.resolve(newInfo) } });
    expect((await reload(server.url)).status).toBe(200);
  });

  it('when a token is configured, then reading routes such as /health stay open', async () => {
    const { server } = await start();
    expect((await request(`${server.url}/health`)).status).toBe(200);
  });
});

describe('bearer token check', () => {
  const check = bearerTokenCheck(TOKEN);
  it.each([
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
    [`Bearer  ${TOKEN} `, true],
    [`Bearer ${TOKEN} extra`, false],
    ['Bearer ', false],
    ['', false],
    [undefined, false],
  ])('%j -> %s', (header, expected) => {
    expect(check(header)).toBe(expected);
  });
});
