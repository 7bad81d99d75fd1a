/**
 * Poison records for drills: bytes no decoder accepts, which the engine must set aside as dead
 * letters and go on.
 */
import { REGIONS } from '../../shared/domain';
import type { PackedRecords } from '../log/event-log';

/** Poison records: bytes no decoder accepts, spread over the regions (so over every partition). */
export function poisonRecords(count: number, at: number): PackedRecords {
  const keys: string[] = [];
  const parts: Buffer[] = [];
  const valueEnds: number[] = [];
  let end = 0;
  for (let i = 0; i < count; i++) {
    keys.push(REGIONS[i % REGIONS.length]!);
    // Shorter than an event's first field (a 16-byte id): no decoder can read it.
    const value = Buffer.from(`poison ${i}`);
    parts.push(value);
    end += value.length;
    valueEnds.push(end);
  }
  return { count, keys, timestamps: keys.map(() => at), values: Buffer.concat(parts), valueEnds };
}
