// Open incidents: level (colour + text + icon), provisional flag, deciding rule, countdown to the next level.
// Real incidents first, most severe first; a drill's incidents after them, marked 演练. Cards on a phone.
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { SystemName } from '../../components/Names';
import { RuleTag } from '../../components/RuleTag';
import { IncidentStateTag } from '../../components/StateTags';
import { formatTime } from '../../lib/format';
import { useIsPhone } from '../../hooks/useIsPhone';
import { LEVEL_RANK } from '../../lib/levels';
import { PageDots, pageOf, type Rotate } from '../wall/rotation';
import { byRealFirst, isDrill } from './drill';
import { ExpandableTitle } from './ExpandableTitle';

export function DrillTag() {
  const { t } = useTranslation();
  return (
    <Tag color="purple" data-testid="drill-tag">
      {t('layouts.drill')}
    </Tag>
  );
}

function SystemsLine({ incident }: { incident: Incident }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: '0.85em' }}>
      {incident.systems.map((s, n) => (
        <span key={`${s.system}:${s.component ?? ''}`}>
          {n ? '、' : ''}
          <SystemName id={s.system} />
        </span>
      ))}
    </Typography.Text>
  );
}

function NextChange({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  if (!incident.nextChange) return <>—</>;
  return (
    <Space size={4} wrap>
      <span>→ {t(`level.short.${incident.nextChange.level}`, incident.nextChange.level)}</span>
      <RuleTag rule={incident.nextChange.rule} />
      <Countdown at={incident.nextChange.at} neutral />
    </Space>
  );
}

/** One incident as a card (phones): level and state, the title cut to a line (tap for all of it), systems, next level. */
function IncidentCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  return (
    <div className="phone-card" data-testid="incident-row" data-incident-id={incident.id} data-level={incident.level}>
      <div className="phone-card-line">
        <LevelBadge level={incident.level} provisional={incident.provisional} />
        {isDrill(incident) && <DrillTag />}
        <IncidentStateTag state={incident.state} />
      </div>
      <ExpandableTitle text={incident.title} strong />
      <SystemsLine incident={incident} />
      <div className="phone-card-line">
        <Typography.Text type="secondary">{t('incident.nextLevel')}</Typography.Text> <NextChange incident={incident} />
      </div>
      <Link to={`/incidents/${encodeURIComponent(incident.id)}`} data-testid="incident-link" className="phone-card-open">
        {t('myDuties.open')}
      </Link>
    </div>
  );
}

export function ActiveIncidents({ incidents, loading, wall, extra, rotate }: { incidents: Incident[]; loading?: boolean; wall?: boolean; extra?: React.ReactNode; rotate?: Rotate }) {
  const { t } = useTranslation();
  const phone = useIsPhone() && !wall;
  const sorted = [...incidents].sort((a, b) => byRealFirst(a, b) || LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.openedAt.localeCompare(b.openedAt));
  const { shown, page, pages } = pageOf(sorted, rotate);
  return (
    <Card title={`${t('dashboard.activeIncidents')} (${incidents.length})`} size={wall ? 'medium' : 'small'} extra={extra ?? <PageDots page={page} pages={pages} />} data-testid="active-incidents">
      {phone ? (
        shown.length ? (
          shown.map((i) => <IncidentCard key={i.id} incident={i} />)
        ) : (
          <Typography.Text type="secondary">{loading ? t('common.loading') : t('dashboard.noIncidents')}</Typography.Text>
        )
      ) : (
        <Table<Incident>
          rowKey="id"
          size={wall ? 'middle' : 'small'}
          loading={loading && incidents.length === 0}
          dataSource={shown}
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
                <Space orientation="vertical" size={0} className="incident-title-cell">
                  <span className="incident-title-line">
                    {isDrill(i) && <DrillTag />}
                    {wall ? (
                      <Typography.Text strong style={{ fontSize: 'inherit' }} className="ellipsis incident-title" title={i.title}>
                        {i.title}
                      </Typography.Text>
                    ) : (
                      <Link to={`/incidents/${encodeURIComponent(i.id)}`} data-testid="incident-link" className="ellipsis incident-title" title={i.title}>
                        {i.title}
                      </Link>
                    )}
                  </span>
                  <SystemsLine incident={i} />
                </Space>
              ),
            },
            { title: t('incident.decidedBy'), key: 'rule', render: (_, i) => <RuleTag rule={i.decidedBy} /> },
            { title: t('incident.nextLevel'), key: 'next', render: (_, i) => <NextChange incident={i} /> },
            { title: t('incident.state'), key: 'state', responsive: ['sm'], render: (_, i) => <IncidentStateTag state={i.state} /> },
            ...(wall
              ? []
              : [{ title: t('incident.openedAt'), key: 'opened', responsive: ['md'] as 'md'[], render: (_: unknown, i: Incident) => <span className="tabular">{formatTime(i.openedAt)}</span> }]),
          ]}
        />
      )}
    </Card>
  );
}
