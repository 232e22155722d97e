// Page frame for signed-in screens: header with navigation, live status, language switch, user and logout.
// On a phone the navigation is a menu button opening a drawer, so that the header fits 360 px.
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Menu, Space, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/endpoints';
import { hasPermission } from '../api/permissions';
import { stopLive } from '../hooks/live';
import { useIsPhone } from '../hooks/useIsPhone';
import { navigate, useLocation } from '../hooks/useLocation';
import { useSession } from '../hooks/useSession';
import { LangSwitch } from './LangSwitch';
import { Link } from './Link';
import { LiveIndicator } from './LiveIndicator';

const NAV = [
  { key: '/', label: 'nav.dashboard' },
  { key: '/signals', label: 'nav.signals' },
  { key: '/plan', label: 'nav.plan' },
  { key: '/downtime', label: 'downtime.nav' },
  { key: '/history', label: 'history.nav' },
  { key: '/figures', label: 'figures.nav' },
  { key: '/drills', label: 'drills.nav' },
  { key: '/admin', label: 'admin.title' },
  { key: '/wall', label: 'nav.wall' },
];

/** The permissions of the administration sections (web/src/routes/admin/AdminRoutes.tsx): /admin shows for any of them. */
const ADMIN_PERMISSIONS = ['people.manage', 'access.manage', 'source.manage', 'maintenance.manage', 'channel.manage', 'plan.manage'];

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = useLocation().split('?')[0];
  const { session, clear } = useSession();
  const phone = useIsPhone();
  const [drawer, setDrawer] = useState(false);
  const selected = NAV.find((n) => n.key !== '/' && path.startsWith(n.key))?.key ?? (path === '/' ? '/' : '');
  const isAdmin = ADMIN_PERMISSIONS.some((p) => hasPermission(session?.user.permissions, p));
  const items = NAV.filter((n) => n.key !== '/admin' || isAdmin).map((n) => ({
    key: n.key,
    label: (
      <Link to={n.key} data-testid={`nav-${n.key.slice(1) || 'dashboard'}`} onClick={() => setDrawer(false)}>
        {t(n.label)}
      </Link>
    ),
  }));

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      stopLive();
      clear();
      navigate('/login', { replace: true });
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#main" className="skip-link">
        {t('header.skip')}
      </a>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, paddingInline: 12, flexWrap: 'nowrap', position: 'sticky', top: 0, zIndex: 10 }}>
        <Link to="/" style={{ color: '#fff', fontWeight: 700, fontSize: 18, whiteSpace: 'nowrap' }} data-testid="brand">
          {t('app.name')}
        </Link>
        {phone ? (
          <>
            <span style={{ flex: 1 }} />
            <Button size="small" icon={<MenuOutlined />} onClick={() => setDrawer(true)} data-testid="nav-menu" aria-label={t('layouts.menu')} />
            <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} title={t('app.name')} styles={{ body: { padding: 0 } }}>
              <Menu mode="inline" selectedKeys={[selected]} items={items} data-testid="nav-drawer" />
            </Drawer>
          </>
        ) : (
          <Menu theme="dark" mode="horizontal" selectedKeys={[selected]} style={{ flex: 1, minWidth: 0 }} items={items} />
        )}
        <Space size={phone ? 'small' : 'middle'} wrap={false}>
          <span className="hide-on-phone">
            <LiveIndicator light />
          </span>
          <LangSwitch />
          {session && (
            <Tooltip title={`${session.user.name} · ${session.user.role}`}>
              <Typography.Text className="hide-on-phone" style={{ color: '#fff' }} data-testid="user-name">
                <UserOutlined /> {session.user.name}
              </Typography.Text>
            </Tooltip>
          )}
          <Button size="small" icon={<LogoutOutlined />} onClick={logout} data-testid="logout" aria-label={t('header.logout')}>
            <span className="hide-on-phone">{t('header.logout')}</span>
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content id="main" tabIndex={-1} style={{ padding: 'clamp(8px, 2vw, 20px)', outline: 'none' }}>
        {children}
      </Layout.Content>
    </Layout>
  );
}
