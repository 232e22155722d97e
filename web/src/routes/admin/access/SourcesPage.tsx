// /admin/sources: intake sources (one per monitoring tool), add one, revoke, and each one's ready-to-paste set-up —
// made by the server with this server's address; with the key right after creation or a new key, else <KEY>.
import { Alert, Button, Card, Flex, Form, InputNumber, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type SourceSetup, type SourceType, type SourceView } from '../../../api/access';
import { useLang } from '../../../hooks/useLang';
import { usePlan } from '../../../hooks/usePlan';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { activeFirst, AdminFormModal, AdminListPage, MACHINE_NAME, PatternField, CodeBlock, Muted, useAdminAction } from './shared';

const KINDS: SourceType[] = ['zabbix', 'alertmanager', 'alertmanager-v2', 'grafana', 'nagios', 'pagerduty', 'generic', 'heartbeat'];

export default function SourcesPage(_props: { path: string }) {
  const { t } = useTranslation();
  const sources = useResource(() => accessApi.sources().then((r) => r.items), []);
  const run = useAdminAction(sources.reload);
  const [adding, setAdding] = useState(false);
  const [setup, setSetup] = useState<SourceSetup | null>(null);

  const showSetup = (name: string) => run(async () => setSetup(await accessApi.sourceSetup(name)));
  const newKey = (name: string) => run(async () => setSetup((await accessApi.newSourceKey(name)).setup));
  const items = activeFirst(sources.data, (a, b) => a.name.localeCompare(b.name));

  return (
    <AdminListPage
      section="sources"
      prefix="source"
      onAdd={() => setAdding(true)}
      resource={sources}
      items={items}
      rowKey="name"
      renderCard={(s) => (
        <SourceCard
          source={s}
          onSetup={() => void showSetup(s.name)}
          onNewKey={() => void newKey(s.name)}
          onRevoke={() => void run(() => accessApi.revokeSource(s.name), t('adminAccess.sources.revokedDone', { name: s.name }))}
        />
      )}
    >
      <AddSourceModal
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(created) => {
          setAdding(false);
          setSetup(created);
          sources.reload();
        }}
      />
      <SetupModal setup={setup} onClose={() => setSetup(null)} onNewKey={(name) => void newKey(name)} />
    </AdminListPage>
  );
}

