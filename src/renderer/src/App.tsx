/**
 * The dashboard: live figures, alerts, charts, the pipeline and its controls, over one API client
 * (IPC in the app, HTTP + SSE in a browser). State lives in one store; each panel selects its slice.
 * The settings page is the hash route `#/settings` (a reload keeps it, Back returns); the live
 * subscription keeps running under it, for the header's indicators.
 */
import { useEffect, useState } from 'react';
import { createApiClient, type ApiClient } from './api/api-client';
import { createDashboardStore, type DashboardStore } from './store/dashboard-store';
import { createSettingsStore, type SettingsStore } from './store/settings-store';
import { createDrillsStore, type DrillsStore } from './store/drills-store';
import { validateSettings } from '../../shared/settings/schema';
import { StoreContext } from './store/store-context';
import { Header, type Page } from './components/Header';
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
import { DrillsPanel } from './components/DrillsPanel';
import { ExportPanel } from './components/ExportPanel';
import { DatabaseNotice } from './components/settings/BackendStatus';
import { SettingsPage } from './components/settings/SettingsPage';

function pageOf(hash: string): Page {
  return /^#\/settings\b/.test(hash) ? 'settings' : 'dashboard';
}

/** The page the location's hash names, following hash changes (links, Back, Forward). */
function useHashPage(): Page {
  const [page, setPage] = useState<Page>(() => pageOf(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setPage(pageOf(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}

export function App(): React.JSX.Element {
  const [{ client, store, settings, drills }] = useState<{
    client: ApiClient;
    store: DashboardStore;
    settings: SettingsStore;
    drills: DrillsStore;
  }>(() => {
    const client = createApiClient();
    return {
      client,
      store: createDashboardStore(client),
      // The server's own validator, so most errors show before any call.
      settings: createSettingsStore(client, { validate: validateSettings }),
      drills: createDrillsStore(client),
    };
  });
  useEffect(() => store.getState().start(), [store]);
  const page = useHashPage();

  return (
    <StoreContext value={store}>
      <main>
        <Header transport={client.transport} page={page} />
        <Banner />
        <DatabaseNotice />
        {page === 'settings' ? (
          <SettingsPage store={settings} />
        ) : (
          <>
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
              <ExportPanel client={client} />
              <DrillsPanel store={drills} />
            </div>
          </>
        )}
      </main>
    </StoreContext>
  );
}
