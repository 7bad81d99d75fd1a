/** The generator's event rate bounds, in events per second (shared: the settings form checks them too). */
export const MIN_RATE = 0.1;
export const MAX_RATE = 10_000_000;
