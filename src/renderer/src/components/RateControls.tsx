/** The event rate (log-scale slider + number, applied on release or Enter) and the outcome mix. */
import { memo, useId, useState, type FormEvent } from 'react';
import { useDashboard } from '../store/store-context';
import {
  formatRate,
  RATE_MAX,
  RATE_MIN,
  rateToSlider,
  SLIDER_STEPS,
  sliderToRate,
} from '../format';
import { Panel } from './Panel';
import { ControlErrorText, PercentInput, fieldProps } from './ControlError';

const SLIDER_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

export const RateControls = memo(function RateControls(): React.JSX.Element {
  const controls = useDashboard((s) => s.controls);
  return (
    <Panel
      title="Event rate and outcomes"
      subtitle={controls ? `Now ${formatRate(controls.ratePerSecond)}` : 'Loading…'}
      testId="rate-controls"
    >
      <RateControl current={controls?.ratePerSecond ?? null} />
      <OutcomeMixControl
        failed={controls?.outcomeMix.failed ?? null}
        slow={controls?.outcomeMix.slow ?? null}
      />
    </Panel>
  );
});

function RateControl({ current }: { current: number | null }): React.JSX.Element {
  const id = useId();
  const pending = useDashboard((s) => s.pending.rate ?? false);
  const error = useDashboard((s) => s.controlErrors.rate);
  const runControl = useDashboard((s) => s.runControl);
  const [position, setPosition] = useState<number | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const shownPosition = position ?? (current === null ? 0 : rateToSlider(current));
  const shownText = text ?? (current === null ? '' : String(current));

  const apply = async (rate: number) => {
    if (!Number.isFinite(rate)) {
      setLocalError('Enter a number of events per second.');
      return;
    }
    setLocalError(null);
    const result = await runControl('rate', 'control:setRate', { ratePerSecond: rate });
    if (result) {
      setPosition(null);
      setText(null);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void apply(Number(shownText));
  };
  const errorId = `${id}-error`;
  const shownError = localError ? { message: localError, field: 'ratePerSecond' } : error;

  return (
    <form className="control" onSubmit={onSubmit} noValidate aria-label="Event rate">
      <label htmlFor={`${id}-slider`}>Event rate (log scale)</label>
      <input
        id={`${id}-slider`}
        type="range"
        min={0}
        max={SLIDER_STEPS}
        step={1}
        value={shownPosition}
        disabled={current === null}
        aria-valuetext={formatRate(sliderToRate(shownPosition))}
        onChange={(event) => {
          const next = Number(event.target.value);
          setPosition(next);
          setText(String(sliderToRate(next)));
        }}
        onPointerUp={() => position !== null && void apply(sliderToRate(position))}
        onKeyUp={(event) => {
          if (SLIDER_KEYS.has(event.key) && position !== null) void apply(sliderToRate(position));
        }}
        {...fieldProps(shownError, errorId, 'ratePerSecond')}
      />
      <div className="scale" aria-hidden="true">
        <span>0.1/s</span>
        <span>1k/s</span>
        <span>1M/s</span>
      </div>
      <div className="inline">
        <label htmlFor={`${id}-number`}>Events per second</label>
        <input
          id={`${id}-number`}
          name="ratePerSecond"
          type="number"
          inputMode="decimal"
          min={RATE_MIN}
          max={RATE_MAX}
          step="any"
          value={shownText}
          disabled={current === null}
          onChange={(event) => setText(event.target.value)}
          {...fieldProps(shownError, errorId, 'ratePerSecond')}
        />
        <button type="submit" disabled={pending || current === null}>
          {pending ? 'Applying…' : 'Apply rate'}
        </button>
      </div>
      <ControlErrorText id={errorId} error={shownError} />
    </form>
  );
}

function OutcomeMixControl({
  failed,
  slow,
}: {
  failed: number | null;
  slow: number | null;
}): React.JSX.Element {
  const id = useId();
  const pending = useDashboard((s) => s.pending.mix ?? false);
  const error = useDashboard((s) => s.controlErrors.mix);
  const runControl = useDashboard((s) => s.runControl);
  const [draft, setDraft] = useState<{ failed: string; slow: string } | null>(null);
  const shown = draft ?? {
    failed: failed === null ? '' : String(round(failed * 100)),
    slow: slow === null ? '' : String(round(slow * 100)),
  };
  const errorId = `${id}-error`;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await runControl('mix', 'control:setOutcomeMix', {
      failed: Number(shown.failed) / 100,
      slow: Number(shown.slow) / 100,
    });
    if (result) setDraft(null);
  };
  return (
    <form
      className="control"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label="Outcome mix"
    >
      <fieldset>
        <legend>Outcome mix (all regions)</legend>
        <div className="inline">
          <label htmlFor={`${id}-failed`}>Failed %</label>
          <PercentInput
            id={`${id}-failed`}
            field="failed"
            value={shown.failed}
            onChange={(v) => setDraft({ ...shown, failed: v })}
            error={error}
            errorId={errorId}
            disabled={failed === null}
          />
          <label htmlFor={`${id}-slow`}>Slow %</label>
          <PercentInput
            id={`${id}-slow`}
            field="slow"
            value={shown.slow}
            onChange={(v) => setDraft({ ...shown, slow: v })}
            error={error}
            errorId={errorId}
            disabled={slow === null}
          />
          <button type="submit" disabled={pending || failed === null}>
            {pending ? 'Applying…' : 'Apply mix'}
          </button>
        </div>
      </fieldset>
      <ControlErrorText id={errorId} error={error} />
    </form>
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
