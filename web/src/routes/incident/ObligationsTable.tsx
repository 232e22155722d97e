// The incident's deadlines: live countdown, state, who owes it, and a per-row "waive" for pending ones. After the
// incident closed, what is still pending (back-entry, the report …) stays open here, with its due time and its
// waive button; a cadence duty that ended with the incident says so. In a relapsing incident each row names its outage.
// Cards on a phone.
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACTION_PERMISSION } from '../../api/permissions';
import type { Incident, Obligation, ObligationState } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { RoleName } from '../../components/Names';
import { ObligationStateTag } from '../../components/StateTags';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useLang } from '../../hooks/useLang';
import { useSession } from '../../hooks/useSession';
import { compareTimes, formatClock, formatTime, clauseRef } from '../../lib/format';
import { isOpenObligation, outageOf, outageStarts } from '../../lib/response';

/** Sort order by state; the server sends the state as a string, so an unknown one sorts last. */
const ORDER: Partial<Record<string, number>> = { breached: 0, pending: 1, met: 2, waived: 3, ended: 4, cancelled: 5 } satisfies Record<ObligationState, number>;

export function ObligationsTable({ incident, onWaive }: { incident: Pick<Incident, 'obligations' | 'state' | 'outage' | 'openedAt' | 'timeline'>; onWaive: (id: string) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const { obligations } = incident;
  const closed = incident.state === 'closed';
  // open obligations outlive the incident: they can still be waived (or met) after close
  const mayWaive = can(ACTION_PERMISSION.waive);
  const outages = incident.outage ?? 1;
  const starts = outages >= 2 ? outageStarts(incident) : [];
  const stillOpen = closed ? obligations.filter(isOpenObligation).length : 0;
  const phone = useIsPhone();
  const rows = [...obligations].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || compareTimes(a.dueAt, b.dueAt));
  const actionCell = (o: Obligation) => (
    <span>
      {clauseRef(o.ruleId) && <code>{clauseRef(o.ruleId)}</code>} {pick(o.action)}
      {starts.length > 0 && (
        <Tag style={{ marginInlineStart: 6 }} data-testid="obligation-outage">
          {t('incident.outage', { n: outageOf(o, starts, outages) })}
        </Tag>
      )}
    </span>
  );
  const dueCell = (o: Obligation) =>
    isOpenObligation(o) && o.dueAt ? <Countdown at={o.dueAt} /> : o.dueAt || o.state !== 'pending' ? <span className="tabular">{formatTime(o.dueAt)}</span> : t('obligation.noDue');
  const stateCell = (o: Obligation) => {
    const outcome = o.metAt
      ? `${formatTime(o.metAt)}${o.metBy ? ` · ${o.metBy.startsWith('token:') ? t('tl.tokenActor') : o.metBy}` : ''}`
      : o.breachedAt
        ? `${formatTime(o.breachedAt)}${o.lateMs ? ` · ${t('obligation.late', { time: formatClock(o.lateMs) })}` : ''}`
        : '';
    return (
      <div>
        <ObligationStateTag state={o.state} />
        {outcome && (
          <div style={{ fontSize: '0.8em', opacity: 0.75 }} className="tabular">
            {outcome}
          </div>
        )}
      </div>
    );
  };
  const waiveCell = (o: Obligation) =>
    mayWaive && isOpenObligation(o) ? (
      <Button size="small" onClick={() => onWaive(o.id)} data-testid="obligation-waive">
        {t('action.waiveShort')}
      </Button>
    ) : null;
  return (
    <Card size="small" title={t('incident.obligations')} data-testid="obligations">
      {stillOpen > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="obligations-open-after-close" title={t('incident.closedOpenDuties', { count: stillOpen })} />}
      {phone ? (
        rows.length === 0 ? (
          t('common.none')
        ) : (
          rows.map((o) => (
            <div key={o.id} className="phone-card" data-testid="obligation-row" data-rule-id={o.ruleId} data-state={o.state} data-due={o.dueAt ?? ''}>
              <div>{actionCell(o)}</div>
              <div className="phone-card-line">
                {dueCell(o)}
                <span className="phone-card-label">
                  <RoleName id={o.actorRole} />
                </span>
              </div>
              <div className="phone-card-line">
                <span className="phone-card-grow">{stateCell(o)}</span>
                {waiveCell(o)}
              </div>
            </div>
          ))
        )
      ) : (
        <Table<Obligation>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('common.none') }}
          onRow={(o) => ({ 'data-testid': 'obligation-row', 'data-rule-id': o.ruleId, 'data-state': o.state, 'data-due': o.dueAt ?? '' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('obligation.action'), key: 'action', render: (_, o) => actionCell(o) },
            { title: t('obligation.actor'), key: 'actor', responsive: ['sm'], render: (_, o) => <RoleName id={o.actorRole} /> },
            { title: t('obligation.due'), key: 'due', render: (_, o) => dueCell(o) },
            { title: t('obligation.state'), key: 'state', render: (_, o) => stateCell(o) },
            ...(mayWaive ? [{ title: '', key: 'waive', render: (_: unknown, o: Obligation) => waiveCell(o) }] : []),
          ]}
        />
      )}
    </Card>
  );
}
