// Check: both languages have the same keys, every static t('key') used in the source exists, and no text is left
// untranslated: none is empty, and a Chinese text neither equals its English one nor holds English words outside
// ALLOWED_WORDS (system names, levels, units, product names: the list test/support/browser.ts scans screens with).
import fs from 'node:fs';
import path from 'node:path';
const dir = process.argv[2] ?? new URL('../src', import.meta.url).pathname;
const flat = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]));
// the main files and every feature's own (<feature>.zh-CN.json, <feature>.en.json), merged by nested key; a leaf key may not repeat
let bad = 0;
const merge = (into, from, file, lang, prefix = '') => {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'object' && typeof into[k] === 'object') merge(into[k], v, file, lang, `${prefix}${k}.`);
    else if (k in into) { console.log(`key '${prefix}${k}' in two ${lang} files (${file})`); bad++; }
    else into[k] = typeof v === 'object' ? structuredClone(v) : v;
  }
  return into;
};
const texts = (lang) => {
  const names = fs.readdirSync(path.join(dir, 'i18n')).filter((n) => n === `${lang}.json` || n.endsWith(`.${lang}.json`));
  const merged = {};
  for (const n of names) merge(merged, JSON.parse(fs.readFileSync(path.join(dir, 'i18n', n), 'utf8')), n, lang);
  return merged;
};
// i18next plurals: `key_one`/`key_other` in English answer for `key` (Chinese has one form)
const base = (k) => k.replace(/_(zero|one|two|few|many|other)$/, '');
const leaves = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? leaves(v, `${p}${k}.`) : [[`${p}${k}`, v]]));
const zhTexts = new Map(leaves(texts('zh-CN')).map(([k, v]) => [base(k), v]));
const enTexts = new Map(leaves(texts('en')).map(([k, v]) => [base(k), v]));
const zh = new Set(zhTexts.keys());
const en = new Set(enTexts.keys());
for (const k of zh) if (!en.has(k)) { console.log('missing in en:', k); bad++; }
for (const k of en) if (!zh.has(k)) { console.log('missing in zh:', k); bad++; }
export const ALLOWED_WORDS = new Set([
  ...'HIS LIS PACS EMR RIS MI HQ IT L1 L2 L3 CT MR DR CPU PDF DOCX CSV XLSX QR SMS API URL ID VPN OA Lifeline Zabbix Alertmanager Prometheus Nagios Icinga Grafana WeCom DingTalk Feishu Webhook webhook HTTP HTTPS JSON YAML Token ms min GB MB KB iCal English'.split(' '),
  ...'HICS HTML Esc xlsx csv Word Excel Chromium'.split(' '),
]);
// placeholders (also a template's {name}), nesting, tags, URLs, file names, commands and ISO 8601 durations are data
const dataRemoved = (text) => text.replace(/\{\{[^}]*\}\}|\{[a-z_]+\}|\b(?:npx )?lifeline(?: [a-z][a-z-]*)+|\$t\([^)]*\)|<[^>]+>|https?:\/\/\S+|\S+@\S+|\b[\w-]+\.(?:yaml|json|csv|xlsx|docx|pdf|html)\b|`[^`]*`|\bP(?:T?\d+[YMWDHS])+\b/g, ' ');
const englishWords = (text) => [...new Set(dataRemoved(text).match(/[A-Za-z][A-Za-z_]*[A-Za-z]/g) ?? [])].filter((w) => !ALLOWED_WORDS.has(w));
for (const [k, v] of [...zhTexts].map(([k, v]) => ['zh-CN', k, v]).concat([...enTexts].map(([k, v]) => ['en', k, v])).map(([l, k, v]) => [`${l} ${k}`, v])) {
  if (typeof v !== 'string' || v.trim() === '') { console.log('empty text:', k); bad++; }
}
for (const [k, v] of zhTexts) {
  if (typeof v !== 'string') continue;
  const words = englishWords(v);
  if (words.length) { console.log(`untranslated (English in zh-CN) ${k}: ${words.join(' ')}`); bad++; }
  // the same text in both languages is right only for names and data ("PACS", "{{count}}", "A4", "—")
  else if (v === enTexts.get(k) && /[A-Za-z]{2,}|[\u3400-\u9fff]/.test(dataRemoved(v).replace(/[A-Za-z][A-Za-z_]*[A-Za-z]/g, (w) => (ALLOWED_WORDS.has(w) ? ' ' : w)))) {
    console.log(`untranslated (same as English) ${k}`);
    bad++;
  }
}
const files = [];
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.tsx?$/.test(e.name) && files.push(path.join(d, e.name))));
walk(dir);
const prefixes = new Set([...zh].map((k) => k.split('.').slice(0, -1).join('.')));
for (const f of files) {
  const src = fs.readFileSync(f, 'utf8');
  for (const m of src.matchAll(/\bt\(\s*(['`])([^'`]+)\1/g)) {
    const key = m[2];
    if (key.includes('${') && src.includes(`exists(\`${key}\`)`)) continue; // worded only when such a text exists
    if (key.includes('${')) { const pre = key.split('${')[0].replace(/\.$/, ''); if (!prefixes.has(pre) && ![...zh].some((k) => k.startsWith(pre + '.'))) { console.log('dynamic prefix unknown:', key, f); bad++; } continue; }
    if (!zh.has(key)) { console.log('missing key:', key, f); bad++; }
  }
  for (const m of src.matchAll(/label: '(nav\.[a-z]+)'/g)) if (!zh.has(m[1])) { console.log('missing key:', m[1]); bad++; }
}
console.log(bad ? `${bad} problems` : `ok: ${zh.size} keys`);
process.exit(bad ? 1 : 0);
