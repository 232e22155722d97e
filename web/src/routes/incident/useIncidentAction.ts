// Send one incident action (POST /incidents/:id/actions), report success, refresh the screen.
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { ActionBody } from '../../api/types';
import { refreshNow } from '../../hooks/live';

export function useIncidentAction(incidentId: string) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string>();
  const run = async (body: ActionBody): Promise<boolean> => {
    setBusy(body.type);
    try {
      await api.act(incidentId, body);
      message.success(t(`action.done.${body.type}`, { defaultValue: t('action.done.generic') }));
      refreshNow();
      return true;
    } catch {
      return false; // the error reporter shows the problem detail
    } finally {
      setBusy(undefined);
    }
  };
  return { run, busy };
}
