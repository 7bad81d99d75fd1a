/**
 * Committed consumer-group offsets: `<dir>/<topic>/groups/<groupId>.json`, one small file per
 * group, rewritten atomically on each commit (temp file + rename), so a crash mid-commit
 * leaves the previous commit intact.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PartitionOffset } from './event-log';
import { readJsonFile, writeJsonAtomic } from './file-utils';

/** Group ids become file names: keep them to a portable, traversal-free alphabet. */
const SAFE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function assertSafeName(what: string, name: string): void {
  if (!SAFE_NAME.test(name) || name === '.' || name === '..') {
    throw new Error(
      `Invalid ${what} ${JSON.stringify(name)}: use 1 to 200 letters, digits, '.', '_' or '-'.`,
    );
  }
}

interface GroupFile {
  readonly version: 1;
  readonly groupId: string;
  readonly offsets: Record<string, number>;
  readonly updatedAt: string;
}

export class GroupOffsetStore {
  private readonly dir: string;

  constructor(
    topicDir: string,
    private readonly partitionCount: number,
  ) {
    this.dir = path.join(topicDir, 'groups');
  }

  /** Merges `offsets` into the group's committed offsets (partitions not named keep theirs). */
  commit(groupId: string, offsets: readonly PartitionOffset[]): void {
    assertSafeName('consumer group id', groupId);
    for (const { partition, offset } of offsets) {
      if (!Number.isInteger(partition) || partition < 0 || partition >= this.partitionCount) {
        throw new Error(
          `Cannot commit an offset for partition ${partition}: the log has partitions 0 to ${this.partitionCount - 1}.`,
        );
      }
      if (!Number.isSafeInteger(offset) || offset < 0) {
        throw new Error(
          `Cannot commit offset ${offset} for partition ${partition}: not an offset.`,
        );
      }
    }
    const merged: Record<string, number> = { ...this.readOffsets(groupId) };
    for (const { partition, offset } of offsets) merged[String(partition)] = offset;
    fs.mkdirSync(this.dir, { recursive: true });
    const file: GroupFile = {
      version: 1,
      groupId,
      offsets: merged,
      updatedAt: new Date().toISOString(),
    };
    writeJsonAtomic(this.fileOf(groupId), file);
  }

  fetch(groupId: string): PartitionOffset[] {
    assertSafeName('consumer group id', groupId);
    return Object.entries(this.readOffsets(groupId))
      .map(([partition, offset]) => ({ partition: Number(partition), offset }))
      .filter(({ partition }) => partition < this.partitionCount)
      .sort((a, b) => a.partition - b.partition);
  }

  private fileOf(groupId: string): string {
    return path.join(this.dir, `${groupId}.json`);
  }

  private readOffsets(groupId: string): Record<string, number> {
    const file = this.fileOf(groupId);
    const raw = readJsonFile(file) as Partial<GroupFile> | undefined;
    if (raw === undefined) return {};
    const offsets = raw?.offsets;
    if (
      typeof offsets !== 'object' ||
      offsets === null ||
      !Object.entries(offsets).every(
        ([p, o]) => /^\d+$/.test(p) && Number.isSafeInteger(o) && o >= 0,
      )
    ) {
      throw new Error(
        `${file} is damaged (no valid "offsets" object). Delete it to reset the group.`,
      );
    }
    return offsets;
  }
}
