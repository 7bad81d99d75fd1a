/**
 * The worker side of the protocol: answers requests with a handler, pushes status, and on `stop`
 * runs the shutdown, says `stopped` and lets the thread end.
 */
import { parentPort } from 'node:worker_threads';
import type { Command, CommandHandlers, RepliesOf } from '../protocol/commands';
import {
  serializeError,
  type WorkerMessage,
  type WorkerRequest,
} from '../protocol/worker-messages';

export interface WorkerBehaviour<C extends Command, R extends RepliesOf<C>, S> {
  /** One handler per command kind (src/main/protocol/commands.ts). */
  readonly handlers: CommandHandlers<C, R>;
  readonly status: () => S;
  readonly stop: () => Promise<void>;
  /** How often status is pushed (default 250 ms: the live view's freshness depends on it). */
  readonly statusEveryMs?: number;
}

export function serveWorker<C extends Command, R extends RepliesOf<C>, S>(
  start: () => Promise<WorkerBehaviour<C, R, S>>,
): void {
  const port = parentPort;
  if (!port) throw new Error('this module runs as a worker thread');
  const post = (message: WorkerMessage<S>): void => port.postMessage(message);
  void (async () => {
    let behaviour: WorkerBehaviour<C, R, S>;
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
          const { command } = message;
          const handler = behaviour.handlers[command.kind as C['kind']] as (command: C) => unknown;
          post({ type: 'reply', id: message.id, result: await handler(command) });
        } catch (err) {
          post({ type: 'reply', id: message.id, error: serializeError(err) });
        }
      })();
    });
  })();
}
