// The login page. Reached after a session expired with an action unsent (kept in sessionStorage by the API
// client), it says so and completes that action once after sign-in, then returns to the page the person was on.
import { Alert, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasPendingAction, resumeHeld } from '../../api/client';
import { LangSwitch } from '../../components/LangSwitch';
import { navigate } from '../../hooks/useLocation';
import { SignInForm } from './SignInForm';

function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // only same-app paths; never an absolute URL
  return next?.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [pending] = useState(hasPendingAction);
  const expired = pending || new URLSearchParams(window.location.search).get('expired') === '1';

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
        {expired && <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="session-expired-note" title={t(pending ? 'forms.session.expiredWithAction' : 'forms.session.expired')} />}
        <SignInForm
          onSignedIn={async () => {
            await resumeHeld();
            navigate(nextPath(), { replace: true });
          }}
        />
      </Card>
    </div>
  );
}
