// Phone page behind a paging link: "收到 / acknowledge" and "已到场 / on site". No login; the token is the credential.
import { CheckCircleFilled, EnvironmentFilled } from '@ant-design/icons';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { AckBody, AckInfo } from '../../api/types';
import { LangSwitch } from '../../components/LangSwitch';
import { LevelBadge } from '../../components/LevelBadge';
import { useLang } from '../../hooks/useLang';
import { formatTime } from '../../lib/format';
import { useProblemText } from '../../lib/problem';

type AckAction = AckBody['action'];

export default function AckPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const [info, setInfo] = useState<AckInfo>();
  const [busy, setBusy] = useState<AckAction>();
  const [done, setDone] = useState<{ action: AckAction; at: string }[]>([]);
  const [error, setError] = useState<string>();
  /** The link itself is refused (unknown, expired): said in the UI language, with no buttons to press. */
  const [refused, setRefused] = useState<unknown>();
  const problemText = useProblemText();

  useEffect(() => {
    // What the link is about; the buttons work without it unless the server refuses the link itself.
    api.ackInfo(token).then(setInfo, (e) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 410)) setRefused(e);
    });
  }, [token]);

  const send = async (action: AckAction) => {
    setBusy(action);
    setError(undefined);
    try {
      await api.ack(token, action);
      setDone((d) => [...d, { action, at: new Date().toISOString() }]);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const incident = info?.incident;
  const level = incident?.level;
  const has = (a: AckAction) => done.some((d) => d.action === a);

  return (
    <main className="ack-page" data-testid="ack-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <LangSwitch />
      </div>
      <Card size="small">
        <Typography.Text type="secondary">{t('ack.intro')}</Typography.Text>
        {incident?.title && (
          <Typography.Title level={4} style={{ margin: '8px 0' }} data-testid="ack-incident-title">
            {level && <LevelBadge level={level} provisional={incident.provisional} />} {pick(incident.title)}
          </Typography.Title>
        )}
      </Card>
      {refused ? (
        <Result status="warning" title={problemText(refused)} subTitle={t('ack.refusedHelp')} data-testid="ack-refused" />
      ) : (
        <>
          <Button
            type="primary"
            block
            className="ack-button"
            icon={<CheckCircleFilled />}
            loading={busy === 'acknowledge'}
            disabled={!!busy}
            onClick={() => send('acknowledge')}
            data-testid="ack-acknowledge"
          >
            {has('acknowledge') ? t('ack.acknowledged') : t('ack.acknowledge')}
          </Button>
          <Button
            block
            className="ack-button"
            icon={<EnvironmentFilled />}
            style={{ background: '#237804', color: '#fff', borderColor: '#237804' }}
            loading={busy === 'check_in'}
            disabled={!!busy}
            onClick={() => send('check_in')}
            data-testid="ack-check-in"
          >
            {has('check_in') ? t('ack.checkedIn') : t('ack.checkIn')}
          </Button>
        </>
      )}
      {error && <Alert type="error" showIcon title={error} data-testid="ack-error" />}
      {done.length > 0 && (
        <Result
          status="success"
          data-testid="ack-done"
          title={t('ack.thanks')}
          subTitle={done.map((d) => `${t(d.action === 'acknowledge' ? 'ack.acknowledged' : 'ack.checkedIn')} · ${formatTime(d.at)}`).join('\n')}
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('ack.note')}
      </Typography.Text>
    </main>
  );
}
