/**
 * Hides secret values in text bound for logs and error messages: each secret (4 characters or
 * more; shorter ones would mask ordinary words) is replaced by ***, also where it appears
 * percent-encoded, as in a URL.
 */
export const REDACTED = '***';

export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is hidden whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(REDACTED);
  }
  return result;
}
