// The UI language (zh-CN default, en by the switch), remembered in localStorage, and a picker for {zh,en} texts.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang, Text } from '../api/types';
import { LANG_STORAGE_KEY } from '../i18n';

export function pickText(text: Text | undefined | null, lang: Lang): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en || text.zh : text.zh || text.en) ?? '';
}

export function useLang() {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const setLang = useCallback(
    (next: Lang) => {
      localStorage.setItem(LANG_STORAGE_KEY, next);
      void i18n.changeLanguage(next);
    },
    [i18n],
  );
  const pick = useCallback((text: Text | undefined | null) => pickText(text, lang), [lang]);
  return { lang, setLang, pick };
}
