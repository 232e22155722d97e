// Incident room: header + actions, obligations, level history, timeline, impact, checklists and page deliveries.
import { Alert, Breadcrumb, Col, Result, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { Incident } from '../../api/types';
import { Link } from '../../components/Link';
import { useResource } from '../../hooks/useResource';
import { ActionBar } from './ActionBar';
import { ChecklistsCard } from './ChecklistsCard';
import { DeliveriesCard } from './DeliveriesCard';
import { ImpactForm } from './ImpactForm';
import { IncidentHeader } from './IncidentHeader';
import { LevelHistory } from './LevelHistory';
import { ObligationsTable } from './ObligationsTable';
import { TimelineCard } from './TimelineCard';

async function fetchIncident(id: string): Promise<Incident> {
  const i = await api.incident(id);
  return { ...i, systems: i.systems ?? [], obligations: i.obligations ?? [], timeline: i.timeline ?? [], flags: i.flags ?? [], levelHistory: i.levelHistory ?? [], tallies: i.tallies ?? {} };
}

export default function IncidentRoom({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data: incident, error, loading } = useResource(() => fetchIncident(id), [id]);
  const [waiveTarget, setWaiveTarget] = useState<string>();

  if (!incident) {
    if (error instanceof ApiError && error.status === 404) {
      return <Result status="404" title={t('incident.notFound')} extra={<Link to="/">{t('notFound.home')}</Link>} />;
    }
    return loading ? <Skeleton active /> : <Alert type="error" showIcon title={t('incident.loadFailed')} />;
  }

  return (
    <div data-testid="incident-room" data-incident-id={incident.id} data-level={incident.level}>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/">{t('nav.dashboard')}</Link> }, { title: incident.title }]} />
      <Row gutter={[12, 12]}>
        <Col span={24}>
          <IncidentHeader
            incident={incident}
            actions={<ActionBar incident={incident} waiveTarget={waiveTarget} onWaiveTargetUsed={() => setWaiveTarget(undefined)} />}
          />
        </Col>
        <Col xs={24} xl={14}>
          <Row gutter={[12, 12]}>
            <Col span={24}>
              <ObligationsTable obligations={incident.obligations} closed={incident.state === 'closed'} onWaive={setWaiveTarget} />
            </Col>
            <Col span={24}><LevelHistory history={incident.levelHistory} /></Col>
            <Col span={24}><ImpactForm key={incident.id} incident={incident} /></Col>
          </Row>
        </Col>
        <Col xs={24} xl={10}>
          <Row gutter={[12, 12]}>
            <Col span={24}><TimelineCard entries={incident.timeline} /></Col>
            <Col span={24}><ChecklistsCard checklists={incident.checklists} /></Col>
            <Col span={24}><DeliveriesCard deliveries={incident.deliveries} /></Col>
          </Row>
        </Col>
      </Row>
    </div>
  );
}
