// Incident room: header + actions, obligations, level history, timeline, impact, checklists and page deliveries.
import { Alert, Breadcrumb, Col, Grid, Result, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { Incident } from '../../api/types';
import { DrillBadge } from '../../components/DrillBadge';
import { Link } from '../../components/Link';
import { useResource } from '../../hooks/useResource';
import { ActionBar } from './ActionBar';
import { AnnouncementsCard } from './AnnouncementsCard';
import { ChecklistCard } from './ChecklistCard';
import { DeliveriesCard } from './DeliveriesCard';
import { FeedbackCard } from './FeedbackCard';
import { ImpactForm } from './ImpactForm';
import { IncidentHeader } from './IncidentHeader';
import { LevelHistory } from './LevelHistory';
import { ObligationsTable } from './ObligationsTable';
import { RegulatorReportsCard } from './RegulatorReportsCard';
import { ReviewCard } from './ReviewCard';
import { TimelineCard } from './TimelineCard';
import { DowntimeIncidentCard } from '../../components/downtime/DowntimeIncidentCard';

async function fetchIncident(id: string): Promise<Incident> {
  const i = await api.incident(id);
  return { ...i, systems: i.systems ?? [], obligations: i.obligations ?? [], timeline: i.timeline ?? [], flags: i.flags ?? [], levelHistory: i.levelHistory ?? [], tallies: i.tallies ?? {} };
}

export default function IncidentRoom({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data: incident, error, loading } = useResource(() => fetchIncident(id), [id]);
  const [waiveTarget, setWaiveTarget] = useState<string>();
  const screens = Grid.useBreakpoint();

  if (!incident) {
    if (error instanceof ApiError && error.status === 404) {
      return <Result status="404" title={t('incident.notFound')} extra={<Link to="/">{t('notFound.home')}</Link>} />;
    }
    return loading ? <Skeleton active /> : <Alert type="error" showIcon title={t('incident.loadFailed')} />;
  }

  const obligations = <ObligationsTable incident={incident} onWaive={setWaiveTarget} />;
  const history = <LevelHistory history={incident.levelHistory} />;
  const impact = <ImpactForm key={incident.id} incident={incident} />;
  const timeline = <TimelineCard entries={incident.timeline} />;
  const checklists = <ChecklistCard incidentId={incident.id} />;
  const deliveries = <DeliveriesCard incidentId={incident.id} />;
  const regulators = <RegulatorReportsCard incidentId={incident.id} />;

  return (
    <div data-testid="incident-room" data-incident-id={incident.id} data-level={incident.level}>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/">{t('nav.dashboard')}</Link> }, { title: incident.title }]} />
      {incident.drill && (
        <Alert
          data-testid="drill-banner"
          type="error"
          style={{ marginBottom: 8, borderWidth: 2 }}
          message={
            <span>
              <DrillBadge large />
              {t('drills.banner')} <Link to={`/drills/runs/${incident.drill.runId}`}>{t('drills.bannerLink')}</Link>
            </span>
          }
        />
      )}
      <Row gutter={[12, 12]}>
        <Col span={24}>
          <IncidentHeader incident={incident} actions={<ActionBar incident={incident} waiveTarget={waiveTarget} onWaiveTargetUsed={() => setWaiveTarget(undefined)} />} />
        </Col>
        <Col span={24}>
          <DowntimeIncidentCard incidentId={incident.id} />
        </Col>
        <Col span={24}>
          <AnnouncementsCard incidentId={incident.id} />
        </Col>
        <Col span={24}>
          <FeedbackCard incidentId={incident.id} />
        </Col>
        {screens.xl ? (
          <>
            <Col xl={14}>
              <Row gutter={[12, 12]}>
                <Col span={24}>{obligations}</Col>
                <Col span={24}>{history}</Col>
                <Col span={24}>{impact}</Col>
                <Col span={24}>{regulators}</Col>
              </Row>
            </Col>
            <Col xl={10}>
              <Row gutter={[12, 12]}>
                <Col span={24}>{timeline}</Col>
                <Col span={24}>{checklists}</Col>
                <Col span={24}>{deliveries}</Col>
              </Row>
            </Col>
          </>
        ) : (
          // one column, in the order a responder on a phone needs them
          <>
            <Col span={24}>{obligations}</Col>
            <Col span={24}>{timeline}</Col>
            <Col span={24}>{history}</Col>
            <Col span={24}>{impact}</Col>
            <Col span={24}>{regulators}</Col>
            <Col span={24}>{checklists}</Col>
            <Col span={24}>{deliveries}</Col>
          </>
        )}
        <Col span={24}>
          <ReviewCard incident={incident} />
        </Col>
      </Row>
    </div>
  );
}
