/**
 * The producer's wall-clock ticks on the embedded log, whose appends never wait on anything: a
 * tick with a large backlog must still give the event loop a turn between batches (the worker's
 * messages wait otherwise), and stop early when told.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { makeTempDirs } from '../../../tests/support/log-test-helpers';
import { DownloadEventGenerator } from './download-event-generator';
import { EventProducer } from './event-producer';

const temp = makeTempDirs();
const logs: EmbeddedEventLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  temp.cleanup();
});

async function producer(): Promise<EventProducer> {
  const log = await EmbeddedEventLog.open({ dir: temp.make() });
  logs.push(log);
  // 100,000 events a second; a tick at t = 1 s has a second's backlog: 100 batches of 1,000.
  return new EventProducer({
    generator: new DownloadEventGenerator({ seed: 1 }),
    log,
    ratePerSecond: 100_000,
    startAt: 0,
    batchSize: 1000,
  });
}

describe('EventProducer.tick', () => {
  it('lets other work run between batches of a long tick', async () => {
    const p = await producer();
    let done = false;
    const ticking = p.tick(1000).then((count) => {
      done = true;
      return count;
    });
    // A message to the worker is a macrotask like this one: it runs while the tick goes on.
    const seenDuring = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(p.stats().produced), 0),
    );
    expect(done).toBe(false);
    expect(seenDuring).toBeGreaterThan(0);
    expect(seenDuring).toBeLessThan(100_001);
    expect(await ticking).toBe(100_001); // due at 0, 0.01, …, 1000 ms
  });

  it('stops at the next batch when told, leaving the rest', async () => {
    const p = await producer();
    let batches = 0;
    const count = await p.tick(1000, () => ++batches < 3);
    expect(count).toBe(3000);
    expect(p.stats().produced).toBe(3000);
  });
});
