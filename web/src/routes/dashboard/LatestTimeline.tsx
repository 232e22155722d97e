// The latest timeline entries across all open incidents, without paging noise (./feed.ts); real incidents' first on the wall.
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, TimelineEntry } from '../../api/types';
import { Link } from '../../components/Link';
import { SimpleList } from '../../components/SimpleList';
import { useTimelineText } from '../../hooks/useTimelineText';
import { formatTime } from '../../lib/format';
import { PageDots, pageOf, type Rotate } from '../wall/rotation';
import { DrillTag } from './ActiveIncidents';
import { isDrill } from './drill';
import { isFeedEntry } from './feed';
import { IncidentSystemsNote } from './IncidentSystemsNote';

const LIMIT = 15;

export function LatestTimeline({ incidents, wall, limit = LIMIT, rotate }: { incidents: Incident[]; wall?: boolean; limit?: number; rotate?: Rotate }) {
  const { t } = useTranslation();
  const tl = useTimelineText();
  const entries = incidents
    .flatMap((incident) => incident.timeline.filter(isFeedEntry).map((entry) => ({ entry, incident })))
    .sort((a, b) => Number(isDrill(a.incident)) - Number(isDrill(b.incident)) || b.entry.at.localeCompare(a.entry.at))
    .slice(0, limit);
  const { shown, page, pages } = pageOf(entries, rotate);
  return (
    <Card title={t('dashboard.latest')} size={wall ? 'medium' : 'small'} data-testid="latest-timeline" extra={<PageDots page={page} pages={pages} />}>
      <SimpleList<{ entry: TimelineEntry; incident: Incident }>
        items={shown}
        itemKey={({ entry }) => entry.id}
        empty={t('dashboard.noTimeline')}
        itemTestId="latest-entry"
        itemProps={({ entry }) => ({ 'data-kind': entry.kind })}
        itemStyle={wall ? { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } : { overflowWrap: 'anywhere' }}
        render={({ entry, incident }) => (
          <>
            <Typography.Text type="secondary" className="tabular" style={{ fontSize: 'inherit' }}>
              {formatTime(entry.at)}
            </Typography.Text>{' '}
            {isDrill(incident) && <DrillTag />}
            {wall ? <strong>{incident.title}</strong> : <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>}
            <IncidentSystemsNote incident={incident} />
            {' · '}
            <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
              {tl.kind(entry.kind)}
            </Typography.Text>
            {' · '}
            {tl.message(entry)}
            {/* a monitoring source's name is the tool's own word (zabbix): the kind already says it was an alarm */}
            {entry.actor && !entry.actor.startsWith('source:') && (
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
