// Shows every failed API call (problem+json) as an Ant Design notification, worded in the UI language from its
// `code` and `params` (lib/problem.ts), its fields from their labels: never the server's English `detail`.
import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onApiError } from '../api/client';
import { problemFieldsText, problemText } from '../lib/problem';

export function ApiErrorReporter() {
  const { notification } = App.useApp();
  const { t, i18n } = useTranslation();
  useEffect(
    () =>
      onApiError((error) => {
        const p = error.problem;
        const text = problemText(t, i18n, error);
        const fields = problemFieldsText(t, i18n, error);
        notification.error({
          key: `${p.code ?? error.status}:${JSON.stringify(p.params ?? {})}:${fields}`,
          title: error.status === 0 ? t('error.network') : t('error.generic', { status: error.status }),
          description: (
            <span data-testid="api-error" data-code={p.code} style={{ whiteSpace: 'pre-wrap' }}>
              {[text, fields].filter(Boolean).join('\n')}
            </span>
          ),
          placement: 'bottomRight',
        });
      }),
    [notification, t, i18n],
  );
  return null;
}
