import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir';
import type { ExportProgress } from '../../shared/export-contract';
import { ExportJobs } from './export-jobs';
import type { ExportService } from './export-service';
import type { PreparedExport } from './prepared-export';

const tempDir = useTempDirs();
const params = {
  dataset: 'region_health',
  from: '2026-11-24T10:00:00Z',
  to: '2026-11-24T11:00:00Z',
  format: 'csv',
};

/** An export of `rows` CSV rows in chunks of 100, that can be held after `holdAfter` chunks. */
function fakeService(rows: number, hold?: Promise<void>) {
  const state = { released: false, prepared: 0 };
  const service = {
    prepare: async (): Promise<PreparedExport> => {
      state.prepared++;
      async function* chunks(): AsyncGenerator<string> {
        try {
          yield 'a,b\r\n';
          for (let i = 0; i < rows; i += 100) {
            yield Array.from({ length: Math.min(100, rows - i) }, (_, j) => `${i + j},x\r\n`).join(
              '',
            );
            if (hold && i === 0) await hold;
          }
        } finally {
          state.released = true;
        }
      }
      return {
        contentType: 'text/csv; charset=utf-8; header=present',
        fileName: 'x.csv',
        totalRows: rows,
        totalIsExact: true,
        chunks: chunks(),
        close: async () => void (state.released = true),
      };
    },
  } as unknown as ExportService;
  return { service, state };
}

function jobs(service: ExportService, file: string | null) {
  const progress: ExportProgress[] = [];
  let settle: (p: ExportProgress) => void = () => {};
  const finished = new Promise<ExportProgress>((resolve) => (settle = resolve));
  const suggested: string[] = [];
  const j = new ExportJobs({
    service,
    chooseFile: async (name) => {
      suggested.push(name);
      return file;
    },
    send: (p) => {
      progress.push(p);
      if (p.state !== 'running') settle(p);
    },
  });
  return { jobs: j, progress, finished, suggested };
}

describe('ExportJobs (the app window’s exports)', () => {
  it('writes the export to the chosen file and reports it done with its rows', async () => {
    const file = join(tempDir(), 'out.csv');
    const { service } = fakeService(1000);
    const t = jobs(service, file);
    const started = await t.jobs.start(params);
    expect(started).toMatchObject({ file });
    expect(t.suggested).toEqual(['region_health_2026-11-24T10-00-00Z_2026-11-24T11-00-00Z.csv']);
    const end = await t.finished;
    expect(end).toMatchObject({ state: 'done', rows: 1000, totalRows: 1000, message: file });
    expect(readFileSync(file, 'utf8').split('\r\n')).toHaveLength(1002);
  });

  it('a cancel stops the read, removes the partial file and says cancelled', async () => {
    const file = join(tempDir(), 'out.csv');
    let resume: () => void = () => {};
    const { service, state } = fakeService(10_000, new Promise((r) => (resume = r)));
    const t = jobs(service, file);
    const started = await t.jobs.start(params);
    t.jobs.cancel(started!.id);
    resume();
    expect(await t.finished).toMatchObject({ state: 'cancelled' });
    expect(state.released).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('a cancelled dialog starts nothing; bad parameters name the field', async () => {
    const { service, state } = fakeService(10);
    expect(await jobs(service, null).jobs.start(params)).toBeNull();
    expect(state.prepared).toBe(0);
    await expect(
      jobs(service, 'x').jobs.start({ ...params, to: params.from }),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'to' });
  });
});
