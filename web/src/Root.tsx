// Providers (antd locale/theme, session, errors) and the route table. Pages are lazy-loaded chunks.
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { onUnauthorized } from './api/client';
import { ApiErrorReporter } from './components/ApiErrorReporter';
import { AppShell } from './components/AppShell';
import { startLive, stopLive } from './hooks/live';
import { useLang } from './hooks/useLang';
import { matchPath, navigate, useLocation } from './hooks/useLocation';
import { PlanProvider } from './hooks/usePlan';
import { SessionProvider, useSession } from './hooks/useSession';
import { SessionExpiredDialog } from './routes/login/SessionExpiredDialog';

const LoginPage = lazy(() => import('./routes/login/LoginPage'));
const AckPage = lazy(() => import('./routes/ack/AckPage'));
const DashboardPage = lazy(() => import('./routes/dashboard/DashboardPage'));
const WallPage = lazy(() => import('./routes/wall/WallPage'));
const IncidentRoom = lazy(() => import('./routes/incident/IncidentRoom'));
const PlanPage = lazy(() => import('./routes/plan/PlanPage'));
const SignalsPage = lazy(() => import('./routes/signals/SignalsPage'));
const DowntimeRoutes = lazy(() => import('./routes/downtime/DowntimeRoutes'));
const HistoryPage = lazy(() => import('./routes/history/HistoryPage'));
const FiguresPage = lazy(() => import('./routes/figures/FiguresPage'));
const AdminRoutes = lazy(() => import('./routes/admin/AdminRoutes'));
const DrillRoutes = lazy(() => import('./routes/drills/DrillRoutes'));
const NotFound = lazy(() => import('./routes/NotFound'));

const loading = (
  <div style={{ display: 'grid', placeItems: 'center', minHeight: '40vh' }}>
    <Spin size="large" />
  </div>
);

export function Root() {
  const { lang } = useLang();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1d4ed8' } }}>
      <AntApp>
        <SessionProvider>
          <ApiErrorReporter />
          <Suspense fallback={loading}>
            <Routes />
          </Suspense>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function Routes() {
  const path = useLocation();
  const ack = matchPath('/a/:token', path);
  if (ack) return <AckPage token={ack.token} />;
  if (matchPath('/login', path)) return <LoginPage />;
  return <Authenticated path={path} />;
}

/** Everything behind the login: redirects to /login without a session, opens the live stream with one. */
function Authenticated({ path }: { path: string }) {
  const { session, loading: sessionLoading, expire } = useSession();

  // a 401 while working: the page stays, a sign-in dialog asks in place, the unsent action waits for it
  useEffect(
    () =>
      onUnauthorized(() => {
        stopLive();
        expire();
      }),
    [expire],
  );
  useEffect(() => {
    if (sessionLoading) return;
    if (!session) navigate(`/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    else startLive();
  }, [session, sessionLoading]);

  if (!session) return loading;
  const incident = matchPath('/incidents/:id', path);
  let page: ReactNode;
  if (matchPath('/wall', path))
    return (
      <PlanProvider>
        <WallPage />
        <SessionExpiredDialog />
      </PlanProvider>
    );
  else if (matchPath('/', path)) page = <DashboardPage />;
  else if (incident) page = <IncidentRoom id={incident.id} />;
  else if (matchPath('/plan', path)) page = <PlanPage />;
  else if (matchPath('/signals', path)) page = <SignalsPage />;
  else if (matchPath('/history', path)) page = <HistoryPage />;
  else if (matchPath('/figures', path)) page = <FiguresPage />;
  else if (path.split('?')[0] === '/admin' || path.startsWith('/admin/')) page = <AdminRoutes path={path} />;
  else if (path.split('?')[0] === '/drills' || path.startsWith('/drills/')) page = <DrillRoutes path={path} />;
  else if (path.split('?')[0] === '/downtime' || path.startsWith('/downtime/')) page = <DowntimeRoutes path={path} />;
  else page = <NotFound />;
  return (
    <PlanProvider>
      <AppShell>
        <Suspense fallback={loading}>{page}</Suspense>
      </AppShell>
      <SessionExpiredDialog />
    </PlanProvider>
  );
}
