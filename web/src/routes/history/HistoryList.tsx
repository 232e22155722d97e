// The history's rows: an antd table on wide screens, one card per incident on phones (< 576 px). Each row
// links to its incident room.
import { Card, Space, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { SystemName } from '../../components/Names';
import { IncidentStateTag } from '../../components/StateTags';
import { formatTime } from '../../lib/format';
import type { HistoryItem } from './api';
import { formatSpan } from './format';

const incidentLink = (i: HistoryItem) => `/incidents/${encodeURIComponent(i.id)}`;

function Level({ item }: { item: HistoryItem }) {
  const { t } = useTranslation();
  const { highest, current } = item.level;
  return (
    <Space size={2} wrap>
      <LevelBadge level={highest} size="small" />
      {current !== highest && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('history.current')} {current}
        </Typography.Text>
      )}
    </Space>
  );
}

function Obligations({ item, t }: { item: HistoryItem; t: TFunction }) {
  const o = item.obligations;
  return (
    <Space size={2} wrap>
      {o.met > 0 && <Tag color="success">{t('history.obligations.met', { count: o.met })}</Tag>}
      {o.late > 0 && <Tag color="warning">{t('history.obligations.late', { count: o.late })}</Tag>}
      {o.missed > 0 && <Tag color="error">{t('history.obligations.missed', { count: o.missed })}</Tag>}
      {o.pending > 0 && <Tag color="processing">{t('history.obligations.pending', { count: o.pending })}</Tag>}
    </Space>
  );
}

const Systems = ({ item }: { item: HistoryItem }) => (
  <>
    {item.systems.map((s, n) => (
      <span key={s}>
        {n > 0 && '、'}
        <SystemName id={s} />
      </span>
    ))}
  </>
);

export function HistoryTable({ items, loading }: { items: HistoryItem[]; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<HistoryItem>
      size="small"
      rowKey="id"
      loading={loading && items.length === 0}
      dataSource={items}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('history.none') }}
      onRow={(i) => ({ 'data-testid': 'history-row', 'data-incident-id': i.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('history.columns.openedAt'), key: 'openedAt', render: (_, i) => <span className="tabular">{formatTime(i.openedAt)}</span> },
        { title: t('history.columns.title'), key: 'title', render: (_, i) => <Link to={incidentLink(i)}>{i.title}</Link> },
        { title: t('history.columns.level'), key: 'level', render: (_, i) => <Level item={i} /> },
        { title: t('history.columns.state'), key: 'state', render: (_, i) => <IncidentStateTag state={i.state} /> },
        { title: t('history.columns.systems'), key: 'systems', render: (_, i) => <Systems item={i} /> },
        { title: t('history.columns.tta'), key: 'tta', align: 'right', render: (_, i) => formatSpan(i.timeToAcknowledgeMs, t) },
        { title: t('history.columns.ttr'), key: 'ttr', align: 'right', render: (_, i) => formatSpan(i.timeToRestoreMs, t) },
        { title: t('history.columns.duration'), key: 'duration', align: 'right', render: (_, i) => (i.durationMs === null ? t('history.open') : formatSpan(i.durationMs, t)) },
        { title: t('history.columns.obligations'), key: 'obligations', render: (_, i) => <Obligations item={i} t={t} /> },
      ]}
    />
  );
}

export function HistoryCards({ items }: { items: HistoryItem[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Typography.Paragraph type="secondary">{t('history.none')}</Typography.Paragraph>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8}>
      {items.map((i) => (
        <Card key={i.id} size="small" data-testid="history-card" data-incident-id={i.id} styles={{ body: { overflowWrap: 'anywhere' } }}>
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            <Link to={incidentLink(i)} style={{ fontWeight: 600 }}>
              {i.title}
            </Link>
            <Space size={4} wrap>
              <Level item={i} />
              <IncidentStateTag state={i.state} />
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <span className="tabular">{formatTime(i.openedAt)}</span> · <Systems item={i} />
            </Typography.Text>
            <Typography.Text style={{ fontSize: 13 }}>
              {t('history.columns.tta')} {formatSpan(i.timeToAcknowledgeMs, t)} · {t('history.columns.ttr')} {formatSpan(i.timeToRestoreMs, t)}
            </Typography.Text>
            <Obligations item={i} t={t} />
          </Space>
        </Card>
      ))}
    </Space>
  );
}
