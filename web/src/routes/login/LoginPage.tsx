// Username + password → POST /auth/login; the server sets an HTTP-only session cookie and returns the CSRF token.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, setCsrfToken } from '../../api/client';
import { api } from '../../api/endpoints';
import { LangSwitch } from '../../components/LangSwitch';
import { navigate } from '../../hooks/useLocation';
import { useSession } from '../../hooks/useSession';

function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // only same-app paths; never an absolute URL
  return next?.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : '/';
}

export default function LoginPage() {
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
      navigate(nextPath(), { replace: true });
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      const wait = e instanceof ApiError ? Number(e.problem.retryAfterSeconds) : NaN;
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
                : (e as Error).message || t('error.network'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16, boxSizing: 'border-box' }}>
      <Card style={{ width: '100%', maxWidth: 380 }} data-testid="login-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <LangSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
