import { connect, type Socket } from 'node:net';
import { createHttpApp, type HttpApp, type HttpAppDeps, type HealthReport } from '../../src/adapters/http/app.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../src/adapters/http/server.js';
import { silentLogger } from '../../src/support/logger.js';
import type { AnomalyModel } from '../../src/core/model/types.js';
import { createTestModel } from './test-model.js';

/** The knobs a test turns while the server runs; the app reads them on every request. */
export interface TestState {
  model: AnomalyModel | undefined;
  ready: boolean;
  closing: boolean;
  checks: Record<string, unknown>;
}

export interface TestHttp extends RunningHttpServer {
  app: HttpApp;
  state: TestState;
}

export interface TestHttpOptions {
  deps?: Partial<HttpAppDeps>;
  server?: Partial<Omit<HttpServerOptions, 'handler' | 'logger'>>;
  state?: Partial<TestState>;
}

/**
 * Starts app + server on an ephemeral port and registers it for teardown after
 * each test. Call at module level: `const http = useHttp();` then `await http.start()`.
 */
export function useHttp(): { start(options?: TestHttpOptions): Promise<TestHttp> } {
  const open: RunningHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return {
    async start(options = {}) {
      const state: TestState = { model: createTestModel(), ready: true, closing: false, checks: { broker: 'connected' }, ...options.state };
      const app = createHttpApp({
        getModel: () => state.model,
        health: (): HealthReport => ({ ready: state.ready, checks: state.checks }),
        bodyLimitBytes: 1024,
        logger: silentLogger(),
        isClosing: () => state.closing,
        ...options.deps,
      });
      const server = await startHttpServer({ host: '127.0.0.1', port: 0, handler: app, logger: silentLogger(), ...options.server });
      open.push(server);
      return { ...server, app, state };
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** fetch, then the body as JSON (every response of the sidecar is JSON, errors too). */
export async function request(url: string, init?: RequestInit): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function postJson(url: string, body: string | object, headers?: Record<string, string>): Promise<JsonResponse> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A raw TCP client for what fetch will not send (slow headers, lying Content-Length). */
export interface RawClient {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

export function rawConnect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    // The server may reset a socket it refuses; the test reads what arrived before.
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

export const baseline = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };
