// The one way the web app words a server's refusal: from its `code` and `params` in the UI's language
// (`apiError.<CODE>` texts, with {{param}} placeholders), never the server's English `detail`, `title` or the
// English `message` of a field.
import type { i18n as I18n, TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { Problem } from '../api/types';

type Translate = (key: string, options?: Record<string, unknown>) => string;
type Texts = Pick<I18n, 'exists' | 'language'>;

/** Lists (e.g. check ids) are worded item by item through `apiError.item.<value>` when such a text exists. */
function wordedParams(t: Translate, i18n: Texts, params: Problem['params']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const item = (v: string) => (i18n.exists(`apiError.item.${v}`) ? t(`apiError.item.${v}`) : v);
  for (const [k, v] of Object.entries(params ?? {})) out[k] = Array.isArray(v) ? v.map(item).join(i18n.language === 'en' ? ', ' : '、') : typeof v === 'string' ? item(v) : v;
  return out;
}

/** The sentence for a problem, or for any error (network, unknown code: a generic sentence with the status). */
export function problemText(t: TFunction | Translate, i18n: Texts, error: unknown): string {
  const tr = t as unknown as Translate;
  const problem: Problem = error instanceof ApiError ? error.problem : {};
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 0 && error instanceof ApiError) return tr('error.network');
  if (problem.code && i18n.exists(`apiError.${problem.code}`)) return tr(`apiError.${problem.code}`, wordedParams(tr, i18n, problem.params));
  return tr('error.generic', { status });
}

/** A field's label: `apiError.field.<path>`, else of its first part (`numbers.0` → numbers), else none. */
function fieldLabel(t: Translate, i18n: Texts, path: string): string | undefined {
  for (const key of [path, path.split('.')[0]]) if (key && i18n.exists(`apiError.field.${key}`)) return t(`apiError.field.${key}`);
  return undefined;
}

/**
 * The fields a refusal names, one line each: worded from the issue's own `code` when it has a text, else "field X
 * is invalid" with the field's label (or without a name: a raw path is not shown). '' when no field is named.
 */
export function problemFieldsText(t: TFunction | Translate, i18n: Texts, error: unknown): string {
  const tr = t as unknown as Translate;
  const issues = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  const lines = issues.map((issue) => {
    const code = (issue as { code?: unknown }).code;
    if (typeof code === 'string' && i18n.exists(`apiError.${code}`)) return tr(`apiError.${code}`, wordedParams(tr, i18n, (issue as { params?: Problem['params'] }).params));
    const label = fieldLabel(tr, i18n, issue.path);
    return label ? tr('apiError.fieldInvalid', { field: label }) : tr('apiError.fieldInvalidUnnamed');
  });
  const unique = [...new Set(lines)];
  return unique.length ? `${tr('apiError.fields')}${unique.join(i18n.language === 'en' ? '; ' : '；')}` : '';
}

/** `const text = useProblemText(); … setMessage(text(err))` */
export function useProblemText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => problemText(t, i18n, error);
}
