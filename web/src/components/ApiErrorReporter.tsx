// Shows every failed API call (problem+json) as an Ant Design notification: in the UI language from its `code`
// (apiError.<CODE>) when the web app knows the code, else the server's `detail` and field list.
import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onApiError } from '../api/client';

export function ApiErrorReporter() {
  const { notification } = App.useApp();
  const { t, i18n } = useTranslation();
  useEffect(
    () =>
      onApiError((error) => {
        const p = error.problem;
        const known = p.code && i18n.exists(`apiError.${p.code}`) ? t(`apiError.${p.code}`) : undefined;
        const fields = known ? undefined : p.errors?.map((e) => `${e.path}: ${e.message}`).join('\n');
        notification.error({
          key: `${p.code ?? error.status}:${p.detail ?? ''}`,
          title: error.status === 0 ? t('error.network') : known ? t('error.generic', { status: error.status }) : p.title || t('error.generic', { status: error.status }),
          description: (
            <span data-testid="api-error" data-code={p.code} style={{ whiteSpace: 'pre-wrap' }}>
              {[known ?? p.detail ?? error.message, fields].filter(Boolean).join('\n')}
            </span>
          ),
          placement: 'bottomRight',
        });
      }),
    [notification, t, i18n],
  );
  return null;
}
