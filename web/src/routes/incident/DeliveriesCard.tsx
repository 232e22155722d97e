// Page deliveries of an incident: who was paged, on which channel, for which step, with what result, and when the
// page was acknowledged. Fetched from GET /incidents/:id/deliveries; refreshed on every live event like the room.
// Cards on a phone.
import { Alert, Card, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Delivery } from '../../api/types';
import { EmptyNote } from '../../components/EmptyNote';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { useResource } from '../../hooks/useResource';
import { formatTime } from '../../lib/format';

const STATUS_COLOUR: Record<string, string> = { pending: 'default', sending: 'processing', sent: 'blue', failed: 'red', cancelled: 'default' };

export function DeliveriesCard({ incidentId }: { incidentId: string }) {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  const { role } = usePlan();
  const { data, error } = useResource(() => api.deliveries(incidentId).then((r) => r.items ?? []), [incidentId]);
  const rows = data ?? [];
  const phone = useIsPhone();

  /** A configured channel id when translated (sms, wecom …), else the family of its notifier kind (sms-aliyun → sms). */
  const channelName = (d: Delivery) => {
    if (i18n.exists(`channel.${d.channel}`)) return t(`channel.${d.channel}`);
    const family = (d.kind ?? '').split('-')[0];
    return i18n.exists(`channel.${family}`) ? t(`channel.${family}`) : d.channel;
  };
  const roleName = (id: string) => (role(id) ? pick(role(id)!.name) : id);
  /** opened | breach:<rule>:<obligation> | level:Lx | escalation:<id>, plus ~d<n> when a deputy stands in. */
  const stepName = (d: Delivery) => {
    const [step, deputy] = d.step.split('~d');
    const [kind, arg = ''] = step.split(':');
    const base =
      kind === 'opened'
        ? t('delivery.stepOpened')
        : kind === 'breach'
          ? t('delivery.stepBreach', { rule: arg })
          : kind === 'level'
            ? t('delivery.stepLevel', { level: t(`level.short.${arg}`, arg) })
            : kind === 'escalation'
              ? t('delivery.stepEscalation', { rule: arg })
              : step;
    const rank = deputy ?? (d.deputyRank > 0 ? String(d.deputyRank) : undefined);
    const round = d.round > 1 ? t('delivery.round', { round: d.round }) : '';
    return `${base}${rank ? t('delivery.deputy', { rank }) : ''}${round}`;
  };

  const statusTag = (d: Delivery) => {
    const tag = <Tag color={STATUS_COLOUR[d.status] ?? 'default'}>{t(`deliveryStatus.${d.status}`, d.status)}</Tag>;
    return d.error ? <Tooltip title={d.error}>{tag}</Tooltip> : tag;
  };
  const ackCell = (d: Delivery) =>
    d.ackAt ? (
      <Tag color="green" data-testid="delivery-acked">
        <span className="tabular">{formatTime(d.ackAt)}</span>
      </Tag>
    ) : (
      t('delivery.notAcked')
    );
  const cards = () =>
    rows.map((d) => (
      <div key={d.id} className="phone-card" data-testid="delivery-row" data-status={d.status}>
        <div className="phone-card-line">
          <strong>{d.person ?? d.personId ?? '—'}</strong>
          {d.role && <Typography.Text type="secondary">{roleName(d.role)}</Typography.Text>}
        </div>
        <div className="phone-card-line">
          {statusTag(d)}
          <span>{channelName(d)}</span>
          <Typography.Text type="secondary">{stepName(d)}</Typography.Text>
        </div>
        <div className="phone-card-line">
          <span>
            <span className="phone-card-label">{t('delivery.sentAt')}</span>
            <span className="tabular">{formatTime(d.sentAt)}</span>
          </span>
          <span>
            <span className="phone-card-label">{t('delivery.ackAt')}</span>
            {ackCell(d)}
          </span>
        </div>
        {d.error && <Typography.Text type="danger">{d.error}</Typography.Text>}
      </div>
    ));

  return (
    <Card size="small" title={t('incident.deliveries')} data-testid="deliveries">
      {error !== undefined && rows.length === 0 ? (
        <Alert type="warning" showIcon title={t('delivery.loadFailed')} data-testid="deliveries-error" />
      ) : rows.length === 0 ? (
        <EmptyNote text={t('incident.noDeliveries')} testId="deliveries-empty" />
      ) : phone ? (
        cards()
      ) : (
        <Table<Delivery>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(d) => ({ 'data-testid': 'delivery-row', 'data-status': d.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('delivery.recipient'),
              key: 'to',
              render: (_, d) => (
                <>
                  {d.person ?? d.personId ?? '—'}
                  {d.role && (
                    <div>
                      <Typography.Text type="secondary">{roleName(d.role)}</Typography.Text>
                    </div>
                  )}
                </>
              ),
            },
            { title: t('delivery.channel'), key: 'channel', render: (_, d) => channelName(d) },
            { title: t('delivery.step'), key: 'step', render: (_, d) => stepName(d) },
            {
              title: t('delivery.status'),
              key: 'status',
              render: (_, d) => statusTag(d),
            },
            { title: t('delivery.sentAt'), key: 'sent', render: (_, d) => <span className="tabular">{formatTime(d.sentAt)}</span> },
            {
              title: t('delivery.ackAt'),
              key: 'ack',
              render: (_, d) => ackCell(d),
            },
            { title: t('delivery.error'), key: 'err', responsive: ['md'], render: (_, d) => d.error ?? '' },
          ]}
        />
      )}
    </Card>
  );
}
