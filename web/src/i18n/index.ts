// i18next set-up: Simplified Chinese by default, English by the header switch; the choice lives in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LANG_STORAGE_KEY = 'lifeline.lang';

function initialLanguage(): 'zh-CN' | 'en' {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

const applyHtmlLang = (lng: string) => {
  document.documentElement.lang = lng === 'en' ? 'en' : 'zh-CN';
  document.title = i18n.t('app.title');
};
applyHtmlLang(i18n.language);
i18n.on('languageChanged', applyHtmlLang);

export default i18n;
