// A server's refusal in the UI's language (lib/problem-words.ts), and the hook the screens use.
import { useTranslation } from 'react-i18next';
import { problemText } from './problem-words';

export { problemFieldsText, problemText } from './problem-words';

/** `const text = useProblemText(); … setMessage(text(err))` */
export function useProblemText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => problemText(t, i18n, error);
}
