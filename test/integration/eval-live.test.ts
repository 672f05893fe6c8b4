/**
 * `eval:live` as a user runs it (issue 9, part 5), briefly: broker, worker and simulator in one process for a
 * few wall-clock seconds at 20x simulated time. Its stdout is the report: the table, then the JSON line last
 * (scripts read it with `tail -1`), and no log line after it or anywhere in it (logs go to stderr, even the
 * broker's lines while it closes).
 */
import { createResources } from '../helpers/mqtt.js';
import { runNode } from '../helpers/processes.js';

const EVAL_LIVE = ['--import', 'tsx', 'tools/eval/eval-live.ts'];

describe('eval:live, a short run', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when it runs, then stdout holds the report with the JSON line last, every reading sent is scored, and no log line is on stdout', async () => {
    const run = await runNode(resources, [...EVAL_LIVE, '--seconds', '4', '--devices', '4', '--anomaly-rate', '0.2'], { CI: 'true' }, 60_000);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((line) => line.includes('"level":'))).toEqual([]);
    expect(lines.some((line) => line.startsWith('false incidents / device-hour'))).toBe(true);
    const result = JSON.parse(lines.at(-1)!) as { sent: number; scored: number; devices: number; targets_met: unknown; incidents: Record<string, unknown> };
    expect(result).toMatchObject({ devices: 4, time_scale: 20 });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.scored).toBe(result.sent);
    expect(typeof result.targets_met).toBe('boolean');
    expect(result.incidents).toEqual(
      expect.objectContaining({ episodes: expect.any(Number), false_incidents_per_device_hour: expect.any(Number), f1: expect.any(Number), recall_by_kind: expect.any(Object) }),
    );
  }, 60_000);
});
