// Adds or edits a channel set up in the browser. The fields are the kind's (from the server's catalogue), each
// checked here and again by the server with the kind's own rules; a secret field never shows its value: "set",
// and typing replaces it. The modal opens empty for a new channel each time.
import { App, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { channelsApi, type ChannelBody, type ChannelFieldSpec, type ChannelItem, type ChannelSettingsResponse } from '../../../api/config';
import { useProblemText } from '../../../lib/problem';

interface Values {
  id: string;
  kind: string;
  config: Record<string, string | undefined>;
  enabled: boolean;
  routeDefault: boolean;
  routeRoles: string[];
}

const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
const URL_RE = /^https?:\/\/[^\s/]+/i;

export function ChannelFormModal({ settings, editing, onClose, onSaved }: { settings: ChannelSettingsResponse; editing: ChannelItem | null; onClose: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const stored = editing?.settings ?? null;
  const [kind, setKind] = useState<string>(stored?.kind ?? 'wecom-robot');
  const spec = settings.kinds.find((k) => k.kind === kind);
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const fileIds = settings.items.filter((i) => i.origin === 'file').map((i) => i.id);

  const initial: Values = stored
    ? {
        id: stored.id,
        kind: stored.kind,
        config: Object.fromEntries(Object.entries(stored.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
        enabled: stored.enabled,
        routeDefault: stored.routeDefault,
        routeRoles: stored.routeRoles,
      }
    : { id: '', kind: 'wecom-robot', config: {}, enabled: true, routeDefault: true, routeRoles: [] };

  const save = async () => {
    setError(undefined);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const config: ChannelBody['config'] = {};
    for (const f of spec?.fields ?? []) {
      const v = values.config?.[f.name]?.trim() ?? '';
      if (f.input === 'secret') {
        if (v) config[f.name] = v; // empty: keep what is stored
      } else if (v) config[f.name] = f.input === 'number' ? Number(v) : f.input === 'list' ? v.split(/[,，\s]+/).filter(Boolean) : v;
    }
    const body: ChannelBody = { config, enabled: values.enabled, routeDefault: values.routeDefault, routeRoles: values.routeRoles ?? [] };
    setSaving(true);
    try {
      if (stored) await channelsApi.update(stored.id, body);
      else await channelsApi.create({ ...body, id: values.id.trim(), kind });
      void message.success(t('adminConfig.channels.saved'));
      onSaved();
    } catch (err) {
      const fields = err instanceof ApiError ? (err.problem.errors ?? []) : [];
      const marks = fields
        .map((e) => e.path.split('.'))
        .filter((p) => (p[0] === 'config' && p[1]) || p[0] === 'id' || p[0] === 'routeRoles')
        .map((p) => ({ name: p[0] === 'config' ? ['config', p[1]!] : [p[0]!], errors: [t('adminConfig.channels.form.rejected')] }));
      if (marks.length) form.setFields(marks as never);
      setError(problemText(err));
    } finally {
      setSaving(false);
    }
  };

  const rules = (f: ChannelFieldSpec) => {
    const isSetSecret = f.input === 'secret' && stored?.secretsSet.includes(f.name);
    return [
      { required: f.required && !isSetSecret, whitespace: true, message: t('adminConfig.channels.form.required') },
      {
        validator: async (_: unknown, value: string | undefined) => {
          const v = value?.trim();
          if (!v) return;
          if (f.input === 'number' && !/^-?\d+$/.test(v)) throw new Error(t('adminConfig.channels.form.number'));
          if (f.input === 'url' && !URL_RE.test(v)) throw new Error(t('adminConfig.channels.form.url'));
        },
      },
    ];
  };

  return (
    <Modal
      open
      destroyOnHidden
      title={t(stored ? 'adminConfig.channels.editTitle' : 'adminConfig.channels.addTitle')}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('adminConfig.channels.save')}
      cancelText={t('adminConfig.channels.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'channel-save' } as never}
    >
      <Form form={form} layout="vertical" initialValues={initial} preserve={false} data-testid="channel-form">
        <Form.Item name="kind" label={t('adminConfig.channels.form.kind')}>
          <Select
            disabled={!!stored}
            onChange={(k: string) => setKind(k)}
            options={settings.kinds.map((k) => ({ value: k.kind, label: t(`adminConfig.channels.kind.${k.kind}`) }))}
            data-testid="channel-kind"
          />
        </Form.Item>
        <Form.Item
          name="id"
          label={t('adminConfig.channels.form.id')}
          extra={t('adminConfig.channels.form.idHint')}
          rules={[
            { required: true, message: t('adminConfig.channels.form.required') },
            {
              validator: async (_: unknown, value: string | undefined) => {
                const v = value?.trim() ?? '';
                if (v && !ID.test(v)) throw new Error(t('adminConfig.channels.form.idFormat'));
                if (!stored && fileIds.includes(v)) throw new Error(t('adminConfig.channels.form.idInFile'));
              },
            },
          ]}
        >
          <Input disabled={!!stored} autoComplete="off" data-testid="channel-id" />
        </Form.Item>
        {spec?.fields.map((f) => {
          const isSet = f.input === 'secret' && stored?.secretsSet.includes(f.name);
          return (
            <Form.Item
              key={`${kind}.${f.name}`}
              name={['config', f.name]}
              label={t(`adminConfig.channels.field.${f.name}`)}
              extra={i18n.exists(`adminConfig.channels.hint.${kind}.${f.name}`) ? t(`adminConfig.channels.hint.${kind}.${f.name}`) : undefined}
              rules={rules(f)}
            >
              {f.input === 'secret' ? (
                <Input.Password autoComplete="new-password" placeholder={isSet ? t('adminConfig.channels.form.secretSet') : undefined} data-testid={`channel-field-${f.name}`} />
              ) : f.input === 'select' ? (
                <Select allowClear options={f.options?.map((o) => ({ value: o, label: t(`adminConfig.channels.option.${o}`) }))} data-testid={`channel-field-${f.name}`} />
              ) : f.input === 'textarea' ? (
                <Input.TextArea rows={3} data-testid={`channel-field-${f.name}`} />
              ) : (
                <Input inputMode={f.input === 'number' ? 'numeric' : undefined} autoComplete="off" data-testid={`channel-field-${f.name}`} />
              )}
            </Form.Item>
          );
        })}
        <Form.Item name="routeDefault" label={t('adminConfig.channels.form.routeDefault')} valuePropName="checked">
          <Switch data-testid="channel-route-default" />
        </Form.Item>
        <Form.Item name="routeRoles" label={t('adminConfig.channels.form.routeRoles')} extra={t('adminConfig.channels.form.routeRolesHint')}>
          <Select mode="multiple" allowClear options={settings.roles.map((r) => ({ value: r.id, label: r.name[lang] }))} />
        </Form.Item>
        <Form.Item name="enabled" label={t('adminConfig.channels.form.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {error && (
          <Typography.Text type="danger" data-testid="channel-form-error">
            {error}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
