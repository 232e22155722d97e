// The latest timeline entries across all open incidents.
import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, TimelineEntry } from '../../api/types';
import { Link } from '../../components/Link';
import { formatTime } from '../../lib/format';

const LIMIT = 15;

export function LatestTimeline({ incidents, wall, limit = LIMIT }: { incidents: Incident[]; wall?: boolean; limit?: number }) {
  const { t } = useTranslation();
  const entries = incidents
    .flatMap((incident) => incident.timeline.map((entry) => ({ entry, incident })))
    .sort((a, b) => b.entry.at.localeCompare(a.entry.at))
    .slice(0, limit);
  return (
    <Card title={t('dashboard.latest')} size={wall ? 'default' : 'small'} data-testid="latest-timeline">
      <List<{ entry: TimelineEntry; incident: Incident }>
        size="small"
        dataSource={entries}
        locale={{ emptyText: t('dashboard.noTimeline') }}
        renderItem={({ entry, incident }) => (
          <List.Item data-testid="latest-entry" style={{ display: 'block' }}>
            <Typography.Text type="secondary" className="tabular" style={{ fontSize: 'inherit' }}>{formatTime(entry.at)}</Typography.Text>{' '}
            {wall ? <strong>{incident.title}</strong> : <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>}
            {' · '}
            <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>{t(`timelineKind.${entry.kind}`, entry.kind)}</Typography.Text>
            {' · '}
            {entry.message}
            {entry.actor && <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}> — {entry.actor}</Typography.Text>}
          </List.Item>
        )}
      />
    </Card>
  );
}
