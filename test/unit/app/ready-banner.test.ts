import { readyBanner } from '../../../src/app/ready-banner.js';

describe('the ready banner', () => {
  it('when everything runs, then it lists the dashboard, health, metrics, predict and every broker URL', () => {
    const banner = readyBanner('factory-anomaly', {
      mqtt: 'mqtt://127.0.0.1:1883',
      ws: 'ws://127.0.0.1:8083',
      http: 'http://127.0.0.1:5000',
      dashboard: 'http://127.0.0.1:5000/',
      health: 'http://127.0.0.1:5000/health',
      metrics: 'http://127.0.0.1:5000/metrics',
      model: 'native-c3a8c719',
    });
    expect(banner.split('\n')).toEqual([
      'factory-anomaly is ready',
      '  dashboard  http://127.0.0.1:5000/',
      '  health     http://127.0.0.1:5000/health',
      '  metrics    http://127.0.0.1:5000/metrics',
      '  predict    POST http://127.0.0.1:5000/predict',
      '  broker     mqtt://127.0.0.1:1883  ws://127.0.0.1:8083',
      '  model      native-c3a8c719',
      'Ctrl-C stops everything.',
    ]);
  });

  it('when listening on every interface, then the URLs are ones a browser here can open, and it says so', () => {
    const banner = readyBanner('x', { http: 'http://0.0.0.0:5000', dashboard: 'http://0.0.0.0:5000/', mqtt: 'mqtt://[::]:1883', token: true, metrics: 'http://0.0.0.0:5000/metrics' });
    expect(banner).toContain('dashboard  http://127.0.0.1:5000/');
    expect(banner).toContain('broker     mqtt://[::1]:1883');
    expect(banner).toContain('metrics    http://127.0.0.1:5000/metrics  (Authorization: Bearer $HTTP_TOKEN)');
    expect(banner).toContain('listening on every interface');
    expect(banner).not.toContain('0.0.0.0');
  });
});
