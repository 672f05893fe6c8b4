import { createRandom, device, learn, SECOND } from './harness.js';

/** Two sensors that follow a shared load (motor current and temperature), each with a little noise of its own. */
function coupled(random: ReturnType<typeof createRandom>, n: number, decoupled = false): number[][] {
  let load = 0;
  let own = 0;
  return Array.from({ length: n }, () => {
    load = 0.95 * load + 0.3 * random.gaussian();
    // Decoupled, the temperature follows a load of its own with the same statistics: every value stays normal.
    own = 0.95 * own + 0.3 * random.gaussian();
    return [50 + 4 * load + 0.3 * random.gaussian(), 20 + 2 * (decoupled ? own : load) + 0.15 * random.gaussian()];
  });
}

describe('the correlation check', () => {
  it('when two sensors that move together decouple, each staying in its normal range, then a correlation incident names both', () => {
    const random = createRandom(21);
    const sensors = ['current', 'temperature'];
    const d = device(learn(coupled(random, 1200), sensors), sensors);
    let t = 1200 * SECOND;
    for (const row of coupled(random, 300)) d.step(row, (t += SECOND));
    expect(d.events.filter((e) => e.state === 'opened')).toEqual([]);
    for (const row of coupled(random, 300, true)) d.step(row, (t += SECOND));
    const opened = d.events.find((e) => e.state === 'opened');
    expect(opened).toMatchObject({ kind: 'correlation', sensors: { current: expect.any(Number), temperature: expect.any(Number) } });
  });
});
