/**
 * An events export off the main thread: reading the log, decoding and formatting a million
 * events is CPU work that would otherwise stall the HTTP server and the window's IPC (measured:
 * pauses of 300-500 ms on the main thread for a 200,000-event export). One worker per export;
 * it ends with the export.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareEventExport } from '../export/event-export';
import type {
  ExportWorkerData,
  FromExportWorker,
  ToExportWorker,
} from '../export/export-worker-protocol';
import { openEventLog } from '../log/open-event-log';

const port = parentPort!;
const data = workerData as ExportWorkerData;
let credits = 0;
let stopped = false;
let wake: (() => void) | null = null;

const send = (message: FromExportWorker): void => port.postMessage(message);

port.on('message', (message: ToExportWorker) => {
  if (message.kind === 'more') credits += message.chunks;
  else stopped = true;
  wake?.();
});

async function run(): Promise<void> {
  const prepared = await prepareEventExport(() => openEventLog(data.backend, { readOnly: true }), {
    ...data.request,
    onUndecodable: (note) => send({ kind: 'note', note }),
  });
  try {
    const { contentType, fileName, totalRows, totalIsExact } = prepared;
    send({ kind: 'meta', contentType, fileName, totalRows, totalIsExact });
    for await (const text of prepared.chunks) {
      while (credits === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      if (stopped) return;
      credits--;
      send({ kind: 'chunk', text });
    }
    send({ kind: 'end' });
  } finally {
    await prepared.close();
  }
}

run()
  .catch((err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    send({ kind: 'error', name: error.name, message: error.message });
  })
  .finally(() => port.close());
