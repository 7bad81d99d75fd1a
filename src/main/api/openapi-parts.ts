/**
 * Pieces of the OpenAPI document shared by its API routes and its exports: a parameter's JSON
 * Schema (from its zod schema, as a request sees it: defaults make it optional), and the
 * references to the error answer.
 */
import { z } from 'zod';
import { paramParts, type ParamsObject } from '../../shared/api/params';

export type Json = Record<string, unknown>;

export const componentRef = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

/** JSON Schema of a zod schema, without the `$schema` and `$id` a standalone document carries. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  return withoutIds(z.toJSONSchema(schema, { io }) as Json);
}

/** A JSON Schema as a part of the document: without `$schema` and `$id`. */
export function withoutIds(schema: Json): Json {
  return Object.fromEntries(
    Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'),
  );
}

/** A parameter's JSON Schema; an object its handler checks shows its documented component. */
export function paramJsonSchema(schema: z.ZodType, name: string): Json {
  const { documented, describe } = paramParts(schema, name);
  if (documented) {
    return {
      ...componentRef(documented.id),
      ...(describe.description ? { description: describe.description } : {}),
    };
  }
  return jsonSchemaOf(schema);
}

export function isRequired(schema: z.ZodType, name: string): boolean {
  const { describe } = paramParts(schema, name);
  return !describe.optional && describe.default === undefined;
}

/** Query (or path) parameters as OpenAPI parameter objects. */
export function parameterObjects(
  params: ParamsObject,
  where: (name: string) => 'query' | 'path',
): Json[] {
  return Object.entries(params.shape).map(([name, schema]) => {
    const location = where(name);
    return {
      name,
      in: location,
      required: location === 'path' || isRequired(schema, name),
      schema: paramJsonSchema(schema, name),
    };
  });
}

export const errorRef = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: componentRef('ApiErrorBody') } },
});
