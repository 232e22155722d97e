// Open an incident by hand: title, affected systems with their state, scope and scenario.
import { Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Scope, SystemState } from '../../api/types';
import { refreshNow } from '../../hooks/live';
import { useLang } from '../../hooks/useLang';
import { navigate } from '../../hooks/useLocation';
import { usePlan } from '../../hooks/usePlan';
import { SCOPES } from '../incident/impact-options';

interface Values {
  title: string;
  systems: string[];
  state: SystemState;
  scope?: Scope;
  scenario?: string;
}

export function OpenIncidentModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    try {
      const created = await api.openIncident({
        title: v.title.trim(),
        systems: v.systems.map((system) => ({ system, state: v.state })),
        scope: v.scope,
        scenario: v.scenario,
      });
      refreshNow();
      form.resetFields();
      onClose();
      if (created?.id) navigate(`/incidents/${encodeURIComponent(created.id)}`);
    } catch {
      /* shown by the error reporter */
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('dashboard.openIncident')} onOk={submit} onCancel={onClose} confirmLoading={busy} okText={t('common.submit')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ state: 'down' }} data-testid="open-incident-form">
        <Form.Item name="title" label={t('incident.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="systems" label={t('incident.systems')} rules={[{ required: true, message: t('form.required') }]}>
          <Select mode="multiple" optionFilterProp="label" options={plan?.systems.map((s) => ({ value: s.id, label: `${s.id} ${pick(s.name)}` }))} />
        </Form.Item>
        <Form.Item name="state" label={t('impact.systemState')}>
          <Select options={(['down', 'degraded'] as const).map((s) => ({ value: s, label: t(`systemState.${s}`) }))} />
        </Form.Item>
        <Form.Item name="scope" label={t('impact.scope')}>
          <Select allowClear options={SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
        </Form.Item>
        <Form.Item name="scenario" label={t('impact.scenario')}>
          <Select allowClear options={plan?.scenarios.map((s) => ({ value: s.id, label: pick(s.name) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
