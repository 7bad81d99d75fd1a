/**
 * Drills in Postgres: the drill, its incidents (the ground truth) and the alerts and region
 * windows of its span, as the scorecard needs them.
 */
import type pg from 'pg';
import type { AlertRule } from '../engine/alert-rules';
import type { RegionHealthRow } from '../engine/window-rows';
import {
  REGION_HEALTH_COLUMNS,
  toRegionHealthRow,
  type RegionHealthSqlRow,
} from './region-health-rows';
import type { Incident, Scenario } from '../drills/scenario';
import type { ScoredAlert, ScoredIncident } from '../drills/scorecard';

export type DrillMode = 'virtual' | 'live';
export type DrillStatus = 'running' | 'finished' | 'stopped' | 'failed';

export interface DrillRecord {
  readonly id: number;
  readonly name: string;
  readonly mode: DrillMode;
  readonly seed: string;
  readonly scenario: Scenario;
  readonly rules: readonly AlertRule[];
  readonly windowSizeMs: number;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly wallStartedAt: number;
  readonly wallEndedAt: number | null;
  readonly status: DrillStatus;
  readonly error: string | null;
}

export interface NewDrill {
  readonly mode: DrillMode;
  readonly seed: string;
  readonly scenario: Scenario;
  readonly rules: readonly AlertRule[];
  readonly windowSizeMs: number;
  readonly startsAt: number;
  readonly incidents: readonly ScoredIncident[];
}

interface DrillRow {
  id: string;
  name: string;
  mode: DrillMode;
  seed: string;
  scenario: Scenario;
  rules: AlertRule[];
  window_size_ms: number;
  starts_at: Date;
  ends_at: Date;
  wall_started_at: Date;
  wall_ended_at: Date | null;
  status: DrillStatus;
  error: string | null;
}

const DRILL_COLUMNS = `id, name, mode, seed, scenario, rules, window_size_ms, starts_at, ends_at,
  wall_started_at, wall_ended_at, status, error`;

