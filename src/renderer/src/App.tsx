/**
 * A live status page over the API client (IPC in the app, HTTP + SSE in a browser): the realtime
 * figures and every stage of the pipeline, from the live snapshot pushed once a second.
 * (The full dashboard, with charts and controls, comes with the dashboard issue.)
 */
import { useEffect, useMemo, useState } from 'react';
import type { LiveSnapshot } from '../../shared/live-snapshot';
import { createApiClient, type ConnectionState } from './api/api-client';
import { formatCount } from './format';

export function App(): React.JSX.Element {
  const client = useMemo(() => createApiClient(), []);
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  useEffect(() => client.subscribe(setSnapshot, setConnection), [client]);

  return (
    <main>
      <header>
        <h1>StreamPulse</h1>
        <p className="subtitle">
          Download events, live · {client.transport === 'ipc' ? 'desktop app' : 'browser'}
        </p>
      </header>
      {connection === 'disconnected' && (
        <p role="alert" className="banner">
          The backend is unreachable. Reconnecting…
        </p>
      )}
      {snapshot ? (
        <StatusView snapshot={snapshot} />
      ) : (
        <p aria-busy="true">Connecting to the pipeline…</p>
      )}
    </main>
  );
}

function StatusView({ snapshot }: { snapshot: LiveSnapshot }): React.JSX.Element {
  const { realtime, pipeline } = snapshot;
  return (
    <>
      <section className="cards" aria-label="Last 5 minutes">
        <Card label="Downloads (5 min)" value={formatCount(realtime.downloads)} />
        <Card label="Success rate" value={`${(realtime.successRate * 100).toFixed(1)}%`} />
        <Card label="Active content" value={formatCount(realtime.activeContent)} />
        <Card label="Events/s now" value={formatCount(Math.round(realtime.eventsPerSecond))} />
        <Card label="Consumer lag" value={formatCount(realtime.consumerLag)} />
        <Card
          label="Watermark delay"
          value={
            realtime.watermarkDelayMs === null
              ? '—'
              : `${(realtime.watermarkDelayMs / 1000).toFixed(1)} s`
          }
        />
      </section>
      {pipeline.log && (
        <section aria-label="Event log partitions">
          <h2>
            Event log <code>{pipeline.log.topic}</code> · partitioner{' '}
            <code>{pipeline.log.partitioner}</code> · {pipeline.database}
          </h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Partition</th>
                <th scope="col">Events/s</th>
                <th scope="col">End offset</th>
                <th scope="col">Lag</th>
              </tr>
            </thead>
            <tbody>
              {pipeline.log.partitions.map((p) => (
                <tr key={p.partition}>
                  <td>{p.partition}</td>
                  <td>{formatCount(Math.round(p.producedPerSecond))}</td>
                  <td>{formatCount(p.endOffset)}</td>
                  <td>{formatCount(p.lag)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {pipeline.engine && (
        <section className="cards" aria-label="Engine">
          <Card label="Open windows" value={formatCount(pipeline.engine.openWindows)} />
          <Card label="Late events" value={formatCount(pipeline.engine.lateEvents)} />
          <Card label="Dead letters" value={formatCount(pipeline.engine.deadLetters)} />
          <Card label="Checkpoints" value={formatCount(pipeline.engine.checkpoints)} />
        </section>
      )}
    </>
  );
}

function Card({ label, value }: { label: string; value: string }): React.JSX.Element {
  return (
    <div className="card">
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
    </div>
  );
}
