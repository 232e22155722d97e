// The web app's texts are checked in CI (npm test runs this): web/scripts/check-i18n.mjs fails on a key missing in
// one language, an unknown t('key'), an empty text, and a Chinese text left in English (the same as its English
// text, or English words outside the allow-list of names and units).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('web/scripts/check-i18n.mjs');
const run = (dir?: string) => spawnSync(process.execPath, dir ? [SCRIPT, dir] : [SCRIPT], { encoding: 'utf8' });

/** A web source folder of its own: `i18n/zh-CN.json`, `i18n/en.json` and one component using `t()`. */
function fixture(zh: object, en: object, source = "t('a.ok')"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-check-'));
  fs.mkdirSync(path.join(dir, 'i18n'));
  fs.writeFileSync(path.join(dir, 'i18n', 'zh-CN.json'), JSON.stringify(zh));
  fs.writeFileSync(path.join(dir, 'i18n', 'en.json'), JSON.stringify(en));
  fs.writeFileSync(path.join(dir, 'Page.tsx'), `export const x = (t: (k: string) => string) => ${source};\n`);
  return dir;
}

describe('the i18n check', () => {
  it('passes on the web app as it is', () => {
    const r = run();
    expect(r.stdout).toMatch(/^ok: \d+ keys/m);
    expect(r.status).toBe(0);
  }, 60_000);

  it('passes on names, units and data that read the same in both languages', () => {
    const r = run(
      fixture(
        { a: { ok: '好', sys: 'PACS', lvl: 'L1', n: '{{count}}', paper: 'A4', dash: '—', dur: '{{n}} ms' } },
        { a: { ok: 'OK', sys: 'PACS', lvl: 'L1', n: '{{count}}', paper: 'A4', dash: '—', dur: '{{n}} ms' } },
      ),
    );
    expect(r.stdout).toContain('ok: 7 keys');
    expect(r.status).toBe(0);
  });

  it('fails on a Chinese text that is its English one, holds English words, or is empty, and on a key in one language only', () => {
    const r = run(
      fixture(
        { a: { ok: '好', same: 'Close the incident', mixed: '请先 sign in', empty: ' ', allowed: '{{name}} 的 HIS 在 {{time}} 中断' } },
        { a: { ok: 'OK', same: 'Close the incident', mixed: 'Sign in first', empty: 'Empty', allowed: '{{name}}: HIS down at {{time}}', only: 'English only' } },
        "t('a.ok') + t('a.gone')",
      ),
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('untranslated (English in zh-CN) a.same: Close the incident');
    expect(r.stdout).toContain('untranslated (English in zh-CN) a.mixed: sign in');
    expect(r.stdout).toContain('empty text: zh-CN a.empty');
    expect(r.stdout).toContain('missing in zh: a.only');
    expect(r.stdout).toContain('missing key: a.gone');
    expect(r.stdout).not.toContain('a.allowed');
    expect(r.stdout).toContain('5 problems');
  });

  it('fails on a text the same in both languages even when its words are lower-case data-like words', () => {
    const r = run(fixture({ a: { ok: '好', kind: 'checklist assigned' } }, { a: { ok: 'OK', kind: 'checklist assigned' } }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('a.kind');
  });
});
