/**
 * Makes a bounded run's generation idempotent. A run is identified by its parameters; its manifest
 * records the log's end offsets before it started and whether generation finished. Re-running the
 * same run after a crash (even mid-generation) appends exactly the events still missing: the
 * sequence is deterministic, so the events already in each partition are regenerated and skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../log/file-utils';

export interface RunParameters {
  readonly seed: string;
  readonly events: number;
  readonly start: number;
  readonly ratePerSecond: number;
  readonly failed: number;
  readonly slow: number;
  readonly lateFraction: number;
  readonly lateByMs: number;
}

export interface RunManifest {
  readonly version: 1;
  readonly id: string;
  readonly parameters: RunParameters;
  /** Each partition's end offset before the run appended anything. */
  readonly baseEndOffsets: readonly number[];
  readonly generated: boolean;
}

export function runIdOf(parameters: RunParameters): string {
  const canonical = JSON.stringify(
    Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export class RunManifestStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'runs');
  }

  /** The manifest of this run if it was started before; otherwise a new one from `endOffsets`. */
  openRun(
    parameters: RunParameters,
    endOffsets: readonly number[],
  ): { manifest: RunManifest; resumed: boolean } {
    const id = runIdOf(parameters);
    const path = this.pathOf(id);
    if (existsSync(path)) {
      return { manifest: JSON.parse(readFileSync(path, 'utf8')) as RunManifest, resumed: true };
    }
    const manifest: RunManifest = {
      version: 1,
      id,
      parameters,
      baseEndOffsets: [...endOffsets],
      generated: false,
    };
    mkdirSync(this.dir, { recursive: true });
    writeJsonAtomic(path, manifest);
    return { manifest, resumed: false };
  }

  markGenerated(manifest: RunManifest): RunManifest {
    const done = { ...manifest, generated: true };
    writeJsonAtomic(this.pathOf(manifest.id), done);
    return done;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

/** Per partition, how many of the run's events are already in the log. */
export function alreadyAppended(manifest: RunManifest, endOffsets: readonly number[]): number[] {
  return endOffsets.map((end, p) => end - (manifest.baseEndOffsets[p] ?? 0));
}
