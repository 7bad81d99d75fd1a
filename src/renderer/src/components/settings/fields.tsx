/**
 * The settings form's fields. Each is bound to a Settings path (`log.kafka.brokers`): it reads its
 * value from the form, writes it back, and shows what the page knows about that path: its error
 * (aria-invalid, aria-describedby), an environment variable or flag overriding it (read-only), and
 * a change saved for the next start.
 */
import type { ReactNode } from 'react';
import type { SecretName } from '../../../../shared/settings';
import { pathCovers } from '../../store/settings-store';
import { useSettings } from './settings-context';

/** The element id of a field, by its path: the error summary's links focus it. */
export function fieldId(path: string): string {
  return `setting-${path.replace(/\./g, '-')}`;
}

export const OVERRIDDEN_NOTE = 'Set by an environment variable or flag';
export const PENDING_RESTART_NOTE = 'Takes effect at next start';

function getIn(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export interface FieldMeta {
  readonly id: string;
  readonly error: string | undefined;
  readonly overridden: boolean;
  readonly pendingRestart: boolean;
  readonly errorId: string;
  readonly noteId: string;
  readonly hintId: string;
}

export function useFieldMeta(path: string): FieldMeta {
  const error = useSettings((s) => s.fieldErrors[path]);
  const overridden = useSettings(
    (s) => s.view?.overridden.some((p) => pathCovers(p, path)) ?? false,
  );
  const pendingRestart = useSettings(
    (s) => s.view?.pendingRestart.some((p) => pathCovers(p, path)) ?? false,
  );
  const id = fieldId(path);
  return {
    id,
    error,
    overridden,
    pendingRestart,
    errorId: `${id}-error`,
    noteId: `${id}-note`,
    hintId: `${id}-hint`,
  };
}

/** aria-invalid and aria-describedby for a field's input. */
export function ariaProps(
  meta: FieldMeta,
  hasHint: boolean,
): { 'aria-invalid': boolean; 'aria-describedby': string | undefined } {
  const ids = [
    meta.error && meta.errorId,
    (meta.overridden || meta.pendingRestart) && meta.noteId,
    hasHint && meta.hintId,
  ].filter(Boolean);
  return {
    'aria-invalid': meta.error !== undefined,
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
  };
}

/** The notes and the error under a field's input. */
export function FieldNotes({
  meta,
  hint,
}: {
  meta: FieldMeta;
  hint?: ReactNode;
}): React.JSX.Element {
  return (
    <>
      {hint && (
        <p className="field-hint" id={meta.hintId}>
          {hint}
        </p>
      )}
      {(meta.overridden || meta.pendingRestart) && (
        <p className="field-note" id={meta.noteId}>
          {[meta.overridden && OVERRIDDEN_NOTE, meta.pendingRestart && PENDING_RESTART_NOTE]
            .filter(Boolean)
            .join('. ')}
        </p>
      )}
      {meta.error && (
        <p className="control-error" id={meta.errorId}>
          {meta.error}
        </p>
      )}
    </>
  );
}

function useValue(path: string): unknown {
  return useSettings((s) => getIn(s.form, path));
}

interface BaseProps {
  readonly path: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly className?: string;
}

export function TextField(
  props: BaseProps & {
    readonly type?: 'text' | 'url';
    readonly placeholder?: string;
    readonly autoComplete?: string;
  },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={meta.id}>{props.label}</label>
      <input
        id={meta.id}
        type={props.type ?? 'text'}
        value={typeof value === 'string' ? value : ''}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        readOnly={meta.overridden}
        onChange={(event) => setField(props.path, event.target.value)}
        {...ariaProps(meta, Boolean(props.hint))}
      />
      <FieldNotes meta={meta} hint={props.hint} />
    </div>
  );
}

export function NumberField(
  props: BaseProps & {
    readonly unit?: string;
    readonly min?: number;
    readonly max?: number;
    readonly step?: number | 'any';
  },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={meta.id}>
        {props.label}
        {props.unit && <span className="sr-only"> ({props.unit})</span>}
      </label>
      <span className="with-unit">
        <input
          id={meta.id}
          type="number"
          inputMode="decimal"
          min={props.min}
          max={props.max}
          step={props.step ?? 'any'}
          value={typeof value === 'string' ? value : ''}
          readOnly={meta.overridden}
          onChange={(event) => setField(props.path, event.target.value)}
          {...ariaProps(meta, Boolean(props.hint))}
        />
        {props.unit && (
          <span className="unit" aria-hidden="true">
            {props.unit}
          </span>
        )}
      </span>
      <FieldNotes meta={meta} hint={props.hint} />
    </div>
  );
}

