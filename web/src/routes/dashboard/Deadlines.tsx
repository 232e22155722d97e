// Running deadlines: obligations still owed (pending, or breached and not yet met) of all open incidents,
// most overdue first, with who owes them.
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, Obligation } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { RoleName } from '../../components/Names';
import { useLang } from '../../hooks/useLang';
import { compareTimes } from '../../lib/format';
import { IncidentSystemsNote } from './IncidentSystemsNote';

interface Row {
  obligation: Obligation;
  incident: Incident;
}

export function Deadlines({ incidents, wall, limit }: { incidents: Incident[]; wall?: boolean; limit?: number }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const rows: Row[] = incidents
    .flatMap((incident) => incident.obligations.filter((o) => o.state === 'pending' || o.state === 'breached').map((obligation) => ({ obligation, incident })))
    .sort((a, b) => compareTimes(a.obligation.dueAt, b.obligation.dueAt));
  return (
    <Card title={`${t('dashboard.deadlines')} (${rows.length})`} size={wall ? 'medium' : 'small'} data-testid="deadlines">
      <Table<Row>
        rowKey={(r) => `${r.incident.id}:${r.obligation.id}`}
        size={wall ? 'middle' : 'small'}
        dataSource={limit ? rows.slice(0, limit) : rows}
        footer={limit && rows.length > limit ? () => t('dashboard.more', { count: rows.length - limit }) : undefined}
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
                <code>{r.obligation.ruleId}</code> {pick(r.obligation.action)}
              </span>
            ),
          },
          {
            title: t('obligation.incident'),
            key: 'incident',
            render: (_, r) => (
              <span>
                <LevelBadge level={r.incident.level} size="small" />{' '}
                <span className="ellipsis" style={{ maxWidth: wall ? 200 : 220 }} title={r.incident.title}>
                  {wall ? r.incident.title : <Link to={`/incidents/${encodeURIComponent(r.incident.id)}`}>{r.incident.title}</Link>}
                  <IncidentSystemsNote incident={r.incident} />
                </span>
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}