export class DrillStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Records a drill and its incidents, in one transaction; returns its id. */
  async create(drill: NewDrill): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO drills (name, mode, seed, scenario, rules, window_size_ms, starts_at, ends_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running') RETURNING id`,
        [
          drill.scenario.name,
          drill.mode,
          drill.seed,
          JSON.stringify(drill.scenario),
          JSON.stringify(drill.rules),
          drill.windowSizeMs,
          new Date(drill.startsAt),
          new Date(drill.startsAt + drill.scenario.durationMs),
        ],
      );
      const id = Number(rows[0]!.id);
      for (const incident of drill.incidents) {
        await client.query(
          `INSERT INTO drill_incidents (drill_id, idx, kind, label, region, device, starts_at, ends_at,
             wall_starts_at, expect, params)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            id,
            incident.index,
            incident.kind,
            incident.label,
            incident.region,
            incident.device,
            new Date(incident.startsAt),
            new Date(incident.endsAt),
            incident.wallStartsAt === null ? null : new Date(incident.wallStartsAt),
            incident.expect,
            JSON.stringify(paramsOf(drill.scenario.incidents[incident.index]!)),
          ],
        );
      }
      await client.query('COMMIT');
      return id;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A live drill's incident began now (by the wall clock) at event time `at`. */
  async incidentStarted(drillId: number, index: number, at: number, wallAt: number): Promise<void> {
    await this.pool.query(
      `UPDATE drill_incidents SET starts_at = $3::timestamptz, ends_at = $3::timestamptz + (ends_at - starts_at),
         wall_starts_at = $4 WHERE drill_id = $1 AND idx = $2`,
      [drillId, index, new Date(at), new Date(wallAt)],
    );
  }

  /** Ends a drill. Stopped early (`at` before its end): incidents are cut there, or dropped. */
  async end(
    drillId: number,
    status: Exclude<DrillStatus, 'running'>,
    options: { readonly at?: number; readonly error?: string } = {},
  ): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (options.at !== undefined) {
        const at = new Date(options.at);
        await client.query('DELETE FROM drill_incidents WHERE drill_id = $1 AND starts_at >= $2', [
          drillId,
          at,
        ]);
        await client.query(
          'UPDATE drill_incidents SET ends_at = $2 WHERE drill_id = $1 AND ends_at > $2',
          [drillId, at],
        );
        await client.query(
          'UPDATE drills SET ends_at = GREATEST(starts_at, LEAST(ends_at, $2)) WHERE id = $1',
          [drillId, at],
        );
      }
      await client.query(
        `UPDATE drills SET status = $2, error = $3, wall_ended_at = now() WHERE id = $1`,
        [drillId, status, options.error ?? null],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async list(limit = 50): Promise<DrillRecord[]> {
    const { rows } = await this.pool.query<DrillRow>(
      `SELECT ${DRILL_COLUMNS} FROM drills ORDER BY wall_started_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toDrill);
  }

  async get(drillId: number): Promise<DrillRecord | null> {
    const { rows } = await this.pool.query<DrillRow>(
      `SELECT ${DRILL_COLUMNS} FROM drills WHERE id = $1`,
      [drillId],
    );
    return rows[0] ? toDrill(rows[0]) : null;
  }

  async incidents(drillId: number): Promise<ScoredIncident[]> {
    const { rows } = await this.pool.query<{
      idx: number;
      kind: ScoredIncident['kind'];
      label: string;
      region: string | null;
      device: string | null;
      starts_at: Date;
      ends_at: Date;
      wall_starts_at: Date | null;
      expect: ScoredIncident['expect'];
    }>(
      `SELECT idx, kind, label, region, device, starts_at, ends_at, wall_starts_at, expect
         FROM drill_incidents WHERE drill_id = $1 ORDER BY idx`,
      [drillId],
    );
    return rows.map((r) => ({
      index: r.idx,
      kind: r.kind,
      label: r.label,
      region: r.region,
      device: r.device,
      startsAt: r.starts_at.getTime(),
      endsAt: r.ends_at.getTime(),
      wallStartsAt: r.wall_starts_at?.getTime() ?? null,
      expect: r.expect,
    }));
  }

  /**
   * The alerts whose episode began in the drill's span (from the start of its first window) by
   * the given rules.
   */
  async alerts(drill: DrillRecord): Promise<ScoredAlert[]> {
    const { rows } = await this.pool.query<{
      id: string;
      rule_id: string;
      alert_type: string;
      severity: string;
      region: string;
      metric_value: number;
      episode_start: Date;
      created_at: Date;
      resolved_at: Date | null;
      raised_at: Date;
    }>(
      `SELECT id, rule_id, alert_type, severity, region, metric_value, episode_start, created_at,
              resolved_at, raised_at
         FROM alerts
        WHERE episode_start >= $1 AND episode_start < $2 AND rule_id = ANY($3)
        ORDER BY created_at, region`,
      [new Date(firstWindowStart(drill)), new Date(drill.endsAt), drill.rules.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      ruleId: r.rule_id,
      type: r.alert_type,
      severity: r.severity,
      region: r.region,
      metricValue: r.metric_value,
      episodeStart: r.episode_start.getTime(),
      createdAt: r.created_at.getTime(),
      resolvedAt: r.resolved_at?.getTime() ?? null,
      // A virtual drill's rows are written long after their event time: no wall delay.
      raisedAt: drill.mode === 'live' ? r.raised_at.getTime() : null,
    }));
  }

  /** The drill's final region windows, in event-time order, for what-if rule sets. */
  async regionRows(drill: DrillRecord, untilMs: number): Promise<RegionHealthRow[]> {
    const { rows } = await this.pool.query<RegionHealthSqlRow>(
      `SELECT ${REGION_HEALTH_COLUMNS}
         FROM region_health WHERE window_start >= $1 AND window_start < $2
        ORDER BY window_start, region`,
      [new Date(firstWindowStart(drill)), new Date(untilMs)],
    );
    return rows.map(toRegionHealthRow);
  }
}

function firstWindowStart(drill: DrillRecord): number {
  return drill.startsAt - (drill.startsAt % drill.windowSizeMs);
}

function toDrill(r: DrillRow): DrillRecord {
  return {
    id: Number(r.id),
    name: r.name,
    mode: r.mode,
    seed: r.seed,
    scenario: r.scenario,
    rules: r.rules,
    windowSizeMs: r.window_size_ms,
    startsAt: r.starts_at.getTime(),
    endsAt: r.ends_at.getTime(),
    wallStartedAt: r.wall_started_at.getTime(),
    wallEndedAt: r.wall_ended_at?.getTime() ?? null,
    status: r.status,
    error: r.error,
  };
}

/** An incident's own figures, for the record (the common fields have columns). */
function paramsOf(incident: Incident): Record<string, number> {
  const params: Record<string, number> = {};
  for (const key of [
    'errorRate',
    'slowRate',
    'speedFactor',
    'lateFraction',
    'lateByMs',
    'count',
  ] as const) {
    const value = incident[key];
    if (value !== null) params[key] = value;
  }
  return params;
}
