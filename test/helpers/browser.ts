/**
 * Headless Chromium for tests that look at the dashboard as a person would:
 * Debian's /usr/bin/chromium (.ci/run installs it) driven by playwright-core,
 * with a fresh profile per browser and no network of its own (no updates,
 * sync or QUIC). Screenshots go to test-artifacts/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Resources } from './mqtt.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Why browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium; .ci/run does it): the browser tests are skipped`;
}

export async function openBrowser(resources: Resources, viewport = { width: 1920, height: 1080 }): Promise<{ context: BrowserContext; page: Page }> {
  const profile = await mkdtemp(join(tmpdir(), 'dashboard-profile-'));
  resources.add(profile, (dir) => rm(dir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  resources.add(context, (c) => c.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Saves a full-page screenshot under test-artifacts/<folder>/<name>.png and returns its path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS, folder);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Bundles the dashboard's current sources into `dir` (what the test looks at is what the tree holds). */
export function buildDashboard(dir: string): void {
  const result = spawnSync(process.execPath, ['web/build.mjs', '--out', dir], { cwd: process.cwd(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`web/build.mjs failed:\n${result.stderr}`);
}
