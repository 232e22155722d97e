import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { navigate } from '../hooks/useLocation';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      data-testid="not-found"
      title={t('notFound.title')}
      subTitle={t('notFound.text')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
