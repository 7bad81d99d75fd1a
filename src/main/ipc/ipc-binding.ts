/**
 * Mounts the API handler table on Electron's ipcMain: one `handle` per `domain:verb`, each
 * checking that the call comes from the app's own window, validating parameters with the same
 * schemas as HTTP, and answering `{result}` or `{error}`. Electron's objects are taken by their
 * shape, so this is tested without the Electron binary.
 */
import { API_NAMES, ROUTES, type ApiHandlers, type ApiName } from '../../shared/api-contract';
import { validateParams } from '../../shared/api/params';
import { SESSION_CHANNEL, type IpcEnvelope, type SessionInfo } from '../../shared/ipc-envelope';
import { EXPORT_CHANNELS, type ExportRequestParams } from '../../shared/export-contract';
import type { Logger } from '../logger';
import { fieldErrorsOf } from '../../shared/validation-error';

/** The parts of an IpcMainInvokeEvent the binding reads. */
export interface IpcInvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent?: unknown } | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** Errors that are the caller's to fix: their message goes back as it is. */
const USER_ERRORS = new Set([
  'ValidationError',
  'NotFoundError',
  'ConflictError',
  'UnavailableError',
  'TooManyExportsError',
]);

export interface IpcBindingOptions {
  readonly ipcMain: IpcMainLike;
  readonly handlers: ApiHandlers;
  /** Whether a frame may call: the app's own top-level page (checked by origin and by being the top frame). */
  readonly isTrustedSender: (frame: IpcInvokeEventLike['senderFrame']) => boolean;
  readonly session: () => SessionInfo;
  /** Exports to a file the main process writes (see export-jobs.ts); absent: not offered. */
  readonly exports?: {
    start(params: ExportRequestParams): Promise<{ id: string; file: string } | null>;
    cancel(id: string): void;
  };
  readonly logger: Logger;
}

/** Registers every handler; returns a function that removes them. */
export function bindIpc(options: IpcBindingOptions): () => void {
  const channels: string[] = [];
  const guard =
    <T>(channel: string, run: (args: unknown[]) => Promise<T>) =>
    async (event: IpcInvokeEventLike, ...args: unknown[]): Promise<IpcEnvelope<T>> => {
      if (!options.isTrustedSender(event.senderFrame)) {
        options.logger.warn('IPC call from an untrusted frame refused', {
          channel,
          url: event.senderFrame?.url ?? null,
        });
        return {
          error: { name: 'ForbiddenError', message: `${channel}: this frame may not call the API` },
        };
      }
      try {
        return { result: await run(args) };
      } catch (err) {
        const error = err as Error & { field?: unknown };
        if (USER_ERRORS.has(error.name) || typeof error.field === 'string') {
          return {
            error: {
              name: error.name,
              message: error.message,
              ...(typeof error.field === 'string' ? { field: error.field } : {}),
              ...(fieldErrorsOf(error) ? { errors: fieldErrorsOf(error) } : {}),
            },
          };
        }
        options.logger.error('IPC handler failed', { channel, error });
        return {
          error: { name: 'InternalError', message: `${channel} failed; see the app's log` },
        };
      }
    };

  for (const name of API_NAMES) {
    options.ipcMain.handle(
      name,
      guard(name, async ([params]) => {
        const validated = validateParams(ROUTES[name].paramsSchema, params ?? {}, 'body');
        return (options.handlers[name] as (p: unknown) => Promise<unknown>)(
          validated as ApiParamsOf<typeof name>,
        );
      }),
    );
    channels.push(name);
  }
  options.ipcMain.handle(
    SESSION_CHANNEL,
    guard(SESSION_CHANNEL, async () => options.session()),
  );
  channels.push(SESSION_CHANNEL);
  const exports = options.exports;
  if (exports) {
    options.ipcMain.handle(
      EXPORT_CHANNELS.start,
      guard(EXPORT_CHANNELS.start, async ([params]) =>
        exports.start((params ?? {}) as ExportRequestParams),
      ),
    );
    options.ipcMain.handle(
      EXPORT_CHANNELS.cancel,
      guard(EXPORT_CHANNELS.cancel, async ([params]) => {
        exports.cancel(String((params as { id?: unknown } | undefined)?.id ?? ''));
        return null;
      }),
    );
    channels.push(EXPORT_CHANNELS.start, EXPORT_CHANNELS.cancel);
  }
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel);
  };
}

type ApiParamsOf<K extends ApiName> = Parameters<ApiHandlers[K]>[0];

/** The usual trust rule: the app's own origin, and the top-level frame (no iframes). */
export function trustOwnTopFrame(appOrigin: string): IpcBindingOptions['isTrustedSender'] {
  return (frame) => {
    if (!frame || frame.parent) return false;
    try {
      return new URL(frame.url).origin === appOrigin;
    } catch {
      return false;
    }
  };
}
