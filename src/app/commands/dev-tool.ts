/**
 * `eval` and `bench` run measuring tools that live in tools/, outside the
 * runtime build: in a development checkout they run through tsx; the runtime
 * image does not carry them, and says so.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_FAILURE } from '../exit-codes.js';
import type { Command } from './command.js';

export function devTool(summary: string, scripts: Readonly<Record<string, string>>, fallback: string): Command {
  return {
    summary,
    run(argv, context) {
      const root = context.packageRoot;
      const [first, ...rest] = argv;
      const chosen = first !== undefined && scripts[first] !== undefined ? { script: scripts[first]!, args: rest } : { script: fallback, args: [...argv] };
      const tsx = join(root, 'node_modules', 'tsx');
      const script = join(root, chosen.script);
      if (!existsSync(tsx) || !existsSync(script)) {
        console.error(`${chosen.script} is a development tool: it runs from a checkout with dev dependencies (npm ci), not from the runtime image.`);
        return Promise.resolve(EXIT_FAILURE);
      }
      return new Promise((resolve) => {
        // tsx as a loader of this very node rather than its CLI, which would start a second node: half the start-up time.
        const child = spawn(process.execPath, ['--import', 'tsx', script, ...chosen.args], { stdio: 'inherit', cwd: root });
        // The child gets the terminal's signals itself; this process only waits for it.
        const ignore = () => undefined;
        process.on('SIGINT', ignore);
        child.on('exit', (code, signal) => {
          process.off('SIGINT', ignore);
          resolve(code ?? (signal ? 128 + 2 : EXIT_FAILURE));
        });
      });
    },
  };
}
