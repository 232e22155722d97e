// The one way the web app words a server's refusal: from its `code` and `params` in the UI's language
// (`apiError.<CODE>` texts, with {{param}} placeholders), never the server's English `detail`, `title` or the
// English `message` of a field. No relative imports: the server's type-check and tests load this file as it is.

type Params = Record<string, string | number | boolean | string[]>;
interface ProblemLike {
  code?: string;
  params?: Params;
  errors?: { path: string; message: string; code?: string; params?: Params }[];
}
/** web/src/api/client.ts ApiError, recognised by its shape (its name and fields). */
interface ApiErrorLike extends Error {
  status: number;
  problem: ProblemLike;
}
type Translate = (key: string, options?: Record<string, unknown>) => string;
interface Texts {
  exists: (key: string) => boolean;
  language: string;
}

const isApiError = (e: unknown): e is ApiErrorLike => e instanceof Error && e.name === 'ApiError' && typeof (e as ApiErrorLike).status === 'number';

/** Lists (e.g. check ids) are worded item by item through `apiError.item.<value>` when such a text exists. */
function wordedParams(t: Translate, i18n: Texts, params: Params | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const item = (v: string) => (i18n.exists(`apiError.item.${v}`) ? t(`apiError.item.${v}`) : v);
  for (const [k, v] of Object.entries(params ?? {})) out[k] = Array.isArray(v) ? v.map(item).join(i18n.language === 'en' ? ', ' : '、') : typeof v === 'string' ? item(v) : v;
  return out;
}

/** The sentence for a problem, or for any error (network, unknown code: a generic sentence with the status). */
export function problemText(t: unknown, i18n: Texts, error: unknown): string {
  const tr = t as Translate;
  if (!isApiError(error)) return tr('error.generic', { status: 0 });
  if (error.status === 0) return tr('error.network');
  const { code, params } = error.problem;
  if (code && i18n.exists(`apiError.${code}`)) return tr(`apiError.${code}`, wordedParams(tr, i18n, params));
  return tr('error.generic', { status: error.status });
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
export function problemFieldsText(t: unknown, i18n: Texts, error: unknown): string {
  const tr = t as Translate;
  const issues = isApiError(error) ? (error.problem.errors ?? []) : [];
  const lines = issues.map((issue) => {
    if (typeof issue.code === 'string' && i18n.exists(`apiError.${issue.code}`)) return tr(`apiError.${issue.code}`, wordedParams(tr, i18n, issue.params));
    const label = fieldLabel(tr, i18n, issue.path);
    return label ? tr('apiError.fieldInvalid', { field: label }) : tr('apiError.fieldInvalidUnnamed');
  });
  const unique = [...new Set(lines)];
  return unique.length ? `${tr('apiError.fields')}${unique.join(i18n.language === 'en' ? '; ' : '；')}` : '';
}
