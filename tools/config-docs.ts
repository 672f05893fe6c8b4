import { readFileSync, writeFileSync } from 'node:fs';
import { configTable, withConfigTable } from '../src/app/config-docs.js';

/** Prints the configuration table, or with `--write README.md` refreshes it in place. */
function main(args: string[]): void {
  if (args.includes('--help')) {
    process.stdout.write('Usage: npm run -s docs:config [-- --write README.md]\nPrints the configuration table, or refreshes it in the file between its markers.\n');
    return;
  }
  const at = args.indexOf('--write');
  if (at < 0) {
    process.stdout.write(`${configTable()}\n`);
    return;
  }
  const file = args[at + 1];
  if (!file) throw new Error('--write needs a file name');
  writeFileSync(file, withConfigTable(readFileSync(file, 'utf8')));
  process.stdout.write(`updated the configuration table in ${file}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`config-docs: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
