/** A control's error, next to the control; `invalidProps` marks the field the API named. */
import type { ControlError } from '../store/dashboard-store';

export function ControlErrorText({
  id,
  error,
}: {
  id: string;
  error: ControlError | undefined;
}): React.JSX.Element | null {
  if (!error) return null;
  return (
    <p className="control-error" id={id} role="alert">
      {error.message}
    </p>
  );
}

/** aria-invalid and aria-describedby for an input, given the control's error. */
export function fieldProps(
  error: ControlError | undefined,
  errorId: string,
  field: string,
): { 'aria-invalid': boolean; 'aria-describedby': string | undefined } {
  const invalid = error !== undefined && (error.field === undefined || error.field === field);
  return { 'aria-invalid': invalid, 'aria-describedby': error ? errorId : undefined };
}
