import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../../src/app/config.js';
import { configTable, withConfigTable } from '../../../src/app/config-docs.js';

describe('configuration docs', () => {
  it('lists every variable with its default', () => {
    const table = configTable();
    for (const name of Object.keys(envSchema.shape)) expect(table).toContain(`| \`${name}\` |`);
    expect(table).toContain('| `MQTT_PORT` | `1883` |');
    expect(table).toContain('| `MQTT_URL` | (unset) |');
  });

  it('the README carries the current table (run npm run -s docs:config -- --write README.md)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});
