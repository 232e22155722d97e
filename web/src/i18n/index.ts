// i18next set-up: Simplified Chinese by default, English by the header switch; the choice lives in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

/**
 * A feature may keep its texts in files of its own, `<feature>.zh-CN.json` and `<feature>.en.json` beside these
 * (nested keys merged; no leaf key twice), so that features written side by side do not edit one file.
 */
type Texts = { [key: string]: string | Texts };
/** Merges nested keys, so that several files may add to one group (e.g. `apiError.<CODE>`); a leaf key is defined once (web/scripts/check-i18n.mjs). */
const deepMerge = (into: Texts, from: Texts): Texts => {
  for (const [key, value] of Object.entries(from)) {
    const here = into[key];
    into[key] = typeof value === 'object' && typeof here === 'object' ? deepMerge({ ...here }, value) : value;
  }
  return into;
};
const featureTexts = (files: Record<string, { default: Texts }>) => Object.values(files).reduce<Texts>((all, m) => deepMerge(all, m.default), {});
const zhFeatures = featureTexts(import.meta.glob('./*.zh-CN.json', { eager: true }));
const enFeatures = featureTexts(import.meta.glob('./*.en.json', { eager: true }));

export const LANG_STORAGE_KEY = 'lifeline.lang';

function initialLanguage(): 'zh-CN' | 'en' {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: deepMerge(deepMerge({}, zhCN as Texts), zhFeatures) }, en: { translation: deepMerge(deepMerge({}, en as Texts), enFeatures) } },
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
