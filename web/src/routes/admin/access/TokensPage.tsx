// /admin/tokens: API tokens for scripts (name, role, who created it and when, last use, revoked), create one — its
// value shown once, with a copy button — and revoke.
import { Alert, Button, Card, Flex, Form, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type TokenAdminView, type TokenCreatedResponse } from '../../../api/access';
import { useLang } from '../../../hooks/useLang';
import { usePlan } from '../../../hooks/usePlan';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { activeFirst, AdminFormModal, AdminListPage, MACHINE_NAME, PatternField, CodeBlock, Muted, useAdminAction } from './shared';

export default function TokensPage(_props: { path: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const tokens = useResource(() => accessApi.tokens().then((r) => r.items), []);
  const roles = useResource(() => accessApi.roles().then((r) => r.items), [], { live: false });
  const act = useAdminAction(tokens.reload);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<TokenCreatedResponse | null>(null);
  const roleLabel = (id: string) => pick(roles.data?.find((r) => r.id === id)?.name) || id;

  const revoke = (tok: TokenAdminView) => act(() => accessApi.revokeToken(tok.name), t('adminAccess.tokens.revokedDone', { name: tok.name }));
  // active first, newest first
  const items = activeFirst(tokens.data, (a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <AdminListPage
      section="tokens"
      prefix="token"
      onAdd={() => setAdding(true)}
      resource={tokens}
      items={items}
      rowKey="id"
      renderCard={(tok) => (
        <Card size="small" data-testid="token-card" data-token={tok.name} styles={{ body: { overflowWrap: 'anywhere' } }}>
          <Flex vertical gap={4}>
            <Flex gap={8} wrap align="center">
              <Typography.Text strong>{tok.name}</Typography.Text>
              {tok.revokedAt ? <Tag>{t('adminAccess.tokens.revoked', { time: formatTime(tok.revokedAt) })}</Tag> : <Tag color="success">{t('adminAccess.tokens.active')}</Tag>}
            </Flex>
            <Typography.Text>{roleLabel(tok.role)}</Typography.Text>
            <Muted>{t('adminAccess.tokens.createdBy', { time: formatTime(tok.createdAt), by: tok.createdBy ?? t('adminAccess.tokens.createdByCli') })}</Muted>
            <Muted>{t('adminAccess.tokens.lastUsed', { time: tok.lastUsedAt ? formatTime(tok.lastUsedAt) : t('adminAccess.common.never') })}</Muted>
            {!tok.revokedAt && (
              <div style={{ marginTop: 4 }}>
                <Popconfirm title={t('adminAccess.tokens.revokeConfirm', { name: tok.name })} onConfirm={() => void revoke(tok)} okButtonProps={{ 'data-testid': 'token-revoke-ok' }}>
                  <Button size="small" danger data-testid="token-revoke">
                    {t('adminAccess.tokens.revoke')}
                  </Button>
                </Popconfirm>
              </div>
            )}
          </Flex>
        </Card>
      )}
    >
      <AddTokenModal
        open={adding}
        roleOptions={(roles.data ?? []).map((r) => ({ value: r.id, label: pick(r.name) }))}
        onClose={() => setAdding(false)}
        onCreated={(c) => {
          setAdding(false);
          setCreated(c);
          tokens.reload();
        }}
      />
      <Modal
        open={created !== null}
        title={created ? t('adminAccess.tokens.secretTitle', { name: created.name }) : ''}
        closable={false}
        destroyOnHidden // a secret leaves the page when the dialog closes
        maskClosable={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('adminAccess.common.close')}
        onOk={() => setCreated(null)}
        okButtonProps={{ 'data-testid': 'token-secret-close' }}
      >
        {created && (
          <Flex vertical gap={8}>
            <Alert type="warning" showIcon title={t('adminAccess.tokens.secretHint')} />
            <CodeBlock text={created.value} testId="token-secret" />
            <CodeBlock text={`Authorization: Bearer ${created.value}`} />
          </Flex>
        )}
      </Modal>
    </AdminListPage>
  );
}

function AddTokenModal({
  open,
  roleOptions,
  onClose,
  onCreated,
}: {
  open: boolean;
  roleOptions: { value: string; label: string }[];
  onClose: () => void;
  onCreated: (c: TokenCreatedResponse) => void;
}) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [form] = Form.useForm<{ name?: string; role?: string; planRole?: string }>();
  const labels = { name: t('adminAccess.tokens.name'), role: t('adminAccess.tokens.role'), planRole: t('adminAccess.accounts.planRole') };
  return (
    <AdminFormModal
      open={open}
      prefix="token"
      title={t('adminAccess.tokens.addTitle')}
      form={form}
      labels={labels}
      submit={async (v) => onCreated(await accessApi.addToken({ name: v.name!.trim(), role: v.role!, ...(v.planRole ? { planRole: v.planRole } : {}) }))}
      onClose={onClose}
    >
      <PatternField name="name" label={labels.name} pattern={MACHINE_NAME} ruleText={t('adminAccess.tokens.nameRule')} testId="token-name" />
      <Form.Item name="role" label={labels.role} required rules={[{ required: true, message: t('adminAccess.common.required', { field: labels.role }) }]}>
        <Select options={roleOptions} data-testid="token-role" />
      </Form.Item>
      <Form.Item name="planRole" label={labels.planRole}>
        <Select allowClear options={(plan?.roles ?? []).map((r) => ({ value: r.id, label: pick(r.name) }))} data-testid="token-plan-role" />
      </Form.Item>
    </AdminFormModal>
  );
}
