/**
 * The dashboard: live figures, alerts, charts, the pipeline and its controls, over one API client
 * (IPC in the app, HTTP + SSE in a browser). State lives in one store; each panel selects its slice.
 */
import { useEffect, useState } from 'react';
import { createApiClient, type ApiClient } from './api/api-client';
import { createDashboardStore, type DashboardStore } from './store/dashboard-store';
import { StoreContext } from './store/store-context';
import { Header } from './components/Header';
import { Banner } from './components/Banner';
import { StatsCards } from './components/StatsCards';
import { PipelineView } from './components/PipelineView';
import { TimeseriesPanel } from './components/TimeseriesPanel';
import { AlertsPanel } from './components/AlertsPanel';
import { TrendingPanel } from './components/TrendingPanel';
import { RegionsPanel } from './components/RegionsPanel';
import { DevicesPanel } from './components/DevicesPanel';
import { RateControls } from './components/RateControls';
import { InjectionControls } from './components/InjectionControls';
import { PipelineControls } from './components/PipelineControls';

export function App(): React.JSX.Element {
  const [{ client, store }] = useState<{ client: ApiClient; store: DashboardStore }>(() => {
    const client = createApiClient();
    return { client, store: createDashboardStore(client) };
  });
  useEffect(() => store.getState().start(), [store]);

  return (
    <StoreContext value={store}>
      <main>
        <Header transport={client.transport} />
        <Banner />
        <StatsCards />
        <div className="grid">
          <PipelineView />
          <TimeseriesPanel />
          <AlertsPanel />
          <TrendingPanel />
          <RegionsPanel />
          <DevicesPanel />
          <RateControls />
          <InjectionControls />
          <PipelineControls />
        </div>
      </main>
    </StoreContext>
  );
}
