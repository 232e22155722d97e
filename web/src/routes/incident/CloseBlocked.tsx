// A refused close (409 INCIDENT_CLOSE_BLOCKED), said once and in the UI language: per manual-mode session still
// holding paper, its business line and department, its state, records verified of total and the reconciliation
// checks still open (each worded), with a link to the session's page where it is fixed.
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../api/types';
import { useCatalogue } from '../../components/downtime/useCatalogue';

type Params = NonNullable<Problem['params']>;
const list = (v: Params[string] | undefined): string[] => (Array.isArray(v) ? v : []);

export function CloseBlocked({ problem, incidentId, onClose }: { problem: Problem; incidentId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { lineName, deptName } = useCatalogue();
  const params: Params = problem.params ?? {};
  const check = (id: string) => (i18n.exists(`apiError.item.${id}`) ? t(`apiError.item.${id}`) : t('forms.close.otherCheck'));
  const sessions = list(params.blocking);
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose }}
      data-testid="close-blocked"
      title={t('forms.close.blocked', { count: sessions.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {sessions.map((id) => {
            const checks = list(params[`checks.${id}`]);
            return (
              <li key={id} data-testid="close-blocker" data-session={id}>
                <Typography.Link href={`/downtime/sessions/${encodeURIComponent(id)}`} data-testid="close-blocker-link">
                  {t('forms.close.where', { line: lineName(String(params[`line.${id}`] ?? '')), department: deptName(String(params[`department.${id}`] ?? '')) })}
                </Typography.Link>
                {t('forms.close.state', {
                  state: t(`downtime.state.${String(params[`state.${id}`])}`, { defaultValue: '' }),
                  verified: Number(params[`verified.${id}`] ?? 0),
                  total: Number(params[`total.${id}`] ?? 0),
                })}
                {checks.length > 0 && t('forms.close.checks', { checks: checks.map(check).join(t('forms.listSeparator')) })}
              </li>
            );
          })}
          <li>
            <Typography.Link href={`/downtime/incidents/${encodeURIComponent(incidentId)}`} data-testid="close-blocked-overview">
              {t('forms.close.overview')}
            </Typography.Link>
          </li>
        </ul>
      }
    />
  );
}
