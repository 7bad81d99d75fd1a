/**
 * The settings page in Debian's Chromium against the headless app, with a real local Kafka broker:
 * the header's link and the `#/settings` route (reload, Back); an invalid broker list refused next
 * to its field with nothing applied; "Test connection" to the broker's PLAINTEXT port; an applied
 * change; the dashboard's database and log indicator; the layout at phone, tablet and desktop
 * widths (screenshots: docs/screenshots/ when UPDATE_DOCS_SCREENSHOTS=1, else .tmp/).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SettingsView } from '../../src/shared/settings';
import { launchChromium, startHeadlessApp, type HeadlessApp } from '../support/headless-app';
import { DashboardPage } from '../support/dashboard-page';
import { KAFKA_VERSIONS, startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';
import { SettingsPage } from '../support/settings-page';

/** On a cold cache, starting the broker includes downloading its jars with Maven. */
const BROKER_START_TIMEOUT = 300_000;

let broker: KafkaBroker;
let app: HeadlessApp;
let browser: Browser;
let page: Page;
let settings: SettingsPage;

beforeAll(async () => {
  [broker, app] = await Promise.all([
    startKafkaBroker({ version: KAFKA_VERSIONS.at(-1)! }),
    startHeadlessApp(['--rate', '200', '--window', '2s']),
  ]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  settings = new SettingsPage(page);
}, BROKER_START_TIMEOUT);
afterAll(async () => {
  await browser?.close();
  const code = await app?.stop();
  await broker?.destroy();
  expect(code).toBe(0);
});

/** The settings as the server has them (a GET needs no token). */
async function savedSettings(): Promise<SettingsView> {
  const response = await fetch(new URL('/api/settings', app.url));
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: SettingsView }).data;
}

describe('the settings page in Chromium', () => {
  it('opens from the header, keeps its route on reload, and Back returns to the dashboard', async () => {
    await page.goto(app.url);
    await settings.openFromHeader();
    expect(new URL(page.url()).hash).toBe('#/settings');
    expect(await settings.nav('Settings').getAttribute('aria-current')).toBe('page');
    await expect
      .poll(() => page.evaluate<string>('document.activeElement.id'))
      .toBe('settings-title');

    await page.reload();
    await settings.loaded();
    expect(await settings.heading().count()).toBe(1);

    await page.goBack();
    await page.locator('[data-panel="pipeline"]').waitFor();
    expect(await settings.heading().count()).toBe(0);
    expect(await settings.nav('Dashboard').getAttribute('aria-current')).toBe('page');
    await page.goForward();
    await settings.loaded();
  });

  it('refuses an invalid broker list next to the brokers field, and applies nothing', async () => {
    const before = await savedSettings();
    await settings.open(app.url);
    await settings.useKafka();
    for (const [text, named] of [
      ['localhost', '"localhost" has no port'],
      ['a b:1', '"a b:1" contains spaces'],
    ] as const) {
      await settings.setBrokers(text);
      await settings.apply();
      await expect.poll(() => settings.brokers().getAttribute('aria-invalid')).toBe('true');
      expect(await settings.fieldError(settings.brokers())).toContain(named);
      expect(await settings.errorSummary().textContent()).toContain('Kafka brokers');
      expect(await settings.status().textContent()).toContain('Not applied');
    }
    // The summary takes the focus, and its link takes it to the field.
    await expect
      .poll(() => page.evaluate<string>('document.activeElement.dataset.testid ?? ""'))
      .toBe('error-summary');
    await settings.errorSummary().getByRole('button', { name: 'Kafka brokers' }).click();
    await expect
      .poll(() => page.evaluate<string>('document.activeElement.id'))
      .toBe('setting-log-kafka-brokers');

    const after = await savedSettings();
    expect(after.settings).toEqual(before.settings);
    expect(after.settings.log.backend).toBe('embedded');

    await settings.reset();
    expect(await settings.errorSummary().count()).toBe(0);
    expect(await settings.brokers().getAttribute('aria-invalid')).toBe('false');
    expect(await settings.status().textContent()).toBe('No unsaved changes');
  });

  it('tests the Kafka connection of the unsaved form: the local broker’s PLAINTEXT port works', async () => {
    await settings.open(app.url);
    await settings.setBrokers(broker.plaintext);
    await settings.testButton('Event log').click();
    await expect
      .poll(() => settings.testOutcome('kafka'), { timeout: 30_000, interval: 250 })
      .not.toBeNull();
    const outcome = await settings.testOutcome('kafka');
    const text = await settings.testResult('kafka').textContent();
    expect(outcome, text ?? '').toBe('ok');
    expect(text).toContain('Connected');
    expect(await settings.testResult('kafka').getAttribute('aria-live')).toBe('polite');
    expect(await settings.testButton('Event log').textContent()).toBe('Test connection');

    // A test saves nothing.
    expect((await savedSettings()).settings.log.kafka.brokers).not.toContain(broker.plaintext);
    await settings.reset();
  });

  it('applies a change and says what was applied', async () => {
    await settings.open(app.url);
    await settings.section('Generator defaults').getByLabel('Seed').fill('settings-e2e');
    expect(await settings.status().textContent()).toContain('Unsaved changes');
    await settings.apply();
    await settings.applied().waitFor({ timeout: 30_000 });
    expect(await settings.applied().textContent()).toContain('Seed');
    expect((await savedSettings()).settings.generator.seed).toBe('settings-e2e');
    expect(await settings.status().textContent()).toContain('Applied');
  });

  it('shows on the dashboard which database and which event log are in use', async () => {
    await settings.nav('Dashboard').click();
    await expect
      .poll(() => settings.databaseIndicator().getAttribute('data-kind'), { timeout: 10_000 })
      .toBe('embedded');
    expect(await settings.databaseIndicator().textContent()).toContain('embedded');
    expect(await settings.databaseIndicator().getAttribute('data-state')).toBe('up');
    expect(await settings.logIndicator().getAttribute('data-kind')).toBe('embedded');
    expect(await page.getByTestId('database-notice').count()).toBe(0);
  });

  it('lays out at 375, 800 and 1280 px without scroll, overlap or clipping', async () => {
    const dir = process.env.UPDATE_DOCS_SCREENSHOTS ? 'docs/screenshots' : '.tmp/screenshots';
    mkdirSync(dir, { recursive: true });
    await settings.open(app.url);
    // The page mid-edit: the local broker typed in and tried, not yet applied.
    await settings.setBrokers(broker.plaintext);
    await settings.testButton('Event log').click();
    await expect
      .poll(() => settings.testOutcome('kafka'), { timeout: 30_000, interval: 250 })
      .toBe('ok');
    const layout = new DashboardPage(page);
    for (const width of [375, 800, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await layout.layoutProblems()).toEqual([]);
      if (width !== 800) await settings.screenshotWhole(`${dir}/settings-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await settings.reset();
  });
});
