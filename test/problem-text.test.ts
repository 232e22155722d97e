// The web app words every server refusal from its code and params (web/src/lib/problem.ts), in either language,
// with the texts the app ships: never the server's English detail, title or field messages.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemFieldsText, problemText } from '../web/src/lib/problem-words.js';
import { countdownText } from '../web/src/lib/countdown.js';
import en from '../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../web/src/i18n/zh-CN.json' with { type: 'json' };

const CJK = /[\u3400-\u9fff]/;
const ENGLISH_DETAIL = 'number block blk_1 has 2 number(s) left, 5 asked';

type Texts = { [key: string]: string | Texts };
const deepMerge = (into: Texts, from: Texts): Texts => {
  for (const [k, v] of Object.entries(from)) into[k] = typeof v === 'object' && typeof into[k] === 'object' ? deepMerge({ ...(into[k] as Texts) }, v) : v;
  return into;
};

/** The app's texts of one language as web/src/i18n/index.ts merges them: the main file, then every feature's. */
async function translator(lang: 'zh-CN' | 'en'): Promise<i18n> {
  const dir = 'web/src/i18n';
  const features = fs.readdirSync(dir).filter((n) => n.endsWith(`.${lang}.json`));
  const texts = [lang === 'en' ? en : zhCN, ...features.map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')))].reduce<Texts>((all, t) => deepMerge(all, t as Texts), {});
  const instance = i18next.createInstance();
  await instance.init({ resources: { [lang]: { translation: texts } }, lng: lang, fallbackLng: false, interpolation: { escapeValue: false } });
  return instance;
}

/** An error as web/src/api/client.ts throws it (its ApiError class needs the browser's build to load). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Record<string, unknown>,
  ) {
    super(String(problem.detail ?? status));
    this.name = 'ApiError';
  }
}
const refusal = (status: number, body: Record<string, unknown>) => new ApiError(status, { detail: ENGLISH_DETAIL, title: 'Conflict', ...body });

describe('problemText', () => {
  let zh: i18n;
  let english: i18n;
  beforeAll(async () => {
    zh = await translator('zh-CN');
    english = await translator('en');
  });

  it('words a refusal from its code with its params, in each language, never the English detail', () => {
    const error = refusal(409, { code: 'BLOCK_EXHAUSTED', params: { left: 2, asked: 5 } });
    expect(problemText(zh.t, zh, error)).toBe('号码段只剩 2 个号，本次申请 5 个');
    expect(problemText(english.t, english, error)).toBe('The number block has 2 numbers left; 5 were asked');
    expect(problemText(zh.t, zh, error)).not.toContain('block');
  });

  it('words a list param item by item and joins it in the language', async () => {
    const withItems = i18next.createInstance();
    await withItems.init({ resources: { en: { translation: { apiError: { X: 'open: {{checks}}', item: { a_b: 'forms' } } } } }, lng: 'en', interpolation: { escapeValue: false } });
    expect(problemText(withItems.t, withItems, refusal(409, { code: 'X', params: { checks: ['a_b', 'c'] } }))).toBe('open: forms, c');
  });

  it('falls back to a generic sentence with the status for an unknown code, and to "network" for no answer', () => {
    expect(problemText(zh.t, zh, refusal(418, { code: 'NEVER_HEARD_OF' }))).toBe('请求失败（418）');
    expect(problemText(english.t, english, new ApiError(0, {}))).toBe(en.error.network);
    expect(problemText(english.t, english, new TypeError('x'))).toBe('Request failed (0)');
  });

  it('names each field by its label (never its English message or raw path), or by an issue code when it has one', () => {
    const error = refusal(400, {
      code: 'VALIDATION_FAILED',
      errors: [
        { path: 'end', message: 'must be ≥ start' },
        { path: 'numbers.0', message: 'not issued' },
        { path: 'x_internal', message: 'bad' },
        { path: 'reason', message: 'required', code: 'NOT_IN_BACK_ENTRY' },
      ],
    });
    const zhText = problemFieldsText(zh.t, zh, error);
    expect(zhText).toBe('请检查：「结束号」填写有误；「手工号」填写有误；有一项填写有误；请先开始补录');
    const enText = problemFieldsText(english.t, english, error);
    expect(enText).toContain('“Last number” is not valid');
    expect(enText).not.toMatch(/must be|not issued|x_internal/);
    expect(problemFieldsText(zh.t, zh, refusal(409, { code: 'CONFLICT' }))).toBe('');
  });

  it('has a text in both languages for every code docs/errors.md lists', () => {
    // the first column of each table row: `CODE`, `CODE` | status | meaning
    const firstCells = fs
      .readFileSync('docs/errors.md', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split('|')[1]);
    const documented = firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]));
    expect(documented.length).toBeGreaterThan(40);
    for (const code of new Set(documented)) {
      expect(zh.exists(`apiError.${code}`), code).toBe(true);
      expect(english.exists(`apiError.${code}`), code).toBe(true);
      expect(CJK.test(english.t(`apiError.${code}`)), code).toBe(false);
      expect(CJK.test(zh.t(`apiError.${code}`)), code).toBe(true);
    }
  });
});

describe('countdownText', () => {
  it('shows a date and time with "in N days" beyond a day, a clock within, in both languages', async () => {
    const zh = await translator('zh-CN');
    const english = await translator('en');
    const now = new Date(2026, 0, 1, 8, 0, 0).getTime();
    const due = now + 30 * 24 * 3600_000 - 2000;
    expect(countdownText(due, now, zh.t)).toBe('01-31 07:59（29 天后）');
    expect(countdownText(due, now, english.t)).toBe('01-31 07:59 (in 29 days)');
    expect(countdownText(now + 25 * 3600_000, now, english.t)).toBe('01-02 09:00 (in 1 day)');
    expect(countdownText(now + 3_723_000, now, zh.t)).toBe('1:02:03');
    expect(countdownText(now - 3 * 24 * 3600_000, now, zh.t)).toBe('超时 3 天');
    expect(countdownText(now - 65_000, now, english.t)).toBe('Overdue 01:05');
  });
});
