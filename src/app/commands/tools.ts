/** The measuring tools (tools/), reachable from the one command line in a development checkout. */
import { devTool } from './dev-tool.js';

export const evaluate = devTool(
  'Detection quality: `eval odds --data <csv>` (default), `eval stream --protocol skab|nab ...`, `eval live` (5 minutes: incidents against fault episodes).',
  { odds: 'tools/eval/eval.ts', stream: 'tools/eval/eval-stream.ts', live: 'tools/eval/eval-live.ts' },
  'tools/eval/eval.ts',
);

export const bench = devTool('Throughput and latency benchmarks (`bench --help`).', {}, 'tools/bench/main.ts');
