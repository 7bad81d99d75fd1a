/** What the preload exposes as `window.streampulse`; absent when the dashboard runs in a browser. */
export interface StreamPulseBridge {
  readonly shell: 'electron';
}
