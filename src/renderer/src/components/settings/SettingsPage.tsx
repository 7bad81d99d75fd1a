/**
 * The settings page: the event log, PostgreSQL, the generator's defaults and the engine, edited in
 * a form and applied at once (settings:update). What the server says about them is shown at the
 * top: a secret store that is not the OS's, notices (a corrupt settings file replaced by
 * defaults), the errors of the last Apply (each also next to its field), what was applied.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  fieldLabel,
  formFieldOf,
  hasUnsavedChanges,
  type SettingsStore,
} from '../../store/settings-store';
import { Skeleton } from '../Panel';
import { EngineSection } from './EngineSection';
import { EventLogSection } from './EventLogSection';
import { fieldId } from './fields';
import { GeneratorSection } from './GeneratorSection';
import { PostgresSection } from './PostgresSection';
import { SettingsStoreContext, useSettings, useSettingsShallow } from './settings-context';

export function SettingsPage({ store }: { store: SettingsStore }): React.JSX.Element {
  useEffect(() => {
    // Fresh from the server each time the page opens; unsaved edits are kept.
    void store.getState().load();
    const title = document.title;
    document.title = 'Settings · StreamPulse';
    return () => {
      document.title = title;
    };
  }, [store]);
  return (
    <SettingsStoreContext value={store}>
      <SettingsContent />
    </SettingsStoreContext>
  );
}

function SettingsContent(): React.JSX.Element {
  const { status, loadError, loaded, applying, secretStore } = useSettingsShallow((s) => ({
    status: s.status,
    loadError: s.loadError,
    loaded: s.form !== null,
    applying: s.applying,
    secretStore: s.view?.secretStore.kind ?? null,
  }));
  const apply = useSettings((s) => s.apply);
  const load = useSettings((s) => s.load);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [focusSummary, setFocusSummary] = useState(0);

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    if (focusSummary > 0) summaryRef.current?.focus();
  }, [focusSummary]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!(await apply())) setFocusSummary((n) => n + 1);
  };

  return (
    <div className="settings-page" data-testid="settings-page">
      <div className="settings-head">
        <h2 id="settings-title" ref={headingRef} tabIndex={-1}>
          Settings
        </h2>
        <p className="subtitle">
          Saved in the data directory
          {secretStore && <>; passwords in {secretStoreName(secretStore)}, never shown here</>}.
        </p>
      </div>
      {!loaded && status === 'failed' && (
        <div className="notice notice-error" role="alert">
          <span>
            <strong>Could not load the settings.</strong> {loadError}
          </span>
          <button type="button" className="button-secondary" onClick={() => void load(true)}>
            Retry
          </button>
        </div>
      )}
      {!loaded && status !== 'failed' && (
        <div className="panel" aria-busy="true">
          <Skeleton lines={6} />
        </div>
      )}
      {loaded && (
        <form
          onSubmit={(event) => void onSubmit(event)}
          noValidate
          aria-labelledby="settings-title"
        >
          <ServerNotices />
          <ErrorSummary summaryRef={summaryRef} />
          <ApplyOutcome />
          <fieldset className="settings-grid" disabled={applying}>
            <legend className="sr-only">Settings</legend>
            <EventLogSection />
            <PostgresSection />
            <GeneratorSection />
            <EngineSection />
          </fieldset>
          <ActionBar />
        </form>
      )}
    </div>
  );
}

const SECRET_STORES: Readonly<Record<string, string>> = {
  file: 'a file readable only by you',
  memory: 'memory only',
  keychain: 'the macOS Keychain',
  dpapi: 'Windows’ DPAPI',
  gnome_libsecret: 'the GNOME keyring',
  kwallet: 'KWallet',
  kwallet5: 'KWallet',
  kwallet6: 'KWallet',
  basic_text: 'an obfuscated file (no OS keyring)',
};

/** Where passwords are kept, for people ("keychain" → "the macOS Keychain"). */
export function secretStoreName(kind: string): string {
  return SECRET_STORES[kind] ?? kind;
}

