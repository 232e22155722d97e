// Plan check findings are worded on the web from their code (planFinding.<CODE>, web/src/routes/admin/config/
// PlanFindingText.tsx): every code the plan checks can emit — found in their source, so that a new code without a
// text fails here — has a text in both languages, with the same parameters, and the Chinese text has no English.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PRODUCERS = ['lint.ts', 'regulatory.ts', 'dead-rules.ts', 'announcement-lint.ts', 'load.ts'].map((f) => fs.readFileSync(path.join('src/plan', f), 'utf8'));
/** PLAN_INVALID is the refusal code of PlanInvalidError (an apiError text), not a finding's. */
const NOT_FINDINGS = new Set(['PLAN_INVALID']);
const CODES = [...new Set(PRODUCERS.flatMap((src) => [...src.matchAll(/'(PLAN_[A-Z_]+)'/g)].map((m) => m[1])))].filter((c) => !NOT_FINDINGS.has(c));
/** The kinds of entry a finding names (`what`): lint.ts's collect/mustBe (spaces become _) and the other checks' `what: '…'`. */
const KINDS = [...new Set(PRODUCERS.flatMap((src) => [...src.matchAll(/(?:collect|mustBe)\('([a-z ]+)'|what: '([a-z_]+)'/g)].map((m) => (m[1] ?? m[2]).replace(/ /g, '_'))))];

type Texts = { [key: string]: string | Texts };
/** The text at a dotted key in any of the app's files of that language (check-i18n.mjs keeps each leaf in one file). */
function text(lang: 'en' | 'zh-CN', key: string): string | undefined {
  const dir = 'web/src/i18n';
  for (const name of fs.readdirSync(dir).filter((n) => n === `${lang}.json` || n.endsWith(`.${lang}.json`))) {
    let node: string | Texts | undefined = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Texts;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    if (typeof node === 'string') return node;
  }
  return undefined;
}
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();

describe('plan check finding texts', () => {
  it('finds the codes and kinds in the source', () => {
    expect(CODES.length).toBeGreaterThan(60);
    expect(CODES).toContain('PLAN_DUPLICATE_ID');
    expect(CODES).toContain('PLAN_FIELD_REQUIRED');
    expect(KINDS).toEqual(expect.arrayContaining(['system', 'business_line', 'evidence_action', 'announcement_template', 'impact_flag']));
  });

  it.each(CODES)('%s has an English and a Chinese text with the same parameters', (code) => {
    const en = text('en', `planFinding.${code}`);
    const zh = text('zh-CN', `planFinding.${code}`);
    expect(en, `planFinding.${code} (en)`).toBeTruthy();
    expect(zh, `planFinding.${code} (zh-CN)`).toBeTruthy();
    expect(placeholders(zh ?? '')).toEqual(placeholders(en ?? ''));
    // the values are shown as code; the words around them are Chinese (YAML is a name)
    expect(
      (zh ?? '')
        .replace(/\{\{\w+\}\}/g, '')
        .match(/[A-Za-z]{2,}/g)
        ?.filter((w) => w !== 'YAML') ?? [],
    ).toEqual([]);
  });

  it.each(KINDS)('the kind %s has a text in both languages', (kind) => {
    expect(text('en', `planFinding.what.${kind}`)).toBeTruthy();
    expect(text('zh-CN', `planFinding.what.${kind}`)).toMatch(/^[\u3400-\u9fff]+$/);
  });
});
