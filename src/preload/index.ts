/**
 * The bridge between the sandboxed window and the main process: one narrow object,
 * `window.streampulse`. (The typed API over IPC joins it with the API issue.)
 */
import { contextBridge } from 'electron';
import type { StreamPulseBridge } from './bridge';

const bridge: StreamPulseBridge = { shell: 'electron' };

contextBridge.exposeInMainWorld('streampulse', bridge);
