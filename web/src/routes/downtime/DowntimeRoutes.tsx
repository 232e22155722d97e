// Downtime pages: /downtime (overview), /downtime/incidents/:id, /downtime/sessions/:id, /downtime/scan/:serial, /downtime/kit.
import { Breadcrumb } from 'antd';
import { lazy, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/Link';
import { matchPath } from '../../hooks/useLocation';
import NotFound from '../NotFound';

const DowntimeHome = lazy(() => import('./DowntimeHome'));
const IncidentDowntimePage = lazy(() => import('./IncidentDowntimePage'));
const SessionPage = lazy(() => import('./SessionPage'));
const ScanPage = lazy(() => import('./ScanPage'));
const KitPage = lazy(() => import('./KitPage'));

export default function DowntimeRoutes({ path }: { path: string }) {
  const { t } = useTranslation();
  const incident = matchPath('/downtime/incidents/:id', path);
  const session = matchPath('/downtime/sessions/:id', path);
  const scan = matchPath('/downtime/scan/:serial', path);
  let page: ReactNode;
  if (matchPath('/downtime', path)) page = <DowntimeHome />;
  else if (incident) page = <IncidentDowntimePage id={incident.id} />;
  else if (session) page = <SessionPage id={session.id} />;
  else if (scan) page = <ScanPage serial={scan.serial} />;
  else if (matchPath('/downtime/kit', path)) page = <KitPage />;
  else return <NotFound />;
  return (
    <div data-testid="downtime-area">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/downtime">{t('downtime.nav')}</Link> }]} />
      {page}
    </div>
  );
}
