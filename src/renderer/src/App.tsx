/**
 * A live status page: the generator's rate and the event log's partitions, polled once a second.
 * (The full dashboard, with charts and controls, comes with the dashboard issue.)
 */
import { useEffect, useState } from 'react';
import type { PipelineStatusView } from './pipeline-status';
import { formatCount } from './format';

type Load =
  | { state: 'loading' }
  | { state: 'ok'; status: PipelineStatusView }
  | { state: 'error'; message: string };

export function App(): React.JSX.Element {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const poll = async (): Promise<void> => {
      try {
        const response = await fetch('/api/status');
        if (!response.ok) throw new Error(`the backend answered ${response.status}`);
        const body = (await response.json()) as { data: PipelineStatusView };
        if (!cancelled) setLoad({ state: 'ok', status: body.data });
      } catch (err) {
        if (!cancelled)
          setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <main>
      <header>
        <h1>StreamPulse</h1>
        <p className="subtitle">Download events, live</p>
      </header>
      {load.state === 'loading' && <p aria-busy="true">Connecting to the pipeline…</p>}
      {load.state === 'error' && (
        <p role="alert" className="banner">
          The backend is unreachable ({load.message}). Retrying every second.
        </p>
      )}
      {load.state === 'ok' && <StatusView status={load.status} />}
    </main>
  );
}

function StatusView({ status }: { status: PipelineStatusView }): React.JSX.Element {
  const { generator, engine } = status;
  if (!generator || !engine) return <p aria-busy="true">The pipeline is starting…</p>;
  const watermark = engine.engine.watermark;
  return (
    <>
      <section className="cards" aria-label="Pipeline">
        <Card
          label="Events/s now"
          value={formatCount(Math.round(generator.generator.eventsPerSecond))}
        />
        <Card label="Target rate" value={`${formatCount(generator.generator.ratePerSecond)}/s`} />
        <Card label="Produced this run" value={formatCount(generator.generator.produced)} />
        <Card label="Consumed by the engine" value={formatCount(engine.consumed)} />
        <Card label="Consumer lag" value={formatCount(engine.lag.reduce((a, b) => a + b, 0))} />
        <Card
          label="Watermark"
          value={
            watermark !== null && Number.isFinite(watermark)
              ? new Date(watermark).toLocaleTimeString()
              : '—'
          }
        />
        <Card label="Open windows" value={formatCount(engine.engine.openWindows)} />
        <Card
          label="Late events · dead letters"
          value={`${formatCount(engine.engine.lateEvents)} · ${formatCount(engine.deadLetters)}`}
        />
      </section>
      <section aria-label="Event log partitions">
        <h2>
          Event log <code>{generator.log.topic}</code> · partitioner{' '}
          <code>{generator.log.partitioner}</code> · {status.database}
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col">Produced this run</th>
              <th scope="col">End offset</th>
              <th scope="col">Lag</th>
            </tr>
          </thead>
          <tbody>
            {generator.log.partitions.map((p) => (
              <tr key={p.partition}>
                <td>{p.partition}</td>
                <td>{formatCount(p.produced)}</td>
                <td>{formatCount(p.endOffset)}</td>
                <td>{formatCount(engine.lag[p.partition] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
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
