// The site on a host that compresses nothing, and with no network at all, in Debian's
// Chromium (playwright-core).
//
// Usage: SITE=_site node wasm/e2e/offline.mjs (make test-browser runs it).
//
// It serves a copy of SITE under /meshlight/ itself, with node's http module and nothing
// else: no Content-Encoding ever, as many static hosts do; the server counts the bytes it
// sends per file. Checks:
//   - On that host the page fetches the gzipped modules (never the raw .wasm), inflates
//     them itself, and trains; the modules cost what their gzips weigh.
//   - After that one visit the service worker has cached the site: with the server gone,
//     a reload comes up, loads the shipped model and its data, and trains.
//   - A new build (a changed byte and a new precache.json) replaces the cache: one cache,
//     the new version, holding the changed file.
// Waits are for behaviour, capped at two minutes (CAP) with a message that says what was
// awaited; sizes and times are printed as figures.
import { launch, CAP } from './browser.mjs';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const SITE = path.resolve(ROOT, process.env.SITE || '_site');
const PREFIX = '/meshlight/';
const t0 = Date.now();
const log = (...a) => console.log(`[offline ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlight-offline-'));
fs.cpSync(SITE, dir, { recursive: true });

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.wasm': 'application/wasm', '.gz': 'application/gzip' };
let sent = new Map(); // path under the site -> bytes sent
// serve starts a plain static server on port (0: any); it resolves to the server.
function serve(port) {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(u.pathname);
    if (!rel.startsWith(PREFIX) || rel.split('/').some((s) => s.startsWith('.'))) { res.writeHead(404).end(); return; }
    rel = rel.slice(PREFIX.length) || 'index.html';
    const file = path.join(dir, rel);
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Content-Length': st.size, 'Cache-Control': 'no-cache' });
      if (req.method === 'HEAD') { res.end(); return; }
      sent.set(rel, (sent.get(rel) || 0) + st.size);
      fs.createReadStream(file).pipe(res);
    });
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.stop = () => new Promise((res) => { server.close(res); for (const s of sockets) s.destroy(); });
  return new Promise((res, rej) => server.once('error', rej).listen(port, '127.0.0.1', () => res(server)));
}

let server = await serve(0);
const port = server.address().port;
const base = `http://127.0.0.1:${port}${PREFIX}`;
const { ctx, udd } = await launch('offline');
let failed = false;
try {
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const until = (fn, arg, what) => page.waitForFunction(fn, arg, { timeout: CAP, polling: 100 }).catch((e) => {
    throw new Error(`waiting for ${what}: not after ${CAP / 1000} s (${String(e.message).split('\n')[0]})`);
  });
  // trains waits for the simulator to be ready on the shipped model and to answer queries.
  const trains = async (what) => {
    await until(() => window.meshlight && window.meshlight.stats().ready, null, `${what}: the simulator ready`);
    const s = await page.evaluate(() => window.meshlight.stats());
    assert.equal(s.model, 'mnist8-mlp', `${what}: model`);
    assert.ok(!s.error, `${what}: a message in the page: ${s.error}`);
    await page.evaluate(() => window.meshlight.start());
    await until((q) => window.meshlight.stats().queries > q + 1000, s.queries, `${what}: a thousand queries`);
    await page.evaluate(() => window.meshlight.pause());
  };

  // 1. A host that compresses nothing.
  let t = Date.now();
  await page.goto(base);
  await trains('a host that compresses nothing');
  log(`ready and training in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  for (const m of ['meshlight.wasm', 'engine.wasm']) {
    assert.equal(sent.get(m), undefined, `the raw ${m} was fetched`);
    // Sent whole, to the page and (if it started caching already) to the service worker.
    const n = sent.get(`${m}.gz`) / fs.statSync(path.join(dir, `${m}.gz`)).size;
    assert.ok(n === 1 || n === 2, `${m}.gz: ${sent.get(`${m}.gz`)} bytes sent, ${n} times its size`);
  }
  const gz = (m) => fs.statSync(path.join(dir, `${m}.gz`)).size;
  const modules = gz('meshlight.wasm') + gz('engine.wasm');
  const raw = fs.statSync(path.join(dir, 'meshlight.wasm')).size + fs.statSync(path.join(dir, 'engine.wasm')).size;
  log(`modules: ${(modules / 1e6).toFixed(2)} MB a load (raw ${(raw / 1e6).toFixed(2)} MB)`);

  // 2. No network: the service worker serves the site it cached.
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'precache.json'), 'utf8'));
  await until((v) => window.meshlightOffline === `ready ${v}`, manifest.version, `the site cached (meshlightOffline "ready ${manifest.version}")`);
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`meshlight-${manifest.version}`]);
  assert.equal(await page.locator('#offline-note').isVisible(), true, 'the page says it is cached');
  log(`the first visit, caching included: ${([...sent.values()].reduce((a, b) => a + b) / 1e6).toFixed(2)} MB sent`);
  await server.stop();
  await assert.rejects(fetch(`${base}index.html`), 'the server is gone');
  t = Date.now();
  await page.reload();
  await trains('offline');
  assert.match(await page.evaluate(() => window.meshlightOffline), /^off: precache\.json/, 'offline, the manifest cannot be fetched');
  log(`offline: ready and training in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // 3. A new build replaces the cache.
  fs.appendFileSync(path.join(dir, 'style.css'), '\n/* build 2 */\n');
  execFileSync(process.env.GO || 'go', ['run', './wasm/cmd/precache', '-dir', dir], { cwd: ROOT, stdio: 'inherit' });
  const next = JSON.parse(fs.readFileSync(path.join(dir, 'precache.json'), 'utf8')).version;
  assert.notEqual(next, manifest.version, 'a changed byte is a new version');
  sent = new Map();
  server = await serve(port);
  await page.reload();
  await until((v) => window.meshlightOffline === `ready ${v}`, next, `the new build cached (meshlightOffline "ready ${next}")`);
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`meshlight-${next}`], 'only the new build is cached');
  assert.match(await page.evaluate(async () => (await caches.match('style.css')).text()), /build 2/, 'the cache holds the new file');
  await trains('after the new build');
  assert.deepEqual(problems, [], 'page errors');
  log('ok: a host that compresses nothing, offline reload, a new build replaces the cache');
} catch (e) {
  failed = true;
  console.error('FAIL', e.stack || e);
} finally {
  await ctx.close();
  await server.stop();
  fs.rmSync(udd, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
