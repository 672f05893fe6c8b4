/**
 * The one command line: `factory-anomaly <command> [options]` (package.json
 * `bin`; every `npm run` script goes through it). Commands are loaded only
 * when chosen, so `--help` answers without starting anything heavy.
 * Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
 */
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes.js';
import { dirname } from 'node:path';
import type { Command } from './commands/command.js';
import { findPackageRoot, type CliContext } from './package-root.js';

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command> }>> = {
  start: { summary: 'broker, worker, HTTP sidecar and simulator in one process', load: async () => (await import('./commands/pipeline.js')).start },
  broker: { summary: 'the embedded MQTT broker alone', load: async () => (await import('./commands/broker.js')).broker },
  worker: { summary: 'the worker and its HTTP sidecar, against MQTT_URL', load: async () => (await import('./commands/pipeline.js')).worker },
  simulate: { summary: 'simulated sensors with injected faults', load: async () => (await import('./commands/simulate.js')).simulate },
  replay: { summary: 'publish recorded rows (CSV) as readings, at their pace or faster', load: async () => (await import('./commands/replay.js')).replay },
  train: { summary: 'train a model file from a CSV of readings', load: async () => (await import('./commands/train.js')).train },
  users: { summary: "edit the broker's users file", load: async () => (await import('./commands/users.js')).users },
  eval: { summary: 'detection quality: odds | stream | live (development tool)', load: async () => (await import('./commands/tools.js')).evaluate },
  bench: { summary: 'throughput and latency benchmarks (development tool)', load: async () => (await import('./commands/tools.js')).bench },
};

export function cliUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: factory-anomaly <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun factory-anomaly <command> --help for a command's options.`;
}

/** `context` says where the package is (the launcher knows); by default, above the working directory. */
export async function runCli(argv: readonly string[], context: CliContext = { packageRoot: findPackageRoot(process.cwd()) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    console.log(cliUsage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    console.error(`factory-anomaly: unknown command ${JSON.stringify(name)}\n\n${cliUsage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await entry.load()).run(rest, context);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${name}: ${err.message}\nRun factory-anomaly ${name} --help for usage.`);
      return EXIT_USAGE;
    }
    console.error(`${name}: unexpected error`, err);
    return EXIT_FAILURE;
  }
}

// Run when executed, not when imported (tests import runCli).
if (process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2), { packageRoot: findPackageRoot(dirname(process.argv[1])) }).then((code) => process.exit(code));
}
