// Downtime numbers of this session: issue from the department's block (one, or N at once), void or return them.
import { Alert, App, Button, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type NumberRow, type SessionDetail } from '../../api/downtime';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

export function NumbersTab({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [block, setBlock] = useState<string>();
  const [count, setCount] = useState(1);
  const [busy, setBusy] = useState(false);
  const blockId = block ?? s.blocks.find((b) => b.left > 0)?.id;
  const editable = can(DOWNTIME_PERM.operate) && s.incident.state !== 'closed';
  const issue = async () => {
    if (!blockId) return;
    setBusy(true);
    try {
      const r = await downtimeApi.issue(blockId, count, s.id);
      message.success(t('downtime.numbers.issued', { first: r.items[0].number, last: r.items[r.items.length - 1].number, count: r.items.length }));
      onDone();
    } catch {
      /* reported */
    } finally {
      setBusy(false);
    }
  };
  const settle = async (n: NumberRow, action: 'void' | 'return') => {
    const reason = action === 'void' ? (window.prompt(t('downtime.numbers.voidReason')) ?? '') : undefined;
    if (action === 'void' && !reason?.trim()) return;
    try {
      await downtimeApi.settleNumber(n.id, action, reason);
      onDone();
    } catch {
      /* reported */
    }
  };
  if (!s.line?.numbers?.length) return <Alert type="info" showIcon title={t('downtime.numbers.notUsed')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {editable &&
        (s.blocks.length ? (
          <Space wrap>
            <Select
              style={{ minWidth: 280 }}
              value={blockId}
              onChange={setBlock}
              data-testid="issue-block"
              options={s.blocks.map((b) => ({
                value: b.id,
                label: `${t(`downtime.kind.${b.kind}`)} ${b.first}–${b.last}${b.window ? ` · ${b.window}` : ''} (${t('downtime.numbers.left', { count: b.left })})`,
                disabled: b.left === 0,
              }))}
            />
            <InputNumber min={1} max={500} value={count} onChange={(v) => setCount(v ?? 1)} data-testid="issue-count" />
            <Button type="primary" loading={busy} onClick={issue} data-testid="issue-button">
              {t('downtime.numbers.issue')}
            </Button>
          </Space>
        ) : (
          <Alert type="warning" showIcon title={t('downtime.numbers.noBlock')} />
        ))}
      <Typography.Text type="secondary">{t('downtime.numbers.help')}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        dataSource={s.numbers}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(n) => ({ 'data-testid': 'number-row', 'data-number': n.number, 'data-state': n.state }) as never}
        columns={[
          { title: t('downtime.numbers.number'), dataIndex: 'number', render: (v) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('downtime.blocks.kind'), dataIndex: 'kind', render: (k) => t(`downtime.kind.${k}`) },
          {
            title: t('downtime.numbers.state'),
            dataIndex: 'state',
            render: (st, n) => (
              <Tag color={st === 'issued' ? 'blue' : 'default'} title={n.reason ?? undefined}>
                {t(`downtime.numberState.${st}`)}
              </Tag>
            ),
          },
          { title: t('downtime.numbers.issuedAt'), render: (_, n) => `${formatTime(n.issuedAt)} · ${n.issuedBy}` },
          {
            title: '',
            render: (_, n) =>
              editable &&
              n.state === 'issued' && (
                <Space size={4}>
                  <Button size="small" onClick={() => settle(n, 'void')}>
                    {t('downtime.numbers.void')}
                  </Button>
                  <Popconfirm title={t('downtime.numbers.returnConfirm')} onConfirm={() => settle(n, 'return')}>
                    <Button size="small">{t('downtime.numbers.return')}</Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
    </Space>
  );
}
