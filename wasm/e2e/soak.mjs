// Soak test of the meshlight page in booth mode, in Debian's Chromium (playwright-core).
//
// Usage: BASE_URL=http://127.0.0.1:PORT/ SOAK_MINUTES=10 OUT=wasm/e2e/out node wasm/e2e/soak.mjs
// (make soak serves the site with wasm/e2e/run.sh and runs this). It opens ?booth=1 (the
// page loops on its own: a chip recovers until it plateaus, its result shows for 8 s, a race
// runs on it, the next chip deploys), and every SOAK_EVERY seconds (default 30) samples Go's heap in the engine's
// worker and in the page (window.meshlight.memory() and its .page: the live heap after a
// runtime.GC, HeapSys, HeapInuse, NumGC), the WebAssembly memory, the JS heap after a
// garbage collection (Chromium's HeapProfiler.collectGarbage, then Performance.getMetrics'
// JSHeapUsedSize), the ONN queries made and the console errors. It fails on any console
// error or page error, and on a leak over the last half of the run: either Go live heap
// (the engine's, the page's) or the JS heap whose least-squares trend over the last half rises
// by more than max(2 MB, 10% of its mean). The WebAssembly memory is a high-water mark (Go
// grows it to the heap's peak, about twice the live heap under GOGC=100, and never gives it
// back), so a late GC peak can step it up once without any leak: it is reported, and fails
// only if it grows by more than 25% between the middle and the end. Samples go to
// OUT/soak.json and a table to stdout.
import { launch, CAP } from './browser.mjs';
import fs from 'node:fs';
import path from 'node:path';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || 'out';
const MINUTES = Number(process.env.SOAK_MINUTES || 10);
const EVERY = Number(process.env.SOAK_EVERY || 30);
if (!(MINUTES > 0) || !(EVERY > 0)) throw new Error(`SOAK_MINUTES=${process.env.SOAK_MINUTES} SOAK_EVERY=${process.env.SOAK_EVERY}: want positive numbers`);
fs.mkdirSync(OUT, { recursive: true });

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)}s]`, ...a);
const MB = (b) => +(b / 1048576).toFixed(1);

const { ctx, udd } = await launch('soak');
const errors = [];
const samples = [];
let failure = '';
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push({ t: (Date.now() - t0) / 1000, text: `console.error: ${m.text()}` }); });
  page.on('pageerror', (e) => errors.push({ t: (Date.now() - t0) / 1000, text: `pageerror: ${e.message}` }));
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(new URL('?booth=1', BASE_URL).href);
  await page.waitForFunction(() => window.meshlight && window.meshlight.stats().ready && window.meshlight.stats().running, null, { timeout: CAP, polling: 200 })
    .catch((e) => { throw new Error(`waiting for booth mode to run: not after ${CAP / 1000} s (${e.message.split('\n')[0]})`); });
  const start = Date.now();
  log(`booth mode running; sampling every ${EVERY} s for ${MINUTES} min`);
  const sample = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const s = await page.evaluate(async () => { const go = await window.meshlight.memory(); return { ...window.meshlight.stats(), go, wasm: go.wasmMemory + window.meshlightWasmMemory() }; }); // the engine's heap (the page's under go.page); both modules' memory
    const row = {
      minute: +((Date.now() - start) / 60000).toFixed(2), goLiveMB: MB(s.go.heapAlloc), goBeforeGCMB: MB(s.go.heapAllocBefore),
      goHeapSysMB: MB(s.go.heapSys), goHeapInuseMB: MB(s.go.heapInuse), goNumGC: s.go.numGC,
      pageLiveMB: MB(s.go.page.heapAlloc), pageBeforeGCMB: MB(s.go.page.heapAllocBefore), pageHeapSysMB: MB(s.go.page.heapSys),
      wasmMB: MB(s.wasm), jsHeapMB: MB(m.JSHeapUsedSize),
      jsHeapTotalMB: MB(m.JSHeapTotalSize), queries: s.queries, booth: s.booth, seed: Number((await page.evaluate(() => window.meshlight.settings())).seed),
      fps: +s.fps.toFixed(1), consoleErrors: errors.length,
    };
    samples.push(row);
    log(JSON.stringify(row));
  };
  await sample();
  const end = start + MINUTES * 60000;
  while (Date.now() < end) {
    // waiting is the test's subject here: the page runs on its own between samples
    await page.waitForTimeout(Math.min(EVERY * 1000, end - Date.now()));
    await sample();
  }
} catch (e) {
  failure = `soak: ${String(e.stack || e).split('\n').slice(0, 6).join(' | ')}`;
} finally {
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
}

// The verdict: no console errors; memory levelled off over the last half.
const problems = [];
if (failure) problems.push(failure);
for (const e of errors) problems.push(`at ${e.t.toFixed(0)} s: ${e.text}`);
const half = samples.filter((s) => s.minute >= MINUTES / 2);
const verdict = {};
if (half.length >= 2) {
  const mid = half[0];
  const last = samples[samples.length - 1];
  verdict.wasmMBFromMiddleToEnd = [mid.wasmMB, last.wasmMB];
  verdict.wasmMBMax = Math.max(...samples.map((s) => s.wasmMB));
  if (last.wasmMB > 1.25 * mid.wasmMB) problems.push(`WebAssembly memory grew by more than 25% over the last half: ${mid.wasmMB} MB at ${mid.minute} min, ${last.wasmMB} MB at ${last.minute} min`);
  // trend: the least-squares rise of key over the last half, from its first to its last sample
  const trend = (key) => {
    const n = half.length;
    const mx = half.reduce((a, s) => a + s.minute, 0) / n;
    const my = half.reduce((a, s) => a + s[key], 0) / n;
    const slope = half.reduce((a, s) => a + (s.minute - mx) * (s[key] - my), 0) / (half.reduce((a, s) => a + (s.minute - mx) ** 2, 0) || 1);
    return { rise: slope * (half[n - 1].minute - half[0].minute), mean: my };
  };
  for (const [key, name] of [['goLiveMB', "the engine's Go live heap (after GC)"], ['pageLiveMB', "the page's Go live heap (after GC)"], ['jsHeapMB', 'JS heap']]) {
    const { rise, mean } = trend(key);
    verdict[`${key}TrendOverLastHalf`] = +rise.toFixed(2);
    verdict[`${key}MeanOverLastHalf`] = +mean.toFixed(1);
    if (rise > Math.max(2, 0.1 * mean)) problems.push(`${name} still growing over the last half: trend +${rise.toFixed(1)} MB (mean ${mean.toFixed(1)} MB)`);
  }
  verdict.goLiveMBRange = [Math.min(...samples.map((s) => s.goLiveMB)), Math.max(...samples.map((s) => s.goLiveMB))];
  verdict.goBeforeGCMBMax = Math.max(...samples.map((s) => s.goBeforeGCMB));
  verdict.pageLiveMBRange = [Math.min(...samples.map((s) => s.pageLiveMB)), Math.max(...samples.map((s) => s.pageLiveMB))];
  verdict.pageBeforeGCMBMax = Math.max(...samples.map((s) => s.pageBeforeGCMB));
  verdict.chips = new Set(samples.map((s) => s.seed)).size;
  // queries restart at each chip: the sum of each chip's largest sample (a lower bound)
  const perChip = new Map();
  for (const s of samples) perChip.set(s.seed, Math.max(perChip.get(s.seed) || 0, s.queries));
  verdict.queriesAtLeast = [...perChip.values()].reduce((a, q) => a + q, 0);
} else {
  problems.push(`too few samples (${samples.length}) to judge the last half`);
}
const out = { minutes: MINUTES, everySeconds: EVERY, samples, consoleErrors: errors, verdict, problems, pass: problems.length === 0 };
fs.writeFileSync(path.join(OUT, 'soak.json'), JSON.stringify(out, null, 2));
console.log('minute  Go live MB  Go before GC MB  Go HeapSys MB  page live MB  page before GC MB  wasm MB  JS heap MB  queries  seed  booth');
for (const s of samples) console.log(`${s.minute.toFixed(1).padStart(6)}  ${String(s.goLiveMB).padStart(10)}  ${String(s.goBeforeGCMB).padStart(15)}  ${String(s.goHeapSysMB).padStart(13)}  ${String(s.pageLiveMB).padStart(12)}  ${String(s.pageBeforeGCMB).padStart(17)}  ${String(s.wasmMB).padStart(7)}  ${String(s.jsHeapMB).padStart(10)}  ${String(s.queries).padStart(7)}  ${String(s.seed).padStart(4)}  ${s.booth}`);
console.log(JSON.stringify(verdict));
for (const p of problems) log('FAIL', p);
log(problems.length ? 'FAIL' : 'PASS');
process.exit(problems.length ? 1 : 0);
