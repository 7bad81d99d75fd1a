/**
 * Checks an API answer against its endpoint's result schema (src/shared/api/endpoints.ts), the
 * schema /api/openapi.json publishes: a field missing or of another type fails, and so does a
 * field the schema does not name (zod would drop it silently; the comparison catches it).
 */
import { expect } from 'vitest';
import { z } from 'zod';
import { ROUTES, type ApiName } from '../../src/shared/api-contract';
import { apiErrorBodySchema } from '../../src/shared/api/errors';

/** `result` as a handler returned it or as the client read it: checked as it goes on the wire. */
export function expectApiResult(name: ApiName, result: unknown): void {
  const wire: unknown = JSON.parse(JSON.stringify(result ?? null));
  const parsed = ROUTES[name].result.safeParse(wire);
  if (!parsed.success) {
    throw new Error(
      `${name}: the answer does not match its schema\n${z.prettifyError(parsed.error)}`,
    );
  }
  expect(parsed.data, `${name}: the answer has fields its schema does not name`).toEqual(wire);
}

/** An HTTP answer's body: the `{data, count}` envelope around the endpoint's result. */
export function expectApiBody(name: ApiName, body: unknown): void {
  const envelope = body as { data: unknown; count: unknown };
  expect(Object.keys(envelope).sort(), `${name}: the envelope`).toEqual(['count', 'data']);
  expect(envelope.count).toBe(Array.isArray(envelope.data) ? envelope.data.length : 1);
  expectApiResult(name, envelope.data);
}

/** An error answer: `{error, detail}` and the optional fields of ApiErrorBody, nothing else. */
export function expectApiError(body: unknown): void {
  const parsed = apiErrorBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`the error does not match its schema\n${z.prettifyError(parsed.error)}`);
  }
  expect(parsed.data, 'the error has fields its schema does not name').toEqual(body);
}
