// Username + password → POST /auth/login; the server sets an HTTP-only session cookie and returns the CSRF token.
// Used by the login page and by the sign-in dialog shown in place when a session expires.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, setCsrfToken } from '../../api/client';
import { api } from '../../api/endpoints';
import { useSession } from '../../hooks/useSession';

export function SignInForm({ username, onSignedIn }: { username?: string; onSignedIn: () => Promise<void> | void }) {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.login(values.username.trim(), values.password);
      setCsrfToken(res?.csrfToken);
      await reload();
      await onSignedIn();
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      const wait = e instanceof ApiError ? Number(e.problem.retryAfterSeconds) : Number.NaN;
      const minutes = Number.isFinite(wait) ? Math.max(1, Math.ceil(wait / 60)) : 15;
      setError(
        status === 423
          ? t('login.locked', { minutes })
          : status === 429
            ? t('login.throttled', { minutes })
            : status === 403
              ? t('login.disabled')
              : status === 401 || status === 400
                ? t('login.failed')
                : t('error.network'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ username }}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus={!username} data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus={!!username} data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </>
  );
}
