// One-step mapping of an unmapped signal to a plan system (and optionally a component).
import { Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Signal } from '../../api/types';
import { refreshNow } from '../../hooks/live';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';

export function MapSignalModal({ signal, onClose }: { signal: Signal | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [form] = Form.useForm<{ system: string; component?: string }>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    if (!signal) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    try {
      await api.mapSignal(signal.id, v.system, v.component?.trim() || undefined);
      refreshNow();
      onClose();
    } catch {
      /* shown by the error reporter */
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!signal}
      title={t('signals.mapTitle')}
      onOk={ok}
      onCancel={onClose}
      confirmLoading={busy}
      okText={t('signals.map')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'signal-map-submit' }}
    >
      {signal && (
        <Typography.Paragraph type="secondary">
          {signal.source} · {signal.host ?? ''} · {signal.summary ?? ''}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" initialValues={{ component: signal?.component ?? signal?.host }}>
        <Form.Item name="system" label={t('signals.system')} rules={[{ required: true, message: t('form.required') }]}>
          <Select showSearch optionFilterProp="label" data-testid="signal-map-system" options={plan?.systems.map((s) => ({ value: s.id, label: `${s.id} ${pick(s.name)}` }))} />
        </Form.Item>
        <Form.Item name="component" label={t('impact.component')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