export function TextAreaField(
  props: BaseProps & { readonly rows?: number; readonly placeholder?: string },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={meta.id}>{props.label}</label>
      <textarea
        id={meta.id}
        rows={props.rows ?? 3}
        value={typeof value === 'string' ? value : ''}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete="off"
        readOnly={meta.overridden}
        onChange={(event) => setField(props.path, event.target.value)}
        {...ariaProps(meta, Boolean(props.hint))}
      />
      <FieldNotes meta={meta} hint={props.hint} />
    </div>
  );
}

export function SelectField(
  props: BaseProps & { readonly options: ReadonlyArray<readonly [string, string]> },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={meta.id}>{props.label}</label>
      <select
        id={meta.id}
        value={typeof value === 'string' ? value : ''}
        disabled={meta.overridden}
        onChange={(event) => setField(props.path, event.target.value)}
        {...ariaProps(meta, Boolean(props.hint))}
      >
        {props.options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
      <FieldNotes meta={meta} hint={props.hint} />
    </div>
  );
}

/** Two to four choices as radio buttons in a fieldset (the log's backend, the database's mode). */
export function RadioField(
  props: BaseProps & { readonly options: ReadonlyArray<readonly [string, string]> },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <fieldset className={`field ${props.className ?? ''}`} id={meta.id} tabIndex={-1}>
      <legend>{props.label}</legend>
      <div className="radios">
        {props.options.map(([optionValue, optionLabel]) => (
          <label key={optionValue} className="radio">
            <input
              type="radio"
              name={meta.id}
              value={optionValue}
              checked={value === optionValue}
              disabled={meta.overridden}
              onChange={() => setField(props.path, optionValue)}
              {...ariaProps(meta, Boolean(props.hint))}
            />
            {optionLabel}
          </label>
        ))}
      </div>
      <FieldNotes meta={meta} hint={props.hint} />
    </fieldset>
  );
}

export function CheckboxField(props: BaseProps): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field field-check ${props.className ?? ''}`}>
      <label className="check">
        <input
          id={meta.id}
          type="checkbox"
          checked={value === true}
          disabled={meta.overridden}
          onChange={(event) => setField(props.path, event.target.checked)}
          {...ariaProps(meta, Boolean(props.hint))}
        />
        {props.label}
      </label>
      <FieldNotes meta={meta} hint={props.hint} />
    </div>
  );
}

/**
 * A secret: never its value, only whether one is stored; Replace (or Set) opens a password input
 * whose value goes only into the update's or the test's `secrets`; Remove deletes it on Apply.
 */
export function SecretField({
  name,
  label,
  hint,
}: {
  readonly name: SecretName;
  readonly label: string;
  readonly hint?: ReactNode;
}): React.JSX.Element {
  const path = `secrets.${name}`;
  const meta = useFieldMeta(path);
  const stored = useSettings((s) => s.view?.secrets[name]?.set ?? false);
  const draft = useSettings((s) => s.secrets[name]);
  const setSecret = useSettings((s) => s.setSecret);
  const statusId = `${meta.id}-status`;
  const status =
    draft.action === 'remove'
      ? 'Set, will be removed on Apply'
      : draft.action === 'replace'
        ? stored
          ? 'Set, to be replaced'
          : 'Not set'
        : stored
          ? 'Set'
          : 'Not set';
  return (
    <div className="field">
      <span className="field-label" id={`${meta.id}-label`}>
        {label}
      </span>
      <div className="secret-row">
        <span
          id={statusId}
          className={`secret-status${stored && draft.action !== 'remove' ? ' secret-set' : ''}`}
          data-testid={`secret-${name}`}
        >
          {status}
        </span>
        {draft.action === 'keep' && !meta.overridden && (
          <>
            <button
              type="button"
              className="button-small"
              id={meta.id}
              aria-label={`${stored ? 'Replace' : 'Set'} the ${label}`}
              aria-describedby={statusId}
              onClick={() => setSecret(name, { action: 'replace', value: '' })}
            >
              {stored ? 'Replace' : 'Set'}
            </button>
            {stored && (
              <button
                type="button"
                className="button-small"
                aria-label={`Remove the ${label}`}
                onClick={() => setSecret(name, { action: 'remove', value: '' })}
              >
                Remove
              </button>
            )}
          </>
        )}
        {draft.action !== 'keep' && (
          <button
            type="button"
            className="button-small"
            aria-label={`Keep the ${label} as it is`}
            onClick={() => setSecret(name, { action: 'keep', value: '' })}
          >
            {draft.action === 'remove' ? 'Undo' : 'Cancel'}
          </button>
        )}
      </div>
      {draft.action === 'replace' && (
        <>
          <label htmlFor={meta.id} className="sub-label">
            New {label}
          </label>
          <input
            id={meta.id}
            type="password"
            autoComplete="new-password"
            autoFocus
            value={draft.value}
            onChange={(event) => setSecret(name, { action: 'replace', value: event.target.value })}
            {...ariaProps(meta, Boolean(hint))}
          />
        </>
      )}
      <FieldNotes meta={meta} hint={hint} />
    </div>
  );
}
