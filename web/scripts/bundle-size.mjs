// Gzip sizes of the built JS: the first load of each route (entry + its static imports + the route's lazy chunk
// and that chunk's static imports) and the total. Run after `vite build --config web/vite.config.ts`.
import fs from 'node:fs';
import zlib from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(fs.readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const gz = new Map();
const gzipSize = (file) => {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(new URL(file, dist)), { level: 9 }).length);
  return gz.get(file);
};
/** Files loaded for a manifest key: the chunk, its static imports (transitively) and its CSS. */
function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const i of chunk.imports ?? []) closure(i, seen);
  return seen;
}
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const entry = closure(entryKey);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sum = (files) => [...files].filter((f) => f.endsWith('.js')).reduce((a, f) => a + gzipSize(f), 0);

const routes = Object.keys(manifest).filter((k) => /routes\/.+Page\.tsx$|IncidentRoom\.tsx$|LevelChart\.tsx$/.test(k));
console.log(`entry (shell, i18n, antd core, React): ${kb(sum(entry))} gzip`);
for (const r of routes) {
  const files = closure(r, new Set(entry));
  console.log(`first load ${r.replace(/^src\/routes\//, '')}: ${kb(sum(files))} gzip`);
}
const dashboard = closure(routes.find((r) => r.includes('LevelChart')), closure(routes.find((r) => r.includes('DashboardPage')), new Set(entry)));
console.log(`first load of "/" (dashboard + lazy chart): ${kb(sum(dashboard))} gzip`);
const all = fs.readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
console.log(`all JS: ${kb(sum(all))} gzip in ${all.length} files`);
