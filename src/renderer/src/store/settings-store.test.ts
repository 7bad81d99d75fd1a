import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  type AlertRuleSettings,
  type FieldError,
  type Settings,
  type SettingsView,
} from '../../../shared/settings';
import { validateSettings } from '../../../shared/settings/schema';
import { ApiError } from '../api/api-client';
import {
  brokersFromText,
  brokersToText,
  changedFields,
  createSettingsStore,
  errorsByField,
  fieldLabel,
  formFieldOf,
  formToSettings,
  hasUnsavedChanges,
  inFormUnits,
  secretsUpdate,
  settingsToForm,
  type Validator,
} from './settings-store';
import { FakeClient } from '../../../../tests/support/renderer/fixtures';

function view(settings: Settings = DEFAULT_SETTINGS, patch: Partial<SettingsView> = {}) {
  return {
    settings,
    secrets: { kafkaPassword: { set: true }, postgresPassword: { set: false } },
    secretStore: { kind: 'basic_text', warning: 'stored in plain text' },
    overridden: [],
    notices: [],
    pendingRestart: [],
    ...patch,
  } satisfies SettingsView;
}

function clientWith(current: SettingsView = view()): FakeClient {
  const client = new FakeClient();
  client.handlers['settings:get'] = () => current;
  return client;
}

async function loadedStore(client = clientWith(), validate?: Validator) {
  const store = createSettingsStore(client, validate ? { validate } : {});
  await store.getState().load();
  return store;
}

/** A stand-in for the shared validator: brokers must be host:port. */
const brokersValidator: Validator = (raw) => {
  const settings = raw as Settings;
  const errors: FieldError[] = settings.log.kafka.brokers
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => !/^[^\s:]+:\d+$/.test(b))
    .map(({ i }) => ({ field: `log.kafka.brokers.${i}`, message: 'is not host:port' }));
  return errors.length ? { ok: false, errors } : { ok: true, settings };
};

