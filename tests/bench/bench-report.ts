/** Collects benchmark figures, prints them and writes them to .tmp/bench/<name>.json for docs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

export class BenchReport {
  private readonly figures: Figure[] = [];

  constructor(private readonly name: string) {}

  add(name: string, value: number, unit: string, note?: string): void {
    this.figures.push({ name, value, unit, note });
  }

  write(): void {
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
    const lines = [`\n== ${this.name} (${new Date().toISOString()}; ${machine})`];
    for (const f of this.figures) {
      const value =
        f.value >= 100 ? Math.round(f.value).toLocaleString('en-US') : f.value.toFixed(3);
      lines.push(
        `  ${f.name.padEnd(52)} ${value.padStart(14)} ${f.unit}${f.note ? `  (${f.note})` : ''}`,
      );
    }
    console.log(lines.join('\n'));
    const dir = join(process.cwd(), '.tmp', 'bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${this.name}.json`),
      JSON.stringify({ at: new Date().toISOString(), machine, figures: this.figures }, null, 2),
    );
  }
}

/** Best of `runs` timings of `fn`, in ms: the least disturbed run on a noisy machine. */
export async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await fn();
    best = Math.min(best, performance.now() - began);
  }
  return best;
}

/** Polls `probe` (every 50 ms) until it gives a value, or fails after `timeoutMs`. */
export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
