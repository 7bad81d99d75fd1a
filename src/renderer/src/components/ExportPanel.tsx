/**
 * Export: the events of a time range (CSV or JSON lines) or a result table (CSV) to a file, with
 * progress and a cancel that stops the server's read. The transfer is the API client's (a
 * streamed download in a browser, a file the main process writes in the app).
 */
import { memo, useId, useRef, useState, type FormEvent } from 'react';
import type { ExportDataset, ExportFormat } from '../../../shared/export-contract';
import { ApiError, type ApiClient, type ExportHandle, type ExportStatus } from '../api/api-client';
import type { ControlError } from '../store/dashboard-store';
import { formatCount, formatPercent } from '../format';
import { ControlErrorText, fieldProps } from './ControlError';
import { Panel } from './Panel';

/** What can be exported, as the select offers it: `dataset:format`. */
const CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'events:csv', label: 'Events (CSV)' },
  { value: 'events:jsonl', label: 'Events (JSON lines)' },
  { value: 'content_stats:csv', label: 'Content stats (CSV)' },
  { value: 'region_health:csv', label: 'Region health (CSV)' },
  { value: 'device_stats:csv', label: 'Device stats (CSV)' },
  { value: 'alerts:csv', label: 'Alerts (CSV)' },
  { value: 'late_events:csv', label: 'Late events (CSV)' },
  { value: 'dead_letters:csv', label: 'Dead letters (CSV)' },
];

type Outcome =
  | { readonly kind: 'done'; readonly file: string | null; readonly status: ExportStatus }
  | { readonly kind: 'cancelled'; readonly status: ExportStatus }
  | { readonly kind: 'failed'; readonly error: ControlError };

/** `datetime-local`'s value for a time: local, to the minute. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A local input's value as ISO (UTC); left as typed when it does not parse, for the API to name. */
function isoOf(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export const ExportPanel = memo(function ExportPanel({
  client,
}: {
  client: ApiClient;
}): React.JSX.Element {
  const id = useId();
  // The last hour, to the next whole minute.
  const [range] = useState(() => {
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    return { from: localInputValue(new Date(to.getTime() - 3_600_000)), to: localInputValue(to) };
  });
  const [choice, setChoice] = useState(CHOICES[0]!.value);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [status, setStatus] = useState<ExportStatus | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const running = useRef<ExportHandle | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = `${id}-error`;
  const error = outcome?.kind === 'failed' ? outcome.error : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const [dataset, format] = choice.split(':') as [ExportDataset, ExportFormat];
    setOutcome(null);
    setStatus(null);
    setBusy(true);
    void (async () => {
      try {
        const handle = await client.startExport(
          { dataset, format, from: isoOf(from), to: isoOf(to) },
          setStatus,
        );
        if (!handle) return; // the user closed the file dialog
        running.current = handle;
        const end = await handle.finished;
        setOutcome(
          end.state === 'done'
            ? { kind: 'done', file: end.file, status: end }
            : { kind: 'cancelled', status: end },
        );
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError('Error', String(err));
        setOutcome({ kind: 'failed', error: { message: e.message, field: e.field } });
      } finally {
        running.current = null;
        setBusy(false);
      }
    })();
  };

  return (
    <Panel title="Export" subtitle="Events or a table, for a time range, to a file" testId="export">
      <form className="control" onSubmit={onSubmit} noValidate aria-label="Export">
        <div className="form-grid">
          <label htmlFor={`${id}-what`}>What</label>
          <select
            id={`${id}-what`}
            value={choice}
            disabled={busy}
            onChange={(event) => setChoice(event.target.value)}
            {...fieldProps(error, errorId, 'dataset')}
          >
            {CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="datetime-local"
            value={from}
            disabled={busy}
            onChange={(event) => setFrom(event.target.value)}
            {...fieldProps(error, errorId, 'from')}
          />
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="datetime-local"
            value={to}
            disabled={busy}
            onChange={(event) => setTo(event.target.value)}
            {...fieldProps(error, errorId, 'to')}
          />
        </div>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
          {busy && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => running.current?.cancel()}
            >
              Cancel
            </button>
          )}
        </div>
        {busy && <ExportProgressView status={status} />}
        {outcome?.kind === 'done' && (
          <p className="muted small" role="status">
            Saved {outcome.file ?? 'the file'}: {formatCount(outcome.status.rows)} rows,{' '}
            {formatBytes(outcome.status.bytes)}.
          </p>
        )}
        {outcome?.kind === 'cancelled' && (
          <p className="muted small" role="status">
            Cancelled after {formatCount(outcome.status.rows)} rows; nothing was saved.
          </p>
        )}
        <ControlErrorText id={errorId} error={error} />
      </form>
    </Panel>
  );
});

function ExportProgressView({ status }: { status: ExportStatus | null }): React.JSX.Element {
  const total = status?.totalRows ?? null;
  // An estimate (events) can be passed: the bar stops at 100% while the count goes on.
  const share = status && total ? Math.min(1, status.rows / total) : null;
  return (
    <div className="progress" role="status" data-testid="export-progress">
      <div className="inline">
        <span>{share === null ? 'Starting…' : formatPercent(share, 0)}</span>
        <progress
          max={1}
          value={share ?? undefined}
          aria-label="Export progress"
          data-rows={status?.rows ?? 0}
        />
      </div>
      {status && (
        <p className="muted small">
          {formatCount(status.rows)}
          {total !== null &&
            ` of ${status.totalIsExact ? '' : '~'}${formatCount(total)}`} rows,{' '}
          {formatBytes(status.bytes)}
        </p>
      )}
    </div>
  );
}
