// Check: both locale files have the same keys, and every static t('key') used in the source exists.
import fs from 'node:fs';
import path from 'node:path';
const dir = process.argv[2] ?? new URL('../src', import.meta.url).pathname;
const flat = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]));
const zh = new Set(flat(JSON.parse(fs.readFileSync(path.join(dir, 'i18n/zh-CN.json')))));
const en = new Set(flat(JSON.parse(fs.readFileSync(path.join(dir, 'i18n/en.json')))));
let bad = 0;
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
    if (key.includes('${')) { const pre = key.split('${')[0].replace(/\.$/, ''); if (!prefixes.has(pre) && ![...zh].some((k) => k.startsWith(pre + '.'))) { console.log('dynamic prefix unknown:', key, f); bad++; } continue; }
    if (!zh.has(key)) { console.log('missing key:', key, f); bad++; }
  }
  for (const m of src.matchAll(/label: '(nav\.[a-z]+)'/g)) if (!zh.has(m[1])) { console.log('missing key:', m[1]); bad++; }
}
console.log(bad ? `${bad} problems` : `ok: ${zh.size} keys`);
process.exit(bad ? 1 : 0);
