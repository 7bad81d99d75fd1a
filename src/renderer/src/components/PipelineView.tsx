/**
 * The pipeline, live: generator → event log (each partition) → engine → PostgreSQL, as a row of
 * connected boxes. A hot partition and a stalled stage (lag growing) are flagged.
 */
import { memo } from 'react';
import { useDashboard } from '../store/store-context';
import { formatClock, formatCount, formatDuration, formatRate } from '../format';
import { FlinkJobStage } from './FlinkJobStage';
import { Panel, Skeleton } from './Panel';

/** Past this age the lag figures are shown as stale (the engine reads the end every poll). */
const STALE_LAG_MS = 5000;

export const PipelineView = memo(function PipelineView(): React.JSX.Element {
  const pipeline = useDashboard((s) => s.live?.pipeline ?? null);
  const flags = useDashboard((s) => s.flags);
  const problems = [
    flags.generatorStalled && 'the generator produces nothing',
    flags.hotPartitions.length > 0 &&
      `hot partition ${flags.hotPartitions.join(', ')} (far above the others)`,
    flags.engineStalled &&
      `lag growing on partition ${flags.laggingPartitions.join(', ')}: the engine falls behind`,
  ].filter((p): p is string => Boolean(p));
  return (
    <Panel
      title="Pipeline"
      subtitle={
        pipeline
          ? problems.length
            ? `Needs a look: ${problems.join('; ')}`
            : pipeline.paused
              ? 'Paused: the generator is stopped'
              : 'All stages flowing'
          : undefined
      }
      className="span-all"
      busy={pipeline === null}
      testId="pipeline"
    >
      {pipeline === null ? (
        <Skeleton height={150} />
      ) : (
        <ol className="pipeline" aria-label="Pipeline stages, in order">
          <li className={`stage${flags.generatorStalled ? ' stage-flag' : ''}`}>
            <h3>Generator</h3>
            {pipeline.generator ? (
              <dl>
                <Stat label="Target rate" value={formatRate(pipeline.generator.ratePerSecond)} />
                <Stat label="Events/s" value={formatRate(pipeline.generator.eventsPerSecond)} />
                <Stat label="Produced" value={formatCount(pipeline.generator.produced)} />
              </dl>
            ) : (
              <p className="muted">Not running</p>
            )}
            {pipeline.paused && <span className="badge badge-info">Paused</span>}
            {flags.generatorStalled && <span className="badge badge-warning">Stalled</span>}
          </li>
          <li className={`stage stage-log${flags.hotPartitions.length ? ' stage-flag' : ''}`}>
            <h3>
              Event log{' '}
              <span className="muted small" title={pipeline.eventLog.description}>
                {pipeline.eventLog.kind === 'kafka' ? 'Kafka' : 'embedded'}
                {pipeline.log && ` · ${pipeline.log.topic}`}
              </span>
            </h3>
            {pipeline.log ? (
              <table className="partitions">
                <caption className="sr-only">
                  Partitions of {pipeline.log.topic}, partitioner {pipeline.log.partitioner}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Part.</th>
                    <th scope="col">Events/s</th>
                    <th scope="col">End offset</th>
                    <th scope="col">Lag</th>
                  </tr>
                </thead>
                <tbody>
                  {pipeline.log.partitions.map((p) => {
                    const hot = flags.hotPartitions.includes(p.partition);
                    const lagging = flags.laggingPartitions.includes(p.partition);
                    return (
                      <tr
                        key={p.partition}
                        className={hot || lagging ? 'flagged' : undefined}
                        data-partition={p.partition}
                      >
                        <th scope="row">
                          {p.partition}
                          {hot && <span className="badge badge-warning">Hot</span>}
                        </th>
                        <td>{formatRate(p.producedPerSecond)}</td>
                        <td>{formatCount(p.endOffset)}</td>
                        <td
                          title={
                            pipeline.engineKind === 'flink'
                              ? 'The Flink job keeps its offsets in its checkpoints: see its records per operator'
                              : undefined
                          }
                        >
                          {pipeline.engineKind === 'flink' ? '—' : formatCount(p.lag)}
                          {lagging && <span className="badge badge-warning">Growing</span>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : (
              <p className="muted">Not open</p>
            )}
            {pipeline.engine?.lagAgeMs != null && pipeline.engine.lagAgeMs > STALE_LAG_MS && (
              <p className="stale-lag small" role="status" data-testid="stale-lag">
                Lag as of {formatDuration(pipeline.engine.lagAgeMs)} ago: reading from the log is
                stuck
              </p>
            )}
          </li>
          <li className={`stage${flags.engineStalled ? ' stage-flag' : ''}`}>
            <h3>
              Engine{' '}
              <span className="muted small">
                {pipeline.engineKind === 'flink' ? 'Apache Flink' : 'built-in'}
              </span>
            </h3>
            {pipeline.engineKind === 'flink' ? (
              <FlinkJobStage job={pipeline.flink} />
            ) : pipeline.engine ? (
              <dl>
                <Stat label="Watermark" value={formatClock(pipeline.engine.watermark)} />
                <Stat label="Open windows" value={formatCount(pipeline.engine.openWindows)} />
                <Stat label="Late events" value={formatCount(pipeline.engine.lateEvents)} />
                {pipeline.engine.futureEvents > 0 && (
                  <Stat
                    label="Future events"
                    value={formatCount(pipeline.engine.futureEvents)}
                    warn
                  />
                )}
                <Stat
                  label="Dead letters"
                  value={formatCount(pipeline.engine.deadLetters)}
                  warn={pipeline.engine.deadLetters > 0}
                />
              </dl>
            ) : (
              <p className="muted">Not running</p>
            )}
            {flags.engineStalled && <span className="badge badge-warning">Falling behind</span>}
            {pipeline.engine?.groupOffsetsChanged && (
              <p className="stale-lag small" role="status" data-testid="group-offsets-changed">
                Consumer group {pipeline.engine.groupOffsetsChanged.groupId} was reset outside
                StreamPulse at {formatClock(pipeline.engine.groupOffsetsChanged.detectedAt)}:
                ignored, the engine continues from its checkpoint (use a replay to read again)
              </p>
            )}
          </li>
          <li className={`stage${pipeline.databaseStatus.state === 'up' ? '' : ' stage-flag'}`}>
            <h3>PostgreSQL</h3>
            <dl>
              <Stat label="Database" value={pipeline.database} wide />
              <Stat
                label="State"
                value={pipeline.databaseStatus.state}
                warn={pipeline.databaseStatus.state === 'unreachable'}
              />
              <Stat
                label="Last checkpoint"
                value={formatClock(pipeline.engine?.lastCheckpointAt ?? null)}
              />
              <Stat
                label="Checkpoint took"
                value={formatDuration(pipeline.engine?.lastCheckpointMs ?? null)}
              />
            </dl>
          </li>
        </ol>
      )}
    </Panel>
  );
});

function Stat({
  label,
  value,
  warn = false,
  wide = false,
}: {
  label: string;
  value: string;
  warn?: boolean;
  wide?: boolean;
}): React.JSX.Element {
  return (
    <div className={`stat${warn ? ' stat-warn' : ''}${wide ? ' stat-wide' : ''}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
