/** An error as the API answers it: `{error, detail}`, with the parameter at fault for a 400. */
import { z } from 'zod';
import type { DeepReadonly } from './readonly';

export const apiErrorBodySchema = z.object({
  error: z.string(),
  detail: z.string(),
  /** The parameter at fault (400). */
  field: z.string().optional(),
  /** Every field at fault, when several are (settings). */
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** For a 500: find it in the server log. */
  requestId: z.string().optional(),
});
export type ApiErrorBody = DeepReadonly<z.output<typeof apiErrorBodySchema>>;
