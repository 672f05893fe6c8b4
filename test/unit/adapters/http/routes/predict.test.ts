import { DEFAULT_DETECTOR_SETTINGS } from '../../../../../src/core/context/settings.js';
import { DEFAULT_SENSORS } from '../../../../../src/core/sensors.js';
import { predictFromBody } from '../../../../../src/adapters/http/routes/predict.js';
import { createTestModel } from '../../../../helpers/test-model.js';

const model = createTestModel();
const run = (body: string) => predictFromBody({ getModel: () => model, schema: DEFAULT_SENSORS, settings: DEFAULT_DETECTOR_SETTINGS }, Buffer.from(body), 'application/json');
const reading = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };

describe('predictFromBody', () => {
  it('when the reading is normal, then it is scored as not anomalous and echoed', () => {
    const response = run(JSON.stringify(reading));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      input_data: reading,
      prediction: { is_anomaly: false, threshold: 0.5 },
      model: { id: 'test-model' },
    });
  });

  it('when the temperature is far out, then it is an anomaly with an explanation', () => {
    const response = run(JSON.stringify({ ...reading, temperature: 90 }));
    expect(response.body).toMatchObject({
      prediction: { anomaly_score: 1, is_anomaly: true, explanation: expect.any(Object), z_scores: { temperature: 65 } },
    });
  });

  it('when fields come in any order with extras, then input_data echoes them in the order sent', () => {
    const sent = '{"device":"d1","sound":60,"humidity":50,"temperature":25}';
    const response = run(sent);
    expect(JSON.stringify((response.body as { input_data: unknown }).input_data)).toBe(sent);
  });

  it.each([
    ['invalid JSON', '{"temperature": 25,', 'invalid_json', undefined],
    ['an empty body', '', 'empty_body', undefined],
    ['an array', '[1, 2, 3]', 'invalid_reading', ['reading must be a JSON object']],
    ['null', 'null', 'invalid_reading', ['reading must be a JSON object']],
    ['a number', '42', 'invalid_reading', ['reading must be a JSON object']],
    ['a string temperature', JSON.stringify({ ...reading, temperature: '25.5' }), 'invalid_reading', ['temperature must be a number']],
    ['a null humidity', JSON.stringify({ ...reading, humidity: null }), 'invalid_reading', ['humidity must be a number']],
    ['an infinite sound', '{"temperature":1,"humidity":1,"sound":1e999}', 'invalid_reading', ['sound must be a finite number']],
    [
      'missing fields',
      JSON.stringify({ timestamp: reading.timestamp, temperature: 'hot' }),
      'invalid_reading',
      ['temperature must be a number', 'humidity is required', 'sound is required'],
    ],
    ['a bad timestamp', JSON.stringify({ ...reading, timestamp: 'yesterday' }), 'invalid_reading', [expect.stringMatching(/^timestamp/)]],
  ])('when the body is %s, then it answers 400 %s', (_name, body, code, details) => {
    const response = run(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: code, message: expect.any(String) });
    if (details !== undefined) expect((response.body as { details: unknown }).details).toEqual(details);
  });
});
