import { Agent, request as httpRequest, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { ListenError } from '../../src/adapters/http/index.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../src/adapters/http/server.js';
import { silentLogger } from '../../src/support/logger.js';
import { rawConnect, useHttp, type RawClient } from '../helpers/http.js';

const http = useHttp();

// Servers and clients opened directly in this file; closed after each test.
const servers: RunningHttpServer[] = [];
const agents: Agent[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.socket.destroy();
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: RequestListener, options: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer> {
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, handler, logger: silentLogger(), ...options });
  servers.push(server);
  return server;
}

async function raw(port: number): Promise<RawClient> {
  const client = await rawConnect(port);
  raws.push(client);
  return client;
}

/** GET through a keep-alive agent, so the connection outlives the response. */
function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** A handler that holds each response until the test ends it; `next` resolves when one arrives. */
function holdResponses(): { handler: RequestListener; next: Promise<ServerResponse> } {
  let arrived: (res: ServerResponse) => void = () => undefined;
  const next = new Promise<ServerResponse>((resolve) => (arrived = resolve));
  return { handler: (_req, res) => arrived(res), next };
}

const hello: RequestListener = (_req, res) => res.end('hello');

describe('startHttpServer', () => {
  it('when port 0 is asked for, then the actual port and URL are returned', async () => {
    const server = await serve(hello);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(server.url)).text()).toBe('hello');
  });

  it('when the port is in use, then it rejects with a ListenError carrying host, port and code', async () => {
    const first = await serve(hello);
    const second = startHttpServer({ host: '127.0.0.1', port: first.port, handler: hello, logger: silentLogger() });
    await expect(second).rejects.toBeInstanceOf(ListenError);
    await expect(second).rejects.toMatchObject({
      host: '127.0.0.1',
      port: first.port,
      code: 'port_in_use', errno: 'EADDRINUSE',
      message: expect.stringContaining('already in use'),
    });
  });

  it('when the header timeout exceeds the request timeout, then it refuses to start', async () => {
    const start = startHttpServer({ host: '127.0.0.1', port: 0, handler: hello, logger: silentLogger(), headersTimeoutMs: 2000, requestTimeoutMs: 1000 });
    await expect(start).rejects.toThrow(/headersTimeoutMs \(2000\) cannot exceed requestTimeoutMs \(1000\)/);
  });

  it('when an idle keep-alive connection is open, then close() resolves without waiting for it', async () => {
    const server = await serve(hello, { closeTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    expect((await get(server.url, agent)).connection).toBe('keep-alive');
    await server.close(); // a 60 s deadline would time the test out if the idle socket were awaited
  });

  it('when a request is in flight, then close() waits for it and its connection is closed after', async () => {
    const held = holdResponses();
    const server = await serve(held.handler, { closeTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    const response = get(server.url, agent);
    const res = await held.next;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    res.end('late');
    expect(await response).toEqual({ status: 200, connection: 'close', body: 'late' });
    await closing;
  });

  it('when close() is called twice, then both calls get the same completion', async () => {
    const server = await serve(hello);
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });

  it('when an in-flight request outlives closeTimeoutMs, then close() cuts it and resolves', async () => {
    const held = holdResponses(); // never answered
    const server = await serve(held.handler, { closeTimeoutMs: 50 });
    const client = await raw(server.port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await held.next;
    await server.close();
    expect(await client.closed).toBe('');
  });

  it('when a client trickles headers forever, then the header timeout answers 408 and cuts it', async () => {
    const server = await serve(hello, { headersTimeoutMs: 100, requestTimeoutMs: 200 });
    const client = await raw(server.port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    const trickle = setInterval(() => client.socket.writable && client.socket.write(`X-Slow-${n++}: 1\r\n`), 20);
    try {
      const received = await client.closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(received).toContain('"error":"request_timeout"');
    } finally {
      clearInterval(trickle);
    }
  });

  it('when a request is not valid HTTP, then it answers a JSON 400 and closes', async () => {
    const server = await serve(hello);
    const client = await raw(server.port);
    client.socket.write('NOT HTTP AT ALL\r\n\r\n');
    const received = await client.closed;
    expect(received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(received).toContain('"error":"bad_request"');
  });
});

describe('/predict body limit on the wire', () => {
  it('when Content-Length announces a huge body, then 413 comes back before the body is sent', async () => {
    const server = await http.start({ deps: { bodyLimitBytes: 1024 } });
    const client = await raw(server.port);
    client.socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{"temp');
    const received = await client.closed; // the server answered and hung up with 99.99 MB still unsent
    expect(received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(received).toMatch(/connection: close/i);
    expect(received).toContain('"error":"payload_too_large"');
  });

  it('when a chunked body crosses the limit, then 413 comes back without waiting for its end', async () => {
    const server = await http.start({ deps: { bodyLimitBytes: 1024 } });
    const client = await raw(server.port);
    const chunk = 'x'.repeat(600);
    const framed = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    client.socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${framed}${framed}`);
    const received = await client.closed; // the terminating 0-chunk was never sent
    expect(received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  });
});
