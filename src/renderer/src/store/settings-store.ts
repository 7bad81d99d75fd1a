/**
 * The settings page's state: the settings as the server has them (`SettingsView`), the form being
 * edited (settings-form.ts), the secrets typed but not yet sent, the errors of each field
 * (settings-fields.ts), Apply and the connection tests. A vanilla zustand store, like the
 * dashboard's, so it runs (and is tested) without React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  SECRET_NAMES,
  type ConnectionTestResult,
  type FieldError,
  type SecretName,
  type Settings,
  type SettingsView,
} from '../../../shared/settings';
import { ApiError, type ApiClient } from '../api/api-client';
import {
  changedFields,
  errorsByField,
  FIELD_LABELS,
  formFieldOf,
  inFormUnits,
} from './settings-fields';
import {
  brokersFromText,
  formToSettings,
  KEEP_SECRETS,
  newAlertRule,
  secretsUpdate,
  setIn,
  settingsToForm,
  type SecretDraft,
  type SecretDrafts,
  type SettingsForm,
} from './settings-form';

// The form model and the field catalogue, for the page's components.
export * from './settings-fields';
export * from './settings-form';

export type Validator = (
  raw: unknown,
) =>
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export type ConnectionKind = 'kafka' | 'postgres';

export interface ConnectionTestState {
  readonly running: boolean;
  readonly result: ConnectionTestResult | null;
  /** The call itself failed (the backend is unreachable, the settings are invalid). */
  readonly error: string | null;
}

export interface AppliedSummary {
  /** Labels of the settings that changed, and of the secrets replaced or removed. */
  readonly changes: readonly string[];
  readonly pendingRestart: readonly string[];
}

export interface SettingsData {
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly loadError: string | null;
  readonly view: SettingsView | null;
  readonly form: SettingsForm | null;
  /** The form as loaded or last applied: what Reset goes back to, and what "unsaved" compares. */
  readonly savedForm: SettingsForm | null;
  readonly secrets: SecretDrafts;
  /** By form field (see formFieldOf); '' for errors no field shows. */
  readonly fieldErrors: Readonly<Record<string, string>>;
  /** Every error of the last Apply or check, for the summary at the top. */
  readonly errorSummary: readonly FieldError[];
  /** Apply failed without naming fields (the backend refused or could not be reached). */
  readonly applyError: string | null;
  readonly applying: boolean;
  readonly applied: AppliedSummary | null;
  readonly tests: { readonly [K in ConnectionKind]: ConnectionTestState };
}

export interface SettingsActions {
  /** Reads the settings; unless `force`, keeps unsaved edits. */
  load(force?: boolean): Promise<void>;
  setField(path: string, value: string | boolean): void;
  setSecret(name: SecretName, draft: SecretDraft): void;
  addRule(): void;
  removeRule(index: number): void;
  /** Back to the settings as saved: edits, typed secrets and errors dropped. */
  reset(): void;
  /** Validates, then calls settings:update; true when applied. */
  apply(): Promise<boolean>;
  testConnection(kind: ConnectionKind): Promise<void>;
}

export type SettingsState = SettingsData & SettingsActions;
export type SettingsStore = StoreApi<SettingsState>;

const IDLE_TEST: ConnectionTestState = { running: false, result: null, error: null };

