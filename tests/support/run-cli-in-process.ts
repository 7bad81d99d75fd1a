import { runCli } from '../../src/main/cli/run-cli';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `streampulse ...args` in this process, capturing its output. */
export async function runCliInProcess(
  args: readonly string[],
  options: { now?: number; stop?: Promise<void>; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    now: () => options.now ?? Date.UTC(2026, 10, 24, 12),
    stopSignal: options.stop ?? new Promise(() => {}),
    dashboardDir: null,
    // In-process runs have no built workers; `serve` is tested through the built CLI.
    workersDir: '/nonexistent',
  });
  return { code, stdout, stderr };
}