function SourceCard({ source: s, onSetup, onNewKey, onRevoke }: { source: SourceView; onSetup: () => void; onNewKey: () => void; onRevoke: () => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="source-card" data-source={s.name} styles={{ body: { overflowWrap: 'anywhere' } }}>
      <Flex vertical gap={4}>
        <Flex gap={8} wrap align="center">
          <Typography.Text strong>{s.name}</Typography.Text>
          {s.revokedAt ? <Tag>{t('adminAccess.sources.revoked', { time: formatTime(s.revokedAt) })}</Tag> : <Tag color="success">{t('adminAccess.sources.active')}</Tag>}
        </Flex>
        <Typography.Text>{t(`adminAccess.sources.kind.${s.type}`)}</Typography.Text>
        <Muted>{t('adminAccess.sources.created', { time: formatTime(s.createdAt) })}</Muted>
        {!s.revokedAt && (
          <Flex gap={8} wrap style={{ marginTop: 4 }}>
            <Button size="small" onClick={onSetup} data-testid="source-setup">
              {t('adminAccess.sources.setup')}
            </Button>
            <Popconfirm title={t('adminAccess.sources.newKeyConfirm', { name: s.name })} onConfirm={onNewKey} okButtonProps={{ 'data-testid': 'source-new-key-ok' }}>
              <Button size="small" data-testid="source-new-key">
                {t('adminAccess.sources.newKey')}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('adminAccess.sources.revokeConfirm', { name: s.name })} onConfirm={onRevoke} okButtonProps={{ 'data-testid': 'source-revoke-ok' }}>
              <Button size="small" danger data-testid="source-revoke">
                {t('adminAccess.sources.revoke')}
              </Button>
            </Popconfirm>
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

interface AddValues {
  name?: string;
  type?: SourceType;
  periodMinutes?: number;
  system?: string;
}

function AddSourceModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (setup: SourceSetup) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [form] = Form.useForm<AddValues>();
  const type = Form.useWatch('type', form);
  const labels = { name: t('adminAccess.sources.name'), type: t('adminAccess.sources.type'), 'options.period': t('adminAccess.sources.period'), 'options.system': t('adminAccess.sources.system') };
  const submit = async (v: AddValues) => {
    const created = await accessApi.addSource({
      name: v.name!.trim(),
      type: v.type!,
      ...(v.type === 'heartbeat' ? { options: { period: `${v.periodMinutes}m`, ...(v.system ? { system: v.system } : {}) } } : {}),
    });
    onCreated(created.setup);
  };
  return (
    <AdminFormModal open={open} prefix="source" title={t('adminAccess.sources.addTitle')} form={form} labels={labels} submit={submit} onClose={onClose}>
      <PatternField name="name" label={labels.name} pattern={MACHINE_NAME} ruleText={t('adminAccess.sources.nameRule')} testId="source-name" />
      <Form.Item name="type" label={labels.type} required rules={[{ required: true, message: t('adminAccess.common.required', { field: labels.type }) }]}>
        <Select data-testid="source-type" options={KINDS.map((k) => ({ value: k, label: t(`adminAccess.sources.kind.${k}`) }))} />
      </Form.Item>
      {type === 'heartbeat' && (
        <>
          <Form.Item
            name="periodMinutes"
            label={labels['options.period']}
            required
            rules={[
              { required: true, message: t('adminAccess.common.required', { field: labels['options.period'] }) },
              { type: 'integer', min: 1, max: 100000, message: t('adminAccess.sources.periodRule') },
            ]}
          >
            <InputNumber style={{ width: '100%' }} data-testid="source-period" />
          </Form.Item>
          <Form.Item name="system" label={labels['options.system']}>
            <Select allowClear options={(plan?.systems ?? []).map((s) => ({ value: s.id, label: pick(s.name) }))} data-testid="source-system" />
          </Form.Item>
        </>
      )}
    </AdminFormModal>
  );
}

function SetupModal({ setup, onClose, onNewKey }: { setup: SourceSetup | null; onClose: () => void; onNewKey: (name: string) => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={setup !== null}
      title={setup ? t('adminAccess.sources.setupTitle', { name: setup.source }) : ''}
      onCancel={onClose}
      width={760}
      destroyOnHidden // a key or password leaves the page when the dialog closes
      footer={
        <Flex gap={8} justify="flex-end" wrap>
          {setup && !setup.keyIncluded && (
            <Popconfirm title={t('adminAccess.sources.newKeyConfirm', { name: setup.source })} onConfirm={() => onNewKey(setup.source)} okButtonProps={{ 'data-testid': 'setup-new-key-ok' }}>
              <Button data-testid="setup-new-key">{t('adminAccess.sources.newKey')}</Button>
            </Popconfirm>
          )}
          <Button type="primary" onClick={onClose} data-testid="setup-close">
            {t('adminAccess.common.close')}
          </Button>
        </Flex>
      }
    >
      {setup && (
        <Flex vertical gap={12} data-testid="source-setup-view" data-key-included={String(setup.keyIncluded)}>
          <Alert type={setup.keyIncluded ? 'warning' : 'info'} showIcon title={t(setup.keyIncluded ? 'adminAccess.sources.keyShown' : 'adminAccess.sources.keyHidden')} />
          <Typography.Text strong>{t(`adminAccess.sources.kind.${setup.type}`)}</Typography.Text>
          <Flex vertical gap={4}>
            <Typography.Text>{t('adminAccess.sources.endpoint')}</Typography.Text>
            <CodeBlock text={setup.endpoint} testId="setup-endpoint" />
          </Flex>
          {setup.snippets.map((s) => (
            <Flex vertical gap={4} key={s.id}>
              <Typography.Text>{t(`adminAccess.sources.snippet.${s.id}`)}</Typography.Text>
              <CodeBlock text={s.text} caption={s.file} testId={`setup-snippet-${s.id.replace('.', '-')}`} />
            </Flex>
          ))}
        </Flex>
      )}
    </Modal>
  );
}
