/**
 * Ctrl-C (or SIGTERM) for the bounded commands (generate, run, drill): the work stops at its next
 * batch, what was written stays consistent (a run or drill can be resumed or is recorded as
 * failed), and the command exits 130, as shells report an interrupt.
 */
export const EXIT_INTERRUPTED = 130;

/** Thrown by a bounded command's work when it is interrupted; its message says what remains. */
export class InterruptedError extends Error {
  override readonly name: string = 'InterruptedError';
}

/** An AbortSignal that aborts when `stopSignal` resolves (the CLI's Ctrl-C / SIGTERM promise). */
export function abortOn(stopSignal: Promise<void>): AbortSignal {
  const controller = new AbortController();
  void stopSignal.then(() => controller.abort());
  return controller.signal;
}
