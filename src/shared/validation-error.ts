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

/**
 * Several fields wrong at once (a settings form): all of them, so each can be shown next to its
 * field. `field` is the first, for clients that show one.
 */
export class FieldsValidationError extends ValidationError {
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>;

  constructor(errors: ReadonlyArray<{ readonly field: string; readonly message: string }>) {
    const [first] = errors;
    super(first?.field ?? 'body', first?.message ?? 'is invalid');
    if (errors.length > 1) this.message += ` (and ${errors.length - 1} more)`;
    this.errors = errors;
  }
}

/** The field errors an error carries, if it is a FieldsValidationError (or one rebuilt from IPC/HTTP). */
export function fieldErrorsOf(
  err: unknown,
): ReadonlyArray<{ readonly field: string; readonly message: string }> | undefined {
  const errors = (err as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as Array<{ field: string; message: string }>) : undefined;
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
