// In the incident room: manual mode at a glance (what the plan proposes, what runs, what keeps the incident open).
import { FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { downtimeApi } from '../../api/downtime';
import { navigate } from '../../hooks/useLocation';
import { useResource } from '../../hooks/useResource';
import { BackEntryProgress } from './StateTag';
import { useCatalogue } from './useCatalogue';

export function DowntimeIncidentCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { lineName } = useCatalogue();
  const { data } = useResource(() => downtimeApi.overview(incidentId).catch(() => undefined), [incidentId]);
  if (!data || (data.proposals.length === 0 && data.sessions.length === 0)) return null;
  const lines = [...new Set(data.proposals.map((p) => p.businessLine))];
  return (
    <Card
      size="small"
      data-testid="downtime-card"
      title={
        <Space>
          <FileTextOutlined />
          {t('downtime.card.title')}
        </Space>
      }
      extra={
        <Button type="primary" size="small" data-testid="downtime-open" onClick={() => navigate(`/downtime/incidents/${incidentId}`)}>
          {t('downtime.card.open')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {lines.length > 0 && <Alert type="warning" showIcon title={t('downtime.card.proposed', { count: lines.length })} description={lines.map((l) => <Tag key={l}>{lineName(l)}</Tag>)} />}
        {data.sessions.length > 0 && (
          <Space wrap>
            <span>{t('downtime.card.sessions', { count: data.sessions.length })}</span>
            <BackEntryProgress progress={data.progress} />
          </Space>
        )}
        {data.openForClose.length > 0 && <Alert type="info" showIcon title={t('downtime.card.blocksClose', { count: data.openForClose.length })} />}
      </Space>
    </Card>
  );
}
