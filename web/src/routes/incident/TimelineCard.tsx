// The incident timeline, newest first, filtered by kind and by free text. A person's "restored" contradicted by
// the monitoring stands out in red, a flapping alert in orange.
import { Card, Input, Select, Space, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../api/types';
import { EmptyNote } from '../../components/EmptyNote';
import { useTimelineText } from '../../hooks/useTimelineText';
import { formatTime } from '../../lib/format';

/** Entries that must not be read past: their dot colour and a tinted box. */
const STANDOUT: Partial<Record<string, { color: string; background: string }>> = {
  'recovery.contradicted': { color: 'red', background: 'rgba(255, 77, 79, 0.08)' },
  'incident.flapping': { color: 'orange', background: 'rgba(250, 140, 22, 0.08)' },
};

export function TimelineCard({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState<string[]>([]);
  const [text, setText] = useState('');
  const tl = useTimelineText();
  const allKinds = useMemo(() => [...new Set(entries.map((e) => e.kind))].sort(), [entries]);
  const needle = text.trim().toLowerCase();
  const shown = [...entries]
    .filter((e) => kinds.length === 0 || kinds.includes(e.kind))
    .filter((e) => !needle || `${tl.message(e)} ${tl.actor(e.actor)} ${tl.kind(e.kind)} ${e.message}`.toLowerCase().includes(needle))
    .sort((a, b) => b.at.localeCompare(a.at));

  return (
    <Card size="small" title={`${t('incident.timeline')} (${shown.length}/${entries.length})`} data-testid="timeline">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          mode="multiple"
          allowClear
          size="small"
          style={{ minWidth: 160 }}
          placeholder={t('timeline.kinds')}
          value={kinds}
          onChange={setKinds}
          aria-label={t('timeline.kinds')}
          data-testid="timeline-kind-filter"
          options={allKinds.map((k) => ({ value: k, label: tl.kind(k) }))}
        />
        <Input.Search
          size="small"
          allowClear
          placeholder={t('timeline.search')}
          aria-label={t('timeline.search')}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 180 }}
          data-testid="timeline-search"
        />
      </Space>
      {shown.length === 0 ? (
        <EmptyNote text={t('common.none')} />
      ) : (
        <Timeline
          items={shown.map((e) => ({
            key: e.id,
            color: STANDOUT[e.kind]?.color,
            content: (
              <div
                data-testid="timeline-entry"
                data-kind={e.kind}
                style={STANDOUT[e.kind] ? { background: STANDOUT[e.kind]?.background, borderInlineStart: `3px solid ${STANDOUT[e.kind]?.color}`, padding: '2px 6px' } : undefined}
              >
                <Typography.Text type="secondary" className="tabular">
                  {formatTime(e.at)}
                </Typography.Text>{' '}
                <Typography.Text strong>{tl.kind(e.kind)}</Typography.Text>
                {e.actor && <Typography.Text type="secondary"> · {tl.actor(e.actor)}</Typography.Text>}
                <div>{tl.message(e)}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
