/**
 * Reads a mutating route's JSON body: empty means `{}`; a body needs `Content-Type:
 * application/json` (415); more than the limit is refused as soon as it is known (413), from the
 * declared Content-Length or while reading; malformed JSON is a 400 naming `body`.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './api-errors';

export const MAX_BODY_BYTES = 16 * 1024;

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

export async function readJsonBody(
  req: IncomingMessage,
  limit: number = MAX_BODY_BYTES,
): Promise<unknown> {
  if (!hasBody(req)) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, {
      error: 'unsupported media type',
      detail: `the body must be application/json, got ${type ? JSON.stringify(type) : 'no Content-Type'}`,
    });
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(req, limit);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, {
      error: 'malformed JSON',
      detail: `body: ${(err as Error).message}`,
      field: 'body',
    });
  }
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause(); // stop reading: the answer goes out with Connection: close
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => onError(new Error('the client closed the request'));
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    { error: 'payload too large', detail: `the body must be at most ${limit} bytes` },
    { Connection: 'close' },
  );
}