/** The secret store's warning and the server's notices, at the top where they are seen. */
function ServerNotices(): React.JSX.Element | null {
  const { warning, notices } = useSettingsShallow((s) => ({
    warning: s.view?.secretStore.warning ?? null,
    notices: s.view?.notices ?? [],
  }));
  if (!warning && notices.length === 0) return null;
  return (
    <div className="notice notice-warning" role="alert" data-testid="settings-notices">
      <span aria-hidden="true" className="notice-icon">
        !
      </span>
      <div>
        {warning && (
          <p>
            <strong>Password storage:</strong> {warning}
          </p>
        )}
        {notices.map((notice) => (
          <p key={notice}>{notice}</p>
        ))}
      </div>
    </div>
  );
}

export function focusField(path: string): void {
  const element = document.getElementById(fieldId(formFieldOf(path) ?? path));
  if (!element) return;
  element.scrollIntoView({ block: 'center' });
  element.focus();
}

function ErrorSummary({
  summaryRef,
}: {
  summaryRef: React.RefObject<HTMLDivElement | null>;
}): React.JSX.Element | null {
  const errors = useSettings((s) => s.errorSummary);
  if (errors.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      tabIndex={-1}
      ref={summaryRef}
      data-testid="error-summary"
    >
      <h3>
        {errors.length === 1 ? 'One setting needs' : `${errors.length} settings need`} a fix.
        Nothing is applied until then.
      </h3>
      <ul>
        {errors.map((error, i) => (
          <li key={`${error.field}-${i}`}>
            <button type="button" className="link-button" onClick={() => focusField(error.field)}>
              {fieldLabel(error.field)}
            </button>
            : {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the last Apply did, or why it did not; settings saved for the next start. */
function ApplyOutcome(): React.JSX.Element | null {
  const { applied, applyError, pendingRestart } = useSettingsShallow((s) => ({
    applied: s.applied,
    applyError: s.applyError,
    pendingRestart: s.view?.pendingRestart ?? [],
  }));
  const restartNote =
    pendingRestart.length > 0
      ? `Takes effect at next start: ${pendingRestart.map(fieldLabel).join(', ')}.`
      : null;
  return (
    <>
      {applyError && (
        <div className="notice notice-error" role="alert" data-testid="apply-error">
          <span>
            <strong>Not applied.</strong> {applyError}
          </span>
        </div>
      )}
      <div role="status" className="status-region">
        {applied ? (
          <div className="notice notice-ok" data-testid="applied">
            <span>
              <strong>Applied.</strong>{' '}
              {applied.changes.length > 0
                ? `Changed: ${applied.changes.join(', ')}.`
                : 'Nothing had changed.'}
              {restartNote && <> {restartNote}</>}
            </span>
          </div>
        ) : (
          restartNote && (
            <div className="notice notice-info">
              <span>Saved. {restartNote}</span>
            </div>
          )
        )}
      </div>
    </>
  );
}

/** Apply and Reset, always in view (sticky), with the form's state next to them. */
function ActionBar(): React.JSX.Element {
  const dirty = useSettings(hasUnsavedChanges);
  const { applying, applied, errors, applyError } = useSettingsShallow((s) => ({
    applying: s.applying,
    applied: s.applied !== null,
    errors: s.errorSummary.length,
    applyError: s.applyError !== null,
  }));
  const reset = useSettings((s) => s.reset);
  return (
    <div className="settings-actions" aria-busy={applying}>
      <p className="unsaved" role="status" data-testid="unsaved">
        {applying ? (
          <>
            <span className="spinner" aria-hidden="true" />
            Applying… switching the event log or the database can take a few seconds.
          </>
        ) : errors > 0 || applyError ? (
          <span className="unsaved-bad">
            Not applied:{' '}
            {errors > 0
              ? `${errors === 1 ? 'one setting needs' : `${errors} settings need`} a fix (listed above)`
              : 'see above'}
            .
          </span>
        ) : applied ? (
          <span className="unsaved-ok">Applied: the changes are listed above.</span>
        ) : dirty ? (
          <>
            <span className="dot dot-unsaved" aria-hidden="true" />
            Unsaved changes
          </>
        ) : (
          'No unsaved changes'
        )}
      </p>
      <div className="buttons">
        <button
          type="button"
          className="button-secondary"
          disabled={!dirty || applying}
          onClick={reset}
        >
          Reset
        </button>
        <button type="submit" disabled={!dirty || applying}>
          {applying ? 'Applying…' : 'Apply'}
        </button>
      </div>
    </div>
  );
}
