// Overrides (one person covers a role from–until) and swaps (two duty days trade places): exceptions to the rota.
import { App, Button, Card, Flex, Form, Input, List, Popconfirm, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { peopleApi, type OverrideView, type PersonView } from '../../../api/people';
import { EmptyNote } from '../../../components/EmptyNote';
import { formatShortTime } from '../../../lib/format';
import { useProblemText } from '../../../lib/problem';
import { PersonPicker } from './PersonListEditor';
import type { RoleOption } from './RotationsCard';

interface Props {
  overrides: OverrideView[];
  people: PersonView[];
  roles: RoleOption[];
  canManage: boolean;
  onChanged: () => void;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** `datetime-local` value (the browser's local time) → ISO instant. */
const instant = (local: string) => new Date(local).toISOString();

export function OverridesCard({ overrides, people, roles, canManage, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? '—';
  const roleName = (id: string) => roles.find((r) => r.value === id)?.label ?? '—';

  const cancel = async (o: OverrideView) => {
    try {
      await peopleApi.cancelOverride(o.id);
      void message.success(t('adminPeople.rotas.overrideCancelled'));
      onChanged();
    } catch (err) {
      void message.error(problemText(err));
    }
  };

  return (
    <>
      <Card size="small" title={t('adminPeople.rotas.overrides')} data-testid="overrides">
        <List
          dataSource={overrides}
          rowKey="id"
          locale={{ emptyText: <EmptyNote text={t('adminPeople.rotas.overridesEmpty')} /> }}
          renderItem={(o) => (
            <List.Item data-testid="override-item" style={{ display: 'block' }}>
              <Typography.Text strong>
                {t('adminPeople.rotas.overrideItem', { person: name(o.personId), role: roleName(o.role), from: formatShortTime(Date.parse(o.startsAt)), to: formatShortTime(Date.parse(o.endsAt)) })}
              </Typography.Text>
              <Typography.Paragraph type="secondary" style={{ margin: 0, overflowWrap: 'anywhere' }}>
                {o.reason}
              </Typography.Paragraph>
              {canManage && (
                <Popconfirm title={t('adminPeople.rotas.cancelConfirm')} onConfirm={() => void cancel(o)}>
                  <Button size="small" danger style={{ marginTop: 4 }} data-testid="override-cancel">
                    {t('adminPeople.rotas.cancelOverride')}
                  </Button>
                </Popconfirm>
              )}
            </List.Item>
          )}
        />
        {canManage && <OverrideForm people={people} roles={roles} onSaved={onChanged} />}
      </Card>
      {canManage && <SwapCard roles={roles} onSaved={onChanged} />}
    </>
  );
}

interface OverrideValues {
  role?: string;
  personId?: string;
  from?: string;
  until?: string;
  reason?: string;
}

function OverrideForm({ people, roles, onSaved }: { people: PersonView[]; roles: RoleOption[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [form] = Form.useForm<OverrideValues>();
  const [busy, setBusy] = useState(false);
  const required = (field: string) => ({ required: true, whitespace: true, message: t('adminPeople.rotas.required', { field }) });
  const submit = async (v: OverrideValues) => {
    setBusy(true);
    try {
      await peopleApi.addOverride({ role: v.role!, personId: v.personId!, startsAt: instant(v.from!), endsAt: instant(v.until!), reason: v.reason!.trim() });
      void message.success(t('adminPeople.rotas.overrideSaved'));
      form.resetFields();
      onSaved();
    } catch (err) {
      void message.error(problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ marginTop: 12 }} data-testid="override-form">
      <Typography.Text strong>{t('adminPeople.rotas.addOverride')}</Typography.Text>
      <Flex gap={12} wrap style={{ marginTop: 8 }}>
        <Form.Item name="role" label={t('adminPeople.field.role')} rules={[required(t('adminPeople.field.role'))]} style={{ flex: '1 1 200px' }}>
          <Select options={roles} showSearch={{ optionFilterProp: 'label' }} data-testid="override-role" />
        </Form.Item>
        <Form.Item name="personId" label={t('adminPeople.rotas.coverBy')} rules={[required(t('adminPeople.rotas.coverBy'))]} style={{ flex: '1 1 200px' }}>
          <PersonFormPicker people={people} />
        </Form.Item>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item name="from" label={t('adminPeople.rotas.from')} rules={[required(t('adminPeople.rotas.from'))]} style={{ flex: '1 1 200px' }}>
          <Input type="datetime-local" data-testid="override-from" />
        </Form.Item>
        <Form.Item
          name="until"
          label={t('adminPeople.rotas.until')}
          dependencies={['from']}
          rules={[
            required(t('adminPeople.rotas.until')),
            ({ getFieldValue }) => ({
              validator: (_, v?: string) =>
                !v || !getFieldValue('from') || Date.parse(v) > Date.parse(getFieldValue('from')) ? Promise.resolve() : Promise.reject(new Error(t('adminPeople.rotas.untilAfterFrom'))),
            }),
          ]}
          style={{ flex: '1 1 200px' }}
        >
          <Input type="datetime-local" data-testid="override-until" />
        </Form.Item>
      </Flex>
      <Form.Item
        name="reason"
        label={t('adminPeople.rotas.reason')}
        rules={[required(t('adminPeople.rotas.reason')), { max: 500, message: t('adminPeople.form.tooLong', { field: t('adminPeople.rotas.reason'), max: 500 }) }]}
      >
        <Input data-testid="override-reason" />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={busy} data-testid="override-save">
        {t('adminPeople.rotas.addOverride')}
      </Button>
    </Form>
  );
}

function PersonFormPicker({ value, onChange, people }: { value?: string; onChange?: (v: string | undefined) => void; people: PersonView[] }) {
  return <PersonPicker people={people} value={value} onChange={(v) => onChange?.(v)} testId="override-person" />;
}

interface SwapValues {
  role?: string;
  a?: string;
  b?: string;
  handover?: string;
  reason?: string;
}

function SwapCard({ roles, onSaved }: { roles: RoleOption[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [form] = Form.useForm<SwapValues>();
  const [busy, setBusy] = useState(false);
  const required = (field: string) => ({ required: true, whitespace: true, message: t('adminPeople.rotas.required', { field }) });
  const submit = async (v: SwapValues) => {
    setBusy(true);
    try {
      await peopleApi.swap({ role: v.role!, a: v.a!, b: v.b!, handover: v.handover ?? '08:00', reason: v.reason!.trim() });
      void message.success(t('adminPeople.rotas.swapped', { a: v.a, b: v.b }));
      form.resetFields();
      onSaved();
    } catch (err) {
      const noOne = err instanceof ApiError && err.problem.code === 'VALIDATION_FAILED' && err.problem.errors?.some((e) => e.path === 'a' || e.path === 'b');
      void message.error(noOne ? t('adminPeople.rotas.swapNoOne') : problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('adminPeople.rotas.swaps')} data-testid="swaps">
      <Typography.Paragraph type="secondary">{t('adminPeople.rotas.swapHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ handover: '08:00' }} data-testid="swap-form">
        <Flex gap={12} wrap>
          <Form.Item name="role" label={t('adminPeople.field.role')} rules={[required(t('adminPeople.field.role'))]} style={{ flex: '1 1 200px' }}>
            <Select options={roles} showSearch={{ optionFilterProp: 'label' }} data-testid="swap-role" />
          </Form.Item>
          <Form.Item
            name="handover"
            label={t('adminPeople.rotas.handover')}
            rules={[required(t('adminPeople.rotas.handover')), { pattern: HHMM, message: t('adminPeople.rotas.timeInvalid') }]}
            style={{ flex: '1 1 120px' }}
          >
            <Input type="time" data-testid="swap-handover" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="a" label={t('adminPeople.rotas.dayA')} rules={[required(t('adminPeople.rotas.dayA'))]} style={{ flex: '1 1 160px' }}>
            <Input type="date" data-testid="swap-a" />
          </Form.Item>
          <Form.Item
            name="b"
            label={t('adminPeople.rotas.dayB')}
            dependencies={['a']}
            rules={[
              required(t('adminPeople.rotas.dayB')),
              ({ getFieldValue }) => ({ validator: (_, v?: string) => (!v || v !== getFieldValue('a') ? Promise.resolve() : Promise.reject(new Error(t('adminPeople.rotas.sameDay')))) }),
            ]}
            style={{ flex: '1 1 160px' }}
          >
            <Input type="date" data-testid="swap-b" />
          </Form.Item>
        </Flex>
        <Form.Item name="reason" label={t('adminPeople.rotas.reason')} rules={[required(t('adminPeople.rotas.reason'))]}>
          <Input data-testid="swap-reason" />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={busy} data-testid="swap-save">
          {t('adminPeople.rotas.doSwap')}
        </Button>
      </Form>
    </Card>
  );
}
