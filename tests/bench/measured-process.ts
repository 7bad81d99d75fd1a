/** A built CLI command in a child process, with its wall time and peak RSS (from /proc). */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));

export interface MeasuredRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly peakRssMb: number;
  readonly ms: number;
}

/** Runs `streampulse ...args` (with `nodeFlags` before it), sampling VmHWM every 100 ms. */
export function measured(
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<MeasuredRun> {
  return new Promise((resolve) => {
    const began = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, BIN, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let peakKb = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const sampler = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        peakKb = Math.max(peakKb, Number(hwm?.[1] ?? 0));
      } catch {
        // exited
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve({ code, stdout, peakRssMb: peakKb / 1024, ms: performance.now() - began });
    });
  });
}
