/**
 * The worker side of the protocol: answers requests with a handler, pushes status, and on `stop`
 * runs the shutdown, says `stopped` and lets the thread end.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError, type WorkerMessage, type WorkerRequest } from './worker-protocol';

export interface WorkerBehaviour<C, S> {
  readonly handle: (command: C) => Promise<unknown> | unknown;
  readonly status: () => S;
  readonly stop: () => Promise<void>;
  /** How often status is pushed (default 250 ms: the live view's freshness depends on it). */
  readonly statusEveryMs?: number;
}

export function serveWorker<C, S>(start: () => Promise<WorkerBehaviour<C, S>>): void {
  const port = parentPort;
  if (!port) throw new Error('this module runs as a worker thread');
  const post = (message: WorkerMessage<S>): void => port.postMessage(message);
  void (async () => {
    let behaviour: WorkerBehaviour<C, S>;
    try {
      behaviour = await start();
    } catch (err) {
      post({ type: 'fatal', error: serializeError(err) });
      return;
    }
    const timer = setInterval(
      () => post({ type: 'status', status: behaviour.status() }),
      behaviour.statusEveryMs ?? 250,
    );
    post({ type: 'ready' });
    post({ type: 'status', status: behaviour.status() });
    port.on('message', (message: WorkerRequest<C>) => {
      if (message.type === 'stop') {
        clearInterval(timer);
        void behaviour
          .stop()
          .catch((err: unknown) => post({ type: 'fatal', error: serializeError(err) }))
          .finally(() => {
            post({ type: 'stopped' });
            port.close();
          });
        return;
      }
      void (async () => {
        try {
          post({ type: 'reply', id: message.id, result: await behaviour.handle(message.command) });
        } catch (err) {
          post({ type: 'reply', id: message.id, error: serializeError(err) });
        }
      })();
    });
  })();
}
