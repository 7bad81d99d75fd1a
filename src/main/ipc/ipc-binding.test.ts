import { describe, expect, it } from 'vitest';
import { API_NAMES, type ApiHandlers } from '../../shared/api-contract';
import { SESSION_CHANNEL, type IpcEnvelope } from '../../shared/ipc-envelope';
import { createLogger } from '../logger';
import {
  bindIpc,
  trustOwnTopFrame,
  type IpcInvokeEventLike,
  type IpcMainLike,
} from './ipc-binding';

const APP = 'http://127.0.0.1:7420';

/** A stand-in for Electron's ipcMain: records handlers so the test can invoke them. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<
    string,
    (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>
  >();
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(
    channel: string,
    frame: IpcInvokeEventLike['senderFrame'],
    ...args: unknown[]
  ): Promise<IpcEnvelope<unknown>> {
    return this.handlers.get(channel)!({ senderFrame: frame }, ...args) as Promise<
      IpcEnvelope<unknown>
    >;
  }
}

function setUp(overrides: Partial<ApiHandlers> = {}) {
  const calls: Array<[string, unknown]> = [];
  const handlers = Object.fromEntries(
    API_NAMES.map((name) => [
      name,
      async (params: unknown) => {
        calls.push([name, params]);
        return { from: name };
      },
    ]),
  ) as unknown as ApiHandlers;
  const ipcMain = new FakeIpcMain();
  let logged = '';
  const unbind = bindIpc({
    ipcMain,
    handlers: { ...handlers, ...overrides },
    isTrustedSender: trustOwnTopFrame(APP),
    session: () => ({ httpUrl: `${APP}/`, token: 'launch-token' }),
    logger: createLogger({ write: (line) => (logged += line) }),
  });
  return { ipcMain, calls, unbind, logs: () => logged };
}

const own = { url: `${APP}/index.html` };

describe('the IPC binding', () => {
  it('registers a handler for every call of the contract, and the session', () => {
    const { ipcMain } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...API_NAMES, SESSION_CHANNEL].sort());
  });

  it('answers {result} with validated parameters and defaults', async () => {
    const { ipcMain, calls } = setUp();
    expect(await ipcMain.invoke('stats:trending', own, { limit: 3 })).toEqual({
      result: { from: 'stats:trending' },
    });
    expect(calls).toEqual([['stats:trending', { minutes: 5, limit: 3 }]]);
    expect(await ipcMain.invoke(SESSION_CHANNEL, own)).toEqual({
      result: { httpUrl: `${APP}/`, token: 'launch-token' },
    });
  });

  it('refuses a foreign page and an iframe of our own page', async () => {
    const { ipcMain, calls, logs } = setUp();
    for (const frame of [
      { url: 'https://evil.example/' },
      { url: `${APP}/`, parent: {} },
      null,
      { url: 'not a url' },
    ]) {
      expect(await ipcMain.invoke('control:setRate', frame, { ratePerSecond: 5 })).toEqual({
        error: {
          name: 'ForbiddenError',
          message: 'control:setRate: this frame may not call the API',
        },
      });
    }
    expect(await ipcMain.invoke(SESSION_CHANNEL, { url: 'https://evil.example/' })).toMatchObject({
      error: { name: 'ForbiddenError' },
    });
    expect(calls).toEqual([]);
    expect(logs()).toMatch(/untrusted frame refused/);
  });

  it('turns a bad parameter into {error} naming it', async () => {
    const { ipcMain, calls } = setUp();
    expect(await ipcMain.invoke('stats:trending', own, { minutes: 0 })).toEqual({
      error: {
        name: 'ValidationError',
        message: 'minutes: must be between 1 and 1440, got 0',
        field: 'minutes',
      },
    });
    expect(await ipcMain.invoke('control:setRate', own, { ratePerSecond: 'fast' })).toMatchObject({
      error: { field: 'ratePerSecond' },
    });
    expect(await ipcMain.invoke('stats:alerts', own, { extra: 1 })).toMatchObject({
      error: { field: 'extra' },
    });
    expect(calls).toEqual([]);
  });

  it('hides an unexpected error behind a generic message, and logs it', async () => {
    const { ipcMain, logs } = setUp({
      'stats:devices': async () => {
        throw new Error('password=hunter2 at db.internal');
      },
    });
    const answer = await ipcMain.invoke('stats:devices', own, {});
    expect(answer).toEqual({
      error: { name: 'InternalError', message: "stats:devices failed; see the app's log" },
    });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
    expect(logs()).toMatch(/IPC handler failed/);
  });

  it('removes every handler when unbound', () => {
    const { ipcMain, unbind } = setUp();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('bindIpc: exports', () => {
  it('offers start and cancel to the app’s own frame only, with errors that name the field', async () => {
    const ipcMain = new FakeIpcMain();
    const cancelled: string[] = [];
    bindIpc({
      ipcMain,
      handlers: {} as ApiHandlers,
      isTrustedSender: trustOwnTopFrame(APP),
      session: () => ({ httpUrl: `${APP}/`, token: 'launch-token' }),
      exports: {
        start: async (params) => {
          if (params.to <= params.from) {
            throw Object.assign(new Error('to: must be after from'), {
              name: 'ValidationError',
              field: 'to',
            });
          }
          return { id: 'e1', file: '/tmp/x.csv' };
        },
        cancel: (id) => void cancelled.push(id),
      },
      logger: createLogger({ write: () => {} }),
    });
    const own = { url: `${APP}/` };
    const params = {
      dataset: 'alerts',
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
      format: 'csv',
    };
    expect(await ipcMain.invoke('export:start', own, params)).toEqual({
      result: { id: 'e1', file: '/tmp/x.csv' },
    });
    expect(await ipcMain.invoke('export:start', own, { ...params, to: params.from })).toMatchObject(
      { error: { name: 'ValidationError', field: 'to' } },
    );
    expect(await ipcMain.invoke('export:cancel', own, { id: 'e1' })).toEqual({ result: null });
    expect(cancelled).toEqual(['e1']);
    expect(
      await ipcMain.invoke('export:start', { url: 'https://evil.example/' }, params),
    ).toMatchObject({ error: { name: 'ForbiddenError' } });
  });
});
