import { baseline, postJson, rawConnect, useHttp } from '../helpers/http.js';

const http = useHttp();
const STACK = /\n\s+at |\.ts:\d+:\d+|node:internal/;

describe('HTTP hostile input', () => {
  it('when a valid reading carries a 10,000-level nested extra field, then it answers 400 with a reason, not 500', async () => {
    const server = await http.start({ deps: { bodyLimitBytes: 65536 } });
    const deep = `{"temperature":25,"humidity":50,"sound":60,"meta":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await postJson(`${server.url}/predict`, deep);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_reading', message: expect.stringMatching(/nested/) });
    expect(JSON.stringify(res.body)).not.toMatch(STACK);
    expect(server.app.stats().routes['/predict']?.responses).toEqual({ 400: 1 });
    expect((await postJson(`${server.url}/predict`, baseline)).status).toBe(200);
  });

  it('when the extra field nests a few levels deep, then the reading is still scored and echoed', async () => {
    const server = await http.start();
    const body = { ...baseline, meta: { line: { cell: { fw: [1, [2, [3]]] } } } };
    const res = await postJson(`${server.url}/predict`, body);
    expect(res.status).toBe(200);
    expect(res.body.input_data).toEqual(body);
  });

  it('when a CONNECT request arrives, then it answers 405 in JSON instead of dropping the connection', async () => {
    const server = await http.start();
    const client = await rawConnect(server.port);
    client.socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    const received = await client.closed;
    expect(received).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(received).toContain('"error":"method_not_allowed"');
    expect((await postJson(`${server.url}/predict`, baseline)).status).toBe(200);
  });
});
