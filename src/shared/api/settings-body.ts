/**
 * The settings endpoints' bodies. The endpoint checks only that `settings` and `secrets` are JSON
 * objects: the settings service validates a save itself, once, and answers every field at fault
 * (FieldsValidationError), which a first-error check here would hide. The OpenAPI document shows
 * the settings schema itself (settings/schema.ts), as the `Settings` and `SecretsUpdate` components.
 */
import {
  secretsUpdateSchema,
  settingsSchema,
  type SecretName,
  type Settings,
} from '../settings/schema';
import { objectParam, paramsObject } from './params';

type SecretsUpdate = { readonly [K in SecretName]?: string | null };

const secrets = (description: string) =>
  objectParam<SecretsUpdate, { optional: true; description: string }>(
    { optional: true, description },
    { id: 'SecretsUpdate', schema: secretsUpdateSchema },
  );

const settings = (description: string) =>
  objectParam<Settings, { description: string }>(
    { description },
    { id: 'Settings', schema: settingsSchema },
  );

export const settingsParams = {
  update: paramsObject({
    settings: settings('The whole settings document'),
    secrets: secrets('New secret values (kafkaPassword, postgresPassword); null removes one'),
  }),
  test: paramsObject({
    settings: settings('The settings to try'),
    secrets: secrets('Secrets not yet saved'),
  }),
};
