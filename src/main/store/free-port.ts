/**
 * Picking a TCP port for the embedded server: the preferred one if free, else the next ones.
 * Probing (listen, then close) races with other programs taking the port before postgres binds
 * it; the server retries on "Address already in use", so the probe only has to be usually right.
 */
import net from 'node:net';

/** Whether nothing listens on host:port (0: asks the OS for any free port and returns it). */
export function probePort(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Candidate ports in order of preference: `preferred`, then the ones after it (wrapping below
 * 65536 to 1024). With `preferred` 0 every candidate is 0, i.e. a fresh OS-assigned port.
 */
export function candidatePorts(preferred: number, count: number): number[] {
  if (preferred === 0) return Array.from({ length: count }, () => 0);
  return Array.from({ length: count }, (_, i) => {
    const port = preferred + i;
    return port <= 65535 ? port : 1024 + ((port - 65536) % (65535 - 1024));
  });
}

/** The first free port among `candidates`, skipping `exclude`; undefined if none is free. */
export async function findFreePort(
  host: string,
  candidates: readonly number[],
  exclude: ReadonlySet<number> = new Set(),
): Promise<number | undefined> {
  for (const candidate of candidates) {
    if (candidate !== 0 && exclude.has(candidate)) continue;
    const port = await probePort(host, candidate);
    if (port !== undefined && !exclude.has(port)) return port;
  }
  return undefined;
}
