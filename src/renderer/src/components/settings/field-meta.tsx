/**
 * What a settings field shows besides its input, by its Settings path: its element id (the error
 * summary's links focus it), its error (aria-invalid, aria-describedby), an environment variable
 * or flag overriding it (read-only), a change saved for the next start, and its hint.
 */
import type { ReactNode } from 'react';
import { getIn, pathCovers } from '../../store/settings-store';
import { useSettings } from './settings-context';

/** The element id of a field, by its path: the error summary's links focus it. */
export function fieldId(path: string): string {
  return `setting-${path.replace(/\./g, '-')}`;
}

export const OVERRIDDEN_NOTE = 'Set by an environment variable or flag';
export const PENDING_RESTART_NOTE = 'Takes effect at next start';

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

/** The field's value in the form, as typed. */
export function useValue(path: string): unknown {
  return useSettings((s) => getIn(s.form, path));
}
