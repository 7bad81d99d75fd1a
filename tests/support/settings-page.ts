/**
 * The settings page as a page object: its sections, fields by their labels, Apply and Reset, the
 * connection tests, and what the page says about each field (its error, through aria-describedby).
 */
import type { Locator, Page } from 'playwright-core';

export type SettingsSectionName = 'Event log' | 'PostgreSQL' | 'Generator defaults' | 'Engine';

export class SettingsPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Opens `#/settings` directly and waits for the form. */
  async open(url: string): Promise<void> {
    await this.page.goto(new URL('#/settings', url).toString());
    await this.loaded();
  }

  /** Through the header's navigation, from any page. */
  async openFromHeader(): Promise<void> {
    await this.nav('Settings').click();
    await this.loaded();
  }

  async loaded(): Promise<void> {
    await this.page.getByRole('button', { name: 'Apply' }).waitFor();
  }

  nav(name: 'Dashboard' | 'Settings'): Locator {
    return this.page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name });
  }

  heading(): Locator {
    return this.page.getByRole('heading', { name: 'Settings', level: 2 });
  }

  section(name: SettingsSectionName): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  brokers(): Locator {
    return this.section('Event log').getByLabel('Brokers');
  }

  async useKafka(): Promise<void> {
    await this.section('Event log').getByLabel('Apache Kafka').check();
  }

  async setBrokers(text: string): Promise<void> {
    await this.brokers().fill(text);
  }

  async apply(): Promise<void> {
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  async reset(): Promise<void> {
    await this.page.getByRole('button', { name: 'Reset' }).click();
  }

  /** The form's state next to Apply: "Unsaved changes", "Applying…", "Not applied: …". */
  status(): Locator {
    return this.page.getByTestId('unsaved');
  }

  errorSummary(): Locator {
    return this.page.getByTestId('error-summary');
  }

  applied(): Locator {
    return this.page.getByTestId('applied');
  }

  /** The error text an input points at (aria-describedby), or null when it has none. */
  async fieldError(input: Locator): Promise<string | null> {
    const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    const errorId = ids.find((id) => id.endsWith('-error'));
    if (!errorId) return null;
    return this.page.locator(`[id="${errorId}"]`).textContent();
  }

  testButton(section: 'Event log' | 'PostgreSQL'): Locator {
    return this.section(section).getByRole('button', { name: /Test connection|Testing/ });
  }

  /** The live region next to a Test connection button. */
  testResult(kind: 'kafka' | 'postgres'): Locator {
    return this.page.locator(`#connection-test-${kind}`);
  }

  /** Which result it shows: 'ok', 'failed', 'error', or null (none yet, or testing). */
  async testOutcome(kind: 'kafka' | 'postgres'): Promise<string | null> {
    const result = this.testResult(kind).locator('[data-result]');
    return (await result.count()) === 0 ? null : result.first().getAttribute('data-result');
  }

  /** The header's database indicator (on every page). */
  databaseIndicator(): Locator {
    return this.page.getByTestId('database-indicator');
  }

  logIndicator(): Locator {
    return this.page.getByTestId('log-indicator');
  }

  /**
   * A screenshot of the whole page with Apply's sticky bar where it ends up when scrolled to the
   * bottom (a full-page capture would draw it across the middle).
   */
  async screenshotWhole(path: string): Promise<void> {
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 900 };
    const height = await this.page.evaluate<number>('document.documentElement.scrollHeight');
    await this.page.setViewportSize({ width: viewport.width, height });
    try {
      await this.page.screenshot({ path });
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }
}
