/**
 * DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends
 * `Host: evil.example`. Only loopback names, with our port, are served.
 */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return LOOPBACK_HOSTS.some(
    (name) => host === `${name}:${port}` || (port === 80 && host === name),
  );
}
