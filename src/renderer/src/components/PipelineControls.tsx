/** Pause/resume, replay from a time, and (when the API has it) generate history. */
import { memo, useId, useState, type FormEvent } from 'react';
import { useDashboard } from '../store/store-context';
import { formatCount, formatPercent } from '../format';
import { Panel } from './Panel';
import { ControlErrorText, fieldProps } from './ControlError';

export const PipelineControls = memo(function PipelineControls(): React.JSX.Element {
  return (
    <Panel
      title="Pipeline controls"
      subtitle="Pause, replay and backfill"
      testId="pipeline-controls"
    >
      <PauseControl />
      <ReplayControl />
      <HistoryControl />
    </Panel>
  );
});

function PauseControl(): React.JSX.Element {
  const id = useId();
  const paused = useDashboard((s) => s.live?.pipeline.paused ?? s.controls?.paused ?? null);
  const pending = useDashboard((s) => s.pending.pause ?? false);
  const error = useDashboard((s) => s.controlErrors.pause);
  const runControl = useDashboard((s) => s.runControl);
  return (
    <div className="control">
      <div className="inline">
        <span className="control-label">
          Generator: <strong>{paused === null ? '…' : paused ? 'paused' : 'running'}</strong>
        </span>
        <button
          type="button"
          disabled={pending || paused === null}
          aria-describedby={error ? `${id}-error` : undefined}
          onClick={() =>
            void runControl('pause', paused ? 'pipeline:resume' : 'pipeline:pause', {})
          }
        >
          {pending ? '…' : paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <ControlErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

/** `datetime-local`'s value for a time: local, to the minute. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function ReplayControl(): React.JSX.Element {
  const id = useId();
  const [from, setFrom] = useState(() => localInputValue(new Date(Date.now() - 5 * 60_000)));
  const pending = useDashboard((s) => s.pending.replay ?? false);
  const error = useDashboard((s) => s.controlErrors.replay);
  const runControl = useDashboard((s) => s.runControl);
  // The snapshot's replay progress when the backend sends it; else the start's answer.
  const status = useDashboard((s) => s.live?.pipeline.replay ?? s.replayStarted);
  const errorId = `${id}-error`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const date = new Date(from);
    void runControl('replay', 'replay:start', {
      from: Number.isNaN(date.getTime()) ? from : date.toISOString(),
    });
  };
  return (
    <form className="control" onSubmit={onSubmit} noValidate aria-label="Replay">
      <label htmlFor={`${id}-from`}>Replay from (recompute windows)</label>
      <div className="inline">
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          {...fieldProps(error, errorId, 'from')}
        />
        <button type="submit" disabled={pending || status?.state === 'running'}>
          {pending ? 'Starting…' : 'Replay'}
        </button>
      </div>
      {status && status.state !== 'idle' && (
        <Progress label="Replay" state={status.state} progress={status.progress}>
          {status.message}
        </Progress>
      )}
      <ControlErrorText id={errorId} error={error} />
    </form>
  );
}

function HistoryControl(): React.JSX.Element {
  const id = useId();
  const [hours, setHours] = useState('1');
  const pending = useDashboard((s) => s.pending.history ?? false);
  const error = useDashboard((s) => s.controlErrors.history);
  const runControl = useDashboard((s) => s.runControl);
  const status = useDashboard((s) => s.live?.pipeline.history ?? s.historyStarted);
  const errorId = `${id}-error`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void runControl('history', 'control:generateHistory', { hours: Number(hours) });
  };
  return (
    <form className="control" onSubmit={onSubmit} noValidate aria-label="Generate history">
      <label htmlFor={`${id}-hours`}>Generate history (hours before the data, 1–24)</label>
      <div className="inline">
        <input
          id={`${id}-hours`}
          type="number"
          min={1}
          max={24}
          step={1}
          value={hours}
          onChange={(event) => setHours(event.target.value)}
          {...fieldProps(error, errorId, 'hours')}
        />
        <button type="submit" disabled={pending || status?.state === 'running'}>
          {pending ? 'Starting…' : 'Generate'}
        </button>
      </div>
      {status && status.state !== 'idle' && (
        <Progress label="History" state={status.state} progress={status.progress}>
          {status.total > 0 &&
            `${formatCount(status.generated)} of ${formatCount(status.total)} events`}
          {status.message && ` ${status.message}`}
        </Progress>
      )}
      <ControlErrorText id={errorId} error={error} />
    </form>
  );
}

function Progress({
  label,
  state,
  progress,
  children,
}: {
  label: string;
  state: string;
  progress: number;
  children?: React.ReactNode;
}): React.JSX.Element {
  return (
    <div className="progress" role="status">
      <div className="inline">
        <span>
          {label}: {state} {state === 'running' && formatPercent(progress, 0)}
        </span>
        <progress max={1} value={progress} aria-label={`${label} progress`} />
      </div>
      {children && <p className="muted small">{children}</p>}
    </div>
  );
}
