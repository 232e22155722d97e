// The incident's deadlines: live countdown, state, who owes it, and a per-row "waive" for pending ones.
import { Button, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACTION_PERMISSION } from '../../api/permissions';
import type { Obligation, ObligationState } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { RoleName } from '../../components/Names';
import { ObligationStateTag } from '../../components/StateTags';
import { useLang } from '../../hooks/useLang';
import { useSession } from '../../hooks/useSession';
import { compareTimes, formatClock, formatTime } from '../../lib/format';

/** Sort order by state; the server sends the state as a string, so an unknown one sorts last. */
const ORDER: Partial<Record<string, number>> = { breached: 0, pending: 1, met: 2, waived: 3, cancelled: 4 } satisfies Record<ObligationState, number>;

export function ObligationsTable({ obligations, closed, onWaive }: { obligations: Obligation[]; closed: boolean; onWaive: (id: string) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const mayWaive = can(ACTION_PERMISSION.waive) && !closed;
  const rows = [...obligations].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || compareTimes(a.dueAt, b.dueAt));
  return (
    <Card size="small" title={t('incident.obligations')} data-testid="obligations">
      <Table<Obligation>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('common.none') }}
        onRow={(o) => ({ 'data-testid': 'obligation-row', 'data-rule-id': o.ruleId, 'data-state': o.state }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('obligation.action'),
            key: 'action',
            render: (_, o) => (
              <span>
                <code>{o.ruleId}</code> {pick(o.action)}
              </span>
            ),
          },
          { title: t('obligation.actor'), key: 'actor', responsive: ['sm'], render: (_, o) => <RoleName id={o.actorRole} /> },
          {
            title: t('obligation.due'),
            key: 'due',
            render: (_, o) =>
              (o.state === 'pending' || o.state === 'breached') && o.dueAt ? (
                <Countdown at={o.dueAt} />
              ) : o.dueAt || o.state !== 'pending' ? (
                <span className="tabular">{formatTime(o.dueAt)}</span>
              ) : (
                t('obligation.noDue')
              ),
          },
          {
            title: t('obligation.state'),
            key: 'state',
            render: (_, o) => {
              const outcome = o.metAt
                ? `${formatTime(o.metAt)}${o.metBy ? ` · ${o.metBy}` : ''}`
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
            },
          },
          ...(mayWaive
            ? [
                {
                  title: '',
                  key: 'waive',
                  render: (_: unknown, o: Obligation) =>
                    o.state === 'pending' || o.state === 'breached' ? (
                      <Button size="small" onClick={() => onWaive(o.id)} data-testid="obligation-waive">
                        {t('action.waiveShort')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
