/**
 * Exports from the dashboard in Chromium against the headless app: an export shows its progress
 * and a cancel stops the server's read (its log says the export ended incomplete, /metrics that
 * none runs); a full one downloads a file equal to an independent read of the log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventToJson } from '../../src/main/events/download-event';
import { launchChromium, startHeadlessApp, type HeadlessApp } from '../support/headless-app';
import { ExportPanelPage } from '../support/dashboard-page';
import { readWholeLog } from '../support/export-fixture';
import { waitFor } from '../support/store-test-helpers';

const EVENTS = 40_000;
let app: HeadlessApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let exports: ExportPanelPage;

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const token = readFileSync(join(app.dataDir, 'api-token'), 'utf8').trim();
  return fetch(new URL(path, app.url), {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...init.headers },
  });
}

async function logEnd(): Promise<number> {
  const status = (await (await api('/api/pipeline/status')).json()) as {
    data: { log: { partitions: Array<{ endOffset: number }> } | null };
  };
  return (status.data.log?.partitions ?? []).reduce((sum, p) => sum + p.endOffset, 0);
}

async function exportsRunning(): Promise<number> {
  const text = await (await api('/metrics')).text();
  return Number(/^streampulse_exports_running (\d+)$/m.exec(text)?.[1] ?? NaN);
}

beforeAll(async () => {
  app = await startHeadlessApp(['--rate', '5000']);
  // Enough events that an export outlasts the socket buffers (~17 MB of JSON lines), then a
  // still log: the generator paused, so the download can be checked against the log.
  await waitFor('the log to hold enough events', async () => (await logEnd()) >= EVENTS, 60_000);
  expect((await api('/api/pipeline/pause', { method: 'POST' })).status).toBe(200);
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
  // The Blob path (a download event Playwright sees), not Chromium's save-file picker.
  await context.addInitScript('delete window.showSaveFilePicker;');
  page = await context.newPage();
  exports = new ExportPanelPage(page);
  await page.goto(app.url);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  expect(await app?.stop()).toBe(0);
});

describe('exports from the dashboard', () => {
  it('shows progress, and a cancel stops the server’s read', async () => {
    // A slow link, so the export is still running when it is cancelled.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: 256 * 1024,
      uploadThroughput: -1,
    });
    await exports.choose('Events (JSON lines)');
    await exports.start();
    await expect.poll(() => exports.rowsSoFar(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => exports.progressText().textContent()).toMatch(/ of ~[\d,]+ rows/);
    await exports.cancel();
    await expect
      .poll(() => exports.outcome().textContent(), { timeout: 10_000 })
      .toMatch(/^Cancelled after [\d,]+ rows; nothing was saved\.$/);
    await expect.poll(exportsRunning, { timeout: 10_000 }).toBe(0);
    // The server's own account: the export ended before its end, with the client gone.
    expect(app.output()).toMatch(/"msg":"export".*"complete":false/);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  });

  it('downloads a file equal to the log’s events in the range', async () => {
    await exports.choose('Events (JSON lines)');
    const range = await exports.range();
    const [download] = await Promise.all([page.waitForEvent('download'), exports.start()]);
    expect(download.suggestedFilename()).toMatch(/^events_.*\.jsonl$/);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    await expect
      .poll(() => exports.outcome().textContent(), { timeout: 10_000 })
      .toMatch(/^Saved events_.*\.jsonl: [\d,]+ rows/);

    const [from, to] = [Date.parse(range.from), Date.parse(range.to)];
    const expected = (
      await readWholeLog({
        kind: 'embedded',
        dataDir: app.dataDir,
        partitions: 3,
        partitioner: 'region',
      })
    ).filter((e) => e.event.eventTime >= from && e.event.eventTime < to);
    expect(expected.length).toBeGreaterThanOrEqual(EVENTS);
    expect(lines).toHaveLength(expected.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
      expected.map((e) =>
        JSON.parse(
          JSON.stringify({ partition: e.partition, offset: e.offset, ...eventToJson(e.event) }),
        ),
      ),
    );
  });
});
