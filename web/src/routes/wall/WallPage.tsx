// Wall mode (大屏): the dashboard for a control-room screen — dark, large type, no navigation, and fitted to one
// 1920×1080 screen without scrolling: every panel is always there, and a panel with more than fits turns its pages
// every 15 s (paused while the pointer is on the wall, or with Space). Real incidents first; a drill's after, marked.
// Esc returns to the dashboard; F toggles browser full screen.
import { Card, ConfigProvider, Skeleton, theme } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
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
import { ROTATE_MS, useRotationTick } from './rotation';

const LevelChart = lazy(() => import('../dashboard/LevelChart'));

/** Rows per page of each rotating panel, as many as fit at 1920×1080. */
const PAGE = { incidents: 7, deadlines: 4, timeline: 5, onDuty: 6 };

function Clock() {
  const now = useNow();
  const { lang } = useLang();
  return <span className="wall-clock">{new Date(now).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour12: false })}</span>;
}

function RotationIndicator({ paused, tick }: { paused: boolean; tick: number }) {
  const { t } = useTranslation();
  return (
    <span className="rotation-indicator" data-testid="rotation-indicator" data-paused={paused ? 'true' : 'false'} role="status">
      <span className="rotation-bar">{!paused && <span key={tick} className="rotation-bar-fill" style={{ animationDuration: `${ROTATE_MS}ms` }} />}</span>
      {paused ? t('layouts.paused') : t('layouts.rotating', { seconds: ROTATE_MS / 1000 })}
    </span>
  );
}

export default function WallPage() {
  const { t } = useTranslation();
  const { plan } = usePlan();
  const { pick } = useLang();
  const { data, loading } = useOpenIncidents();
  const incidents = data ?? [];
  const [hovered, setHovered] = useState(false);
  const [held, setHeld] = useState(false);
  const paused = hovered || held;
  const tick = useRotationTick(paused);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.fullscreenElement) navigate('/');
      if (e.key === ' ' && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setHeld((h) => !h);
      }
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
      <main className="wall" data-testid="wall" onMouseEnter={() => setHovered(true)} onMouseLeave={() => setHovered(false)}>
        <header className="wall-header">
          <h1 className="wall-title">
            {t('wall.title')} · {pick(plan?.title) || t('app.name')}
          </h1>
          <span className="wall-header-side">
            <RotationIndicator paused={paused} tick={tick} />
            <LiveIndicator />
            <Clock />
          </span>
        </header>
        <div className="wall-board" data-testid="wall-panel-systems">
          <SystemBoard incidents={incidents} wall />
        </div>
        <div className="wall-grid">
          <div className="wall-panel wall-incidents" data-testid="wall-panel-incidents">
            <ActiveIncidents incidents={incidents} loading={loading} wall rotate={{ tick, size: PAGE.incidents }} />
          </div>
          <div className="wall-panel wall-deadlines" data-testid="wall-panel-deadlines">
            <Deadlines incidents={incidents} wall rotate={{ tick, size: PAGE.deadlines }} />
          </div>
          <div className="wall-panel wall-timeline" data-testid="wall-panel-timeline">
            <LatestTimeline incidents={incidents} wall limit={PAGE.timeline * 3} rotate={{ tick, size: PAGE.timeline }} />
          </div>
          <div className="wall-panel wall-onduty" data-testid="wall-panel-onduty">
            <OnDuty wall rotate={{ tick, size: PAGE.onDuty }} />
          </div>
          <div className="wall-panel wall-chart" data-testid="wall-panel-chart">
            <Suspense
              fallback={
                <Card>
                  <Skeleton active />
                </Card>
              }
            >
              <LevelChart wall />
            </Suspense>
          </div>
        </div>
        <p className="wall-keys">
          {t('wall.keys')} · {t('layouts.pauseKey')}
        </p>
      </main>
    </ConfigProvider>
  );
}
