/**
 * Incident drills: start a ready scenario in the running pipeline, watch its incidents (bands) and
 * the alerts they raise (marks) on one timeline, and read the scorecard; earlier drills, including
 * those run headless with `streampulse drill --data-dir`, can be picked from the list.
 */
import { memo, useEffect } from 'react';
import { useStore } from 'zustand';
import type { DrillView } from '../../../shared/drill-views';
import type { DrillsStore } from '../store/drills-store';
import { formatPercent } from '../format';
import { Empty, Panel, Skeleton } from './Panel';
import { DrillTimeline } from './DrillTimeline';
import { formatDelay } from './drill-format';
import './drills.css';

export const DrillsPanel = memo(function DrillsPanel({
  store,
}: {
  store: DrillsStore;
}): React.JSX.Element {
  const state = useStore(store);
  useEffect(() => store.getState().watch(), [store]);
  const { scenarios, drills, shown, busy, error } = state;
  const running = drills?.find((d) => d.status === 'running') ?? null;
  return (
    <Panel
      title="Incident drills"
      subtitle="Inject known incidents, then see whether the alert rules caught them"
      className="span-all"
      busy={drills === null}
      testId="drills"
      actions={
        <div className="drill-actions">
          <label className="sr-only" htmlFor="drill-scenario">
            Scenario
          </label>
          <select
            id="drill-scenario"
            value={state.scenario ?? ''}
            disabled={busy || running !== null || !scenarios?.length}
            onChange={(e) => state.pickScenario(e.target.value)}
          >
            {(scenarios ?? []).map((s) => (
              <option key={s.file} value={s.file}>
                {s.name} ({formatDelay(s.durationMs)}, {s.incidents} incidents)
              </option>
            ))}
          </select>
          {running ? (
            <button
              type="button"
              className="button-small button-danger"
              disabled={busy}
              onClick={() => void state.stopDrill()}
            >
              Stop drill
            </button>
          ) : (
            <button
              type="button"
              className="button-small"
              disabled={busy || !state.scenario}
              onClick={() => void state.startDrill()}
            >
              Start drill
            </button>
          )}
        </div>
      }
    >
      {error && (
        <p className="control-error" role="alert">
          {error}
        </p>
      )}
      {drills === null ? (
        <Skeleton lines={3} />
      ) : shown === null ? (
        <Empty>
          No drills yet. Pick a scenario and start one: its incidents are injected into the running
          pipeline by the clock, and the scorecard shows which ones the alert rules caught.
          Headless: `streampulse drill scenarios/region-outage.yaml`.
        </Empty>
      ) : (
        <div className="drill">
          <DrillHeader drill={shown} />
          <DrillTimeline drill={shown} now={Date.now()} />
          <IncidentTable drill={shown} />
          {drills.length > 1 && (
            <label className="drill-history">
              Earlier drills{' '}
              <select value={shown.id} onChange={(e) => void state.select(Number(e.target.value))}>
                {drills.map((d) => (
                  <option key={d.id} value={d.id}>
                    #{d.id} {d.name} · {d.mode} · {d.status} · {d.pass ? 'PASS' : 'FAIL'}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
    </Panel>
  );
});

function DrillHeader({ drill }: { drill: DrillView }): React.JSX.Element {
  const verdictClass = drill.verdict.startsWith('PASS')
    ? 'status-ok'
    : drill.verdict.startsWith('RUNNING')
      ? 'status-ack'
      : 'status-open';
  const pct = (x: number | null) => (x === null ? 'n/a' : formatPercent(x, 0));
  return (
    <div className="drill-head">
      <p>
        <strong>
          #{drill.id} {drill.name}
        </strong>{' '}
        · {drill.mode === 'live' ? 'live' : 'virtual time'} · {drill.status}
      </p>
      <p className={`status ${verdictClass}`} data-verdict>
        {drill.verdict}
      </p>
      <dl className="drill-figures">
        <div>
          <dt>Detected</dt>
          <dd>{drill.detected}</dd>
        </div>
        <div>
          <dt>Missed</dt>
          <dd>{drill.missed}</dd>
        </div>
        <div>
          <dt>False alerts</dt>
          <dd>{drill.falseAlerts}</dd>
        </div>
        <div>
          <dt>Unresolved</dt>
          <dd>{drill.unresolved}</dd>
        </div>
        <div>
          <dt>Precision</dt>
          <dd>{pct(drill.precision)}</dd>
        </div>
        <div>
          <dt>Recall</dt>
          <dd>{pct(drill.recall)}</dd>
        </div>
        <div>
          <dt>Mean delay</dt>
          <dd>{drill.meanDelayMs === null ? 'n/a' : formatDelay(drill.meanDelayMs)}</dd>
        </div>
      </dl>
    </div>
  );
}

const RESULT_LABEL: Record<DrillView['incidentList'][number]['result'], string> = {
  detected: 'Detected',
  missed: 'Missed',
  passed: 'Passed (no alert)',
  alerted: 'Alerted (should pass)',
  unwatched: 'No rule watches it',
  upcoming: 'Upcoming',
  pending: 'Waiting for the rules',
};

function IncidentTable({ drill }: { drill: DrillView }): React.JSX.Element {
  if (drill.incidentList.length === 0) return <Empty>This scenario has no incidents.</Empty>;
  const at = (iso: string) => formatDelay(Date.parse(iso) - Date.parse(drill.startsAt));
  return (
    <table className="drill-incidents">
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">When</th>
          <th scope="col">Expected</th>
          <th scope="col">Result</th>
          <th scope="col">Delay</th>
        </tr>
      </thead>
      <tbody>
        {drill.incidentList.map((i) => (
          <tr key={i.index} data-result={i.result}>
            <td>{i.label}</td>
            <td>
              +{at(i.startsAt)} to +{at(i.endsAt)}
            </td>
            <td>{i.expect === 'alert' ? 'an alert' : 'no alert'}</td>
            <td>{RESULT_LABEL[i.result]}</td>
            <td>
              {i.delayMs === null ? '' : formatDelay(i.delayMs)}
              {i.wallDelayMs !== null && ` (${formatDelay(i.wallDelayMs)} wall)`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
