import type { CliContext } from '../package-root.js';

export type { CliContext };

/** A subcommand of the one command line (src/app/cli.ts). */
export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** Runs with the arguments after the subcommand; resolves with the exit code. */
  run(argv: readonly string[], context: CliContext): Promise<number>;
}
