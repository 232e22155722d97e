// Check: both locale files have the same keys, and every static t('key') used in the source exists.
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
const zh = new Set(flat(texts('zh-CN')));
const en = new Set(flat(texts('en')));
for (const k of zh) if (!en.has(k)) { console.log('missing in en:', k); bad++; }
for (const k of en) if (!zh.has(k)) { console.log('missing in zh:', k); bad++; }
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
