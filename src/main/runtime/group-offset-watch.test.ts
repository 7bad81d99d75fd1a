import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { GroupOffsetWatch } from './group-offset-watch';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openLog(): Promise<EmbeddedEventLog> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-group-watch-'));
  dirs.push(dir);
  return EmbeddedEventLog.open({ dir });
}

const at = (offsets: number[]) => offsets.map((offset, partition) => ({ partition, offset }));

describe('GroupOffsetWatch', () => {
  it('reports a reset of the group made outside, once, and commits the engine offsets over it', async () => {
    const log = await openLog();
    const watch = new GroupOffsetWatch();
    expect(await watch.commit(log, 'engine', at([5, 6, 7]), 1000)).toBeNull();
    expect(await watch.commit(log, 'engine', at([8, 9, 10]), 2000)).toBeNull();
    // kafka-consumer-groups --reset-offsets --to-earliest, meanwhile:
    await log.commitOffsets('engine', at([0, 0, 10]));
    const change = await watch.commit(log, 'engine', at([11, 12, 13]), 3000);
    expect(change).toEqual({
      detectedAt: 3000,
      groupId: 'engine',
      partitions: [
        { partition: 0, committed: 8, found: 0 },
        { partition: 1, committed: 9, found: 0 },
      ],
    });
    expect(watch.lastChange()).toEqual(change);
    // Not applied: the group holds the engine's offsets again.
    expect(await log.fetchCommittedOffsets('engine')).toEqual(at([11, 12, 13]));
    expect(await watch.commit(log, 'engine', at([14, 15, 16]), 4000)).toBeNull();
    await log.close();
  });

  it('does not take a new log for a reset (a log switch)', async () => {
    const [first, second] = [await openLog(), await openLog()];
    const watch = new GroupOffsetWatch();
    await watch.commit(first, 'engine', at([5, 5, 5]), 1000);
    expect(await watch.commit(second, 'engine', at([0, 0, 0]), 2000)).toBeNull();
    await first.close();
    await second.close();
  });
});
