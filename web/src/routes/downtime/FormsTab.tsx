// Paper forms of this session: print with serials and QR codes (one per issued number, or blank), reprint, void, file.
import { actorLabel } from '../../lib/timeline';
import { Alert, App, Button, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type FormRow, type FormType, type SessionDetail } from '../../api/downtime';
import { PrintModal } from '../../components/downtime/PrintModal';
import { ItemStateTag } from '../../components/downtime/StateTag';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

export function FormsTab({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { catalogue, formTitle } = useCatalogue();
  const { message } = App.useApp();
  const types = s.line?.forms ?? [];
  const [type, setType] = useState<FormType>();
  const [count, setCount] = useState(1);
  const [print, setPrint] = useState<{ url: string; paper: 'A4' | 'A5' }>();
  const chosen = type ?? types[0];
  const spec = catalogue?.forms.find((f) => f.type === chosen);
  const editable = can(DOWNTIME_PERM.operate) && s.incident.state !== 'closed';
  // Issued numbers of the form's kind that are on no live form yet: one pre-numbered form each.
  const unprinted = useMemo(() => {
    if (!spec?.number) return [];
    const onForms = new Set(s.forms.filter((f) => f.state !== 'void').map((f) => f.number));
    return s.numbers.filter((n) => n.kind === spec.number && n.state === 'issued' && !onForms.has(n.number));
  }, [s, spec]);

  const doPrint = async (body: { numbers?: string[]; count?: number }) => {
    if (!chosen) return;
    try {
      const r = await downtimeApi.print({ type: chosen, sessionId: s.id, ...body });
      message.success(t('downtime.forms.printed', { count: r.items.length }));
      setPrint({ url: r.printUrl, paper: spec?.paper ?? 'A4' });
      onDone();
    } catch {
      /* reported */
    }
  };
  const settle = async (f: FormRow, action: 'void' | 'file') => {
    const reason = action === 'void' ? (window.prompt(t('downtime.forms.voidReason')) ?? '') : undefined;
    if (action === 'void' && !reason?.trim()) return;
    try {
      await downtimeApi.settleForm(f.serial, action, reason);
      onDone();
    } catch {
      /* reported */
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {editable && (
        <Space wrap>
          <Select style={{ minWidth: 220 }} value={chosen} onChange={setType} data-testid="print-type" options={types.map((x) => ({ value: x, label: formTitle(x) }))} />
          {unprinted.length > 0 && (
            <Button type="primary" onClick={() => doPrint({ numbers: unprinted.map((n) => n.id) })} data-testid="print-for-numbers">
              {t('downtime.forms.forNumbers', { count: unprinted.length })}
            </Button>
          )}
          <InputNumber min={1} max={200} value={count} onChange={(v) => setCount(v ?? 1)} data-testid="print-count" />
          <Button onClick={() => doPrint({ count })} data-testid="print-blank">
            {t('downtime.forms.blank')}
          </Button>
        </Space>
      )}
      {spec?.duplicate && <Alert type="info" showIcon title={t('downtime.forms.duplicate')} />}
      <Typography.Text type="secondary">{t('downtime.forms.help')}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        dataSource={s.forms}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: true }}
        onRow={(f) => ({ 'data-testid': 'form-row', 'data-serial': f.serial, 'data-state': f.state }) as never}
        columns={[
          { title: t('downtime.forms.serial'), dataIndex: 'serial', render: (v) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('downtime.forms.type'), dataIndex: 'type', render: (x) => formTitle(x) },
          { title: t('downtime.numbers.number'), dataIndex: 'number', render: (v) => v ?? '—' },
          { title: t('downtime.forms.state'), render: (_, f) => (f.itemState ? <ItemStateTag state={f.itemState} /> : <Tag>{t(`downtime.formState.${f.state}`)}</Tag>) },
          { title: t('downtime.forms.printedAt'), render: (_, f) => `${formatTime(f.printedAt)} · ${actorLabel(f.printedBy, t)}` },
          {
            title: '',
            render: (_, f) => (
              <Space size={4}>
                <Button size="small" onClick={() => setPrint({ url: `/api/v1/downtime/print/${f.batch}`, paper: catalogue?.forms.find((x) => x.type === f.type)?.paper ?? 'A4' })}>
                  {t('downtime.forms.reprint')}
                </Button>
                {editable && f.state === 'printed' && !f.itemId && (
                  <Button size="small" onClick={() => settle(f, 'void')}>
                    {t('downtime.forms.void')}
                  </Button>
                )}
                {editable && f.state === 'printed' && !f.record && (
                  <Button size="small" onClick={() => settle(f, 'file')} data-testid="form-file">
                    {t('downtime.forms.file')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <PrintModal url={print?.url} paper={print?.paper} onClose={() => setPrint(undefined)} />
    </Space>
  );
}
