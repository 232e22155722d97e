// Rotations: a repeating 24-hour duty of a role, handed over at a local time, members taking turns in order.
import { App, Button, Card, Flex, Form, Input, List, Modal, Popconfirm, Select, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { peopleApi, type PersonView, type Rotation, type RotationBody } from '../../../api/people';
import { EmptyNote } from '../../../components/EmptyNote';
import { useProblemText } from '../../../lib/problem';
import { PersonListEditor } from './PersonListEditor';

export interface RoleOption {
  value: string;
  label: string;
}

interface Props {
  rotations: Rotation[];
  people: PersonView[];
  roles: RoleOption[];
  canManage: boolean;
  onChanged: () => void;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function RotationsCard({ rotations, people, roles, canManage, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [editing, setEditing] = useState<Rotation | 'new' | null>(null);
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? '—';
  const roleName = (id: string) => roles.find((r) => r.value === id)?.label ?? '—';

  const remove = async (r: Rotation) => {
    try {
      await peopleApi.deleteRotation(r.id);
      void message.success(t('adminPeople.rotas.deleted'));
      onChanged();
    } catch (err) {
      void message.error(problemText(err));
    }
  };

  return (
    <Card
      size="small"
      title={t('adminPeople.rotas.rotations')}
      data-testid="rotations"
      extra={
        canManage && (
          <Button type="primary" size="small" onClick={() => setEditing('new')} data-testid="rotation-add">
            {t('adminPeople.rotas.addRotation')}
          </Button>
        )
      }
    >
      <List
        dataSource={rotations}
        rowKey="id"
        locale={{ emptyText: <EmptyNote text={t('adminPeople.rotas.rotationsEmpty')} /> }}
        renderItem={(r) => (
          <List.Item data-testid="rotation-item" style={{ display: 'block' }}>
            <Flex gap={8} wrap align="center">
              <Typography.Text strong>{r.name}</Typography.Text>
              <Tag>{roleName(r.role)}</Tag>
              {!r.active && <Tag color="warning">{t('adminPeople.rotas.paused')}</Tag>}
            </Flex>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
              {t('adminPeople.rotas.everyDay', { time: r.handover, date: r.startsOn })}
            </Typography.Paragraph>
            <Typography.Paragraph style={{ margin: 0, overflowWrap: 'anywhere' }}>{r.weekday.map((id, i) => `${i + 1}. ${name(id)}`).join('  ')}</Typography.Paragraph>
            {r.weekend?.length ? (
              <Typography.Paragraph type="secondary" style={{ margin: 0, overflowWrap: 'anywhere' }}>
                {`${t('adminPeople.rotas.weekendMembers')}：${r.weekend.map(name).join('、')}`}
              </Typography.Paragraph>
            ) : null}
            {canManage && (
              <Flex gap={8} style={{ marginTop: 6 }}>
                <Button size="small" onClick={() => setEditing(r)} data-testid="rotation-edit">
                  {t('adminPeople.rotas.edit')}
                </Button>
                <Popconfirm title={t('adminPeople.rotas.deleteConfirm', { name: r.name })} onConfirm={() => void remove(r)} okButtonProps={{ 'data-testid': 'rotation-delete-ok' }}>
                  <Button size="small" danger data-testid="rotation-delete">
                    {t('adminPeople.rotas.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            )}
          </List.Item>
        )}
      />
      <RotationModal
        rotation={editing}
        people={people}
        roles={roles}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void message.success(t('adminPeople.rotas.saved'));
          onChanged();
        }}
      />
    </Card>
  );
}

interface Values {
  role?: string;
  name?: string;
  handover?: string;
  startsOn?: string;
  weekday?: string[];
  weekend?: string[];
  active?: boolean;
}

function MembersField({ value = [], onChange, people, testId }: { value?: string[]; onChange?: (v: string[]) => void; people: PersonView[]; testId: string }) {
  return <PersonListEditor people={people} value={value} onChange={(v) => onChange?.(v)} testId={testId} />;
}

function RotationModal({ rotation, people, roles, onClose, onSaved }: { rotation: Rotation | 'new' | null; people: PersonView[]; roles: RoleOption[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const editing = rotation && rotation !== 'new' ? rotation : null;

  useEffect(() => {
    if (!rotation) return;
    setFailure(undefined);
    form.resetFields();
    form.setFieldsValue(
      rotation === 'new'
        ? {
            role: roles.find((r) => r.value === 'tech_oncall')?.value ?? roles[0]?.value,
            name: t('adminPeople.rotas.defaultName'),
            handover: '08:00',
            startsOn: today(),
            weekday: [],
            weekend: [],
            active: true,
          }
        : { ...rotation, weekend: rotation.weekend ?? [] },
    );
  }, [rotation, form, roles, t]);

  const required = (field: string) => ({ required: true, whitespace: true, message: t('adminPeople.rotas.required', { field }) });
  const save = async () => {
    const v = await form.validateFields();
    const body: RotationBody = {
      role: v.role!,
      name: v.name!.trim(),
      handover: v.handover!,
      startsOn: v.startsOn!,
      weekday: v.weekday ?? [],
      weekend: v.weekend?.length ? v.weekend : null,
      holiday: editing?.holiday ?? null,
      active: v.active ?? true,
    };
    setBusy(true);
    setFailure(undefined);
    try {
      if (editing) await peopleApi.updateRotation(editing.id, body);
      else await peopleApi.createRotation(body);
      onSaved();
    } catch (err) {
      const fields = err instanceof ApiError ? (err.problem.errors ?? []).map((e) => e.path).filter((p) => p in body) : [];
      if (fields.length) form.setFields(fields.map((f) => ({ name: f as keyof Values, errors: [t('adminPeople.form.invalid', { field: f === 'weekday' ? t('adminPeople.rotas.members') : f })] })));
      else setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={rotation !== null}
      title={t(editing ? 'adminPeople.rotas.editRotation' : 'adminPeople.rotas.addRotation')}
      okText={t('adminPeople.rotas.save')}
      cancelText={t('adminPeople.rotas.cancel')}
      onOk={() => void save().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
      okButtonProps={{ 'data-testid': 'rotation-save' }}
    >
      <Form form={form} layout="vertical" data-testid="rotation-form">
        {failure && <Typography.Paragraph type="danger">{failure}</Typography.Paragraph>}
        <Form.Item name="role" label={t('adminPeople.field.role')} rules={[required(t('adminPeople.field.role'))]}>
          <Select options={roles} data-testid="rotation-role" showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('adminPeople.rotas.rotationName')}
          rules={[required(t('adminPeople.rotas.rotationName')), { max: 200, message: t('adminPeople.form.tooLong', { field: t('adminPeople.rotas.rotationName'), max: 200 }) }]}
        >
          <Input data-testid="rotation-name" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="handover"
            label={t('adminPeople.rotas.handover')}
            rules={[required(t('adminPeople.rotas.handover')), { pattern: HHMM, message: t('adminPeople.rotas.timeInvalid') }]}
            style={{ flex: '1 1 140px' }}
          >
            <Input type="time" data-testid="rotation-handover" />
          </Form.Item>
          <Form.Item name="startsOn" label={t('adminPeople.rotas.startsOn')} rules={[required(t('adminPeople.rotas.startsOn'))]} style={{ flex: '1 1 160px' }}>
            <Input type="date" data-testid="rotation-starts" />
          </Form.Item>
        </Flex>
        <Form.Item
          name="weekday"
          label={t('adminPeople.rotas.members')}
          rules={[{ validator: (_, v?: string[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('adminPeople.rotas.membersRequired')))) }]}
        >
          <MembersField people={people} testId="rotation-members" />
        </Form.Item>
        <Form.Item name="weekend" label={t('adminPeople.rotas.weekendMembers')}>
          <MembersField people={people} testId="rotation-weekend" />
        </Form.Item>
        <Form.Item name="active" label={t('adminPeople.rotas.active')} valuePropName="checked">
          <Switch data-testid="rotation-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
