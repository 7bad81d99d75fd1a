/**
 * A small client of the Flink JobManager's REST API (the one `flink run` and the web UI use):
 * cluster overview, jar upload and run, a job's state, checkpoints, exceptions and metrics, and
 * stop-with-savepoint. Every call has a deadline, and every failure says which address and what
 * went wrong in words a user can act on (unreachable, not a Flink JobManager, no jar uploads).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** A Flink REST call that failed: `problem` says what kind, for the UI and the tests. */
export class FlinkRestError extends Error {
  override readonly name = 'FlinkRestError';
  constructor(
    message: string,
    readonly problem: 'unreachable' | 'not-flink' | 'no-uploads' | 'refused' | 'timeout',
    readonly status?: number,
    /** Flink's own reason (the root cause of its answer), when it gave one. */
    readonly reason: string = message,
  ) {
    super(message);
  }
}

export interface FlinkOverview {
  readonly 'flink-version': string;
  readonly taskmanagers: number;
  readonly 'slots-total': number;
  readonly 'slots-available': number;
  readonly 'jobs-running': number;
}

export interface FlinkJobSummary {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
}

export interface FlinkVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly status: string;
  readonly metrics?: {
    readonly 'read-records'?: number;
    readonly 'write-records'?: number;
    readonly 'accumulated-backpressured-time'?: number;
  };
}

export interface FlinkJobDetails {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly vertices: readonly FlinkVertex[];
}

export interface FlinkCheckpoints {
  readonly counts: {
    readonly restored: number;
    readonly total: number;
    readonly in_progress: number;
    readonly completed: number;
    readonly failed: number;
  };
  readonly latest?: {
    readonly completed?: {
      readonly id: number;
      readonly latest_ack_timestamp: number;
      readonly end_to_end_duration: number;
      readonly state_size?: number;
      readonly external_path?: string;
    } | null;
    readonly restored?: { readonly id: number; readonly restore_timestamp: number } | null;
  };
}

export interface FlinkExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  readonly taskName?: string | null;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export class FlinkRest {
  readonly baseUrl: string;

  constructor(
    restUrl: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.baseUrl = restUrl.replace(/\/+$/, '');
  }

  /** The cluster: version, TaskManagers and slots. Also the "is this a Flink JobManager" check. */
  async overview(): Promise<FlinkOverview> {
    const overview = await this.get<FlinkOverview>('/overview');
    if (
      typeof overview?.['flink-version'] !== 'string' ||
      typeof overview.taskmanagers !== 'number'
    )
      throw new FlinkRestError(
        `${this.baseUrl} answers, but not as a Flink JobManager REST API (no /overview)`,
        'not-flink',
      );
    return overview;
  }

  async jobs(): Promise<FlinkJobSummary[]> {
    return (await this.get<{ jobs: FlinkJobSummary[] }>('/jobs/overview')).jobs;
  }

  job(jobId: string): Promise<FlinkJobDetails> {
    return this.get(`/jobs/${jobId}`);
  }

  checkpoints(jobId: string): Promise<FlinkCheckpoints> {
    return this.get(`/jobs/${jobId}/checkpoints`);
  }

  async exceptions(jobId: string): Promise<FlinkExceptionEntry[]> {
    const answer = await this.get<{ exceptionHistory?: { entries?: FlinkExceptionEntry[] } }>(
      `/jobs/${jobId}/exceptions?maxExceptions=5`,
    );
    return answer.exceptionHistory?.entries ?? [];
  }

  /** Job-level metrics by name (e.g. numRestarts); absent ones are left out. */
  async jobMetrics(jobId: string, names: readonly string[]): Promise<Record<string, number>> {
    const list = await this.get<{ id: string; value: string }[]>(
      `/jobs/${jobId}/metrics?get=${names.join(',')}`,
    );
    return Object.fromEntries(list.map((m) => [m.id, Number(m.value)]));
  }

  /** Back pressure of one operator: 'ok', 'low' or 'high' (sampled by the JobManager). */
  async backpressure(jobId: string, vertexId: string): Promise<string | null> {
    const answer = await this.get<{ status?: string; backpressureLevel?: string }>(
      `/jobs/${jobId}/vertices/${vertexId}/backpressure`,
    );
    return answer.backpressureLevel ?? null;
  }

  /** Uploads a job jar unless one of that name is there already; returns its id. */
  async uploadJar(path: string, name = basename(path)): Promise<string> {
    const existing = await this.get<{ files: { id: string; name: string }[] }>('/jars').catch(
      (error: unknown) => {
        if (error instanceof FlinkRestError && error.status === 404) throw this.noUploads();
        throw error;
      },
    );
    const found = existing.files.find((file) => file.name === name);
    if (found) return found.id;
    const form = new FormData();
    form.append(
      'jarfile',
      new Blob([await readFile(path)], { type: 'application/x-java-archive' }),
      name,
    );
    const answer = await this.call<{ filename: string; status: string }>('/jars/upload', {
      method: 'POST',
      body: form,
      timeoutMs: 60_000,
    });
    return basename(answer.filename);
  }

