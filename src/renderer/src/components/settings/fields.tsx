/**
 * The settings form's inputs. Each is bound to a Settings path (`log.kafka.brokers`): it reads its
 * value from the form, writes it back, and shows what the page knows about that path (see
 * field-meta.tsx). A number's bounds and unit, and a field's hint, come from the settings
 * catalogue unless the section gives its own.
 */
import type { ReactNode } from 'react';
import { formFieldInfo } from '../../store/settings-store';
import { ariaProps, FieldNotes, useFieldMeta, useValue } from './field-meta';
import { useSettings } from './settings-context';

export {
  ariaProps,
  FieldNotes,
  fieldId,
  OVERRIDDEN_NOTE,
  PENDING_RESTART_NOTE,
  useFieldMeta,
  type FieldMeta,
} from './field-meta';
export { SecretField } from './SecretField';

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
  const hint = props.hint ?? formFieldInfo(props.path).help;
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
        {...ariaProps(meta, Boolean(hint))}
      />
      <FieldNotes meta={meta} hint={hint} />
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
  const info = formFieldInfo(props.path);
  const hint = props.hint ?? info.help;
  const unit = props.unit ?? info.unit;
  const value = useValue(props.path);
  const setField = useSettings((s) => s.setField);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={meta.id}>
        {props.label}
        {unit && <span className="sr-only"> ({unit})</span>}
      </label>
      <span className="with-unit">
        <input
          id={meta.id}
          type="number"
          inputMode="decimal"
          min={props.min ?? info.min}
          max={props.max ?? info.max}
          step={props.step ?? 'any'}
          value={typeof value === 'string' ? value : ''}
          readOnly={meta.overridden}
          onChange={(event) => setField(props.path, event.target.value)}
          {...ariaProps(meta, Boolean(hint))}
        />
        {unit && (
          <span className="unit" aria-hidden="true">
            {unit}
          </span>
        )}
      </span>
      <FieldNotes meta={meta} hint={hint} />
    </div>
  );
}

export function TextAreaField(
  props: BaseProps & { readonly rows?: number; readonly placeholder?: string },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const hint = props.hint ?? formFieldInfo(props.path).help;
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
        {...ariaProps(meta, Boolean(hint))}
      />
      <FieldNotes meta={meta} hint={hint} />
    </div>
  );
}

export function SelectField(
  props: BaseProps & { readonly options: ReadonlyArray<readonly [string, string]> },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const hint = props.hint ?? formFieldInfo(props.path).help;
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
        {...ariaProps(meta, Boolean(hint))}
      >
        {props.options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
      <FieldNotes meta={meta} hint={hint} />
    </div>
  );
}

/** Two to four choices as radio buttons in a fieldset (the log's backend, the database's mode). */
export function RadioField(
  props: BaseProps & { readonly options: ReadonlyArray<readonly [string, string]> },
): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const hint = props.hint ?? formFieldInfo(props.path).help;
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
              {...ariaProps(meta, Boolean(hint))}
            />
            {optionLabel}
          </label>
        ))}
      </div>
      <FieldNotes meta={meta} hint={hint} />
    </fieldset>
  );
}

export function CheckboxField(props: BaseProps): React.JSX.Element {
  const meta = useFieldMeta(props.path);
  const hint = props.hint ?? formFieldInfo(props.path).help;
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
          {...ariaProps(meta, Boolean(hint))}
        />
        {props.label}
      </label>
      <FieldNotes meta={meta} hint={hint} />
    </div>
  );
}
