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

  it.each([
    ['an HTTP/1.1 request has no Host header', 400, 'missing_host', 'POST /predict HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}'],
    ['the Expect header is not 100-continue', 417, 'expectation_failed', 'POST /predict HTTP/1.1\r\nHost: x\r\nExpect: fuzz\r\nContent-Length: 2\r\n\r\n{}'],
  ])('when %s, then the app answers %i %s in JSON and counts it, instead of a bare reply from Node', async (_name, status, code, text) => {
    const server = await http.start();
    const client = await rawConnect(server.port);
    client.socket.write(text);
    const received = await client.closed;
    expect(received).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: code, message: expect.stringMatching(/\w/) });
    expect(server.app.stats().routes['/predict']?.responses).toEqual({ [status]: 1 });
  });
});
