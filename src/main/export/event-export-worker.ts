/**
 * The main thread's side of an events export run in a worker (src/main/workers/export-worker.ts):
 * the same PreparedExport as the in-process one, its chunks arriving by message. A few chunks
 * are granted ahead so the worker keeps busy while the client reads; closing terminates the
 * worker (it only reads the log, so there is nothing to flush).
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { LogBackend } from '../log/open-event-log';
import type { EventExportRequest } from './event-export';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './export-worker-protocol';
import { once, type PreparedExport } from './prepared-export';

/** Chunks (64 KiB each) the worker may have in flight. */
const CHUNKS_AHEAD = 4;

export async function prepareEventExportInWorker(
  workerFile: string,
  backend: LogBackend,
  request: Omit<EventExportRequest, 'onUndecodable'>,
  logger: Logger,
): Promise<PreparedExport> {
  const data: ExportWorkerData = { backend, request };
  const worker = new Worker(workerFile, {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  const inbox: FromExportWorker[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  worker.on('message', (message: FromExportWorker) => {
    if (message.kind === 'note') {
      logger.warn('export skipped undecodable records', { ...message.note });
      return;
    }
    inbox.push(message);
    wake?.();
  });
  worker.on('error', (err) => {
    inbox.push({ kind: 'error', name: err.name, message: err.message });
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  const post = (message: ToExportWorker) => worker.postMessage(message);
  const close = once(async () => void (await worker.terminate()));

  async function next(): Promise<FromExportWorker> {
    for (;;) {
      const message = inbox.shift();
      if (message) return message;
      if (exited) return { kind: 'error', name: 'Error', message: 'the export worker stopped' };
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  }

  const first = await next();
  if (first.kind !== 'meta') {
    await close();
    throw first.kind === 'error'
      ? Object.assign(new Error(first.message), { name: first.name })
      : new Error(`the export worker sent ${first.kind} first`);
  }

  async function* chunks(): AsyncGenerator<string, void, undefined> {
    try {
      post({ kind: 'more', chunks: CHUNKS_AHEAD });
      for (;;) {
        const message = await next();
        if (message.kind === 'end') return;
        if (message.kind === 'error')
          throw Object.assign(new Error(message.message), { name: message.name });
        if (message.kind !== 'chunk') continue;
        yield message.text;
        post({ kind: 'more', chunks: 1 });
      }
    } finally {
      await close();
    }
  }

  return {
    contentType: first.contentType,
    fileName: first.fileName,
    totalRows: first.totalRows,
    totalIsExact: first.totalIsExact,
    chunks: chunks(),
    close,
  };
}