  /** Runs an uploaded jar; returns the new job's id. Flink's refusal comes back as its reason. */
  async runJar(
    jarId: string,
    request: {
      readonly entryClass: string;
      readonly programArgsList: readonly string[];
      readonly parallelism: number;
      readonly savepointPath?: string | null;
    },
  ): Promise<string> {
    const body = {
      entryClass: request.entryClass,
      programArgsList: request.programArgsList,
      parallelism: request.parallelism,
      ...(request.savepointPath
        ? { savepointPath: request.savepointPath, allowNonRestoredState: false }
        : {}),
    };
    const answer = await this.call<{ jobid: string }>(`/jars/${jarId}/run`, {
      method: 'POST',
      body: JSON.stringify(body),
      json: true,
      timeoutMs: 120_000,
    });
    return answer.jobid;
  }

  /** Stops the job with a savepoint; resolves with the savepoint's path once it is written. */
  async stopWithSavepoint(jobId: string, deadlineMs = 120_000): Promise<string> {
    const trigger = await this.call<{ 'request-id': string }>(`/jobs/${jobId}/stop`, {
      method: 'POST',
      body: JSON.stringify({ drain: false }),
      json: true,
    });
    const until = Date.now() + deadlineMs;
    for (;;) {
      const answer = await this.get<{
        status: { id: string };
        operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string } };
      }>(`/jobs/${jobId}/savepoints/${trigger['request-id']}`);
      if (answer.status.id === 'COMPLETED') {
        const cause = answer.operation?.['failure-cause'];
        if (cause || !answer.operation?.location)
          throw new FlinkRestError(
            `the savepoint of job ${jobId} failed: ${lastCause(cause?.['stack-trace'] ?? 'no reason given')}`,
            'refused',
          );
        return answer.operation.location;
      }
      if (Date.now() > until)
        throw new FlinkRestError(
          `the savepoint of job ${jobId} did not finish in ${deadlineMs / 1000} s`,
          'timeout',
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async cancel(jobId: string): Promise<void> {
    await this.call(`/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });
  }

  private get<T>(path: string): Promise<T> {
    return this.call<T>(path, { method: 'GET' });
  }

  private async call<T>(
    path: string,
    options: {
      method: string;
      body?: string | FormData;
      json?: boolean;
      timeoutMs?: number;
    },
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method,
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.json ? { headers: { 'content-type': 'application/json' } } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error, timeoutMs);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new FlinkRestError(
        `${this.baseUrl} answered ${options.method} ${path} with HTTP ${response.status} and no JSON: it is not a Flink JobManager REST API`,
        'not-flink',
        response.status,
      );
    }
    if (!response.ok) {
      const errors = (body as { errors?: unknown[] }).errors;
      const reason =
        Array.isArray(errors) && errors.length
          ? lastCause(errors.map(String).join('\n'))
          : `HTTP ${response.status}`;
      throw new FlinkRestError(
        `Flink (${this.baseUrl}) refused ${options.method} ${path.replace(/\?.*$/, '')}: ${reason}`,
        response.status === 404 && path === '/overview' ? 'not-flink' : 'refused',
        response.status,
        reason,
      );
    }
    return body as T;
  }

  private unreachable(error: unknown, timeoutMs: number): FlinkRestError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TimeoutError')
      return new FlinkRestError(
        `the Flink JobManager at ${this.baseUrl} did not answer within ${timeoutMs / 1000} s`,
        'timeout',
      );
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return new FlinkRestError(
      `the Flink JobManager at ${this.baseUrl} is unreachable (${why}): is the cluster running, and is the REST URL right?`,
      'unreachable',
    );
  }

  private noUploads(): FlinkRestError {
    return new FlinkRestError(
      `the Flink cluster at ${this.baseUrl} does not take job jars over REST (no /jars): put flink-runtime-web on its classpath and keep web.submit.enable true (docs/flink.md)`,
      'no-uploads',
      404,
    );
  }
}

/**
 * The line of a Java stack trace a user should read: the last "Caused by:" (the root cause), else
 * the first line, without the exception's package.
 */
export function lastCause(stacktrace: string): string {
  const lines = stacktrace.split('\n').map((line) => line.trim());
  const causes = lines.filter((line) => line.startsWith('Caused by:'));
  const line = (
    causes.at(-1)?.slice('Caused by:'.length) ??
    lines.find((l) => l !== '') ??
    ''
  ).trim();
  return line
    .replace(/^(?:[a-z_$][\w$]*\.)+([A-Z][\w$]*(?:Exception|Error)\b)/, '$1')
    .slice(0, 500);
}
