// Running deadlines: obligations still owed (pending, or breached and not yet met) of all open incidents,
// most overdue first, with who owes them. Cards on a phone (a table there wraps one character per line).
import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, Obligation } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { RoleName } from '../../components/Names';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useLang } from '../../hooks/useLang';
import { compareTimes, clauseRef } from '../../lib/format';
import { PageDots, pageOf, type Rotate } from '../wall/rotation';
import { DrillTag } from './ActiveIncidents';
import { byRealFirst, isDrill } from './drill';
import { ExpandableTitle } from './ExpandableTitle';
import { IncidentSystemsNote } from './IncidentSystemsNote';

interface Row {
  obligation: Obligation;
  incident: Incident;
}

function DeadlineCard({ row: { obligation, incident } }: { row: Row }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  return (
    <div className="phone-card" data-testid="deadline-row" data-rule-id={obligation.ruleId} data-incident-id={incident.id}>
      <div className="phone-card-line">
        {obligation.dueAt ? <Countdown at={obligation.dueAt} /> : t('obligation.noDue')}
        <Typography.Text type="secondary">
          <RoleName id={obligation.actorRole} />
        </Typography.Text>
      </div>
      <div>{pick(obligation.action)}</div>
      <div className="phone-card-line">
        <LevelBadge level={incident.level} size="small" />
        {isDrill(incident) && <DrillTag />}
        <span className="phone-card-grow">
          <ExpandableTitle text={incident.title} />
        </span>
        <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{t('myDuties.open')}</Link>
      </div>
    </div>
  );
}

export function Deadlines({ incidents, wall, rotate }: { incidents: Incident[]; wall?: boolean; rotate?: Rotate }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const phone = useIsPhone() && !wall;
  const rows: Row[] = incidents
    .flatMap((incident) => incident.obligations.filter((o) => o.state === 'pending' || o.state === 'breached').map((obligation) => ({ obligation, incident })))
    .sort((a, b) => byRealFirst(a.incident, b.incident) || compareTimes(a.obligation.dueAt, b.obligation.dueAt));
  const { shown, page, pages } = pageOf(rows, rotate);
  return (
    <Card title={`${t('dashboard.deadlines')} (${rows.length})`} size={wall ? 'medium' : 'small'} data-testid="deadlines" extra={<PageDots page={page} pages={pages} />}>
      {phone ? (
        rows.length ? (
          shown.map((r) => <DeadlineCard key={`${r.incident.id}:${r.obligation.id}`} row={r} />)
        ) : (
          <Typography.Text type="secondary">{t('dashboard.noDeadlines')}</Typography.Text>
        )
      ) : (
        <Table<Row>
          rowKey={(r) => `${r.incident.id}:${r.obligation.id}`}
          size={wall ? 'middle' : 'small'}
          dataSource={shown}
          pagination={false}
          locale={{ emptyText: t('dashboard.noDeadlines') }}
          onRow={(r) => ({ 'data-testid': 'deadline-row', 'data-rule-id': r.obligation.ruleId, 'data-incident-id': r.incident.id }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('obligation.due'), key: 'due', render: (_, r) => (r.obligation.dueAt ? <Countdown at={r.obligation.dueAt} /> : t('obligation.noDue')) },
            { title: t('obligation.actor'), key: 'actor', render: (_, r) => <RoleName id={r.obligation.actorRole} /> },
            {
              title: t('obligation.action'),
              key: 'action',
              render: (_, r) => (
                <span>
                  {clauseRef(r.obligation.ruleId) && <code>{clauseRef(r.obligation.ruleId)}</code>} {pick(r.obligation.action)}
                </span>
              ),
            },
            {
              title: t('obligation.incident'),
              key: 'incident',
              render: (_, r) => (
                <span>
                  <LevelBadge level={r.incident.level} size="small" /> {isDrill(r.incident) && <DrillTag />}
                  <span className="ellipsis" style={{ maxWidth: wall ? 200 : 220 }} title={r.incident.title}>
                    {wall ? r.incident.title : <Link to={`/incidents/${encodeURIComponent(r.incident.id)}`}>{r.incident.title}</Link>}
                    <IncidentSystemsNote incident={r.incident} />
                  </span>
                </span>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
