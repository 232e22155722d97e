// Page frame for signed-in screens: header with navigation, live status, language switch, user and logout.
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/endpoints';
import { stopLive } from '../hooks/live';
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

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = useLocation().split('?')[0];
  const { session, clear } = useSession();
  const selected = NAV.find((n) => n.key !== '/' && path.startsWith(n.key))?.key ?? (path === '/' ? '/' : '');

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
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[selected]}
          style={{ flex: 1, minWidth: 0 }}
          items={NAV.map((n) => ({
            key: n.key,
            label: (
              <Link to={n.key} data-testid={`nav-${n.key.slice(1) || 'dashboard'}`}>
                {t(n.label)}
              </Link>
            ),
          }))}
        />
        <Space size="middle" wrap={false}>
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
