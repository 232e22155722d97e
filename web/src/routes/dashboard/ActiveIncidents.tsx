// Open incidents: level (colour + text + icon), provisional flag, deciding rule, countdown to the next level.
import { Card, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { SystemName } from '../../components/Names';
import { RuleTag } from '../../components/RuleTag';
import { IncidentStateTag } from '../../components/StateTags';
import { formatTime } from '../../lib/format';
import { LEVEL_RANK } from '../../lib/levels';

export function ActiveIncidents({ incidents, loading, wall, extra }: { incidents: Incident[]; loading?: boolean; wall?: boolean; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const sorted = [...incidents].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.openedAt.localeCompare(b.openedAt));
  return (
    <Card title={`${t('dashboard.activeIncidents')} (${incidents.length})`} size={wall ? 'medium' : 'small'} extra={extra} data-testid="active-incidents">
      <Table<Incident>
        rowKey="id"
        size={wall ? 'middle' : 'small'}
        loading={loading && incidents.length === 0}
        dataSource={sorted}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('dashboard.noIncidents') }}
        onRow={(i) => ({ 'data-testid': 'incident-row', 'data-incident-id': i.id, 'data-level': i.level }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('incident.level'), key: 'level', render: (_, i) => <LevelBadge level={i.level} provisional={i.provisional} size={wall ? 'large' : 'default'} /> },
          {
            title: t('incident.title'),
            key: 'title',
            render: (_, i) => (
              <Space orientation="vertical" size={0}>
                {wall ? (
                  <Typography.Text strong style={{ fontSize: 'inherit' }}>
                    {i.title}
                  </Typography.Text>
                ) : (
                  <Link to={`/incidents/${encodeURIComponent(i.id)}`} data-testid="incident-link">
                    {i.title}
                  </Link>
                )}
                <Typography.Text type="secondary" style={{ fontSize: '0.85em' }}>
                  {i.systems.map((s, n) => (
                    <span key={`${s.system}:${s.component ?? ''}`}>
                      {n ? '、' : ''}
                      <SystemName id={s.system} />
                    </span>
                  ))}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('incident.decidedBy'), key: 'rule', render: (_, i) => <RuleTag rule={i.decidedBy} /> },
          {
            title: t('incident.nextLevel'),
            key: 'next',
            render: (_, i) =>
              i.nextChange ? (
                <Space size={4} wrap>
                  <span>→ {t(`level.short.${i.nextChange.level}`, i.nextChange.level)}</span>
                  <RuleTag rule={i.nextChange.rule} />
                  <Countdown at={i.nextChange.at} neutral />
                </Space>
              ) : (
                '—'
              ),
          },
          { title: t('incident.state'), key: 'state', responsive: ['sm'], render: (_, i) => <IncidentStateTag state={i.state} /> },
          ...(wall
            ? []
            : [{ title: t('incident.openedAt'), key: 'opened', responsive: ['md'] as 'md'[], render: (_: unknown, i: Incident) => <span className="tabular">{formatTime(i.openedAt)}</span> }]),
        ]}
      />
    </Card>
  );
}
