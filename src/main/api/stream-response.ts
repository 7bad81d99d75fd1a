/**
 * Writes text chunks to an HTTP response with backpressure: after a `write` that returns false it
 * waits for 'drain' before asking for the next chunk, so a slow client slows the read behind it
 * (the database cursor, the log) instead of filling memory. A client that goes away ends the
 * loop, which ends the chunks' iterator and so releases what it holds.
 */
import type { ServerResponse } from 'node:http';

export interface StreamOutcome {
  /** All chunks written and the response ended. */
  readonly complete: boolean;
  readonly bytes: number;
}

export async function streamChunks(
  res: ServerResponse,
  chunks: AsyncIterable<string>,
): Promise<StreamOutcome> {
  const gone = new AbortController();
  const onClose = (): void => gone.abort();
  res.once('close', onClose);
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      if (gone.signal.aborted || res.destroyed) return { complete: false, bytes };
      const buffer = Buffer.from(chunk, 'utf8');
      bytes += buffer.length;
      if (!res.write(buffer) && !(await drained(res, gone.signal))) {
        return { complete: false, bytes };
      }
    }
    if (gone.signal.aborted || res.destroyed) return { complete: false, bytes };
    await new Promise<void>((resolve) => res.end(resolve));
    return { complete: true, bytes };
  } finally {
    res.off('close', onClose);
  }
}

/** true once the response drains; false if the client went away first. */
function drained(res: ServerResponse, gone: AbortSignal): Promise<boolean> {
  if (gone.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      gone.removeEventListener('abort', onGone);
      resolve(ok);
    };
    const onDrain = done(true);
    const onGone = done(false);
    res.once('drain', onDrain);
    gone.addEventListener('abort', onGone, { once: true });
  });
}
