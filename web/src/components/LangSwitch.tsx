// 中文 / EN switch; the choice is remembered in localStorage.
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../api/types';
import { useLang } from '../hooks/useLang';

export function LangSwitch() {
  const { t } = useTranslation();
  const { lang, setLang } = useLang();
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      aria-label={t('header.language')}
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en' },
      ]}
    />
  );
}
