// Administration: /admin/<section>. Each section is one page of its own folder; the menu shows the sections the
// signed-in account may open (the server checks every request anyway).
import { Menu } from 'antd';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';
import { hasPermission } from '../../api/permissions';
import { Link } from '../../components/Link';
import { matchPath } from '../../hooks/useLocation';
import { useSession } from '../../hooks/useSession';
import NotFound from '../NotFound';

interface Section {
  key: string;
  /** i18n key of the menu label */
  label: string;
  permission: string;
  page: LazyExoticComponent<ComponentType<{ path: string }>>;
}

export const ADMIN_SECTIONS: Section[] = [
  { key: 'people', label: 'admin.nav.people', permission: 'people.manage', page: lazy(() => import('./people/PeoplePage')) },
  { key: 'roles', label: 'admin.nav.roles', permission: 'people.manage', page: lazy(() => import('./people/RolesPage')) },
  { key: 'rotas', label: 'admin.nav.rotas', permission: 'people.manage', page: lazy(() => import('./people/RotasPage')) },
  { key: 'accounts', label: 'admin.nav.accounts', permission: 'access.manage', page: lazy(() => import('./access/AccountsPage')) },
  { key: 'tokens', label: 'admin.nav.tokens', permission: 'access.manage', page: lazy(() => import('./access/TokensPage')) },
  { key: 'sources', label: 'admin.nav.sources', permission: 'source.manage', page: lazy(() => import('./access/SourcesPage')) },
  { key: 'maintenance', label: 'admin.nav.maintenance', permission: 'maintenance.manage', page: lazy(() => import('./access/MaintenancePage')) },
  { key: 'channels', label: 'admin.nav.channels', permission: 'channel.manage', page: lazy(() => import('./config/ChannelsPage')) },
  { key: 'plan', label: 'admin.nav.plan', permission: 'plan.manage', page: lazy(() => import('./config/PlanVersionsPage')) },
];

export default function AdminRoutes({ path }: { path: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const allowed = ADMIN_SECTIONS.filter((s) => hasPermission(session?.user.permissions, s.permission));
  const match = matchPath('/admin/:section', path.split('?')[0]!);
  const section = match ? allowed.find((s) => s.key === match.section) : allowed[0];
  if (!section) return <NotFound />;
  const Page = section.page;
  return (
    <div data-testid="admin-area" style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <Menu
        mode="vertical"
        selectedKeys={[section.key]}
        style={{ width: 180, flex: '0 0 auto' }}
        className="admin-menu"
        items={allowed.map((s) => ({
          key: s.key,
          label: (
            <Link to={`/admin/${s.key}`} data-testid={`admin-nav-${s.key}`}>
              {t(s.label)}
            </Link>
          ),
        }))}
      />
      <div style={{ flex: '1 1 320px', minWidth: 0 }}>
        <Suspense fallback={null}>
          <Page path={path} />
        </Suspense>
      </div>
    </div>
  );
}
