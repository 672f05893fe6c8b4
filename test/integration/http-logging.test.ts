import { pino } from 'pino';
import { baseline, postJson, request, useHttp } from '../helpers/http.js';

const http = useHttp();

function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('request logging', () => {
  it('when a request succeeds, then nothing is logged', async () => {
    const { logger, lines } = capture();
    const server = await http.start({ deps: { logger } });
    await postJson(`${server.url}/predict`, baseline);
    expect(lines).toEqual([]);
  });

  it('when a request is rejected, then one info line carries route, status, code and reason as fields', async () => {
    const { logger, lines } = capture();
    const server = await http.start({ deps: { logger } });
    await postJson(`${server.url}/predict`, { ...baseline, sound: 'loud' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        component: 'http',
        route: '/predict',
        method: 'POST',
        status: 400,
        code: 'invalid_reading',
        reason: 'invalid reading: sound must be a number',
        suppressed: 0,
        msg: 'request rejected',
      }),
    ]);
  });

  it('when a request is refused with a 5xx, then it is logged at warn', async () => {
    const { logger, lines } = capture();
    const server = await http.start({ deps: { logger }, state: { model: undefined } });
    await request(`${server.url}/predict`, { method: 'POST', body: '{}' });
    expect(lines).toEqual([expect.objectContaining({ level: 40, status: 503, code: 'model_not_ready' })]);
  });
});
