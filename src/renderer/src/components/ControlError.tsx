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

/**
 * A share entered as a percentage (0–100), marked invalid and linked to the control's error when
 * the error names its field.
 */
export function PercentInput(props: {
  readonly id: string;
  readonly field: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: ControlError | undefined;
  readonly errorId: string;
  readonly disabled?: boolean;
}): React.JSX.Element {
  return (
    <input
      id={props.id}
      type="number"
      min={0}
      max={100}
      step="any"
      value={props.value}
      disabled={props.disabled}
      onChange={(event) => props.onChange(event.target.value)}
      {...fieldProps(props.error, props.errorId, props.field)}
    />
  );
}
