/** The settings area's results: the settings as the page sees them, a connection test's outcome. */
import { z } from 'zod';
import { SECRET_NAMES, settingsSchema, type SecretName } from '../settings/schema';
import type { DeepReadonly } from './readonly';

const secretSetSchema = z.object({ set: z.boolean() });

/** What the renderer sees: the settings, and of each secret only whether it is set. */
export const settingsViewSchema = z.object({
  settings: settingsSchema,
  secrets: z.object(
    Object.fromEntries(SECRET_NAMES.map((name) => [name, secretSetSchema])) as {
      [K in SecretName]: typeof secretSetSchema;
    },
  ),
  /** Where secrets are kept, and a warning when that is not a real OS secret store. */
  secretStore: z.object({ kind: z.string(), warning: z.string().nullable() }),
  /** Dotted paths of settings that environment variables or CLI flags override (headless). */
  overridden: z.array(z.string()),
  /** Things the user should know, e.g. that a corrupt settings file was replaced by defaults. */
  notices: z.array(z.string()),
  /** Settings saved but only used at the next start (e.g. the window size). */
  pendingRestart: z.array(z.string()),
});
export type SettingsView = DeepReadonly<z.output<typeof settingsViewSchema>>;

export const connectionProblemSchema = z.enum([
  'invalid',
  'dns',
  'unreachable',
  'refused',
  'timeout',
  'tls-required',
  'tls',
  'authentication',
  'authorization',
  'database-missing',
  'permissions',
  'topic',
  'other',
]);
export type ConnectionProblem = z.output<typeof connectionProblemSchema>;

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  /** null when ok. */
  problem: connectionProblemSchema.nullable(),
  /** What happened and what to do, for people. Never contains a secret. */
  message: z.string(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = DeepReadonly<z.output<typeof connectionTestResultSchema>>;
