/**
 * Makes a bounded run's generation idempotent. A run is identified by its parameters; its manifest
 * records the log's end offsets before it started and whether generation finished. Re-running the
 * same run after a crash (even mid-generation) appends exactly the events still missing: the
 * sequence is deterministic, so the events already in each partition are regenerated and skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  /**
   * Each partition's end offset once generation finished: the run's events are the offsets from
   * `baseEndOffsets` up to these. Absent in manifests written before it existed.
   */
  readonly generatedEndOffsets?: readonly number[];
  /**
   * Every window finalized into the database. Absent in manifests written before it existed:
   * those count as finished once generated.
   */
  readonly completed?: boolean;
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
      completed: false,
    };
    mkdirSync(this.dir, { recursive: true });
    writeJsonAtomic(path, manifest);
    return { manifest, resumed: false };
  }

  markGenerated(manifest: RunManifest, endOffsets: readonly number[]): RunManifest {
    const done = { ...manifest, generated: true, generatedEndOffsets: [...endOffsets] };
    writeJsonAtomic(this.pathOf(manifest.id), done);
    return done;
  }

  markCompleted(manifest: RunManifest): RunManifest {
    const done = { ...manifest, generated: true, completed: true };
    writeJsonAtomic(this.pathOf(manifest.id), done);
    return done;
  }

  /**
   * The newest run that was started and not finished with the same parameters but its start:
   * what a command given without `--start` (whose start is "now") must finish after a crash,
   * rather than begin another run with a later start.
   */
  unfinished(parameters: RunParameters): RunManifest | undefined {
    if (!existsSync(this.dir)) return undefined;
    const candidates = readdirSync(this.dir)
      .filter((name) => /^[0-9a-f]{16}\.json$/.test(name))
      .map((name) => join(this.dir, name))
      .map((path) => ({ path, modified: statSync(path).mtimeMs }))
      .sort((a, b) => b.modified - a.modified);
    for (const { path } of candidates) {
      let manifest: RunManifest;
      try {
        manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
      } catch {
        continue; // not ours to judge here: openRun reads the one it needs
      }
      const finished = manifest.completed ?? manifest.generated;
      if (finished || !sameExceptStart(manifest.parameters, parameters)) continue;
      return manifest;
    }
    return undefined;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

function sameExceptStart(a: RunParameters, b: RunParameters): boolean {
  return runIdOf({ ...a, start: 0 }) === runIdOf({ ...b, start: 0 });
}

/** Per partition, how many of the run's events are already in the log. */
export function alreadyAppended(manifest: RunManifest, endOffsets: readonly number[]): number[] {
  return endOffsets.map((end, p) => end - (manifest.baseEndOffsets[p] ?? 0));
}
