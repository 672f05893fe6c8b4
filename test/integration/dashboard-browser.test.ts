/**
 * The live dashboard in a real browser: the pipeline on free ports, the page
 * in headless Chromium, readings drawn, a fault injected and explained, the
 * broker restarted under the page. Screenshots land in test-artifacts/dashboard/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBroker, type EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import { loadConfig } from '../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildDashboard, chromiumMissing, openBrowser, screenshot } from '../helpers/browser.js';
import { connectClient, createResources, waitForMessage } from '../helpers/mqtt.js';
import { writeFileSync } from 'node:fs';
import { tempDir, writeTestUsers } from '../helpers/broker-auth.js';
import { freePort } from '../helpers/processes.js';
import { STATIONARY_SIMULATION } from '../helpers/settings.js';

/** What the callbacks run in the page use of the DOM (tests compile without the DOM library). */
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  readonly open?: boolean;
}
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<unknown> };

const missing = chromiumMissing();
if (missing !== undefined) console.warn(missing);
const describeInBrowser = missing === undefined ? describe : describe.skip;

const WAIT_MS = 15_000;

describeInBrowser('the live dashboard in Chromium', () => {
  const resources = createResources();
  let dashboardDir: string;

  beforeAll(async () => {
    dashboardDir = await mkdtemp(join(tmpdir(), 'dashboard-build-'));
    buildDashboard(dashboardDir);
  }, 60_000);
  afterAll(() => rm(dashboardDir, { recursive: true, force: true }));
  afterEach(() => resources.closeAll());

  async function broker(port = 0, wsPort = 0): Promise<EmbeddedBroker> {
    const b = await startBroker({ host: '127.0.0.1', port, wsPort, logger: silentLogger() });
    return resources.add(b, (x) => x.close());
  }

  async function pipelineOn(b: EmbeddedBroker): Promise<Pipeline> {
    const config = loadConfig({
      MQTT_URL: b.url,
      DASHBOARD_MQTT_URL: b.wsUrl,
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_DEVICES: '6',
      SIMULATOR_RATE: '4',
      // Only the fault this test injects, so it knows what the page must show.
      SIMULATOR_ANOMALY_RATE: '0',
      ...STATIONARY_SIMULATION,
    });
    const pipeline = await startPipeline(config, silentLogger(), { broker: false, worker: true, simulator: true }, { dashboardDir });
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  const connection = (page: Page, state: string) =>
    page.waitForFunction((s) => document.getElementById('connection')?.dataset.state === s, state, { timeout: WAIT_MS });
  const pointsDrawn = (page: Page, atLeast: number) =>
    page.waitForFunction((n) => Number(document.getElementById('chart-score')?.dataset.points ?? 0) >= n, atLeast, { timeout: WAIT_MS });
  const readingsShown = (page: Page) => page.evaluate(() => Number(document.getElementById('detail-seen')?.textContent?.match(/(\d+) readings/)?.[1] ?? 0));

  it('when the pipeline runs, then the page draws readings, explains an injected fault and its incident, and recovers from a broker restart', async () => {
    const first = await broker();
    const pipeline = await pipelineOn(first);
    const devices = pipeline.simulator!.devices.map((d) => d.id);
    const faulty = devices[0]!;
    const { page } = await openBrowser(resources);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${pipeline.http!.url}/#device=${encodeURIComponent(faulty)}`);
    await connection(page, 'connected');
    await page.waitForFunction(() => document.getElementById('worker')?.dataset.state === 'online', undefined, { timeout: WAIT_MS });
    await pointsDrawn(page, 8);
    await page.waitForFunction((n) => document.querySelectorAll('#device-list li[data-device]').length === n, devices.length, { timeout: WAIT_MS });
    expect(await page.textContent('#detail-title')).toBe(faulty);
    // One chart per configured sensor, each with the readings drawn.
    expect(await page.$$eval('#sensor-charts .chart', (charts) => charts.map((c) => (c as unknown as PageElement).dataset.field))).toEqual(['temperature', 'humidity', 'sound']);
    expect(Number(await page.getAttribute('#sensor-charts .chart[data-field="temperature"]', 'data-points'))).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'dashboard', '1-live');

    // A sensor fault: the temperature far out for a few readings.
    const sensor = await connectClient(resources, first.url);
    sensor.on('error', () => undefined);
    await sensor.subscribeAsync(['factory/anomalies', 'factory/incidents'], { qos: 1 });
    const flagged = waitForMessage(sensor, 'factory/anomalies', (m) => JSON.parse(m.payload.toString()).device === faulty);
    const opened = waitForMessage(sensor, 'factory/incidents', (m) => {
      const event = JSON.parse(m.payload.toString());
      return event.device === faulty && event.state === 'opened';
    });
    for (let i = 0; i < 3; i++) await sensor.publishAsync(`factory/sensors/${faulty}`, JSON.stringify({ temperature: 95 + i, humidity: 50, sound: 60 }), { qos: 1 });
    const anomaly = JSON.parse((await flagged).payload.toString());
    await page.waitForFunction(() => /Last anomaly.*temperature/.test(document.getElementById('detail-why')?.textContent ?? ''), undefined, { timeout: WAIT_MS });
    expect(await page.getAttribute(`#device-list li[data-device="${faulty}"]`, 'data-state')).toMatch(/anomaly|incident/);

    // The incident the worker opened for it, with its explanation (which sensors, how far).
    expect(anomaly.prediction.explanation.temperature).toBeGreaterThan(0.5);
    const incident = JSON.parse((await opened).payload.toString()) as { incident_id: string; sensors: Record<string, number> };
    const card = `#open-incidents li[data-incident-id="${incident.incident_id}"]`;
    await page.waitForSelector(card, { timeout: WAIT_MS });
    const cardText = await page.textContent(card);
    expect(cardText).toContain(faulty);
    expect(cardText).toContain('temperature');
    expect(cardText).toContain(`${Math.round(incident.sensors.temperature! * 100)} %`);
    expect(await page.textContent('#total-incidents')).toBe('1');
    await screenshot(page, 'dashboard', '2-incident');

    // The broker goes away: the page says so and keeps what it had.
    const before = await readingsShown(page);
    await first.close();
    await connection(page, 'disconnected');
    expect(await page.isVisible('#banner')).toBe(true);
    expect(await page.textContent('#banner')).toContain('Disconnected from the broker');
    await screenshot(page, 'dashboard', '3-disconnected');

    // A new broker on the same ports: page, worker and simulator reconnect, and new readings are drawn.
    await broker(first.port, first.wsPort);
    await connection(page, 'connected');
    await page.waitForFunction((n) => Number(document.getElementById('detail-seen')?.textContent?.match(/(\d+) readings/)?.[1] ?? 0) > n + 3, before, { timeout: WAIT_MS });
    expect(await page.isVisible('#banner')).toBe(false);
    await screenshot(page, 'dashboard', '4-recovered');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('when the broker has a users file and a sensor set of its own, then the page serves no password, asks for a viewer login, refuses a wrong one and charts every configured sensor with the right one', async () => {
    const dir = tempDir(resources);
    const { file, users } = await writeTestUsers(dir, { plant: 'admin', wall: 'viewer' });
    // A water pump's sensors, not the demo's three.
    const schema = join(dir, 'sensors.json');
    const pump = [
      { name: 'vibration_rms', unit: 'mm/s', simulate: { base: 2.1, variation: 0.2 } },
      { name: 'motor_current', unit: 'A', simulate: { base: 14, variation: 0.5 } },
      { name: 'pressure', unit: 'bar', simulate: { base: 6.2, variation: 0.1 } },
      { name: 'fluid_temp', unit: '°C', simulate: { base: 41, variation: 0.8 } },
    ];
    writeFileSync(schema, JSON.stringify({ sensors: pump }));
    const config = loadConfig({
      SENSOR_SCHEMA: schema,
      MQTT_PORT: '0',
      MQTT_WS_PORT: String(await freePort()),
      MQTT_AUTH_FILE: file,
      MQTT_USERNAME: 'plant',
      MQTT_PASSWORD: users.plant!.password,
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_DEVICES: '3',
      SIMULATOR_RATE: '4',
    });
    const pipeline = await startPipeline(config, silentLogger(), { broker: true, worker: true, simulator: true }, { dashboardDir });
    resources.add(pipeline, (p) => p.shutdown.run('test over'));
    const settings = await (await fetch(`${pipeline.http!.url}/dashboard/config.json`)).text();
    expect(JSON.parse(settings)).toMatchObject({ login: 'required', mqtt: { port: pipeline.broker!.wsPort } });
    expect(settings).not.toContain(users.plant!.password);

    const { page } = await openBrowser(resources);
    await page.goto(`${pipeline.http!.url}/`);
    await page.waitForSelector('#login[open]', { timeout: WAIT_MS });
    await screenshot(page, 'dashboard', '5-login');
    await page.fill('#login-user', 'wall');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => /refused/.test(document.getElementById('login-reason')?.textContent ?? '') && document.getElementById('login')?.open === true, undefined, { timeout: WAIT_MS });

    await page.fill('#login-user', 'wall');
    await page.fill('#login-password', users.wall!.password);
    await page.click('#login button[type=submit]');
    await connection(page, 'connected');
    await pointsDrawn(page, 4);
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.$$eval('#sensor-charts .chart', (charts) => charts.map((c) => (c as unknown as PageElement).dataset.field))).toEqual(pump.map((f) => f.name));
    expect(await page.textContent('#sensor-charts')).toContain('motor current (A)');
    await screenshot(page, 'dashboard', '6-pump-sensors');
    // Kept for this tab only (not asked to remember): a reload reconnects without asking.
    await page.reload();
    await connection(page, 'connected');
    expect(await page.isVisible('#login')).toBe(false);
  }, 60_000);
});
