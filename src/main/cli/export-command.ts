/** `streampulse events export`: decoded events with partition and offset, as JSON lines. */
import { parseArgs } from 'node:util';
import { DownloadEventCodec } from '../events/download-event-codec';
import { eventToJson } from '../events/download-event';
import { decodeRecords } from '../events/decode-records';
import type { EventLog } from '../log/event-log';
import { createLogger } from '../logger';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import { formatCount } from './format';
import { openEventLog } from '../log/open-event-log';
import { commandTargets } from './command-settings';
import { LOG_OPTIONS, LOG_OPTIONS_HELP } from './log-options';
import { parseChoice, parseInteger, parsePartitionOffsets, parseTimestamp } from './option-parsers';

export const EXPORT_HELP = `Usage: streampulse events export [options]

Prints the events in the log as JSON lines, partition by partition in offset order, each with its
partition and offset, up to each partition's end when the export begins (complete while other
processes write to the log; on Kafka it reads by partition, in no consumer group). Records that
do not decode are reported on stderr and skipped.

Options:
  --since ISO           only events from the offsets for this time on (per partition)
  --from-offset P:O     partition P from offset O; repeat for more partitions; only the
                        partitions named are exported
  --limit N             stop after N events
  --format jsonl        output format (default jsonl)
${LOG_OPTIONS_HELP}
`;

/** Lines are buffered into chunks of about this size before being written. */
const CHUNK_CHARS = 1 << 20;

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...LOG_OPTIONS,
      since: { type: 'string' },
      'from-offset': { type: 'string', multiple: true },
      limit: { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  parseChoice('format', values.format, ['jsonl'] as const);
  const since = parseTimestamp('since', values.since);
  const fromOffsets = parsePartitionOffsets('from-offset', values['from-offset']);
  if (since !== undefined && fromOffsets !== undefined) {
    throw new UsageError('give --since or --from-offset, not both');
  }
  const limit = parseInteger('limit', values.limit, 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
  const logger = createLogger({ write: io.err, component: 'export' });
  const settings = await commandTargets(values, io, logger);
  const log = await openEventLog(settings.backend, { readOnly: true, logger });
  try {
    const starts = await startingOffsets(log, since, fromOffsets);
    // The log as it stands now: an export is complete up to these ends, whatever is appended
    // while it runs (a `serve` writing to the same topic), and never stops short of them.
    const ends = new Map((await log.endOffsets()).map((p) => [p.partition, p.offset]));
    const codec = new DownloadEventCodec();
    let exported = 0;
    let undecodable = 0;
    let chunk = '';
    for (const [partition, from] of starts) {
      const end = ends.get(partition) ?? 0;
      let offset = from;
      let emptyReads = 0;
      while (exported < limit && offset < end) {
        const fetched = await log.read(partition, offset);
        for (const range of fetched.unreadable ?? []) {
          undecodable += range.lastOffset - range.firstOffset + 1;
          io.err(
            `${JSON.stringify({ partition, offset: range.firstOffset, lastOffset: range.lastOffset, error: range.reason })}\n`,
          );
        }
        if (fetched.nextOffset === offset) {
          // Records the log says it has did not come (each read waits up to 5 s): say so.
          if (++emptyReads >= 3)
            throw new Error(
              `could not read partition ${partition} from offset ${offset} (its end was ${end} when the export began)`,
            );
          continue;
        }
        emptyReads = 0;
        const { decoded, failed } = decodeRecords(
          codec,
          partition,
          fetched.records.filter((r) => r.offset < end),
        );
        for (const error of failed) {
          undecodable++;
          io.err(
            `${JSON.stringify({ partition: error.partition, offset: error.offset, error: error.message })}\n`,
          );
        }
        for (const { offset: at, event } of decoded) {
          if (exported >= limit) break;
          chunk += `${JSON.stringify({ partition, offset: at, ...eventToJson(event) })}\n`;
          exported++;
          if (chunk.length >= CHUNK_CHARS) {
            await io.out(chunk);
            chunk = '';
          }
        }
        offset = fetched.nextOffset;
      }
    }
    if (chunk) await io.out(chunk);
    io.err(
      `exported ${formatCount(exported)} events` +
        (undecodable
          ? `; ${formatCount(undecodable)} undecodable records skipped (listed above)`
          : '') +
        // The ends this export read to, for a recount against the log (e.g. Kafka's GetOffsetShell).
        `; up to offsets ${[...starts.keys()].map((p) => `${p}:${ends.get(p) ?? 0}`).join(' ')}` +
        '\n',
    );
  } finally {
    await log.close();
  }
  return EXIT_OK;
}

async function startingOffsets(
  log: EventLog,
  since: number | undefined,
  fromOffsets: Map<number, number> | undefined,
): Promise<Map<number, number>> {
  if (fromOffsets) {
    for (const partition of fromOffsets.keys()) {
      if (partition >= log.partitionCount) {
        throw new UsageError(
          `--from-offset: the log has partitions 0 to ${log.partitionCount - 1}, not ${partition}`,
        );
      }
    }
    return new Map([...fromOffsets].sort(([a], [b]) => a - b));
  }
  const offsets =
    since === undefined ? await log.startOffsets() : await log.offsetsForTimestamp(since);
  return new Map(offsets.map((p) => [p.partition, p.offset]));
}
