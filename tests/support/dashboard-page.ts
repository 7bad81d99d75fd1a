/**
 * The dashboard as a page object: what a user reads (cards, alerts, the banner) and does (inject
 * failures, acknowledge, set the rate), through labels and roles, plus in-page layout checks.
 */
import type { Locator, Page } from 'playwright-core';

export class DashboardPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  panel(name: string): Locator {
    return this.page.locator(`[data-panel="${name}"]`);
  }

  /** A stats card's value as a number ("1,234" → 1234, "499/s" → 499, "92.3%" → 92.3). */
  async cardNumber(label: string): Promise<number> {
    const value = this.page.locator('.card', { hasText: label }).locator('.card-value');
    if ((await value.count()) === 0) return Number.NaN;
    const text = (await value.first().textContent()) ?? '';
    const number = Number(text.replace(/[^0-9.]/g, ''));
    return text.trim() === '' ? Number.NaN : number;
  }

  downloads(minutes = 5): Promise<number> {
    return this.cardNumber(`Downloads (${minutes} min)`);
  }

  eventsPerSecond(): Promise<number> {
    return this.cardNumber('Events/s now');
  }

  alert(type: string, region: string): Locator {
    return this.panel('alerts').locator(`li[data-alert-type="${type}"][data-region="${region}"]`);
  }

  /** Failure injection through the form: a region, failed and slow in %, a duration in s. */
  async injectIntoRegion(
    region: string,
    failedPercent: number,
    slowPercent = 0,
    durationSeconds = 300,
  ): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Inject failures' });
    await form.getByLabel('Target').selectOption('region');
    await form.getByLabel('Region').selectOption(region);
    await form.getByLabel('Failed %').fill(String(failedPercent));
    await form.getByLabel('Slow %').fill(String(slowPercent));
    await form.getByLabel('Duration (s)').fill(String(durationSeconds));
    await form.getByRole('button', { name: 'Inject' }).click();
  }

  activeInjections(): Locator {
    return this.page.getByRole('list', { name: 'Active injections' }).locator('li');
  }

  async clearInjections(): Promise<void> {
    await this.panel('injection').getByRole('button', { name: 'Clear all' }).click();
  }

  /** Types a rate into the labelled number input and applies it with Enter. */
  async setRate(perSecond: number): Promise<void> {
    const input = this.page
      .getByRole('form', { name: 'Event rate' })
      .getByLabel('Events per second');
    await input.fill(String(perSecond));
    await input.press('Enter');
  }

  banner(): Locator {
    return this.page.locator('[data-testid="unreachable-banner"]');
  }

  /**
   * Layout problems at the current width: horizontal scroll, overlapping panels, and elements
   * sticking out of their panel. An empty list: none.
   */
  layoutProblems(): Promise<string[]> {
    return this.page.evaluate<string[]>(`(${LAYOUT_CHECK})()`);
  }

  /**
   * Whether every chart fits its panel (the charts redraw after a resize, each on its own
   * schedule: under load one can lag seconds behind the others, and the page scrolls sideways
   * until it has redrawn).
   */
  chartFits(): Promise<boolean> {
    return this.page.evaluate<boolean>(`(() => {
      const panel = document.querySelector('[data-panel="timeseries"]');
      if (!panel || !panel.querySelector('svg.recharts-surface')) return false;
      return [...document.querySelectorAll('svg.recharts-surface')].every((svg) => {
        const box = svg.closest('.panel');
        return !box || svg.getBoundingClientRect().width <= box.getBoundingClientRect().width;
      });
    })()`);
  }
}

/**
 * The layout check, run in the page (as source text: the tests compile without the DOM's types).
 * Plain JavaScript: no types below.
 */
const LAYOUT_CHECK = String.raw`() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth)
    problems.push('horizontal scroll: ' + root.scrollWidth + ' > ' + window.innerWidth);
  const name = (el) => {
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.')
      : '';
    const panel = el.getAttribute('data-panel');
    return el.tagName.toLowerCase() + classes + (panel ? '[' + panel + ']' : '');
  };
  const panels = [...document.querySelectorAll('.page-header, .banner, .cards, .panel')];
  const boxes = panels.map((p) => p.getBoundingClientRect());
  for (let i = 0; i < panels.length; i++)
    for (let j = i + 1; j < panels.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap =
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      if (overlap) problems.push(name(panels[i]) + ' overlaps ' + name(panels[j]));
    }
  panels.forEach((panel, i) => {
    const box = boxes[i];
    for (const el of panel.querySelectorAll('*')) {
      if (el.closest('.sr-only, .recharts-tooltip-wrapper')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Inside a scrolling list, items below the fold are meant to be out of view.
      const scrolled = el.parentElement && el.parentElement.closest('.alerts');
      const outX = r.left < box.left - 1 || r.right > box.right + 1;
      const outY = !scrolled && (r.top < box.top - 1 || r.bottom > box.bottom + 1);
      if (outX || outY)
        problems.push(
          name(el) + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ' x ' +
            Math.round(r.top) + '..' + Math.round(r.bottom) + '] out of ' + name(panel),
        );
    }
  });
  return problems;
}`;

/** The export panel: pick what and a range, start, follow the progress, cancel. */
export class ExportPanelPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  form(): Locator {
    return this.page.getByRole('form', { name: 'Export' });
  }

  async choose(label: string): Promise<void> {
    await this.form().getByLabel('What').selectOption({ label });
  }

  /** The range the form holds now, as ISO (the page's own reading of its local inputs). */
  async range(): Promise<{ from: string; to: string }> {
    const value = (name: string) => this.form().getByLabel(name, { exact: true }).inputValue();
    const [from, to] = [await value('From'), await value('To')];
    return this.page.evaluate(
      ([f, t]) => ({ from: new Date(f!).toISOString(), to: new Date(t!).toISOString() }),
      [from, to],
    );
  }

  async start(): Promise<void> {
    await this.form().getByRole('button', { name: 'Export' }).click();
  }

  async cancel(): Promise<void> {
    await this.form().getByRole('button', { name: 'Cancel' }).click();
  }

  /** Rows received so far, from the progress bar (0 before it shows). */
  async rowsSoFar(): Promise<number> {
    const bar = this.page.getByLabel('Export progress');
    if ((await bar.count()) === 0) return 0;
    return Number(await bar.getAttribute('data-rows'));
  }

  progressText(): Locator {
    return this.page.getByTestId('export-progress');
  }

  outcome(): Locator {
    return this.form().locator('p[role="status"]');
  }
}
