import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  restartOnlyPaths,
  SETTINGS_CATALOGUE,
  settingsPatchSchema,
  settingsSchema,
  toFieldErrors,
} from './schema';

describe('the settings catalogue', () => {
  it('gives every field a label of its own', () => {
    const labels = SETTINGS_CATALOGUE.filter((e) => !e.section).map((e) => e.label);
    expect(labels.every((label) => label.trim() !== '')).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('lists what takes effect at the next start, a restart-only section as a whole (the engine kind switches live)', () => {
    expect(restartOnlyPaths()).toEqual([
      'log.partitions',
      'log.partitioner',
      'generator.seed',
      'engine.windowSizeMs',
      'engine.outOfOrdernessMs',
      'engine.allowedLatenessMs',
      'engine.maxFutureMs',
      'engine.alertRules',
    ]);
  });

  it('gives each field a default its own schema accepts', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it('checks a patch field by field, with the messages of the whole document', () => {
    expect(settingsPatchSchema.safeParse({ generator: { ratePerSecond: 7 } }).success).toBe(true);
    const result = settingsPatchSchema.safeParse({ log: { partitions: 0 }, theme: 'dark' });
    expect(result.success).toBe(false);
    expect(toFieldErrors(result.error!.issues)).toEqual([
      { field: 'theme', message: '"theme" is not a setting: remove it' },
      { field: 'log.partitions', message: 'must be from 1 to 256, got 0' },
    ]);
  });

  it('becomes a JSON Schema with its bounds and descriptions (for the OpenAPI document)', () => {
    const schema = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, { properties: Record<string, Record<string, unknown>> }>;
    };
    expect(schema.properties.log!.properties.partitions).toMatchObject({
      type: 'number',
      minimum: 1,
      maximum: 256,
      description: 'Partitions: Of a new log or topic',
    });
    expect(schema.properties.engine!.properties.windowSizeMs).toMatchObject({
      minimum: 1000,
      maximum: 86_400_000,
    });
  });
});