/** Whether the form differs from the saved settings, or a secret is to be replaced or removed. */
export function hasUnsavedChanges(state: SettingsData): boolean {
  if (!state.form || !state.savedForm) return false;
  return (
    JSON.stringify(state.form) !== JSON.stringify(state.savedForm) ||
    Object.keys(secretsUpdate(state.secrets)).length > 0
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function fieldErrorsOfError(err: unknown): readonly FieldError[] {
  return err instanceof ApiError ? err.errors : [];
}

export interface SettingsStoreOptions {
  /** The shared validator, for errors before any call (absent: the server's errors only). */
  readonly validate?: Validator;
}

export function createSettingsStore(
  client: ApiClient,
  options: SettingsStoreOptions = {},
): SettingsStore {
  return createStore<SettingsState>()((set, get) => {
    /** The form as Settings, with its errors: the number parse, then the shared validator. */
    const check = (): { settings: Settings; errors: readonly FieldError[] } | null => {
      const { form, view } = get();
      if (!form || !view) return null;
      const parsed = formToSettings(form, view.settings);
      if (parsed.errors.length > 0 || !options.validate) return parsed;
      const result = options.validate(parsed.settings);
      return result.ok
        ? { settings: result.settings, errors: [] }
        : { settings: parsed.settings, errors: result.errors };
    };

    const showErrors = (raw: readonly FieldError[]): void => {
      const { form } = get();
      const errors = raw.map((error) => inFormUnits(error, form));
      const brokers = brokersFromText(form?.log.kafka.brokers ?? '').length;
      set({ fieldErrors: errorsByField(errors, brokers), errorSummary: errors });
    };

    /** After an error was shown, edits re-check at once, so errors go as they are fixed. */
    const recheck = (path: string): void => {
      const { errorSummary, fieldErrors } = get();
      if (errorSummary.length === 0) return;
      if (options.validate) {
        showErrors(check()?.errors ?? []);
        return;
      }
      // Without a validator, only the server knows: clear the edited field's error.
      const key = formFieldOf(path) ?? path;
      if (!(key in fieldErrors)) return;
      const remaining = errorSummary.filter((e) => (formFieldOf(e.field) ?? '') !== key);
      showErrors(remaining);
    };

    /** A test's result no longer says anything once what it tried was edited: drop it. */
    const staleTest = (path: string): void => {
      const kind: ConnectionKind | null =
        path.startsWith('log.kafka.') || path === 'secrets.kafkaPassword'
          ? 'kafka'
          : path.startsWith('postgres.') || path === 'secrets.postgresPassword'
            ? 'postgres'
            : null;
      const test = kind && get().tests[kind];
      if (kind && test && !test.running && (test.result || test.error))
        set({ tests: { ...get().tests, [kind]: IDLE_TEST } });
    };

    const fromView = (view: SettingsView): Partial<SettingsData> => {
      const form = settingsToForm(view.settings);
      return { view, form, savedForm: form, secrets: KEEP_SECRETS };
    };

    return {
      status: 'idle',
      loadError: null,
      view: null,
      form: null,
      savedForm: null,
      secrets: KEEP_SECRETS,
      fieldErrors: {},
      errorSummary: [],
      applyError: null,
      applying: false,
      applied: null,
      tests: { kafka: IDLE_TEST, postgres: IDLE_TEST },

      async load(force = false) {
        if (get().status === 'loading') return;
        set({ status: 'loading', loadError: null });
        try {
          const view = await client.call('settings:get', {});
          const keepEdits = !force && get().form !== null && hasUnsavedChanges(get());
          set({
            status: 'ready',
            ...(keepEdits
              ? { view }
              : {
                  ...fromView(view),
                  fieldErrors: {},
                  errorSummary: [],
                  applied: null,
                  applyError: null,
                }),
          });
        } catch (err) {
          set({ status: 'failed', loadError: messageOf(err) });
        }
      },

      setField(path, value) {
        const { form } = get();
        if (!form) return;
        set({ form: setIn(form, path, value), applied: null, applyError: null });
        staleTest(path);
        recheck(path);
      },

      setSecret(name, draft) {
        set({ secrets: { ...get().secrets, [name]: draft }, applied: null });
        staleTest(`secrets.${name}`);
        recheck(`secrets.${name}`);
      },

      addRule() {
        const { form } = get();
        if (!form) return;
        const rules = [...form.engine.alertRules, newAlertRule(form.engine.alertRules)];
        set({ form: setIn(form, 'engine.alertRules', rules), applied: null });
      },

      removeRule(index) {
        const { form } = get();
        if (!form) return;
        const rules = form.engine.alertRules.filter((_, i) => i !== index);
        set({ form: setIn(form, 'engine.alertRules', rules), applied: null });
        // The indexes after it moved: their errors no longer point at the right rule.
        if (get().errorSummary.some((e) => e.field.startsWith('engine.alertRules')))
          showErrors(options.validate ? (check()?.errors ?? []) : []);
      },

      reset() {
        const { savedForm, tests } = get();
        const idle = (test: ConnectionTestState) => (test.running ? test : IDLE_TEST);
        set({
          tests: { kafka: idle(tests.kafka), postgres: idle(tests.postgres) },
          form: savedForm,
          secrets: KEEP_SECRETS,
          fieldErrors: {},
          errorSummary: [],
          applyError: null,
          applied: null,
        });
      },

      async apply() {
        const checked = check();
        const { view } = get();
        if (!checked || !view || get().applying) return false;
        set({ applied: null, applyError: null });
        if (checked.errors.length > 0) {
          showErrors(checked.errors);
          return false;
        }
        const secrets = secretsUpdate(get().secrets);
        set({ applying: true });
        try {
          const next = await client.call('settings:update', {
            settings: checked.settings,
            ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
          });
          const secretChanges = SECRET_NAMES.filter((name) => name in secrets).map(
            (name) =>
              `${FIELD_LABELS[`secrets.${name}`]} ${secrets[name] === null ? 'removed' : 'replaced'}`,
          );
          set({
            ...fromView(next),
            applying: false,
            fieldErrors: {},
            errorSummary: [],
            applied: {
              changes: [...changedFields(view.settings, next.settings), ...secretChanges],
              pendingRestart: next.pendingRestart,
            },
          });
          return true;
        } catch (err) {
          const errors = fieldErrorsOfError(err);
          set({ applying: false });
          if (errors.length > 0) showErrors(errors);
          else set({ applyError: messageOf(err) });
          return false;
        }
      },

      async testConnection(kind) {
        if (get().tests[kind].running) return;
        const setTest = (state: ConnectionTestState) =>
          set({ tests: { ...get().tests, [kind]: state } });
        const checked = check();
        if (!checked) return;
        // The number fields must parse; other problems are the test's to report.
        const unparsed = formToSettings(get().form!, get().view!.settings).errors;
        if (unparsed.length > 0) {
          showErrors(unparsed);
          setTest({ running: false, result: null, error: 'Fix the fields marked first.' });
          return;
        }
        setTest({ running: true, result: null, error: null });
        const secrets = secretsUpdate(get().secrets);
        const params = {
          settings: checked.settings,
          ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
        };
        try {
          const result = await client.call(
            kind === 'kafka' ? 'settings:testKafka' : 'settings:testPostgres',
            params,
          );
          setTest({ running: false, result, error: null });
        } catch (err) {
          const errors = fieldErrorsOfError(err);
          if (errors.length > 0) showErrors(errors);
          setTest({ running: false, result: null, error: messageOf(err) });
        }
      },
    };
  });
}
