import type { StreamPulseBridge } from './bridge';

declare global {
  interface Window {
    streampulse?: StreamPulseBridge;
  }
}
