/** Failure injection into one region or device type, the active injections, and Clear. */
import { memo, useId, useState, type FormEvent } from 'react';
import { DEVICE_TYPES, REGIONS, type DeviceType, type Region } from '../../../shared/domain';
import type { InjectionView } from '../../../shared/api-contract';
import { useDashboard } from '../store/store-context';
import { formatClock, formatPercent } from '../format';
import { Panel } from './Panel';
import { ControlErrorText, PercentInput, fieldProps } from './ControlError';
import { deviceLabel } from './DevicesPanel';

type TargetKind = 'region' | 'device';

export const InjectionControls = memo(function InjectionControls(): React.JSX.Element {
  const id = useId();
  const injections = useDashboard((s) => s.controls?.injections ?? null);
  const pending = useDashboard((s) => s.pending.inject ?? false);
  const clearing = useDashboard((s) => s.pending.clear ?? false);
  const error = useDashboard((s) => s.controlErrors.inject);
  const clearError = useDashboard((s) => s.controlErrors.clear);
  const runControl = useDashboard((s) => s.runControl);
  const [kind, setKind] = useState<TargetKind>('region');
  const [target, setTarget] = useState<string>('EU-London');
  const [failed, setFailed] = useState('40');
  const [slow, setSlow] = useState('0');
  const [duration, setDuration] = useState('300');
  const errorId = `${id}-error`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void runControl('inject', 'control:inject', {
      ...(kind === 'region' ? { region: target as Region } : { device: target as DeviceType }),
      failed: Number(failed) / 100,
      slow: Number(slow) / 100,
      ...(duration.trim() === '' ? {} : { durationSeconds: Number(duration) }),
    });
  };

  const targets: readonly string[] = kind === 'region' ? REGIONS : DEVICE_TYPES;
  return (
    <Panel
      title="Failure injection"
      subtitle="Degrade one region or device type"
      testId="injection"
    >
      <form className="control" onSubmit={onSubmit} noValidate aria-label="Inject failures">
        <div className="form-grid">
          <label htmlFor={`${id}-kind`}>Target</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(event) => {
              const next = event.target.value as TargetKind;
              setKind(next);
              setTarget(next === 'region' ? 'EU-London' : 'IPHONE');
            }}
          >
            <option value="region">Region</option>
            <option value="device">Device type</option>
          </select>
          <label htmlFor={`${id}-target`}>{kind === 'region' ? 'Region' : 'Device type'}</label>
          <select
            id={`${id}-target`}
            value={target}
            onChange={(event) => setTarget(event.target.value)}
            {...fieldProps(error, errorId, kind)}
          >
            {targets.map((t) => (
              <option key={t} value={t}>
                {kind === 'region' ? t : deviceLabel(t)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-failed`}>Failed %</label>
          <PercentInput
            id={`${id}-failed`}
            field="failed"
            value={failed}
            onChange={(v) => setFailed(v)}
            error={error}
            errorId={errorId}
          />
          <label htmlFor={`${id}-slow`}>Slow %</label>
          <PercentInput
            id={`${id}-slow`}
            field="slow"
            value={slow}
            onChange={(v) => setSlow(v)}
            error={error}
            errorId={errorId}
          />
          <label htmlFor={`${id}-duration`}>Duration (s)</label>
          <input
            id={`${id}-duration`}
            type="number"
            min={1}
            step={1}
            placeholder="until cleared"
            value={duration}
            onChange={(event) => setDuration(event.target.value)}
            {...fieldProps(error, errorId, 'durationSeconds')}
          />
        </div>
        <div className="buttons">
          <button type="submit" disabled={pending}>
            {pending ? 'Injecting…' : 'Inject'}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={clearing || !injections?.length}
            onClick={() => void runControl('clear', 'control:clearInjections', {})}
          >
            {clearing ? 'Clearing…' : 'Clear all'}
          </button>
        </div>
        <ControlErrorText id={errorId} error={error} />
        <ControlErrorText id={`${id}-clear-error`} error={clearError} />
      </form>
      <h3 className="subheading">Active injections</h3>
      {injections === null ? (
        <p className="muted">Loading…</p>
      ) : injections.length === 0 ? (
        <p className="empty">None. The generator follows the outcome mix everywhere.</p>
      ) : (
        <ul className="injections" aria-label="Active injections">
          {injections.map((injection) => (
            <li key={injection.id}>{describeInjection(injection)}</li>
          ))}
        </ul>
      )}
    </Panel>
  );
});

export function describeInjection(injection: InjectionView): string {
  const target = injection.region ?? (injection.device ? deviceLabel(injection.device) : 'all');
  const effects = [
    injection.failed !== null && `${formatPercent(injection.failed, 0)} failed`,
    injection.slow !== null && injection.slow > 0 && `${formatPercent(injection.slow, 0)} slow`,
    injection.speedFactor !== null && `speed ×${injection.speedFactor}`,
  ].filter(Boolean);
  const until = injection.endsAt ? `until ${formatClock(injection.endsAt)}` : 'until cleared';
  return `${target}: ${effects.join(', ') || 'no change'} · ${until}`;
}
