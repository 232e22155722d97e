// Reconciliation (核对): forms vs entries, temporary numbers vs real ids (merge list), receipts vs invoices,
// tests vs charges, MI re-uploads; the session is signed off as reconciled only when every check is clear.
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, Button, Collapse, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type SessionDetail } from '../../api/downtime';
import { useSession } from '../../hooks/useSession';

export function ReconcileTab({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const open = s.checks.filter((c) => !c.ok);
  const merge = async (itemId: string) => {
    try {
      await downtimeApi.merged(itemId);
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="reconciliation">
      {open.length === 0 && s.progress.open === 0 ? (
        <Alert type="success" showIcon data-testid="reconcile-clear" title={t('downtime.reconcile.clear')} />
      ) : (
        <Alert type="warning" showIcon data-testid="reconcile-open" title={t('downtime.reconcile.open', { checks: open.length, records: s.progress.open })} />
      )}
      <Collapse
        items={s.checks.map((c) => ({
          key: c.id,
          label: (
            <Space data-testid="check-row" data-check={c.id} data-ok={c.ok}>
              {c.ok ? <CheckCircleFilled style={{ color: '#16a34a' }} /> : <ExclamationCircleFilled style={{ color: '#d97706' }} />}
              <span>{t(`downtime.check.${c.id}`)}</span>
              <Tag>{c.expected ? `${c.matched}/${c.expected}` : t('downtime.reconcile.nothing')}</Tag>
            </Space>
          ),
          children: c.discrepancies.length ? (
            <ul style={{ margin: 0 }}>
              {c.discrepancies.map((d, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list replaced as a whole; one ref may have several problems
                <li key={`${d.ref}:${n}`}>
                  {!isInternalId(d.ref) && <Typography.Text code>{d.ref}</Typography.Text>} {t(`downtime.problem.${d.problem}`, { defaultValue: t('downtime.log.otherValue') })}
                  {discrepancyDetail(d, t)}
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Text type="secondary">{t('downtime.reconcile.noDiscrepancy')}</Typography.Text>
          ),
        }))}
      />
      <Typography.Title level={5}>{t('downtime.reconcile.mergeList')}</Typography.Title>
      <Table
        size="small"
        rowKey="itemId"
        dataSource={s.mergeList}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('downtime.reconcile.noMerge') }}
        columns={[
          { title: t('downtime.reconcile.temp'), dataIndex: 'tempNumber', render: (v) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('downtime.reconcile.real'), dataIndex: 'hospitalId' },
          {
            title: t('downtime.reconcile.sameAs'),
            render: (_, m) =>
              m.sameAs.length ? (
                <Space size={2}>
                  {m.sameAs.map((x) => (
                    <Tag color="orange" key={x}>
                      {x}
                    </Tag>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            render: (_, m) =>
              m.sameAs.length ? (
                m.merged ? (
                  <Tag color="green">{t('downtime.reconcile.merged')}</Tag>
                ) : (
                  can(DOWNTIME_PERM.operate) && (
                    <Button size="small" onClick={() => merge(m.itemId)}>
                      {t('downtime.reconcile.markMerged')}
                    </Button>
                  )
                )
              ) : null,
          },
        ]}
      />
    </Space>
  );
}

/** A back-entry record's own id (dti_…) means nothing on paper: its record type says which one it is. */
const isInternalId = (ref: string) => /^dti_/.test(ref);

/** The detail of a discrepancy in words: a record type or an insurance state by name, a reason or ids as written. */
function discrepancyDetail(d: { problem: string; detail?: string | null }, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (!d.detail) return '';
  if (d.problem === 'not_entered' || d.problem === 'not_verified') return ` (${t(`downtime.record.${d.detail}`, { defaultValue: t('downtime.record.other') })})`;
  if (d.problem === 'mi_pending') return ` (${t(`downtime.mi.${d.detail}`, { defaultValue: t('downtime.log.otherValue') })})`;
  return ` (${d.detail})`;
}
