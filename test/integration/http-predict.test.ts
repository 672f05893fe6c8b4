import { baseline, postJson, request, useHttp } from '../helpers/http.js';
import { createTestModel } from '../helpers/test-model.js';

const http = useHttp();

describe('POST /predict', () => {
  it('when the reading is normal, then it answers 200 with the echo, the prediction and the model', async () => {
    const server = await http.start();
    const res = await postJson(`${server.url}/predict`, baseline);
    expect(res.status).toBe(200);
    expect(res.body.input_data).toEqual(baseline);
    expect(res.body.prediction).toEqual({ anomaly_score: expect.any(Number), is_anomaly: false, threshold: 0.5, isolation_score: expect.any(Number) });
    expect(res.body.model).toMatchObject({ id: 'test-model', version: 1 });
  });

  it('when the temperature is 90, then is_anomaly is true with an explanation', async () => {
    const server = await http.start();
    const res = await postJson(`${server.url}/predict`, { ...baseline, temperature: 90 });
    expect(res.status).toBe(200);
    expect(res.body.prediction).toMatchObject({
      anomaly_score: 1,
      is_anomaly: true,
      threshold: 0.5,
      explanation: { temperature: expect.any(Number), humidity: expect.any(Number), sound: expect.any(Number) },
    });
  });

  it('when the content type carries a charset or is not JSON at all, then the reading is still accepted', async () => {
    const server = await http.start();
    const withCharset = await postJson(`${server.url}/predict`, baseline, { 'content-type': 'application/json; charset=utf-8' });
    const plain = await postJson(`${server.url}/predict`, baseline, { 'content-type': 'text/plain' });
    expect([withCharset.status, plain.status]).toEqual([200, 200]);
  });

  it.each([
    ['invalid JSON', '{"temperature": 25.5,', 'invalid_json', /^request body is not valid JSON: .+/],
    ['an empty body', '', 'empty_body', /empty/],
    ['an array', '[]', 'invalid_reading', /must be a JSON object/],
    ['null', 'null', 'invalid_reading', /must be a JSON object/],
    ['a string temperature', JSON.stringify({ ...baseline, temperature: 'warm' }), 'invalid_reading', /temperature must be a number/],
  ])('when the body is %s, then it answers 400 %s', async (_name, body, code, message) => {
    const server = await http.start();
    const res = await postJson(`${server.url}/predict`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: code, message: expect.stringMatching(message) });
    expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('when fields are missing, then each one is listed', async () => {
    const server = await http.start();
    const res = await postJson(`${server.url}/predict`, { timestamp: baseline.timestamp, humidity: 'wet' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(['temperature is required', 'humidity must be a number', 'sound is required']);
  });

  it('when the body is over the limit, then it answers 413', async () => {
    const server = await http.start({ deps: { bodyLimitBytes: 64 } });
    const res = await postJson(`${server.url}/predict`, { ...baseline, padding: 'x'.repeat(100) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', limit_bytes: 64 });
  });

  it('when no model is loaded yet, then it answers 503 model_not_ready', async () => {
    const server = await http.start({ state: { model: undefined } });
    const res = await postJson(`${server.url}/predict`, baseline);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('model_not_ready');
  });

  it('when the service is closing, then it answers 503 shutting_down', async () => {
    const server = await http.start({ state: { closing: true } });
    const res = await postJson(`${server.url}/predict`, baseline);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('shutting_down');
  });

  it('when the model is swapped, then the next prediction uses the new one', async () => {
    const server = await http.start();
    server.state.model = createTestModel({ info: { id: 'retrained', version: 2 } });
    const res = await postJson(`${server.url}/predict`, baseline);
    expect(res.body.model).toMatchObject({ id: 'retrained', version: 2 });
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/predict', 405, 'POST'],
    ['PUT', '/predict', 405, 'POST'],
    ['POST', '/health', 405, 'GET, HEAD'],
    ['GET', '/nowhere', 404, null],
    ['POST', '/model/reload', 404, null], // not mounted without reloadModel
  ])('when %s %s, then it answers %i', async (method, path, status, allow) => {
    const server = await http.start();
    const res = await request(`${server.url}${path}`, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.body).toMatchObject({ error: status === 404 ? 'not_found' : 'method_not_allowed', message: expect.any(String) });
  });
});
