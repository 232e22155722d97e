// Signing in again in place: the session expired while the person worked. The page stays as it is (forms keep
// what was typed); the action that met the expiry waits and is sent once, after sign-in.
import { Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { dropHeld, hasPendingAction, resumeHeld } from '../../api/client';
import { refreshNow, startLive } from '../../hooks/live';
import { navigate } from '../../hooks/useLocation';
import { useSession } from '../../hooks/useSession';
import { SignInForm } from './SignInForm';

export function SessionExpiredDialog() {
  const { t } = useTranslation();
  const { session, expired, clear } = useSession();
  const pending = expired && hasPendingAction();
  const leave = () => {
    dropHeld(); // the action stays in sessionStorage: the login page completes it
    const here = window.location.pathname + window.location.search;
    clear();
    navigate(`/login?expired=1&next=${encodeURIComponent(here)}`, { replace: true });
  };
  return (
    <Modal open={expired} title={t('forms.session.title')} closable={false} mask={{ closable: false }} footer={null} destroyOnHidden data-testid="session-expired-dialog">
      <Typography.Paragraph data-testid="session-expired-note">{t(pending ? 'forms.session.expiredWithAction' : 'forms.session.expired')}</Typography.Paragraph>
      <SignInForm
        username={session?.user.username}
        onSignedIn={async () => {
          startLive();
          await resumeHeld();
          refreshNow();
        }}
      />
      <Button type="link" block onClick={leave} style={{ marginTop: 8 }} data-testid="session-expired-leave">
        {t('forms.session.toLogin')}
      </Button>
    </Modal>
  );
}
