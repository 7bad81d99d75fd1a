/** Serves the built dashboard (out/renderer) read-only, never outside its folder. */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The file for a URL path, `index.html` for `/`; null when absent or outside `root`. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = normalize(join(base, relative));
  if (!full.startsWith(base + sep) || decoded.includes('\0')) return null;
  try {
    const body = await readFile(full);
    return { body, contentType: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}

export interface DashboardFile extends StaticFile {
  readonly cache: string;
}

/**
 * A dashboard file for a URL path. `index.html` gets the launch token as
 * `<meta name="streampulse-token">` in its head (for the same-origin page's mutating calls; other
 * origins cannot read it) and is never cached. With no built dashboard, `/` says how to build it.
 */
export async function serveDashboard(
  root: string | null,
  urlPath: string,
  token: string,
): Promise<DashboardFile | null> {
  const isIndex = urlPath === '/' || urlPath === '/index.html';
  if (!root) {
    if (!isIndex) return null;
    return {
      body: Buffer.from(
        'StreamPulse is running. The dashboard is not built: run `npm run build`.\n',
      ),
      contentType: 'text/plain; charset=utf-8',
      cache: 'no-store',
    };
  }
  const file = await readStaticFile(root, urlPath);
  if (!file) return null;
  if (!isIndex) return { ...file, cache: 'no-cache' };
  return {
    body: injectToken(file.body.toString('utf8'), token),
    contentType: file.contentType,
    cache: 'no-store',
  };
}

/** Puts the token meta tag first in `<head>` (or first in the page if it has no head). */
export function injectToken(html: string, token: string): Buffer {
  const safe = token.replace(/[^A-Za-z0-9_-]/g, '');
  const meta = `<meta name="streampulse-token" content="${safe}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  const at = head ? head.index + head[0].length : 0;
  return Buffer.from(`${html.slice(0, at)}${meta}${html.slice(at)}`);
}
