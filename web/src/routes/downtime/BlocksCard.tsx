// Downtime number blocks: allocate ranges per department or window, and print pre-numbered slips ahead of time.
import { App, Button, Card, Form, Input, InputNumber, Popover, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type Block, type CreateBlockBody, type FormType, type NumberKind } from '../../api/downtime';
import { PrintModal } from '../../components/downtime/PrintModal';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { refreshNow } from '../../hooks/live';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';

/** The form a number kind is pre-printed on. */
export const FORM_FOR_KIND: Partial<Record<string, FormType>> = { mrn: 'registration_slip', receipt: 'temporary_receipt' } satisfies Partial<Record<NumberKind, FormType>>;

export function BlocksCard() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { catalogue, deptName } = useCatalogue();
  const { data, loading, reload } = useResource(() => downtimeApi.blocks(), []);
  const [print, setPrint] = useState<{ url: string; paper: 'A4' | 'A5' }>();
  const { message } = App.useApp();
  const [form] = Form.useForm();

  const create = async (v: Pick<CreateBlockBody, 'kind' | 'start' | 'end' | 'department' | 'window'>) => {
    try {
      await downtimeApi.createBlock(v);
      message.success(t('downtime.blocks.created'));
      form.resetFields();
      reload();
    } catch {
      /* reported */
    }
  };
  const sheet = async (b: Block, count: number) => {
    const type = FORM_FOR_KIND[b.kind]!;
    try {
      const issued = await downtimeApi.issue(b.id, count, undefined, 'sheet');
      const printed = await downtimeApi.print({ type, numbers: issued.items.map((n) => n.id), department: b.department ?? undefined });
      setPrint({ url: printed.printUrl, paper: catalogue?.forms.find((f) => f.type === type)?.paper ?? 'A5' });
      refreshNow();
      reload();
    } catch {
      /* reported */
    }
  };

  return (
    <Card size="small" title={t('downtime.blocks.title')} data-testid="blocks-card">
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: t('downtime.blocks.none') }}
        onRow={(b) => ({ 'data-testid': 'block-row', 'data-block-id': b.id, 'data-kind': b.kind }) as never}
        columns={[
          { title: t('downtime.blocks.kind'), dataIndex: 'kind', render: (k) => t(`downtime.kind.${k}`) },
          {
            title: t('downtime.blocks.range'),
            render: (_, b) => (
              <span>
                {b.first} – {b.last}
              </span>
            ),
          },
          {
            title: t('downtime.blocks.where'),
            render: (_, b) => (
              <span>
                {deptName(b.department)}
                {b.window ? ` · ${b.window}` : ''}
              </span>
            ),
          },
          {
            title: t('downtime.blocks.left'),
            render: (_, b) => (
              <span>
                {b.left}/{b.size}
              </span>
            ),
          },
          {
            title: t('downtime.blocks.used'),
            render: (_, b) => (
              <Space size={2}>
                <Tag>
                  {t('downtime.numberState.issued')} {b.issued}
                </Tag>
                {b.void > 0 && (
                  <Tag>
                    {t('downtime.numberState.void')} {b.void}
                  </Tag>
                )}
                {b.returned > 0 && (
                  <Tag>
                    {t('downtime.numberState.returned')} {b.returned}
                  </Tag>
                )}
                {b.retired && <Tag color="default">{t('downtime.blocks.retired')}</Tag>}
              </Space>
            ),
          },
          {
            title: '',
            render: (_, b) => (FORM_FOR_KIND[b.kind] && !b.retired && can(DOWNTIME_PERM.operate) ? <SheetButton onPrint={(n) => sheet(b, n)} max={b.left} /> : null),
          },
        ]}
      />
      {can(DOWNTIME_PERM.operate) && (
        <Form form={form} layout="inline" onFinish={create} style={{ marginTop: 12, rowGap: 8 }} initialValues={{ kind: 'mrn' }}>
          <Form.Item name="kind" label={t('downtime.blocks.kind')}>
            <Select style={{ width: 140 }} options={(catalogue?.numberKinds ?? ['mrn', 'visit', 'receipt']).map((k) => ({ value: k, label: t(`downtime.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="department" label={t('downtime.department')}>
            <Select allowClear style={{ width: 200 }} options={(catalogue?.departments ?? []).map((d) => ({ value: d.id, label: deptName(d.id) }))} />
          </Form.Item>
          <Form.Item name="window" label={t('downtime.blocks.window')}>
            <Input style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="start" label={t('downtime.blocks.start')} rules={[{ required: true, message: t('form.required') }]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="end" label={t('downtime.blocks.end')} rules={[{ required: true, message: t('form.required') }]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" data-testid="block-create">
              {t('downtime.blocks.create')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <PrintModal url={print?.url} paper={print?.paper} onClose={() => setPrint(undefined)} />
    </Card>
  );
}

function SheetButton({ onPrint, max }: { onPrint: (n: number) => void; max: number }) {
  const { t } = useTranslation();
  const [n, setN] = useState(20);
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      content={
        <Space>
          <InputNumber min={1} max={Math.min(200, max)} value={n} onChange={(v) => setN(v ?? 1)} />
          <Button
            type="primary"
            onClick={() => {
              setOpen(false);
              onPrint(n);
            }}
          >
            {t('downtime.blocks.printSheet')}
          </Button>
        </Space>
      }
    >
      <Button size="small" disabled={max === 0}>
        {t('downtime.blocks.sheetAhead')}
      </Button>
    </Popover>
  );
}
