/** Parsers for command-line values; each failure is a UsageError that names the flag. */
import { UsageError } from './cli-io';

export function parseInteger(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.replace(/_/g, ''));
  if (!/^-?[\d_]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parseNumber(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** An ISO 8601 date-time (`2026-11-24T12:00:00Z`); a time without a zone is read as UTC. */
export function parseTimestamp(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`;
  const value = Date.parse(withZone);
  if (!/^\d{4}-\d\d-\d\d/.test(raw) || Number.isNaN(value)) {
    throw new UsageError(
      `--${flag} must be an ISO 8601 date-time such as 2026-11-24T12:00:00Z, got "${raw}"`,
    );
  }
  return value;
}

/** `P:O`: partition P from offset O. */
export function parsePartitionOffset(flag: string, raw: string): [number, number] {
  const match = /^(\d+):(\d+)$/.exec(raw);
  if (!match)
    throw new UsageError(`--${flag} takes PARTITION:OFFSET, such as 0:1500, got "${raw}"`);
  return [Number(match[1]), Number(match[2])];
}

export function parseChoice<T extends string>(
  flag: string,
  raw: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration such as `500ms`, `2s`, `1m` or `1h` (a bare number is seconds), in ms. */
export function parseDuration(
  flag: string,
  raw: string | undefined,
  minMs: number,
  maxMs: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2] ?? 's']! : NaN;
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new UsageError(
      `--${flag} must be a duration from ${minMs} ms to ${maxMs / 1000} s, such as 60s, 1m or 500ms, got "${raw}"`,
    );
  }
  return Math.round(ms);
}
