/**
 * The page in a real browser (Debian's Chromium) against the headless app: live data over SSE,
 * and a control call with the page's token changes the pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, startHeadlessApp, type HeadlessApp } from '../support/headless-app';

let app: HeadlessApp;
let browser: Browser;

beforeAll(async () => {
  app = await startHeadlessApp(['--rate', '200', '--window', '2s']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  expect(await app?.stop()).toBe(0);
});

describe('the page in Chromium', () => {
  it('shows non-zero live figures within seconds', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url);
    const downloads = page
      .locator('.card', { hasText: 'Downloads (5 min)' })
      .locator('.card-value');
    await expect
      .poll(async () => Number((await downloads.textContent())?.replace(/,/g, '') ?? 0), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await expect.poll(async () => page.locator('tbody tr').count(), { timeout: 5000 }).toBe(3);
    await page.screenshot({ path: '.tmp/screenshots/page-live.png' });
    await page.close();
  });

  it('sends a mutating call with the token the page was served with', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const token = await page.locator('meta[name="streampulse-token"]').getAttribute('content');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    // The page's own fetch: same origin, so CORS and the Origin check let it through.
    const answer = await page.evaluate(async (bearer) => {
      const response = await fetch('/api/control/rate', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ ratePerSecond: 42 }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    }, token);
    expect(answer).toMatchObject({ status: 200, body: { data: { ratePerSecond: 42 } } });
    await page.close();
  });
});
