import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerOptions } from '../../../src/app/broker-options.js';
import { envSchema, loadConfig } from '../../../src/app/config.js';
import { CONFIG_DOCS_START, configTable, withConfigTable } from '../../../src/app/config-docs.js';
import { silentLogger } from '../../../src/support/logger.js';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('configuration docs', () => {
  it('lists every variable with its default', () => {
    const table = configTable();
    for (const name of Object.keys(envSchema.shape)) expect(table).toContain(`| \`${name}\` |`);
    expect(table).toContain('| `MQTT_PORT` | `1883` |');
    expect(table).toContain('| `MQTT_URL` | (unset) |');
  });

  it('the README carries the current table (run npm run -s docs:config -- --write README.md)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});

describe('what port 0 means', () => {
  const ports = Object.entries(envSchema.shape).filter(([name]) => name.endsWith('_PORT'));
  const picks = ports.filter(([, field]) => /\b0 picks a free port\b/.test(field.description ?? '')).map(([name]) => name);

  it('when a port variable is described, then the description says what 0 does: picks a free port, or disables the listener', () => {
    const silent = ports.filter(([, field]) => !/\b0 picks a free port\b|\b0 or empty disables\b/.test(field.description ?? ''));
    expect(silent.map(([name]) => name)).toEqual([]);
    expect(picks).toEqual(expect.arrayContaining(['MQTT_PORT', 'HTTP_PORT', 'MQTT_TLS_PORT']));
    expect(picks).not.toContain('MQTT_WS_PORT');
  });

  it('when MQTT_WS_PORT is 0, then the WebSocket listener is off, while MQTT_PORT and HTTP_PORT 0 reach listen() as 0 (a free port)', () => {
    const config = loadConfig({ MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0' });
    const broker = brokerOptions(config, silentLogger());
    expect({ port: broker.port, wsPort: broker.wsPort, http: config.http.port }).toEqual({ port: 0, wsPort: undefined, http: 0 });
  });

  it("when the README's configuration section says what port 0 does, then it names the ports where 0 picks one and says MQTT_WS_PORT=0 disables", () => {
    const readme = readFileSync(README, 'utf8');
    const prose = readme.slice(readme.indexOf('## Configuration'), readme.indexOf(CONFIG_DOCS_START));
    const sentence = /[^.]*Port `0`[^.]*\./.exec(prose)?.[0] ?? '';
    for (const name of picks) expect(sentence).toContain(`\`${name}\``);
    expect(prose).toMatch(/`MQTT_WS_PORT=0` disables the WebSocket listener/);
  });
});
