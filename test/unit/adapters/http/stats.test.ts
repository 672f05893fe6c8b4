import { countRequest, countResponse, createHttpStats, routeStats } from '../../../../src/adapters/http/stats.js';

describe('http stats', () => {
  it('when requests and responses are counted, then totals and per-route statuses add up', () => {
    const stats = createHttpStats();
    const predict = routeStats(stats, '/predict');
    countRequest(stats, predict);
    countRequest(stats, predict);
    countResponse(stats, predict, 200);
    countResponse(stats, predict, 400);
    countRequest(stats, predict);
    countResponse(stats, predict, 200);
    expect(stats).toEqual({ requests: 3, responses: 3, routes: { '/predict': { requests: 3, responses: { 200: 2, 400: 1 } } } });
  });

  it('when a route is looked up twice, then the same counters come back', () => {
    const stats = createHttpStats();
    expect(routeStats(stats, '/health')).toBe(routeStats(stats, '/health'));
  });
});
