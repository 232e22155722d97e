// /admin/accounts: every local account as a card (role, plan role, linked person, state, last sign-in), add one,
// reset a password (typed, or generated and shown once), disable/enable, unlock, link or unlink a person.
// Cards, not a table, so that a phone shows every field without scrolling sideways.
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Radio, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type AccountAdminView, type AccountRole } from '../../../api/access';
import { RoleName } from '../../../components/Names';
import { useLang } from '../../../hooks/useLang';
import { usePlan } from '../../../hooks/usePlan';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { useProblemText } from '../../../lib/problem';
import { PersonPicker } from './PersonPicker';
import { AdminFormModal, AdminListPage, CodeBlock, Muted, PatternField, showFieldErrors, useAdminAction } from './shared';

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export default function AccountsPage(_props: { path: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const accounts = useResource(() => accessApi.accounts(), []);
  const roles = useResource(() => accessApi.roles().then((r) => r.items), [], { live: false });
  const act = useAdminAction(accounts.reload);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<AccountAdminView | null>(null);
  const [linking, setLinking] = useState<AccountAdminView | null>(null);

  const minLength = accounts.data?.passwordMinLength ?? 10;

  return (
    <AdminListPage
      section="accounts"
      prefix="account"
      onAdd={() => setAdding(true)}
      resource={accounts}
      above={accounts.data && <Muted>{t('adminAccess.accounts.count', { count: accounts.data.items.length })}</Muted>}
      items={accounts.data?.items ?? []}
      rowKey="id"
      renderCard={(a) => (
        <AccountCard
          account={a}
          roles={roles.data ?? []}
          onReset={() => setResetting(a)}
          onLink={() => setLinking(a)}
          onUnlink={() => void act(() => accessApi.setPerson(a.id, null), t('adminAccess.accounts.unlinked', { name: a.name }))}
          onDisabled={(disabled) => void act(() => accessApi.setDisabled(a.id, disabled), t(disabled ? 'adminAccess.accounts.disabled' : 'adminAccess.accounts.enabled', { name: a.name }))}
          onUnlock={() => void act(() => accessApi.unlock(a.id), t('adminAccess.accounts.unlocked', { name: a.name }))}
        />
      )}
    >
      <AddAccountModal
        open={adding}
        roles={roles.data ?? []}
        minLength={minLength}
        onClose={() => setAdding(false)}
        onAdded={(a) => {
          setAdding(false);
          void message.success(t('adminAccess.accounts.added', { name: a.name }));
          accounts.reload();
        }}
      />
      <ResetPasswordModal
        account={resetting}
        minLength={minLength}
        onClose={() => {
          setResetting(null);
          accounts.reload();
        }}
      />
      <LinkPersonModal
        account={linking}
        onClose={() => setLinking(null)}
        onLinked={(a) => {
          setLinking(null);
          void message.success(t('adminAccess.accounts.linked', { name: a.name, person: a.person?.name }));
          accounts.reload();
        }}
      />
    </AdminListPage>
  );
}

function useRoleLabel(roles: AccountRole[]) {
  const { pick } = useLang();
  return (id: string) => pick(roles.find((r) => r.id === id)?.name) || id;
}

interface CardProps {
  account: AccountAdminView;
  roles: AccountRole[];
  onReset: () => void;
  onLink: () => void;
  onUnlink: () => void;
  onDisabled: (disabled: boolean) => void;
  onUnlock: () => void;
}

function AccountCard({ account: a, roles, onReset, onLink, onUnlink, onDisabled, onUnlock }: CardProps) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel(roles);
  return (
    <Card size="small" data-testid="account-card" data-username={a.username} styles={{ body: { overflowWrap: 'anywhere' } }}>
      <Flex vertical gap={4}>
        <Flex gap={8} wrap align="center">
          <Typography.Text strong>{a.name}</Typography.Text>
          <Muted>{a.username}</Muted>
          {a.disabled ? (
            <Tag color="default" data-testid="account-state">
              {t('adminAccess.accounts.state.disabled')}
            </Tag>
          ) : a.lockedUntil ? (
            <Tag color="warning" data-testid="account-state">
              {t('adminAccess.accounts.state.locked', { time: formatTime(a.lockedUntil) })}
            </Tag>
          ) : (
            <Tag color="success" data-testid="account-state">
              {t('adminAccess.accounts.state.active')}
            </Tag>
          )}
        </Flex>
        <Typography.Text>
          {roleLabel(a.role)}
          {a.planRole && (
            <>
              {' · '}
              <RoleName id={a.planRole} />
            </>
          )}
        </Typography.Text>
        <Typography.Text data-testid="account-person">{a.person ? `${t('adminAccess.accounts.person')}：${a.person.name}` : t('adminAccess.accounts.noPerson')}</Typography.Text>
        <Muted>{t('adminAccess.accounts.lastSignin', { time: a.lastSigninAt ? formatTime(a.lastSigninAt) : t('adminAccess.common.never') })}</Muted>
        <Flex gap={8} wrap style={{ marginTop: 4 }}>
          <Button size="small" onClick={onReset} data-testid="account-reset">
            {t('adminAccess.accounts.resetPassword')}
          </Button>
          {a.person ? (
            <Popconfirm title={t('adminAccess.accounts.unlinkConfirm', { name: a.name, person: a.person.name })} onConfirm={onUnlink} okButtonProps={{ 'data-testid': 'account-unlink-ok' }}>
              <Button size="small" data-testid="account-unlink">
                {t('adminAccess.accounts.unlink')}
              </Button>
            </Popconfirm>
          ) : (
            <Button size="small" onClick={onLink} data-testid="account-link">
              {t('adminAccess.accounts.link')}
            </Button>
          )}
          {a.lockedUntil && !a.disabled && (
            <Button size="small" onClick={onUnlock} data-testid="account-unlock">
              {t('adminAccess.accounts.unlock')}
            </Button>
          )}
          {a.disabled ? (
            <Button size="small" onClick={() => onDisabled(false)} data-testid="account-enable">
              {t('adminAccess.accounts.enable')}
            </Button>
          ) : (
            <Popconfirm title={t('adminAccess.accounts.disableConfirm', { name: a.name })} onConfirm={() => onDisabled(true)} okButtonProps={{ 'data-testid': 'account-disable-ok' }}>
              <Button size="small" danger data-testid="account-disable">
                {t('adminAccess.accounts.disable')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

interface AddValues {
  username?: string;
  name?: string;
  role?: string;
  planRole?: string;
  password?: string;
  password2?: string;
  personId?: string;
}

function passwordRules(t: (k: string, o?: Record<string, unknown>) => string, minLength: number, field: string, username?: () => string | undefined) {
  return [
    { required: true, message: t('adminAccess.common.required', { field }) },
    { validator: (_: unknown, v?: string) => (!v || [...v].length >= minLength ? Promise.resolve() : Promise.reject(new Error(t('adminAccess.accounts.passwordShort', { min: minLength })))) },
    { max: 256, message: t('adminAccess.common.tooLong', { field, max: 256 }) },
    {
      validator: (_: unknown, v?: string) =>
        v && username && v.trim().toLowerCase() === (username() ?? '').trim().toLowerCase() ? Promise.reject(new Error(t('adminAccess.accounts.passwordIsUsername'))) : Promise.resolve(),
    },
  ];
}

/** The confirmation field's rule: it repeats the password field. */
const sameAsPassword = (t: (k: string) => string, password: () => string | undefined) => ({
  validator: (_: unknown, v?: string) => (v === password() ? Promise.resolve() : Promise.reject(new Error(t('adminAccess.accounts.passwordMismatch')))),
});

function AddAccountModal({ open, roles, minLength, onClose, onAdded }: { open: boolean; roles: AccountRole[]; minLength: number; onClose: () => void; onAdded: (a: AccountAdminView) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const roleLabel = useRoleLabel(roles);
  const [form] = Form.useForm<AddValues>();
  const role = Form.useWatch('role', form);

  const label = (f: string) => t(`adminAccess.accounts.${f}`);
  const labels = { username: label('username'), name: label('name'), role: label('role'), planRole: label('planRole'), password: label('password'), personId: label('person') };
  const submit = async (v: AddValues) =>
    onAdded(
      await accessApi.addAccount({
        username: v.username!.trim().toLowerCase(),
        name: v.name!.trim(),
        role: v.role!,
        password: v.password!,
        ...(v.planRole ? { planRole: v.planRole } : {}),
        ...(v.personId ? { personId: v.personId } : {}),
      }),
    );
  const defaultPlanRole = roles.find((r) => r.id === role)?.planRole;

  return (
    <AdminFormModal open={open} prefix="account" title={t('adminAccess.accounts.addTitle')} form={form} labels={labels} submit={submit} onClose={onClose}>
      <PatternField name="username" label={labels.username} pattern={USERNAME} normalise={(v) => v.toLowerCase()} ruleText={t('adminAccess.accounts.usernameRule')} testId="account-username" />
      <Form.Item
        name="name"
        label={labels.name}
        required
        rules={[
          { required: true, whitespace: true, message: t('adminAccess.common.required', { field: labels.name }) },
          { max: 100, message: t('adminAccess.common.tooLong', { field: labels.name, max: 100 }) },
        ]}
      >
        <Input data-testid="account-name" />
      </Form.Item>
      <Form.Item name="role" label={labels.role} required rules={[{ required: true, message: t('adminAccess.common.required', { field: labels.role }) }]}>
        <Select data-testid="account-role" options={roles.map((r) => ({ value: r.id, label: pick(r.name) }))} />
      </Form.Item>
      <Form.Item name="planRole" label={labels.planRole}>
        <Select
          allowClear
          data-testid="account-plan-role"
          placeholder={role ? (defaultPlanRole ? t('adminAccess.accounts.planRoleDefault', { role: roleLabel(role) }) : t('adminAccess.accounts.planRoleNone')) : undefined}
          options={(plan?.roles ?? []).map((r) => ({ value: r.id, label: pick(r.name) }))}
        />
      </Form.Item>
      <Form.Item name="password" label={labels.password} required rules={passwordRules(t, minLength, labels.password, () => form.getFieldValue('username'))}>
        <Input.Password autoComplete="new-password" data-testid="account-password" />
      </Form.Item>
      <Form.Item
        name="password2"
        label={t('adminAccess.accounts.password2')}
        required
        dependencies={['password']}
        rules={[{ required: true, message: t('adminAccess.common.required', { field: t('adminAccess.accounts.password2') }) }, sameAsPassword(t, () => form.getFieldValue('password'))]}
      >
        <Input.Password autoComplete="new-password" data-testid="account-password2" />
      </Form.Item>
      <Form.Item name="personId" label={labels.personId}>
        <PersonPicker testId="account-person-picker" />
      </Form.Item>
    </AdminFormModal>
  );
}

// How a password is reset (numbers: a radio input's value is in the page's text, and must not read as English)
const GENERATE = 1;
const SET = 2;
type Mode = typeof GENERATE | typeof SET;

function ResetPasswordModal({ account, minLength, onClose }: { account: AccountAdminView | null; minLength: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [form] = Form.useForm<{ mode: Mode; password?: string; password2?: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [generated, setGenerated] = useState<string>();
  const mode = Form.useWatch('mode', form);

  useEffect(() => {
    if (!account) return;
    form.resetFields();
    setFailure(undefined);
    setGenerated(undefined);
  }, [account, form]);

  const save = async () => {
    if (!account) return;
    const v = await form.validateFields();
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await accessApi.resetPassword(account.id, v.mode === SET ? v.password : undefined);
      if (r.generatedPassword) setGenerated(r.generatedPassword);
      else {
        void message.success(t('adminAccess.accounts.reset.done', { name: account.name }));
        onClose();
      }
    } catch (err) {
      if (!showFieldErrors(form, err, { password: t('adminAccess.accounts.reset.newPassword') }, t)) setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  const label = t('adminAccess.accounts.reset.newPassword');
  return (
    <Modal
      open={account !== null}
      title={account ? t('adminAccess.accounts.reset.title', { name: account.name }) : ''}
      okText={generated ? t('adminAccess.common.close') : t('adminAccess.common.confirm')}
      cancelText={t('adminAccess.common.cancel')}
      cancelButtonProps={{ style: generated ? { display: 'none' } : undefined }}
      onOk={() => (generated ? onClose() : void save().catch(() => undefined))}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'reset-ok' }}
      destroyOnHidden // a key or password leaves the page when the dialog closes
    >
      {generated ? (
        <Flex vertical gap={8} data-testid="reset-generated">
          <Typography.Text strong>{t('adminAccess.accounts.reset.generatedTitle')}</Typography.Text>
          <CodeBlock text={generated} testId="reset-generated-password" />
          <Muted>{t('adminAccess.accounts.reset.generatedHint')}</Muted>
        </Flex>
      ) : (
        <Form form={form} layout="vertical" initialValues={{ mode: GENERATE }} data-testid="reset-form">
          {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} />}
          <Form.Item name="mode" label={t('adminAccess.accounts.reset.mode')}>
            <Radio.Group
              data-testid="reset-mode"
              options={[
                { value: GENERATE, label: <span data-testid="reset-mode-generate">{t('adminAccess.accounts.reset.generate')}</span> },
                { value: SET, label: <span data-testid="reset-mode-set">{t('adminAccess.accounts.reset.set')}</span> },
              ]}
            />
          </Form.Item>
          {mode === SET && (
            <>
              <Form.Item name="password" label={label} required rules={passwordRules(t, minLength, label, () => account?.username)}>
                <Input.Password autoComplete="new-password" data-testid="reset-password" />
              </Form.Item>
              <Form.Item name="password2" label={t('adminAccess.accounts.password2')} required dependencies={['password']} rules={[sameAsPassword(t, () => form.getFieldValue('password'))]}>
                <Input.Password autoComplete="new-password" data-testid="reset-password2" />
              </Form.Item>
            </>
          )}
          <Muted>{t('adminAccess.accounts.reset.hint')}</Muted>
        </Form>
      )}
    </Modal>
  );
}

function LinkPersonModal({ account, onClose, onLinked }: { account: AccountAdminView | null; onClose: () => void; onLinked: (a: AccountAdminView) => void }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [personId, setPersonId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [shownFor, setShownFor] = useState<AccountAdminView | null>(null);
  if (shownFor !== account) {
    // a new account to link: the picker opens empty
    setShownFor(account);
    setPersonId(undefined);
    setFailure(undefined);
  }
  const save = async () => {
    if (!account) return;
    if (!personId) return setFailure(t('adminAccess.common.required', { field: t('adminAccess.accounts.person') }));
    setBusy(true);
    try {
      onLinked(await accessApi.setPerson(account.id, personId));
    } catch (err) {
      setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={account !== null}
      title={account ? t('adminAccess.accounts.linkTitle', { name: account.name }) : ''}
      okText={t('adminAccess.common.save')}
      cancelText={t('adminAccess.common.cancel')}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'link-ok' }}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid="link-error" />}
      <PersonPicker value={personId} onChange={setPersonId} testId="link-person-picker" />
    </Modal>
  );
}
