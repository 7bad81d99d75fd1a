/**
 * The dashboard while the database is down (issue #7): the app starts anyway, the dashboard says
 * the database is unreachable and that events keep accumulating (not that the backend is away),
 * and when the database comes, the notice goes and the figures fill in.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/logger';
import { EmbeddedPostgresServer } from '../../src/main/store/embedded-postgres-server';
import { DashboardPage } from '../support/dashboard-page';
import { launchChromium, startHeadlessApp, type HeadlessApp } from '../support/headless-app';

describe('the dashboard with the database down at start', () => {
  let databaseDir: string;
  let database: EmbeddedPostgresServer;
  let app: HeadlessApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A "remote" database: started once for its URL, then stopped until the test brings it up.
    databaseDir = mkdtempSync(join(tmpdir(), 'sp-db-down-'));
    chmodSync(databaseDir, 0o755);
    const first = new EmbeddedPostgresServer({
      dataDir: databaseDir,
      port: 0,
      logger: silentLogger,
    });
    await first.start();
    const url = first.connectionUrl;
    await first.stop();
    database = new EmbeddedPostgresServer({
      dataDir: databaseDir,
      port: Number(new URL(url).port),
      portAttempts: 1,
      logger: silentLogger,
    });
    app = await startHeadlessApp(['--rate', '500', '--window', '2s'], {
      env: { DATABASE_URL: url },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    expect(await app?.stop()).toBe(0);
    await database?.stop();
    rmSync(databaseDir, { recursive: true, force: true });
  });

  it('says the database is unreachable, not the backend, while events accumulate', async () => {
    const dashboard = new DashboardPage(page);
    await dashboard.open(app.url);
    const notice = page.getByTestId('database-notice');
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toMatch(/unreachable/i);
    expect(await notice.textContent()).toMatch(/accumulating in the event log/);
    expect(await page.getByTestId('database-indicator').getAttribute('data-state')).toBe(
      'unreachable',
    );
    expect(await page.getByTestId('unreachable-banner').count()).toBe(0);
    // The generator does not wait: the pipeline view counts produced events.
    await expect.poll(() => dashboard.eventsPerSecond(), { timeout: 15_000 }).toBeGreaterThan(0);
  }, 60_000);

  it('clears the notice and shows data once the database is back', async () => {
    await database.start();
    const dashboard = new DashboardPage(page);
    await expect
      .poll(() => page.getByTestId('database-indicator').getAttribute('data-state'), {
        timeout: 60_000,
      })
      .toBe('up');
    expect(await page.getByTestId('database-notice').count()).toBe(0);
    await expect.poll(() => dashboard.downloads(), { timeout: 30_000 }).toBeGreaterThan(0);
  }, 120_000);
});
