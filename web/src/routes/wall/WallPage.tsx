// Wall mode (大屏): the dashboard for a control-room screen — dark, large type, no navigation.
// Esc returns to the dashboard; F toggles browser full screen.
import { Card, Col, ConfigProvider, Row, Skeleton, theme } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveIndicator } from '../../components/LiveIndicator';
import { useLang } from '../../hooks/useLang';
import { useOpenIncidents } from '../../hooks/useIncidents';
import { navigate } from '../../hooks/useLocation';
import { useNow } from '../../hooks/useNow';
import { usePlan } from '../../hooks/usePlan';
import { ActiveIncidents } from '../dashboard/ActiveIncidents';
import { Deadlines } from '../dashboard/Deadlines';
import { LatestTimeline } from '../dashboard/LatestTimeline';
import { OnDuty } from '../dashboard/OnDuty';
import { SystemBoard } from '../dashboard/SystemBoard';

const LevelChart = lazy(() => import('../dashboard/LevelChart'));

function Clock() {
  const now = useNow();
  const { lang } = useLang();
  return <span className="wall-clock">{new Date(now).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour12: false })}</span>;
}

export default function WallPage() {
  const { t } = useTranslation();
  const { plan } = usePlan();
  const { pick } = useLang();
  const { data, loading } = useOpenIncidents();
  const incidents = data ?? [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.fullscreenElement) navigate('/');
      if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey) {
        if (document.fullscreenElement) void document.exitFullscreen();
        else void document.documentElement.requestFullscreen?.().catch(() => undefined);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { fontSize: 18, colorBgContainer: '#111418' } }}>
      <main className="wall" data-testid="wall">
        <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 16, flexWrap: 'wrap', marginBottom: 12 }}>
          <h1 className="wall-title">
            {t('wall.title')} · {pick(plan?.title) || t('app.name')}
          </h1>
          <span style={{ display: 'flex', gap: 24, alignItems: 'baseline' }}>
            <LiveIndicator />
            <Clock />
          </span>
        </header>
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <SystemBoard incidents={incidents} wall />
          </Col>
          <Col xs={24} xxl={14}>
            <ActiveIncidents incidents={incidents} loading={loading} wall />
          </Col>
          <Col xs={24} xxl={10}>
            <Deadlines incidents={incidents} wall limit={8} />
          </Col>
          <Col xs={24} lg={10}>
            <Suspense
              fallback={
                <Card>
                  <Skeleton active />
                </Card>
              }
            >
              <LevelChart wall />
            </Suspense>
          </Col>
          <Col xs={24} lg={8}>
            <LatestTimeline incidents={incidents} wall limit={6} />
          </Col>
          <Col xs={24} lg={6}>
            <OnDuty wall />
          </Col>
        </Row>
        <p style={{ opacity: 0.5, fontSize: 14, marginTop: 12 }}>{t('wall.keys')}</p>
      </main>
    </ConfigProvider>
  );
}
