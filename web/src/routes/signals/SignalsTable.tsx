// A table of signals; the unmapped view adds a "map to system" button per row.
import { Button, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Signal } from '../../api/types';
import { Link } from '../../components/Link';
import { SystemName } from '../../components/Names';
import { formatTime } from '../../lib/format';

const SEVERITY_COLOUR: Record<string, string> = { red: 'red', orange: 'orange', yellow: 'gold', blue: 'blue' };

export function SignalsTable({ signals, loading, onMap }: { signals: Signal[]; loading: boolean; onMap?: (s: Signal) => void }) {
  const { t } = useTranslation();
  // wide on a phone: the table scrolls sideways inside its own box (data-scroll-x), the page does not
  return (
    <div data-scroll-x>
      <Table<Signal>
        size="small"
        rowKey="id"
        loading={loading && signals.length === 0}
        dataSource={signals}
        pagination={{ pageSize: 25, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('signals.none') }}
        onRow={(s) => ({ 'data-testid': 'signal-row', 'data-signal-id': s.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('common.time'), key: 'at', render: (_, s) => <span className="tabular">{formatTime(s.at ?? s.receivedAt)}</span> },
          { title: t('signals.source'), key: 'source', render: (_, s) => s.source },
          {
            title: t('signals.severity'),
            key: 'severity',
            render: (_, s) => (s.severity ? <Tag color={SEVERITY_COLOUR[s.severity] ?? 'default'}>{t(`colour.${s.severity}`, s.severity)}</Tag> : '—'),
          },
          { title: t('signals.status'), key: 'status', render: (_, s) => (s.status ? t(`signalStatus.${s.status}`, s.status) : '—') },
          { title: t('signals.system'), key: 'system', render: (_, s) => (s.system ? <SystemName id={s.system} withId /> : <Tag>{t('signals.unmapped')}</Tag>) },
          { title: t('signals.host'), key: 'host', render: (_, s) => s.host ?? s.component ?? '—' },
          { title: t('signals.summary'), key: 'summary', width: 360, ellipsis: { showTitle: true }, render: (_, s) => s.summary ?? '—' },
          {
            title: t('signals.incident'),
            key: 'incident',
            render: (_, s) =>
              s.incidentId ? (
                <Link to={`/incidents/${encodeURIComponent(s.incidentId)}`} title={s.incidentId}>
                  {t('signals.view')}
                </Link>
              ) : (
                '—'
              ),
          },
          ...(onMap
            ? [
                {
                  title: '',
                  key: 'map',
                  render: (_: unknown, s: Signal) => (
                    <Button size="small" type="primary" onClick={() => onMap(s)} data-testid="signal-map">
                      {t('signals.map')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
