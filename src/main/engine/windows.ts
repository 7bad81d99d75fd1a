/**
 * Event-time tumbling windows: [start, start + size), aligned to the epoch. Pure: a window is a
 * function of the event time alone.
 */
export function windowStartOf(eventTime: number, sizeMs: number): number {
  return Math.floor(eventTime / sizeMs) * sizeMs;
}
