// Shows the `detail` of every failed API call (problem+json) as an Ant Design notification.
import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onApiError } from '../api/client';

export function ApiErrorReporter() {
  const { notification } = App.useApp();
  const { t } = useTranslation();
  useEffect(
    () =>
      onApiError((error) => {
        const p = error.problem;
        const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join('\n');
        notification.error({
          key: `${p.code ?? error.status}:${p.detail ?? ''}`,
          title: error.status === 0 ? t('error.network') : p.title || t('error.generic', { status: error.status }),
          description: (
            <span data-testid="api-error" style={{ whiteSpace: 'pre-wrap' }}>
              {[p.detail ?? error.message, fields].filter(Boolean).join('\n')}
            </span>
          ),
          placement: 'bottomRight',
        });
      }),
    [notification, t],
  );
  return null;
}
