// meshlight's service worker: after one visit, the whole site (the page, both modules,
// scripts, models and data: the files of precache.json, written by `make wasm`) is
// cached, so a booth laptop with no network reloads the page and runs. The page registers
// this file as sw.js?v=VERSION with the manifest's version (a digest of every cached
// byte): a new build of the site is a new version, which installs beside the old cache,
// takes over, and deletes it. Requests for anything else (a model the address names from
// elsewhere, a file the visitor picks) go to the network as if there were no worker.
'use strict';
const VERSION = new URL(self.location.href).searchParams.get('v') || '';
const PREFIX = 'meshlight-';
const CACHE = PREFIX + VERSION;
const scope = () => self.registration.scope; // the site's folder, ending in '/'

// cached holds the absolute URLs of this version's files once known; until then (a worker
// just woken) a request waits for it.
let cached = null;
const known = caches.open(CACHE).then((c) => c.keys()).then((keys) => {
  cached = new Set(keys.map((r) => r.url));
  return cached;
});

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    if (!/^[0-9a-f]{16}$/.test(VERSION)) throw new Error(`sw.js: version ${JSON.stringify(VERSION)}: want 16 hex digits`);
    const resp = await fetch(new URL('precache.json', scope()), { cache: 'no-store' });
    if (!resp.ok) throw new Error(`precache.json: HTTP ${resp.status}`);
    const m = await resp.json();
    // The site changed between the page's look at the manifest and now: install nothing
    // (the page registers the new version when it sees it).
    if (m.version !== VERSION) throw new Error(`precache.json: version ${m.version}, this worker is ${VERSION}`);
    const cache = await caches.open(CACHE);
    // no-cache: each file is revalidated, so a host that answers with 304 (Last-Modified,
    // ETag) lets the copy the page just loaded serve, instead of sending it twice.
    await cache.addAll(m.files.map((f) => new Request(new URL(f, scope()), { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) if (k.startsWith(PREFIX) && k !== CACHE) await caches.delete(k);
    cached = new Set((await (await caches.open(CACHE)).keys()).map((r) => r.url));
    await self.clients.claim();
  })());
});

// The page's own address, with or without index.html and whatever its query, is the
// cached index.html.
function entry(req) {
  const u = new URL(req.url);
  if (req.mode === 'navigate' && (u.pathname === new URL(scope()).pathname || u.href.split(/[?#]/)[0] === new URL('index.html', scope()).href)) {
    return new URL('index.html', scope()).href;
  }
  return u.href.split('#')[0];
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || !req.url.startsWith(scope())) return;
  const url = entry(req);
  if (cached && !cached.has(url)) return; // not ours: the network, untouched
  e.respondWith((async () => {
    const have = cached || await known;
    const hit = have.has(url) && await caches.match(url, { cacheName: CACHE });
    return hit || fetch(req);
  })());
});
