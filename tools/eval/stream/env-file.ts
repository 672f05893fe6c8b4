import { readFileSync } from 'node:fs';

/** KEY=VALUE lines, `#` comments: the settings a benchmark profile fixes. */
export function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      const eq = text.indexOf('=');
      if (eq <= 0) throw new Error(`${path}:${i + 1}: expected KEY=VALUE`);
      out[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
    });
  return out;
}
