import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DatabaseStatusView } from '../../../../shared/api-contract';
import { createDashboardStore, type DashboardStore } from '../../store/dashboard-store';
import { StoreContext } from '../../store/store-context';
import {
  FakeClient,
  pipelineStatus,
  snapshot,
} from '../../../../../tests/support/renderer/fixtures';
import { BackendIndicator, DatabaseNotice } from './BackendStatus';

/** The components as a server render of a store holding one snapshot with this database. */
function render(
  component: FunctionComponent | React.MemoExoticComponent<FunctionComponent>,
  database: Partial<DatabaseStatusView> | null,
): string {
  const store = createDashboardStore(new FakeClient());
  const pipeline = pipelineStatus();
  store.setState({
    live: snapshot(
      database === null
        ? ((({ databaseStatus: _d, eventLog: _e, ...old }) => old)(pipeline) as typeof pipeline)
        : { ...pipeline, databaseStatus: { ...pipeline.databaseStatus, ...database } },
    ),
  });
  // A server render reads the store's initial state: give it the current one.
  const current: DashboardStore = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    createElement(StoreContext, { value: current }, createElement(component)),
  );
}

describe('the database and log indicator', () => {
  it('says which database and log are in use', () => {
    const html = render(BackendIndicator, {});
    expect(html).toContain('data-kind="embedded"');
    expect(html).toContain('data-state="up"');
    expect(html).toContain('embedded PostgreSQL 18');
    expect(html).toContain('embedded log');
  });

  it('shows nothing for a backend that does not send them', () => {
    expect(render(BackendIndicator, null)).toBe('');
    expect(render(DatabaseNotice, null)).toBe('');
  });
});

describe('the database notice', () => {
  it('is absent while the database is up', () => {
    expect(render(DatabaseNotice, { state: 'up' })).toBe('');
  });

  it('warns while it is unreachable: why, and that events wait in the log', () => {
    const html = render(DatabaseNotice, {
      kind: 'remote',
      description: 'postgres://app@db.example.com:5432/sp',
      state: 'unreachable',
      error: 'connect ETIMEDOUT',
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('The database is unreachable');
    expect(html).toContain('postgres://app@db.example.com:5432/sp');
    expect(html).toContain('connect ETIMEDOUT');
    expect(html).toContain('Events keep accumulating in the event log and will be counted');
    expect(render(BackendIndicator, { state: 'unreachable' })).toContain('backend-bad');
  });

  it('says so while it is being switched', () => {
    expect(render(DatabaseNotice, { state: 'switching' })).toContain('Switching the database');
  });
});
