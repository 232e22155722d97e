// Page deliveries (who was paged, by which channel, delivered / acknowledged). Empty state until the server sends them.
import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Delivery } from '../../api/types';
import { EmptyNote } from '../../components/EmptyNote';
import { formatTime } from '../../lib/format';

const STATUS_COLOUR: Record<string, string> = { sent: 'blue', delivered: 'blue', acknowledged: 'green', acked: 'green', failed: 'red', pending: 'default', queued: 'default' };

export function DeliveriesCard({ deliveries }: { deliveries?: Delivery[] }) {
  const { t } = useTranslation();
  const rows = (deliveries ?? []).map((d, n) => ({ ...d, key: d.id ?? String(n) }));
  return (
    <Card size="small" title={t('incident.deliveries')} data-testid="deliveries">
      {rows.length === 0 ? (
        <EmptyNote text={t('incident.noDeliveries')} testId="deliveries-empty" />
      ) : (
        <Table<Delivery & { key: string }>
          size="small"
          rowKey="key"
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={() => ({ 'data-testid': 'delivery-row' } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t('common.time'), key: 'at', render: (_, d) => <span className="tabular">{formatTime(d.sentAt ?? d.at)}</span> },
            { title: t('delivery.recipient'), key: 'to', render: (_, d) => d.person ?? d.recipient ?? d.to ?? '—' },
            { title: t('delivery.channel'), key: 'channel', render: (_, d) => (d.channel ? t(`channel.${d.channel}`, d.channel) : '—') },
            { title: t('delivery.status'), key: 'status', render: (_, d) => (d.status ? <Tag color={STATUS_COLOUR[d.status] ?? 'default'}>{t(`deliveryStatus.${d.status}`, d.status)}</Tag> : '—') },
            { title: t('delivery.ackAt'), key: 'ack', render: (_, d) => formatTime(d.ackAt ?? d.acknowledgedAt) },
            { title: t('delivery.error'), key: 'err', responsive: ['md'], render: (_, d) => d.error ?? d.reason ?? '' },
          ]}
        />
      )}
    </Card>
  );
}
