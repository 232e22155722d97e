/*
 * Lifeline service worker: keeps the downtime kit so that it opens when Lifeline's server cannot be reached.
 * - /downtime-kit/… (paper forms with reserved serials and QR codes, procedures, contacts and on-call, deadlines):
 *   network first, the last good copy otherwise; the whole kit is fetched on install, on request ({type:'refresh-kit'})
 *   and in the background when the cached copy is older than KIT_MAX_AGE.
 * - the app shell (/, /assets/…) is cached too; API calls are never cached (live data only).
 * - a page navigation that cannot reach the server gets the kit's home page.
 */
const KIT = '/downtime-kit/';
const KIT_CACHE = 'lifeline-downtime-kit';
const SHELL_CACHE = 'lifeline-shell-v1';
const KIT_MAX_AGE_MS = 6 * 60 * 60 * 1000;

async function fetchOk(url) {
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/** Fetches every file of the current kit, then swaps the cached copy (old files not in the new kit are dropped). */
async function cacheKit() {
  const index = await fetchOk(`${KIT}kit.json`);
  const info = await index.clone().json();
  const fetched = await Promise.all(info.files.map(async (f) => [KIT + f, await fetchOk(KIT + f)]));
  const cache = await caches.open(KIT_CACHE);
  const keep = new Set([KIT, `${KIT}kit.json`, ...fetched.map(([url]) => url)].map((u) => new URL(u, self.location.origin).href));
  for (const [url, res] of fetched) await cache.put(url, res);
  await cache.put(KIT, (await cache.match(`${KIT}index.html`)).clone());
  await cache.put(`${KIT}kit.json`, index);
  for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
  return info;
}

async function kitAge() {
  const res = await caches.match(`${KIT}kit.json`);
  if (!res) return Infinity;
  const info = await res.json().catch(() => null);
  return info ? Date.now() - Date.parse(info.generatedAt) : Infinity;
}

let refreshing = null;
function refreshKitSoon() {
  refreshing ??= kitAge()
    .then((age) => (age > KIT_MAX_AGE_MS ? cacheKit() : null))
    .catch(() => null)
    .finally(() => (refreshing = null));
  return refreshing;
}

/** index.html and the files it loads; lazily loaded chunks are cached as they are fetched. */
async function cacheShell() {
  const cache = await caches.open(SHELL_CACHE);
  const res = await fetchOk('/');
  const html = await res.clone().text();
  await cache.put('/', res);
  const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/(?:assets|icons)\/[^"]+|\/manifest\.webmanifest|\/sw-register\.js)"/g)].map((m) => m[1]))];
  await Promise.all(assets.map(async (a) => cache.put(a, await fetchOk(a)).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(cacheShell().catch(() => undefined).then(() => cacheKit().catch(() => undefined)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('lifeline-shell-') && name !== SHELL_CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'refresh-kit') return;
  const reply = (msg) => event.ports[0]?.postMessage(msg);
  event.waitUntil(cacheKit().then((info) => reply({ ok: true, kit: info.kit, generatedAt: info.generatedAt }), (err) => reply({ ok: false, error: String(err.message ?? err) })));
});

async function kitFile(request) {
  try {
    const res = await fetch(request);
    if (res.ok) {
      const cache = await caches.open(KIT_CACHE);
      await cache.put(request, res.clone());
    }
    return res;
  } catch {
    const url = new URL(request.url);
    const cached = await caches.match(url.pathname === '/downtime-kit' ? KIT : request, { ignoreSearch: true });
    return cached ?? new Response('Lifeline: the downtime kit is not cached in this browser yet', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok) await (await caches.open(SHELL_CACHE)).put(request, res.clone());
  return res;
}

async function page(event) {
  try {
    const res = await fetch(event.request);
    event.waitUntil(refreshKitSoon());
    return res;
  } catch {
    return (await caches.match(`${KIT}index.html`)) ?? (await caches.match('/')) ??
      new Response('Lifeline is unreachable and no downtime kit is cached in this browser', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === '/downtime-kit' || url.pathname.startsWith(KIT)) return event.respondWith(kitFile(request));
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/')) return event.respondWith(asset(request));
  if (request.mode === 'navigate') return event.respondWith(page(event));
});
