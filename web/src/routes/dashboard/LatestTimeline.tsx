// The latest timeline entries across all open incidents.
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, TimelineEntry } from '../../api/types';
import { Link } from '../../components/Link';
import { SimpleList } from '../../components/SimpleList';
import { useTimelineText } from '../../hooks/useTimelineText';
import { formatTime } from '../../lib/format';
import { IncidentSystemsNote } from './IncidentSystemsNote';

const LIMIT = 15;

export function LatestTimeline({ incidents, wall, limit = LIMIT }: { incidents: Incident[]; wall?: boolean; limit?: number }) {
  const { t } = useTranslation();
  const tl = useTimelineText();
  const entries = incidents
    .flatMap((incident) => incident.timeline.map((entry) => ({ entry, incident })))
    .sort((a, b) => b.entry.at.localeCompare(a.entry.at))
    .slice(0, limit);
  return (
    <Card title={t('dashboard.latest')} size={wall ? 'medium' : 'small'} data-testid="latest-timeline">
      <SimpleList<{ entry: TimelineEntry; incident: Incident }>
        items={entries}
        itemKey={({ entry }) => entry.id}
        empty={t('dashboard.noTimeline')}
        itemTestId="latest-entry"
        render={({ entry, incident }) => (
          <>
            <Typography.Text type="secondary" className="tabular" style={{ fontSize: 'inherit' }}>
              {formatTime(entry.at)}
            </Typography.Text>{' '}
            {wall ? <strong>{incident.title}</strong> : <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>}
            <IncidentSystemsNote incident={incident} />
            {' · '}
            <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
              {tl.kind(entry.kind)}
            </Typography.Text>
            {' · '}
            {tl.message(entry)}
            {entry.actor && (
              <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
                {' '}
                — {tl.actor(entry.actor)}
              </Typography.Text>
            )}
          </>
        )}
      />
    </Card>
  );
}
