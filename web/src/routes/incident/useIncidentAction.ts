// Send one incident action (POST /incidents/:id/actions), report success, refresh the screen. A refused close is
// kept (`blocked`) for the incident room to list once what still keeps it open; other refusals go to the error reporter.
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api/client';
import type { ActionBody, Incident, Problem } from '../../api/types';
import { refreshNow } from '../../hooks/live';
import { useProblemText } from '../../lib/problem';

export const CLOSE_BLOCKED = 'INCIDENT_CLOSE_BLOCKED';

export function useIncidentAction(incidentId: string) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [busy, setBusy] = useState<string>();
  const [blocked, setBlocked] = useState<Problem>();
  const run = async (body: ActionBody): Promise<boolean> => {
    setBusy(body.type);
    const closing = body.type === 'close';
    try {
      // a close's refusal is shown by the room itself (once), not also by the error reporter
      await post<Incident>(`/incidents/${encodeURIComponent(incidentId)}/actions`, body, { quiet: closing });
      if (closing) setBlocked(undefined);
      message.success(t(`action.done.${body.type}`, { defaultValue: t('action.done.generic') }));
      refreshNow();
      return true;
    } catch (error) {
      if (closing && error instanceof ApiError && error.problem.code === CLOSE_BLOCKED) setBlocked(error.problem);
      else if (closing && !(error instanceof ApiError && error.status === 401)) message.error(problemText(error));
      return false; // otherwise the error reporter shows the problem
    } finally {
      setBusy(undefined);
    }
  };
  return { run, busy, blocked, clearBlocked: () => setBlocked(undefined) };
}
