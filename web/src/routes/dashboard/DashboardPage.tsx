// Command dashboard: systems board, active incidents, running deadlines, on duty, latest timeline, chart.
// On a phone the person's own duties come first, then the incidents, and the systems board after them;
// on a desktop the duties are a compact card at the top when there is anything to do.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Skeleton } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERM } from '../../api/permissions';
import { useOpenIncidents } from '../../hooks/useIncidents';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useSession } from '../../hooks/useSession';
import { ActiveIncidents } from './ActiveIncidents';
import { Deadlines } from './Deadlines';
import { MyDuties } from './MyDuties';
import { LatestTimeline } from './LatestTimeline';
import { OnDuty } from './OnDuty';
import { OpenCorrectiveActions } from './OpenCorrectiveActions';
import { OpenIncidentModal } from './OpenIncidentModal';
import { SystemBoard } from './SystemBoard';

const LevelChart = lazy(() => import('./LevelChart'));

export default function DashboardPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { data, loading } = useOpenIncidents();
  const [opening, setOpening] = useState(false);
  const phone = useIsPhone();
  const incidents = data ?? [];
  const board = (
    <Col span={24}>
      <SystemBoard incidents={incidents} />
    </Col>
  );
  return (
    <Row gutter={[12, 12]} data-testid="dashboard" className="dashboard">
      <Col span={24}>
        <MyDuties always={phone} />
      </Col>
      {!phone && board}
      <Col xs={24} xl={16}>
        <ActiveIncidents
          incidents={incidents}
          loading={loading}
          extra={
            can(PERM.incidentOpen) && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="open-incident">
                {t('dashboard.openIncident')}
              </Button>
            )
          }
        />
      </Col>
      {phone && board}
      <Col xs={24} xl={8}>
        <OnDuty />
      </Col>
      <Col xs={24} xl={14}>
        <Deadlines incidents={incidents} />
      </Col>
      <Col xs={24} xl={10}>
        <Suspense
          fallback={
            <Card size="small">
              <Skeleton active />
            </Card>
          }
        >
          <LevelChart />
        </Suspense>
      </Col>
      <Col span={24}>
        <LatestTimeline incidents={incidents} />
      </Col>
      <Col span={24}>
        <OpenCorrectiveActions />
      </Col>
      <OpenIncidentModal open={opening} onClose={() => setOpening(false)} />
    </Row>
  );
}
