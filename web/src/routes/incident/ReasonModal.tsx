// Modals that need a reason: set the level (HQ override), waive an obligation, close. Each opens empty: the form's
// store outlives the modal's content (destroyOnHidden drops the fields, not the values), so it is reset on every
// opening — a downgrade must never be sent with the reason typed for the upgrade before it.
import { clauseRef } from '../../lib/format';
import { Form, type FormInstance, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { LevelId, Obligation } from '../../api/types';
import { useLang } from '../../hooks/useLang';

/** Empties the form each time the modal opens (back to its initial values). */
function useFreshOnOpen(form: FormInstance, open: boolean): void {
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
}

interface SetLevelProps {
  open: boolean;
  current: LevelId;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (level: LevelId, reason: string) => void;
}

export function SetLevelModal({ open, current, busy, onCancel, onSubmit }: SetLevelProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ level: LevelId; reason: string }>();
  useFreshOnOpen(form, open);
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    onSubmit(v.level, v.reason.trim());
  };
  return (
    <Modal
      open={open}
      title={t('action.set_level')}
      onOk={ok}
      onCancel={onCancel}
      confirmLoading={busy}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'set-level-submit' }}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ level: current }} data-testid="set-level-form">
        <Form.Item name="level" label={t('incident.level')} rules={[{ required: true }]}>
          <Select data-testid="set-level-select" options={(['L1', 'L2', 'L3'] as const).map((l) => ({ value: l, label: `${t(`level.short.${l}`)} · ${l} — ${t(`level.long.${l}`)}` }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('action.reason')} rules={[{ required: true, whitespace: true, message: t('action.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="set-level-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface WaiveProps {
  open: boolean;
  obligations: Obligation[];
  initial?: string;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (obligation: string, reason: string) => void;
}

export function WaiveModal({ open, obligations, initial, busy, onCancel, onSubmit }: WaiveProps) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const [form] = Form.useForm<{ obligation: string; reason: string }>();
  useFreshOnOpen(form, open);
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    onSubmit(v.obligation, v.reason.trim());
  };
  return (
    <Modal
      open={open}
      title={t('action.waive')}
      onOk={ok}
      onCancel={onCancel}
      confirmLoading={busy}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'waive-submit' }}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ obligation: initial }} data-testid="waive-form">
        <Form.Item name="obligation" label={t('obligation.title')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={obligations.map((o) => ({ value: o.id, label: [clauseRef(o.ruleId), pick(o.action)].filter(Boolean).join(' · ') }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('action.reason')} rules={[{ required: true, whitespace: true, message: t('action.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="waive-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CloseProps {
  open: boolean;
  busy: boolean;
  reasonRequired: boolean;
  onCancel: () => void;
  onSubmit: (reason: string) => void;
}

export function CloseModal({ open, busy, reasonRequired, onCancel, onSubmit }: CloseProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  useFreshOnOpen(form, open);
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    onSubmit((v.reason ?? '').trim());
  };
  return (
    <Modal
      open={open}
      title={t('action.closeConfirm')}
      onOk={ok}
      onCancel={onCancel}
      confirmLoading={busy}
      okText={t('action.close')}
      okButtonProps={{ danger: true, 'data-testid': 'close-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <p>{t(reasonRequired ? 'action.closeHelpResponding' : 'action.closeHelp')}</p>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t(reasonRequired ? 'action.reason' : 'action.reasonOptional')}
          rules={reasonRequired ? [{ required: true, whitespace: true, message: t('action.reasonRequired') }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="close-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
