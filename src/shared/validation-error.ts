/**
 * A bad parameter or setting, naming the field so the user (or the API's 400 response) can say
 * exactly what to fix.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** Checks that `value` is a finite number in [min, max]. */
export function requireNumberInRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `must be a number, got ${JSON.stringify(value)}`);
  }
  if (value < min || value > max) {
    throw new ValidationError(field, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}
