/**
 * `streampulse events export`: decoded events with partition and offset, as JSON lines or CSV.
 * The reading and the formats are the shared export module's (src/main/export/), as the API's
 * exports use them.
 */
import type { Command } from 'commander';
import { DownloadEventCodec } from '../events/download-event-codec';
import { formatEventChunks } from '../export/event-export';
import type { LogEvent } from '../export/event-rows';
import { readLogEvents, type EventTimeRange } from '../export/log-event-reader';
import type { EventLog } from '../log/event-log';
import { createLogger } from '../logger';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import { formatCount } from './format';
import { openEventLog } from '../log/open-event-log';
import { commandTargets } from './command-settings';
import { LOG_OPTIONS } from './log-options';
import {
  addFlags,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';
import { parseChoice, parseInteger, parsePartitionOffset, parseTimestamp } from './option-parsers';

const FORMATS = ['jsonl', 'csv'] as const;

const EXPORT_OPTIONS = {
  since: {
    value: 'ISO',
    description: 'only events from the offsets for this time on (per partition)',
    parse: (raw) => parseTimestamp('since', raw),
  },
  until: {
    value: 'ISO',
    description:
      'only events whose event time is before this, and at least --since if given: an exact ' +
      "event-time range; each partition is read until its newest event passes ISO by the engine's " +
      'out-of-orderness + allowed lateness (later events of the range would be too late for the ' +
      'windows)',
    parse: (raw) => parseTimestamp('until', raw),
  },
  'from-offset': {
    value: 'P:O',
    description:
      'partition P from offset O; repeat for more partitions; only the partitions named are ' +
      'exported',
    repeatable: true,
    parse: (raw) => parsePartitionOffset('from-offset', raw),
  },
  limit: {
    value: 'N',
    description: 'stop after N events',
    parse: (raw) => parseInteger('limit', raw, 1, Number.MAX_SAFE_INTEGER),
  },
  format: {
    value: 'FORMAT',
    description: 'output format; csv has a header row and flat columns',
    choices: FORMATS,
    default: 'jsonl',
    parse: (raw) => parseChoice('format', raw, FORMATS),
  },
  ...LOG_OPTIONS,
} as const satisfies FlagTable;

function defineExport(command: Command): Command {
  return addFlags(
    command.summary("print the log's events as JSON lines").description(
      `Prints the events in the log as JSON lines (or CSV), partition by partition in offset order, each
with its partition and offset, up to each partition's end when the export begins (complete while
other processes write to the log; on Kafka it reads by partition, in no consumer group). Records
that do not decode are reported on stderr and skipped.`,
    ),
    EXPORT_OPTIONS,
  );
}

export const eventsExport: CliCommand = {
  define: defineExport,
  run: (command, io) => exportCommand(valuesOf(command, EXPORT_OPTIONS), io),
};

/** Output is written in chunks of about this size. */
const CHUNK_CHARS = 1 << 20;

export async function exportCommand(
  values: FlagValuesOf<typeof EXPORT_OPTIONS>,
  io: CliIo,
): Promise<number> {
  const format = values.format ?? 'jsonl';
  const { since, until } = values;
  const fromOffsets = values['from-offset'] && new Map(values['from-offset']);
  if (since !== undefined && fromOffsets !== undefined) {
    throw new UsageError('give --since or --from-offset, not both');
  }
  if (since !== undefined && until !== undefined && until <= since) {
    throw new UsageError('--until must be after --since');
  }
  const limit = values.limit ?? Infinity;
  const logger = createLogger({ write: io.err, component: 'export' });
  const settings = await commandTargets(values, io, logger);
  const log = await openEventLog(settings.backend, { readOnly: true, logger });
  try {
    const starts = await startingOffsets(log, since, fromOffsets);
    // The log as it stands now: an export is complete up to these ends, whatever is appended
    // while it runs (a `serve` writing to the same topic), and never stops short of them.
    const ends = new Map((await log.endOffsets()).map((p) => [p.partition, p.offset]));
    const { outOfOrdernessMs, allowedLatenessMs, maxFutureMs } = settings.engine;
    const range: EventTimeRange | undefined =
      until === undefined
        ? undefined
        : {
            from: since ?? -Infinity,
            to: until,
            horizonMs: outOfOrdernessMs + allowedLatenessMs,
            maxFutureMs,
          };
    let exported = 0;
    let undecodable = 0;
    const events = readLogEvents(log, new DownloadEventCodec(), {
      starts,
      ends,
      ...(range ? { range } : {}),
      limit,
      onUndecodable: (note) => {
        undecodable += note.count;
        // The note without its count: the line `events export` has always printed.
        io.err(`${JSON.stringify({ ...note, count: undefined })}\n`);
      },
    });
    async function* counted(): AsyncGenerator<LogEvent[]> {
      for await (const batch of events) {
        exported += batch.length;
        yield batch;
      }
    }
    for await (const chunk of formatEventChunks(counted(), format, CHUNK_CHARS)) {
      await io.out(chunk);
    }
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
