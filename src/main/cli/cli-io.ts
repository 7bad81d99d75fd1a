/** What a CLI command may touch, injected so tests run commands in-process. */
export interface CliIo {
  /** Writes to standard output; resolves when the stream can take more (backpressure). */
  readonly out: (text: string) => Promise<void> | void;
  readonly err: (text: string) => void;
  /** stderr is a terminal (a person watching): `serve` then writes readable log lines, not JSON. */
  readonly errIsTerminal?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Wall clock, ms. */
  readonly now: () => number;
  /** Resolves when the user asks to stop (Ctrl-C, SIGTERM); long-running commands await it. */
  readonly stopSignal: Promise<void>;
  /** The built dashboard (out/renderer) to serve, or null if it is not built. */
  readonly dashboardDir: string | null;
  /** Where the built worker entries are (out/main): `serve` runs the pipeline in worker threads. */
  readonly workersDir: string;
}

/** A mistake in how the command was called: the message is shown with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
