/** A secret's field: whether one is stored, Set / Replace / Remove, and the new value's input. */
import type { ReactNode } from 'react';
import type { SecretName } from '../../../../shared/settings';
import { ariaProps, FieldNotes, useFieldMeta } from './field-meta';
import { useSettings } from './settings-context';

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