describe('form ↔ settings', () => {
  it('round-trips the defaults unchanged', () => {
    const { settings, errors } = formToSettings(settingsToForm(DEFAULT_SETTINGS), DEFAULT_SETTINGS);
    expect(errors).toEqual([]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it('shows durations in seconds and shares in percent, and converts them back', () => {
    const form = settingsToForm(DEFAULT_SETTINGS);
    expect(form.engine.windowSizeMs).toBe('60');
    expect(form.engine.outOfOrdernessMs).toBe('5');
    expect(form.generator.outcomeMix.failed).toBe('8');
    expect(form.engine.alertRules[0]!.threshold).toBe('10');
    expect(form.engine.alertRules[0]!.criticalThreshold).toBe('25');

    const edited = {
      ...form,
      engine: { ...form.engine, windowSizeMs: '2', allowedLatenessMs: '0.25' },
      generator: { ...form.generator, outcomeMix: { failed: '7', slow: '0.5' } },
    };
    const { settings } = formToSettings(edited, DEFAULT_SETTINGS);
    expect(settings.engine.windowSizeMs).toBe(2000);
    expect(settings.engine.allowedLatenessMs).toBe(250);
    // No float noise: 7 % is 0.07, not 0.07000000000000001.
    expect(settings.generator.outcomeMix).toEqual({ failed: 0.07, slow: 0.005 });
  });

  it('keeps a downloads threshold as a count, and an empty critical threshold out', () => {
    const rule = {
      ...DEFAULT_SETTINGS.engine.alertRules[0]!,
      id: 'few',
      metric: 'downloads' as const,
      direction: 'below' as const,
      threshold: 50,
    };
    const noCritical: { -readonly [K in keyof AlertRuleSettings]: AlertRuleSettings[K] } = {
      ...rule,
    };
    delete noCritical.criticalThreshold;
    const settings = {
      ...DEFAULT_SETTINGS,
      engine: { ...DEFAULT_SETTINGS.engine, alertRules: [noCritical] },
    };
    const form = settingsToForm(settings);
    expect(form.engine.alertRules[0]!.threshold).toBe('50');
    expect(form.engine.alertRules[0]!.criticalThreshold).toBe('');
    expect(formToSettings(form, settings).settings.engine.alertRules[0]).toEqual(noCritical);
  });

  it('reads brokers separated by commas or newlines, and writes one a line', () => {
    expect(brokersFromText('a:1, b:2\n\n c:3 ,\r\nd:4')).toEqual(['a:1', 'b:2', 'c:3', 'd:4']);
    expect(brokersFromText('  ')).toEqual([]);
    // A space is not a separator: "a b:1" stays one (invalid) broker for the validator to name.
    expect(brokersFromText('a b:1')).toEqual(['a b:1']);
    expect(brokersToText(['a:1', 'b:2'])).toBe('a:1\nb:2');
  });

  it('turns empty seed and CA into null, and a PEM into one trailing newline', () => {
    const form = settingsToForm(DEFAULT_SETTINGS);
    const pem = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----';
    const { settings } = formToSettings(
      {
        ...form,
        log: { ...form.log, kafka: { ...form.log.kafka, ca: `  ${pem}\n\n` } },
        generator: { ...form.generator, seed: ' 42 ' },
      },
      DEFAULT_SETTINGS,
    );
    expect(settings.log.kafka.ca).toBe(`${pem}\n`);
    expect(settings.postgres.ca).toBeNull();
    expect(settings.generator.seed).toBe('42');
  });

  it('names the fields that are not numbers by their settings path', () => {
    const form = settingsToForm(DEFAULT_SETTINGS);
    const { errors } = formToSettings(
      {
        ...form,
        log: { ...form.log, partitions: '' },
        engine: {
          ...form.engine,
          windowSizeMs: 'abc',
          alertRules: [{ ...form.engine.alertRules[0]!, threshold: 'x' }],
        },
      },
      DEFAULT_SETTINGS,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'engine.alertRules.0.threshold',
      'log.partitions',
      'engine.windowSizeMs',
    ]);
  });

  it('keeps what the form does not edit', () => {
    const base = { ...DEFAULT_SETTINGS, future: { x: 1 } } as Settings;
    expect(formToSettings(settingsToForm(base), base).settings).toEqual(base);
  });
});

describe('secrets', () => {
  it('sends typed values and removals only', () => {
    expect(
      secretsUpdate({
        kafkaPassword: { action: 'replace', value: 's3cret' },
        postgresPassword: { action: 'remove', value: '' },
      }),
    ).toEqual({ kafkaPassword: 's3cret', postgresPassword: null });
    expect(
      secretsUpdate({
        kafkaPassword: { action: 'replace', value: '' },
        postgresPassword: { action: 'keep', value: 'ignored' },
      }),
    ).toEqual({});
  });
});

describe('field paths and errors', () => {
  it('maps server paths to the field that shows them', () => {
    expect(formFieldOf('log.kafka.brokers')).toBe('log.kafka.brokers');
    expect(formFieldOf('log.kafka.brokers.1')).toBe('log.kafka.brokers');
    expect(formFieldOf('engine.alertRules.0.threshold')).toBe('engine.alertRules.0.threshold');
    expect(formFieldOf('engine.alertRules.2')).toBe('engine.alertRules');
    expect(formFieldOf('engine.alertRules.2.bogus')).toBe('engine.alertRules');
    expect(formFieldOf('secrets.kafkaPassword')).toBe('secrets.kafkaPassword');
    expect(formFieldOf('version')).toBeNull();
  });

  it('groups messages by field, the unplaced under ""', () => {
    expect(
      errorsByField([
        { field: 'log.kafka.brokers.0', message: 'needs a port.' },
        { field: 'log.kafka.brokers.1', message: 'is empty.' },
        { field: 'version', message: 'is unknown.' },
      ]),
    ).toEqual({
      'log.kafka.brokers': 'Broker 1: needs a port.\nBroker 2: is empty.',
      '': 'is unknown.',
    });
    expect(
      errorsByField([
        { field: 'postgres.url', message: 'is not a URL.' },
        { field: 'postgres.url', message: 'is not a URL.' },
      ]),
    ).toEqual({ 'postgres.url': 'is not a URL.' });
  });

  it('labels paths for people', () => {
    expect(fieldLabel('log.kafka.brokers')).toBe('Kafka brokers');
    expect(fieldLabel('log.kafka.brokers.1')).toBe('Kafka broker 2');
    expect(fieldLabel('engine.alertRules.0.criticalThreshold')).toBe(
      'Alert rule 1 critical threshold',
    );
    expect(fieldLabel('nowhere')).toBe('nowhere');
  });

  it('lists what changed', () => {
    const after: Settings = {
      ...DEFAULT_SETTINGS,
      log: { ...DEFAULT_SETTINGS.log, backend: 'kafka' },
      engine: { ...DEFAULT_SETTINGS.engine, windowSizeMs: 2000 },
    };
    expect(changedFields(DEFAULT_SETTINGS, after)).toEqual(['Event log backend', 'Window size']);
  });
});

describe('messages in the form’s units', () => {
  const form = settingsToForm(DEFAULT_SETTINGS);
  const shown = (field: string, message: string) => inFormUnits({ field, message }, form).message;

  it('says seconds for the durations the form shows in seconds', () => {
    expect(
      shown('engine.windowSizeMs', 'must be from 1,000 ms (1 s) to 86,400,000 ms (24 h), got 500'),
    ).toBe('must be from 1 s to 86400 s, got 0.5 s');
    expect(
      shown('engine.outOfOrdernessMs', 'must be whole milliseconds from 0 ms to 1,000 ms, got 1.5'),
    ).toBe('must be seconds from 0 s to 1 s, got 0.0015 s');
  });

  it('says percent for shares', () => {
    expect(
      shown('engine.alertRules.0.threshold', 'must be from 0 to 1 (a share: 0.1 is 10%), got 1.5'),
    ).toBe('must be from 0 to 100 %, got 150 %');
    expect(
      shown(
        'engine.alertRules.0.criticalThreshold',
        'must be at least the threshold (0.1) for a rule that fires above it, or empty',
      ),
    ).toBe('must be at least the threshold (10 %) for a rule that fires above it, or empty');
    expect(shown('generator.outcomeMix.failed', 'must be from 0 to 1, got 1.07')).toBe(
      'must be from 0 to 100 %, got 107 %',
    );
  });

  it('leaves counts and other fields alone', () => {
    const downloads = {
      ...form,
      engine: {
        ...form.engine,
        alertRules: [{ ...form.engine.alertRules[0]!, metric: 'downloads' as const }],
      },
    };
    const error = { field: 'engine.alertRules.0.threshold', message: 'must be from 0 to 1, got 2' };
    expect(inFormUnits(error, downloads)).toBe(error);
    const other = { field: 'log.partitions', message: 'must be from 1 to 256, got 0' };
    expect(inFormUnits(other, form)).toBe(other);
  });
});

describe('the settings store', () => {
  it('loads the view into the form, and marks edits unsaved until reset', async () => {
    const store = await loadedStore();
    expect(store.getState().status).toBe('ready');
    expect(store.getState().form?.log.kafka.brokers).toBe('127.0.0.1:9092');
    expect(hasUnsavedChanges(store.getState())).toBe(false);

    store.getState().setField('log.kafka.brokers', 'k1:9092, k2:9092');
    expect(hasUnsavedChanges(store.getState())).toBe(true);
    store.getState().reset();
    expect(hasUnsavedChanges(store.getState())).toBe(false);

    store.getState().setSecret('kafkaPassword', { action: 'remove', value: '' });
    expect(hasUnsavedChanges(store.getState())).toBe(true);
  });

  it('keeps unsaved edits when the page opens again', async () => {
    const store = await loadedStore();
    store.getState().setField('log.kafka.topic', 'mine');
    await store.getState().load();
    expect(store.getState().form?.log.kafka.topic).toBe('mine');
    await store.getState().load(true);
    expect(store.getState().form?.log.kafka.topic).toBe('content-downloads');
  });

  it('applies: sends the settings and the typed secrets, then lists what changed', async () => {
    const client = clientWith();
    let saved: SettingsView | null = null;
    client.handlers['settings:update'] = (params) => {
      const { settings } = params as { settings: Settings };
      saved = view(settings, { pendingRestart: ['engine.windowSizeMs'] });
      return saved;
    };
    const store = await loadedStore(client);
    store.getState().setField('log.backend', 'kafka');
    store.getState().setField('log.kafka.brokers', 'k1:9092\nk2:9093');
    store.getState().setField('engine.windowSizeMs', '2');
    store.getState().setSecret('kafkaPassword', { action: 'replace', value: 'pw' });

    const applying = store.getState().apply();
    expect(store.getState().applying).toBe(true);
    expect(await applying).toBe(true);

    const call = client.calls.find((c) => c.name === 'settings:update')!;
    const params = call.params as { settings: Settings; secrets: unknown };
    expect(params.settings.log.backend).toBe('kafka');
    expect(params.settings.log.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(params.settings.engine.windowSizeMs).toBe(2000);
    expect(params.secrets).toEqual({ kafkaPassword: 'pw' });

    const state = store.getState();
    expect(state.applying).toBe(false);
    expect(state.view).toBe(saved);
    expect(state.applied).toEqual({
      changes: ['Event log backend', 'Kafka brokers', 'Window size', 'Kafka password replaced'],
      pendingRestart: ['engine.windowSizeMs'],
    });
    expect(hasUnsavedChanges(state)).toBe(false);
    expect(state.secrets.kafkaPassword.action).toBe('keep');
  });

  it('shows the server’s errors next to their fields, and keeps the edits', async () => {
    const client = clientWith();
    const errors = [
      { field: 'log.kafka.brokers.0', message: 'needs a port (host:port).' },
      { field: 'engine.alertRules.0.threshold', message: 'must be at most 1.' },
    ];
    client.handlers['settings:update'] = () => {
      throw new ApiError(
        'invalid parameter',
        'log.kafka.brokers.0: …',
        errors[0]!.field,
        400,
        errors,
      );
    };
    const store = await loadedStore(client);
    store.getState().setField('log.kafka.brokers', 'localhost');

    expect(await store.getState().apply()).toBe(false);
    const state = store.getState();
    expect(state.fieldErrors).toEqual({
      'log.kafka.brokers': 'needs a port (host:port).',
      'engine.alertRules.0.threshold': 'must be at most 1.',
    });
    expect(state.errorSummary).toEqual(errors);
    expect(state.applied).toBeNull();
    expect(state.form?.log.kafka.brokers).toBe('localhost');

    // Editing a field clears its error (no local validator: the rest stay).
    store.getState().setField('log.kafka.brokers', 'localhost:9092');
    expect(Object.keys(store.getState().fieldErrors)).toEqual(['engine.alertRules.0.threshold']);
  });

  it('says why when Apply fails without naming fields', async () => {
    const client = clientWith();
    client.handlers['settings:update'] = () => {
      throw new ApiError('NetworkError', 'the backend is unreachable');
    };
    const store = await loadedStore(client);
    store.getState().setField('log.kafka.topic', 't');
    expect(await store.getState().apply()).toBe(false);
    expect(store.getState().applyError).toBe('the backend is unreachable');
    expect(store.getState().fieldErrors).toEqual({});
  });

  it('checks with the shared validator first: nothing is sent while a field is wrong', async () => {
    const client = clientWith();
    const store = await loadedStore(client, brokersValidator);
    store.getState().setField('log.kafka.brokers', 'a b:1');
    expect(await store.getState().apply()).toBe(false);
    expect(client.count('settings:update')).toBe(0);
    expect(store.getState().fieldErrors).toEqual({ 'log.kafka.brokers': 'is not host:port' });

    // Once shown, errors follow the edits at once.
    store.getState().setField('log.kafka.brokers', 'b:1');
    expect(store.getState().fieldErrors).toEqual({});
    expect(store.getState().errorSummary).toEqual([]);
  });

  it('with the real validator: names "localhost" at the brokers field, in seconds at the window', async () => {
    const client = clientWith();
    const store = await loadedStore(client, validateSettings);
    store.getState().setField('log.backend', 'kafka');
    store.getState().setField('log.kafka.brokers', 'localhost');
    store.getState().setField('engine.windowSizeMs', '0.5');
    expect(await store.getState().apply()).toBe(false);
    expect(client.count('settings:update')).toBe(0);
    const { fieldErrors } = store.getState();
    expect(Object.keys(fieldErrors).sort()).toEqual(['engine.windowSizeMs', 'log.kafka.brokers']);
    expect(fieldErrors['log.kafka.brokers']).toContain('"localhost" has no port');
    expect(fieldErrors['engine.windowSizeMs']).toContain('from 1 s');
    expect(fieldErrors['engine.windowSizeMs']).toContain('got 0.5 s');
  });

  it('does not send a number field that is not a number', async () => {
    const client = clientWith();
    const store = await loadedStore(client);
    store.getState().setField('engine.alertRules.0.minEvents', '');
    expect(await store.getState().apply()).toBe(false);
    expect(client.count('settings:update')).toBe(0);
    expect(store.getState().fieldErrors).toEqual({
      'engine.alertRules.0.minEvents': 'Enter a number.',
    });
  });

  it('adds and removes alert rules with unique ids', async () => {
    const store = await loadedStore();
    store.getState().addRule();
    store.getState().addRule();
    const rules = store.getState().form!.engine.alertRules;
    expect(rules.map((r) => r.id)).toEqual(['high-error-rate', 'rule-2', 'rule-3']);
    store.getState().removeRule(0);
    expect(store.getState().form!.engine.alertRules.map((r) => r.id)).toEqual(['rule-2', 'rule-3']);
    store.getState().addRule();
    expect(store.getState().form!.engine.alertRules.at(-1)!.id).toBe('rule-4');
  });

  it('tests a connection with the unsaved settings and typed secrets, and keeps the result', async () => {
    const client = clientWith();
    let finish: (v: unknown) => void = () => {};
    client.handlers['settings:testKafka'] = () => new Promise((resolve) => (finish = resolve));
    const store = await loadedStore(client);
    store.getState().setField('log.kafka.brokers', '127.0.0.1:39092');
    store.getState().setSecret('kafkaPassword', { action: 'replace', value: 'typed' });

    const testing = store.getState().testConnection('kafka');
    expect(store.getState().tests.kafka.running).toBe(true);
    const params = client.calls.find((c) => c.name === 'settings:testKafka')!.params as {
      settings: Settings;
      secrets: unknown;
    };
    expect(params.settings.log.kafka.brokers).toEqual(['127.0.0.1:39092']);
    expect(params.secrets).toEqual({ kafkaPassword: 'typed' });

    const result = { ok: false, problem: 'refused', message: 'nothing listens', elapsedMs: 3 };
    finish(result);
    await testing;
    expect(store.getState().tests.kafka).toEqual({ running: false, result, error: null });
    expect(store.getState().tests.postgres.result).toBeNull();
    // Testing saves nothing.
    expect(client.count('settings:update')).toBe(0);
    expect(hasUnsavedChanges(store.getState())).toBe(true);
  });

  it('drops a test’s result once what it tried is edited, or on Reset', async () => {
    const client = clientWith();
    client.handlers['settings:testKafka'] = () => ({
      ok: true,
      problem: null,
      message: 'connected',
      elapsedMs: 3,
    });
    const store = await loadedStore(client);
    await store.getState().testConnection('kafka');
    await store.getState().testConnection('postgres');
    store.getState().setField('generator.seed', '7');
    expect(store.getState().tests.kafka.result?.ok).toBe(true);
    store.getState().setField('log.kafka.topic', 'other');
    expect(store.getState().tests.kafka.result).toBeNull();
    expect(store.getState().tests.postgres.result).not.toBeNull();
    store.getState().reset();
    expect(store.getState().tests.postgres.result).toBeNull();
  });

  it('reports a test call that failed, with its field errors', async () => {
    const client = clientWith();
    client.handlers['settings:testPostgres'] = () => {
      throw new ApiError('invalid parameter', 'bad url', 'postgres.url', 400);
    };
    const store = await loadedStore(client);
    await store.getState().testConnection('postgres');
    expect(store.getState().tests.postgres).toEqual({
      running: false,
      result: null,
      error: 'bad url',
    });
    expect(store.getState().fieldErrors).toEqual({ 'postgres.url': 'bad url' });
  });

  it('reports a failed load, and loads on retry', async () => {
    const client = clientWith();
    client.failWith = new ApiError('NetworkError', 'the backend is unreachable');
    const store = createSettingsStore(client);
    await store.getState().load();
    expect(store.getState()).toMatchObject({
      status: 'failed',
      loadError: 'the backend is unreachable',
      form: null,
    });
    client.failWith = null;
    await store.getState().load(true);
    expect(store.getState().status).toBe('ready');
  });
});
