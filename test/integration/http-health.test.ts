import { request, useHttp } from '../helpers/http.js';

const http = useHttp();

describe('GET /health', () => {
  it('when the worker is ready, then it answers 200 healthy with the checks, counters and uptime', async () => {
    const server = await http.start({ state: { checks: { broker: 'connected', model: { id: 'm1' } } } });
    const res = await request(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({
      status: 'healthy',
      broker: 'connected',
      model: { id: 'm1' },
      http: { requests: 1, routes: { '/health': { requests: 1 } } },
      uptime_s: expect.any(Number),
    });
  });

  it('when the worker is not ready, then it answers 503 unhealthy', async () => {
    const server = await http.start({ state: { ready: false, checks: { broker: 'reconnecting' } } });
    const res = await request(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unhealthy', broker: 'reconnecting' });
  });

  it('when the service is closing, then it answers 503 shutting_down and closes the connection', async () => {
    const server = await http.start({ state: { closing: true } });
    const res = await request(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(res.headers.get('connection')).toBe('close');
    expect(res.body).toMatchObject({ status: 'shutting_down' });
  });

  it('when a check is itself named status, then it cannot hide the real status', async () => {
    const server = await http.start({ state: { ready: false, checks: { status: 'healthy' } } });
    const res = await request(`${server.url}/health`);
    expect(res.body.status).toBe('unhealthy');
  });

  it('when asked with HEAD, then it answers the same status with no body', async () => {
    const server = await http.start({ state: { ready: false } });
    const res = await fetch(`${server.url}/health`, { method: 'HEAD' });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });

  it('when requests were served, then /health and app.stats() count them by route and status', async () => {
    const server = await http.start();
    await request(`${server.url}/predict`, { method: 'POST', body: '{' });
    await request(`${server.url}/nowhere`);
    const res = await request(`${server.url}/health`);
    expect(res.body.http).toEqual({
      requests: 3,
      responses: 2, // the /health response itself is counted after it is written
      routes: {
        '/health': { requests: 1, responses: {} },
        '/predict': { requests: 1, responses: { 400: 1 } },
        unmatched: { requests: 1, responses: { 404: 1 } },
      },
    });
    expect(server.app.stats().routes['/health']?.responses).toEqual({ 200: 1 });
  });
});
