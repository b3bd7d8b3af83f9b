// End-to-end test of the meshlight site in Debian's Chromium (playwright-core).
//
// Usage: BASE_URL=http://127.0.0.1:PORT/ OUT=wasm/e2e/out node wasm/e2e/e2e.mjs
// (wasm/e2e/run.sh serves a folder and runs this). Exit status 0 when every check passes.
//
// It waits on behaviour, never on fixed sleeps nor against the clock: each wait is capped
// at two minutes (CAP, browser.mjs), or, for long training, fails only once the queries
// have stood still that long, and its failure says what it awaited. Timings (time to
// ready, frame rates, queries per second, latencies) are printed as figures and never
// compared with a limit, so a busy machine makes the test slower, not red. It checks
// behaviour: the page loads without console errors, the canvas is drawn, the simulator
// becomes ready on the method's chip ("paper"), training raises the noisy chip's accuracy,
// the chart's kept state follows the best validation accuracy of the curve, pause stops
// queries, a burst of commands in one turn ends in the state the last command asks for,
// controls and chip presets change behaviour and land in the URL, and bad input (a bad model, bad chip settings, a step below one control
// code, a retired parameter) shows a message in the page while the last good state stays.
// Hostile model addresses (backslashes the browser reads as slashes, other origins, ".."
// in any spelling) and a model file whose data set name leaves data/ are refused in the
// page with nothing fetched outside the site's folder; a 200 MB model is refused by its
// Content-Length, and a body without a usable length is cut at the 32 MiB cap, without the
// WebAssembly memory growing by the file's size. The whole-network view draws, names the
// tile and then (zoomed in) the device under the cursor, and draws no more items than tiles
// when zoomed out; the 26,624-phase MNIST 28x28 MLP loads and trains in the page. A model
// file of one's own, chosen with the file chooser or dropped, loads, trains and is named in
// the page, and bad ones (not a model, a newer format, over the cap, a data set the site
// lacks or whose samples do not fit) each show a message while it trains on; files load,
// and bad files' messages come, in the order given whatever their sizes, and the address's
// model comes back when chosen after a file. Snapshots from
// the worker corrupted on their way to the page (the first, a delta, a new chip's) are each
// refused with one message while the page draws and trains on, and the next ones apply.
// Booth mode recovers a chip until it plateaus on its validation split, races szo-scd
// against szo-scd-margin on that chip until both plateau, then deploys the next chip. It
// records figures (time to ready, fps and tps while training, fps of both views on the MNIST
// 8x8 and 28x28 MLPs, time from navigation to the big model's first query, queries per
// second, .wasm size) and screenshots in OUT.
import { launch, CAP } from './browser.mjs';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { errors } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { raceSteps } from './race.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || 'out';
fs.mkdirSync(OUT, { recursive: true });

// Software WebGL2 (ANGLE on SwiftShader) headless, and no network chatter.

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const results = { checks: [] };
const check = (name, fn) => Object.assign(async () => {
  const start = Date.now();
  await fn();
  results.checks.push({ name, ok: true, seconds: +((Date.now() - start) / 1000).toFixed(1) });
  log('ok  ', name);
}, { title: name });
// ONLY=regexp runs only the checks whose names match (while working on one of them).
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

const { ctx, udd } = await launch('e2e');

// open loads a page of the site, recording its console errors and failed requests; init
// (a function and its argument) runs in the page before its own scripts.
async function open(query = '', viewport, init) {
  const blank = ctx.pages().find((p) => p.url() === 'about:blank' && !p.used);
  const page = blank || await ctx.newPage();
  page.used = true;
  if (viewport) await page.setViewportSize(viewport);
  if (init) await page.addInitScript(...init);
  page.problems = [];
  page.requests = []; // every URL the page asked for
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => page.problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.bringToFront(); // a hidden tab gets one animation frame per second
  const start = Date.now();
  const resp = await page.goto(new URL(query, BASE_URL).href);
  assert.equal(resp.status(), 200, 'index.html');
  page.openedAt = start;
  return page;
}

const stats = (page) => page.evaluate(() => window.meshlight.stats());
// frames resolves after n animation frames of the page (a page that stops drawing fails
// it after CAP).
const frames = (page, n) => page.evaluate(([n, cap]) => new Promise((res, rej) => {
  let k = 0;
  const t = setTimeout(() => rej(new Error(`waiting for ${n} animation frames: ${k} after ${cap / 1000} s`)), cap);
  const f = () => (++k >= n ? (clearTimeout(t), res(k)) : requestAnimationFrame(f)); requestAnimationFrame(f);
}), [n, CAP]);
// waitStats waits until pred (the source of a function of stats(), run in the page) holds,
// for at most CAP. With progress (a function of stats() in node, e.g. the queries), the
// wait is for work that takes as long as the machine needs (thousands of queries, a run
// until it plateaus): it fails only once progress has not changed for CAP, so a busy
// machine makes it slower but never fails it, while a page that stopped working fails.
async function waitStats(page, pred, what, progress) {
  const expr = `(() => { const s = window.meshlight && window.meshlight.stats(); return !!s && (${pred})(s); })()`;
  const now = () => page.evaluate(() => window.meshlight && window.meshlight.stats()).catch(() => null);
  let last, since = Date.now();
  for (;;) {
    try {
      await page.waitForFunction(expr, null, { timeout: progress ? 5000 : CAP, polling: 100 });
      return;
    } catch (e) {
      if (!(e instanceof errors.TimeoutError)) throw new Error(`waiting for ${what}: ${e.message}`);
    }
    const s = await now();
    const p = s && progress ? JSON.stringify(progress(s)) : undefined;
    if (p !== undefined && p !== last) {
      last = p;
      since = Date.now();
    } else if (Date.now() - since >= CAP) {
      throw new Error(`waiting for ${what}: not after ${CAP / 1000} s${progress ? ` without progress (${last})` : ''}; stats ${JSON.stringify(s)}`);
    }
  }
}
// until waits for fn(arg) to hold in the page (page.waitForFunction), for at most CAP, and
// fails naming what it awaited.
const until = (page, fn, arg, what) => page.waitForFunction(fn, arg, { timeout: CAP, polling: 100 }).then(() => {}, (e) => {
  throw new Error(`waiting for ${what}: not after ${CAP / 1000} s (${String(e.message).split('\n')[0]})`);
});
// queriesOf is a wait's progress: the single run's queries and every racer's.
const queriesOf = (s) => [s.queries, ...(s.race ? s.race.racers.map((r) => r.queries) : [])];
// colours decodes a PNG in the page and counts its distinct 12-bit colours.
async function colours(page, png) {
  return page.evaluate(async (b64) => {
    const bmp = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d'); g.drawImage(bmp, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const set = new Set(); let lit = 0;
    for (let i = 0; i < d.length; i += 4) {
      set.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
      if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
    }
    return { w: c.width, h: c.height, distinctColours: set.size, litFraction: +(lit / (d.length / 4)).toFixed(3) };
  }, png.toString('base64'));
}
// rates measures frames and queries per second over ms milliseconds of the page's time, and
// where the page's Go time went in it (goMs: the mean Game.Update, of which the page's own
// Update, and the mean Draw, in ms, and their share of the window's wall time; the rest is
// the browser's, SwiftShader's drawing included). A page without stats().timeTotals gives
// only its smoothed drawMs and updateMs.
async function rates(page, ms) {
  const a = await page.evaluate(() => ({ ...window.meshlight.stats(), t: performance.now() }));
  const raf = await page.evaluate(([ms, cap]) => new Promise((res, rej) => {
    let n = 0; const end = performance.now() + ms;
    const t = setTimeout(() => rej(new Error(`counting frames for ${ms} ms: not done after ${(ms + cap) / 1000} s`)), ms + cap);
    const f = () => { n++; if (performance.now() < end) requestAnimationFrame(f); else { clearTimeout(t); res(n); } }; requestAnimationFrame(f);
  }), [ms, CAP]);
  const b = await page.evaluate(() => ({ ...window.meshlight.stats(), t: performance.now() }));
  const secs = (b.t - a.t) / 1000;
  let goMs = { draw: +b.drawMs.toFixed(2), pageUpdate: +b.updateMs.toFixed(2), smoothed: true };
  if (a.timeTotals && b.timeTotals) {
    const d = (k) => b.timeTotals[k] - a.timeTotals[k];
    const mean = (ms, n) => (n > 0 ? +(ms / n).toFixed(2) : null);
    goMs = {
      update: mean(d('gameUpdateMs'), d('updates')), pageUpdate: mean(d('updateMs'), d('updates')),
      draw: mean(d('drawMs'), d('draws')), updates: d('updates'), draws: d('draws'),
      share: +((d('gameUpdateMs') + d('drawMs')) / (b.t - a.t)).toFixed(3),
    };
  }
  return {
    seconds: +secs.toFixed(2), rafPerSecond: +(raf / secs).toFixed(1),
    ebitenFPS: +b.fps.toFixed(1), ebitenTPS: +b.tps.toFixed(1),
    queriesPerSecond: Math.round((b.queries - a.queries) / secs), budgetMs: b.budgetMs, goMs,
  };
}


// hoverSomething moves the mouse over the mesh area until the canvas's tooltip says something
// matching re (stats().hover), scanning a grid of points; it returns the tooltip.
async function hoverSomething(page, re) {
  const box = await page.locator('canvas').boundingBox();
  for (const fy of [0.3, 0.2, 0.4, 0.25, 0.35]) {
    for (let fx = 0.15; fx < 0.95; fx += 0.025) {
      await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
      await frames(page, 3);
      const h = (await stats(page)).hover;
      if (re.test(h)) return h;
    }
  }
  throw new Error(`no tooltip matching ${re} over the mesh`);
}
// zoomUntil scrolls the wheel up over the mesh area (zooming in at the cursor) until pred
// holds on stats().
async function zoomUntil(page, pred, what) {
  const box = await page.locator('canvas').boundingBox();
  await page.mouse.move(box.x + 0.35 * box.width, box.y + 0.3 * box.height);
  for (let i = 0; i < 60; i++) {
    if (pred(await stats(page))) return;
    await page.mouse.wheel(0, -120);
    await frames(page, 2);
  }
  throw new Error(`${what}: not reached by zooming; stats ${JSON.stringify(await stats(page))}`);
}

let failed = false;
let main;
const steps = [
  check('both modules are served as application/wasm (the page and the engine)', async () => {
    results.modules = {};
    for (const name of ['meshlight.wasm', 'engine.wasm']) {
      const r = await ctx.request.get(new URL(name, BASE_URL).href);
      assert.equal(r.status(), 200, name);
      assert.equal(r.headers()['content-type'], 'application/wasm', name);
      const body = await r.body();
      results.modules[name] = { bytes: body.length, gzipBytes: zlib.gzipSync(body, { level: 9 }).length };
    }
    results.wasmBytes = results.modules['meshlight.wasm'].bytes;
    results.wasmGzipBytes = results.modules['meshlight.wasm'].gzipBytes;
    results.modulesGzipBytes = results.modules['meshlight.wasm'].gzipBytes + results.modules['engine.wasm'].gzipBytes;
  }),

  check('page loads and the simulator becomes ready (the time it takes is a figure: secondsToReady)', async () => {
    main = await open();
    await waitStats(main, 's => s.ready', 'stats().ready');
    results.secondsToReady = +((Date.now() - main.openedAt) / 1000).toFixed(2);
    results.wasmMemoryAtReady = await main.evaluate(async () => (await window.meshlight.memory()).wasmMemory);
    await main.waitForSelector('#loading', { state: 'hidden' });
    const s = await stats(main);
    results.deployed = { model: s.model, optimizer: s.optimizer, chip: s.chip, deployedAccuracy: s.deployedAccuracy, phases: s.phases, activePhases: s.activePhases };
    assert.equal(s.running, false);
    assert.equal(s.queries, 0);
    assert.ok(s.deployedAccuracy >= 0 && s.deployedAccuracy <= 100, `deployed accuracy ${s.deployedAccuracy}`);
  }),

  check('the canvas is drawn (many distinct colours)', async () => {
    await frames(main, 10);
    const shot = await main.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-deployed.png') });
    await main.screenshot({ path: path.join(OUT, 'page-deployed.png') });
    results.canvasDeployed = await colours(main, shot);
    assert.ok(results.canvasDeployed.distinctColours >= 50, `canvas looks blank: ${JSON.stringify(results.canvasDeployed)}`);
  }),

  check('the default page is on the method\'s chip (readouts, controls, address)', async () => {
    const s = await stats(main);
    assert.equal(s.chip, 'paper');
    assert.equal(s.chipEdited, false);
    assert.equal(s.gammaStd, 0.002);
    assert.equal(s.crosstalk, 0.002);
    assert.equal(s.bits, 8);
    assert.equal(s.vpi, 4.36);
    assert.ok(Math.abs(s.step - 2 * Math.PI / 256) < 1e-12, `step ${s.step}, want one 8-bit code`);
    await until(main, () => document.querySelector('#r-chip').textContent === 'paper', null, 'the chip readout to say paper');
    assert.equal(await main.locator('#r-drift').textContent(), 'γ σ 2e-3 (1.21%)');
    assert.equal(await main.locator('#r-crosstalk').textContent(), '2e-3');
    assert.equal(await main.locator('#r-control').textContent(), '8-bit');
    assert.equal(await main.locator('#chip').inputValue(), 'paper');
    assert.equal(await main.locator('#gamma-std').inputValue(), '0.002');
    assert.equal(await main.locator('#bits').inputValue(), '8');
    const set = await main.evaluate(() => window.meshlight.settings());
    for (const [k, v] of Object.entries({ chip: 'paper', 'gamma-std': '0.002', vpi: '4.36', crosstalk: '0.002', bits: '8', 'heat-all': false })) {
      assert.equal(set[k], v, `settings().${k}`);
    }
    assert.equal(await main.evaluate(() => location.search), ''); // the defaults are the method's chip
  }),

  check('no console errors on load', async () => {
    assert.deepEqual(main.problems, []);
  }),

  check('start: queries grow and the noisy chip\'s accuracy rises by a point', async () => {
    const before = await stats(main);
    await main.click('#start');
    await waitStats(main, 's => s.running && s.queries > 0', 'queries after start');
    await waitStats(main, `s => s.evaluations > 1 && s.bestAccuracy >= ${before.deployedAccuracy} + 1`, 'accuracy rising by a point');
    const s = await stats(main);
    results.training = { deployedAccuracy: before.deployedAccuracy, bestAccuracy: s.bestAccuracy, accuracy: s.accuracy, queries: s.queries, seconds: +((Date.now() - main.openedAt) / 1000).toFixed(1) };
    results.training1024x640 = await rates(main, 3000);
    await main.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-training.png') });
    await main.screenshot({ path: path.join(OUT, 'page-training.png') });
  }),

  check('the accuracy chart marks the kept state: stats() and curve() name the point of best validation accuracy, and it follows training', async () => {
    const t = Date.now();
    // stats() and curve() in one call: the same snapshot.
    const both = () => main.evaluate(() => ({ s: window.meshlight.stats(), c: window.meshlight.curve() }));
    const follows = ({ s, c }) => {
      assert.equal(c.valid.length, c.queries.length, 'a validation accuracy at every point');
      assert.ok(c.valid.every((v) => Number.isFinite(v) && v >= 0 && v <= 100), `validation accuracies ${c.valid}`);
      let best = 0; // the earliest point of best validation accuracy, as train keeps it
      c.valid.forEach((v, i) => { if (v > c.valid[best]) best = i; });
      assert.equal(c.kept, best, `kept point ${c.kept}, the best validated is ${best} (${c.valid[best]} at ${c.queries[best]} queries)`);
      assert.equal(s.kept, true);
      assert.equal(s.keptQueries, c.queries[best]);
      assert.equal(s.keptAccuracy, c.accuracy[best]);
      assert.equal(s.keptValid, c.valid[best]);
      return best;
    };
    // A new run on the same chip at 20 queries a frame (at most 1,200 a second), so that
    // the marker is seen moving from the deployment to each better validated state. The
    // new run is told by the old one's curve joining the compared runs, not by a low query
    // count, which late snapshots on a busy machine could skip past.
    const runs = (await stats(main)).runs;
    await main.evaluate(() => { const m = window.meshlight; m.pause(); m.set({ speed: 20 }); m.reset(); m.start(); });
    await waitStats(main, `s => s.running && s.kept && s.runs > ${runs}`, 'a new run at 20 queries a frame');
    const moves = [];
    // Until 15,000 queries, however long the machine takes; only queries that stand still
    // for CAP fail it.
    for (let last = null, q = -1, since = Date.now(); ;) {
      const b = await both();
      follows(b);
      if (b.s.keptQueries !== last) moves.push(last = b.s.keptQueries);
      if (b.s.queries >= 15000) break;
      if (b.s.queries !== q) {
        q = b.s.queries;
        since = Date.now();
      }
      assert.ok(Date.now() - since < CAP, `waiting for 15,000 queries at 20 a frame: stuck at ${b.s.queries} for ${CAP / 1000} s`);
      await frames(main, 2);
    }
    assert.ok(moves.length >= 3, `the kept state moved only to ${moves} queries`);
    const last = await both();
    follows(last);
    results.kept = { queries: last.s.queries, keptQueries: last.s.keptQueries, keptAccuracy: last.s.keptAccuracy, keptValid: last.s.keptValid,
      keptMovedAt: moves, seconds: +((Date.now() - t) / 1000).toFixed(1) };
    await main.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-kept.png') });
    await main.evaluate(() => window.meshlight.set({ speed: 400 }));
  }),

  check('pause stops queries', async () => {
    await main.click('#pause');
    await waitStats(main, 's => !s.running', 'paused');
    const q = (await stats(main)).queries;
    await frames(main, 30);
    assert.equal((await stats(main)).queries, q, 'queries changed while paused');
    assert.equal(await main.locator('#start').isEnabled(), true);
  }),

  check('controls change behaviour and the address', async () => {
    // alpha (a slider): a new chip with more active phases.
    const before = await stats(main);
    const alpha = main.locator('#alpha');
    await alpha.fill('0.5');
    await alpha.dispatchEvent('change');
    await waitStats(main, `s => s.activePhases > ${before.activePhases}`, 'more active phases at alpha 0.5');
    await until(main, () => /alpha=0\.5/.test(location.search), null, 'alpha=0.5 in the address');
    // speed (a slider): at 1 query per 1/60 s, the engine trains at most 60 queries a second.
    // Paused, the run makes no queries until the click, and the engine's allowance (60 a
    // second, at most a tenth of a second's worth saved up) counts from then: the queries
    // the page shows at any later time have grown by at most 60 a second since the click
    // plus 6 saved up (and 6 more of slack), however late its snapshots arrive. A window
    // between two snapshots would count their lag, which grows on a busy machine; its
    // rate is printed as a figure.
    const speed = main.locator('#speed');
    await speed.fill('1');
    await speed.dispatchEvent('change');
    const clicked = await main.evaluate(() => ({ q: window.meshlight.stats().queries, t: performance.now() }));
    await main.click('#start');
    await waitStats(main, 's => s.queries > 0', 'queries at speed 1');
    const a = await main.evaluate(() => ({ q: window.meshlight.stats().queries, t: performance.now() }));
    await frames(main, 30);
    const b = await main.evaluate(() => ({ q: window.meshlight.stats().queries, t: performance.now() }));
    const since = (b.t - clicked.t) / 1000;
    results.speed1 = { queriesSinceStart: b.q - clicked.q, secondsSinceStart: +since.toFixed(2), windowQueries: b.q - a.q, windowSeconds: +((b.t - a.t) / 1000).toFixed(2) };
    assert.ok(b.q > a.q && b.q - clicked.q <= 60 * since + 12, `speed 1: ${JSON.stringify(results.speed1)}, want growing and at most 60 a second since the start`);
    // optimizer (a select): the run restarts with the other optimizer.
    await main.selectOption('#optimizer', 'stp');
    await waitStats(main, 's => s.optimizer === "stp"', 'optimizer stp');
    await until(main, () => /optimizer=stp/.test(location.search), null, 'optimizer=stp in the address');
    // redeploy: a new seed in the settings and the address.
    await main.click('#redeploy');
    await until(main, () => /seed=2/.test(location.search), null, 'seed=2 in the address');
    await until(main, () => document.querySelector('#seed').value === '2', null, 'seed 2 in the panel');
    // the API: a bad value is refused with a message, the good one applies.
    const r = await main.evaluate(() => window.meshlight.set({ p: 0.25, s: 3 }));
    assert.equal(r.ok, false);
    assert.match(r.errors.join(' '), /s="3"/);
    assert.equal((await main.evaluate(() => window.meshlight.settings())).p, '0.25');
    await main.waitForSelector('#errors:not([hidden])');
    assert.match(await main.locator('#errors').textContent(), /s="3"/);
    await main.click('#errors-close');
    await main.waitForSelector('#errors', { state: 'hidden' });
    await main.click('#pause');
  }),

  check('chip presets: each deploys its chip, in the readouts and the address', async () => {
    results.presets = {};
    const want = {
      ideal: { drift: 'none (γ σ 0)', crosstalk: 'none (0)', control: 'continuous', bits: 0 },
      strong: { drift: 'γ σ 3e-3 (1.82%)', crosstalk: '3e-3', control: '8-bit', bits: 8 },
      paper: { drift: 'γ σ 2e-3 (1.21%)', crosstalk: '2e-3', control: '8-bit', bits: 8 },
    };
    for (const [name, w] of Object.entries(want)) {
      const v = (await stats(main)).settingsVersion;
      await main.selectOption('#chip', name);
      await waitStats(main, `s => s.settingsVersion > ${v} && s.chip === ${JSON.stringify(name)} && s.queries === 0 && s.ready`, `chip ${name}`);
      await until(main, (n) => document.querySelector('#r-chip').textContent === n, name, `the chip readout to say ${name}`);
      const s = await stats(main);
      assert.equal(s.bits, w.bits);
      assert.equal(await main.locator('#r-drift').textContent(), w.drift);
      assert.equal(await main.locator('#r-crosstalk').textContent(), w.crosstalk);
      assert.equal(await main.locator('#r-control').textContent(), w.control);
      assert.equal(await main.locator('#bits').inputValue(), String(w.bits));
      // the address follows at the next frame
      await until(main, (n) => (n === 'paper' ? !/chip=/.test(location.search) : new RegExp(`chip=${n}(&|$)`).test(location.search)), name, `the address to follow chip ${name}`);
      results.presets[name] = { deployedAccuracy: s.deployedAccuracy, driftText: s.driftText, controlText: s.controlText };
    }
    assert.ok(results.presets.ideal.deployedAccuracy > results.presets.strong.deployedAccuracy,
      `the ideal chip must deploy better than the strong one: ${JSON.stringify(results.presets)}`);
    // A field edited after a preset is kept: the address carries both, the step follows the chip.
    await main.selectOption('#chip', 'strong');
    await waitStats(main, 's => s.chip === "strong" && !s.chipEdited', 'chip strong');
    await main.locator('#bits').fill('6');
    await main.locator('#bits').dispatchEvent('change');
    await waitStats(main, 's => s.chip === "strong" && s.chipEdited && s.bits === 6', 'strong with 6 bits');
    await until(main, () => /chip=strong&bits=6/.test(location.search), null, 'chip=strong&bits=6 in the address');
    await until(main, () => document.querySelector('#r-chip').textContent === 'strong, edited', null, 'the chip readout to say strong, edited');
    assert.equal(await main.locator('#r-control').textContent(), '6-bit');
    assert.equal((await main.evaluate(() => window.meshlight.settings())).lr, String(2 * Math.PI / 64));
    assert.match(await main.locator('#chip option:checked').textContent(), /edited/);
    await main.locator('#heat-all').scrollIntoViewIfNeeded();
    await main.locator('#panel').screenshot({ path: path.join(OUT, 'panel-chip.png') });
    // heat-all (a checkbox) is a chip field too.
    await main.locator('#heat-all').check();
    await waitStats(main, 's => s.heatAll && /all devices heat/.test(s.crosstalkText)', 'heat-all');
    await until(main, () => /heat-all=1/.test(location.search), null, 'heat-all=1 in the address');
    await main.locator('#heat-all').uncheck();
    await main.selectOption('#chip', 'paper');
    await waitStats(main, 's => s.chip === "paper" && !s.chipEdited && s.bits === 8 && !s.heatAll', 'back to paper');
    await until(main, () => !/chip=|bits=|heat-all=/.test(location.search), null, 'the address without chip fields');
  }),

  check('a link reproduces the view', async () => {
    const q = await main.evaluate(() => location.search);
    const page = await open(q);
    await waitStats(page, 's => s.ready', 'ready');
    const [x, y] = await Promise.all([main, page].map((p) => p.evaluate(() => window.meshlight.settings())));
    assert.deepEqual(y, x);
    assert.deepEqual(page.problems, []);
    await page.close();
    await main.bringToFront();
  }),

  check('no console errors in the main page', async () => {
    assert.deepEqual(main.problems, []);
    await main.close(); // the pages below run alone, so their frame rates are their own
  }),

  check('a bad model URL shows the error in the page', async () => {
    const page = await open('?model=models/no-such-model.json');
    await page.waitForSelector('#errors:not([hidden])');
    const msg = await page.locator('#errors').textContent();
    assert.match(msg, /no-such-model\.json/);
    assert.match(msg, /404/);
    await waitStats(page, 's => s.ready', 'the default model after a bad one');
    await page.screenshot({ path: path.join(OUT, 'page-bad-model.png') });
    await page.close();
  }),

  check('hostile model addresses are refused in the page and nothing is fetched from elsewhere', async () => {
    const site = new URL(BASE_URL);
    // outside lists the requests that left the site's folder (or its origin).
    const outside = (page) => page.requests.filter((u) => { const x = new URL(u); return x.origin !== site.origin || !x.pathname.startsWith(site.pathname); });
    results.hostileAddresses = [];
    const viaAddress = [
      ['\\\\example.invalid\\x.json', /model="[^"]*example\.invalid[^"]*": a model path must be relative to the site/],
      ['\\/example.invalid/x.json', /model="[^"]*example\.invalid[^"]*": a model path must be relative to the site/],
      ['..\\models\\vowel-mlp.json', /model="\.\.[^"]*vowel-mlp\.json": a model path must be relative to the site/],
    ];
    for (const [ref, want] of viaAddress) {
      const page = await open(`?seed=3&model=${ref}`);
      await waitStats(page, 's => s.ready', `ready after model=${ref}`);
      await page.waitForSelector('#errors:not([hidden])');
      const msg = await page.locator('#errors').textContent();
      assert.match(msg, want, `model=${ref}`);
      const set = await page.evaluate(() => window.meshlight.settings());
      assert.equal(set.model, 'mnist8-mlp');
      assert.equal(set.seed, '3'); // the rest of the address applies
      // through the page API, the same and other spellings, while the default model stays
      for (const other of ['//example.invalid/x.json', 'http://example.invalid/x.json', '%2e%2e/models/vowel-mlp.json', '/\t/example.invalid/x.json', ref]) {
        const r = await page.evaluate((m) => window.meshlight.set({ model: m }), other);
        assert.equal(r.ok, false, `set model ${other}`);
        assert.match(r.errors.join(' '), /a model path must be relative to the site/);
      }
      await until(page, () => /example\.invalid/.test(document.querySelector('#errors').textContent), null, `the message for model=${ref}`);
      await frames(page, 10);
      assert.equal((await stats(page)).model, 'mnist8-mlp');
      assert.deepEqual(outside(page), [], `requests outside the site for model=${ref}`);
      assert.ok(page.requests.some((u) => u.endsWith('/models/mnist8-mlp.json')), 'the default model was fetched');
      assert.deepEqual(page.problems, []);
      results.hostileAddresses.push({ model: ref, requests: page.requests.length, message: msg.slice(0, 200) });
      if (ref === viaAddress[0][0]) await page.screenshot({ path: path.join(OUT, 'page-hostile-model.png') });
      await page.close();
    }
    // A model file whose data set name leaves data/: refused by the model reader, nothing of it fetched.
    const page = await open('?model=e2e/evil-dataset.json');
    await waitStats(page, 's => s.ready', 'ready after the evil data set name');
    await page.waitForSelector('#errors:not([hidden])');
    assert.match(await page.locator('#errors').textContent(), /evil-dataset\.json.*"\.\.\/\.\.\/\.\.\/evil" is not a data set name/);
    assert.deepEqual(outside(page), []);
    assert.ok(!page.requests.some((u) => /\/evil-(test|train)/.test(u)), `requests ${page.requests}`);
    await page.close();
  }),

  check('an oversized model is refused by its Content-Length or at the cap, memory stays', async () => {
    const page = await open('?model=e2e/huge-model.json');
    await waitStats(page, 's => s.ready', 'ready after the 200 MB model');
    await page.waitForSelector('#errors:not([hidden])');
    let msg = await page.locator('#errors').textContent();
    assert.match(msg, /model e2e\/huge-model\.json: 209715200 bytes \(200 MiB\) \(Content-Length\) is over the limit of 33554432 bytes \(32 MiB\)/);
    const mem = { afterHugeModel: await page.evaluate(async () => (await window.meshlight.memory()).wasmMemory) };
    // A body whose length the page cannot use (an encoded response) is read as a stream and
    // cancelled at the cap: 40 MB served for e2e/streamed-model.json.
    await page.route('**/e2e/streamed-model.json', (route) => route.fulfill({
      status: 200, headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'identity' }, body: Buffer.alloc(40 << 20, 32),
    }));
    await page.evaluate(() => window.meshlight.clearErrors());
    const r = await page.evaluate(() => window.meshlight.set({ model: 'e2e/streamed-model.json' }));
    assert.equal(r.ok, true);
    await until(page, () => /streamed-model/.test(document.querySelector('#errors').textContent), null, 'the message for the streamed model');
    msg = await page.locator('#errors').textContent();
    assert.match(msg, /model e2e\/streamed-model\.json: more than the limit of 33554432 bytes \(32 MiB\); stopped reading at the cap/);
    await frames(page, 10);
    mem.afterStreamedModel = await page.evaluate(async () => (await window.meshlight.memory()).wasmMemory);
    const s = await stats(page);
    assert.equal(s.model, 'mnist8-mlp');
    assert.ok(s.ready);
    results.oversizedModel = { wasmMemoryBytes: mem };
    // the page's memory never held the 200 MB file (before: 320 MB); the streamed one at most its cap
    assert.ok(mem.afterHugeModel < results.wasmMemoryAtReady + (100 << 20), `wasm memory ${mem.afterHugeModel} after the 200 MB model, ${results.wasmMemoryAtReady} at ready`);
    assert.ok(mem.afterStreamedModel < mem.afterHugeModel + (80 << 20), `wasm memory ${mem.afterStreamedModel} after the 40 MB stream`);
    await page.close();
  }),

  check('a burst of commands in one turn (1,000 rounds of start, pause, reset, set, start) ends in the state the last asks for: training on its settings; then a burst ending in pause pauses', async () => {
    const page = await open('');
    await waitStats(page, 's => s.ready', 'the default model deployed');
    await page.evaluate(() => window.meshlight.start());
    await waitStats(page, 's => s.running && s.queries > 0', 'training before the burst');
    // Round i asks for its own settings; the last round's are the ones to end on.
    const round = (i) => ({ alpha: (1 + (i % 9)) / 10, s: (1 + (i % 5)) / 10, p: (i % 3) / 4 });
    const label = (i) => { const r = round(i); return ` α ${r.alpha} s ${r.s} p ${r.p} `; };
    const burst = (rounds, last) => page.evaluate(([rounds, last, round]) => {
      const m = window.meshlight;
      const settings = new Function(`return ${round}`)();
      const t = performance.now();
      for (let i = 0; i < rounds; i++) {
        m.start(); m.pause(); m.reset();
        m.set(settings(i));
        m[last]();
      }
      return performance.now() - t;
    }, [rounds, last, round.toString()]);
    // The run's label is the engine's (the mirror's curve): it names the settings the engine
    // deployed, not the ones the page set.
    const deployed = (i) => until(page, (l) => window.meshlight.curve().label.includes(l), label(i), `the run of the last settings (${label(i)})`);
    const sent = Date.now();
    const ms = await burst(1000, 'start');
    await deployed(999);
    const q0 = (await stats(page)).queries;
    await waitStats(page, `s => s.running && s.queries > ${q0} + 200`, 'training after the burst', (s) => s.queries);
    results.burst = { rounds: 1000, commands: 5000, pageMs: +ms.toFixed(1), secondsToTraining: +((Date.now() - sent) / 1000).toFixed(1) };
    const r = round(999);
    assert.deepEqual(await page.evaluate(() => { const v = window.meshlight.settings(); return [v.alpha, v.s, v.p]; }), [String(r.alpha), String(r.s), String(r.p)]);
    // Ending in pause: paused, on the last round's settings.
    await burst(300, 'pause');
    await deployed(299);
    await waitStats(page, 's => !s.running', 'paused after the second burst');
    const q = (await stats(page)).queries;
    await frames(page, 30);
    assert.equal((await stats(page)).queries, q, 'queries changed after a burst that ended in pause');
    // And the page still answers: one start trains again.
    await page.evaluate(() => window.meshlight.start());
    await waitStats(page, `s => s.running && s.queries > ${q} + 200`, 'training after a start', (s) => s.queries);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('a model file of your own: chosen, it loads, trains and is named; bad files show an error while it trains on', async () => {
    // A researcher's network, as `pretrain -dataset mnist16 -arch 256-48-10 -block 4
    // -topology clements -name mine` would shape it, with random phases (no libtorch here).
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlight-model-'));
    execFileSync(process.env.GO || 'go', ['run', './wasm/cmd/randmodel', '-dataset', 'mnist16', '-arch', '256-48-10',
      '-block', '4', '-topology', 'clements', '-name', 'mine', '-gzip', '-out', dir], { cwd: root });
    const good = fs.readFileSync(path.join(dir, 'mine.json'), 'utf8');
    const page = await open('?run=1');
    await waitStats(page, 's => s.ready && s.running && s.queries > 0', 'training the default model');
    await page.setInputFiles('#model-file', path.join(dir, 'mine.json'));
    await waitStats(page, 's => s.modelFile === "mine.json" && s.ready && s.running', 'the chosen file deployed and training');
    let s = await stats(page);
    assert.equal(s.title, 'mine.json · mnist16 · 256-48-10');
    assert.equal(s.model, 'mnist8-mlp'); // the address keeps naming the last model from the site
    assert.ok(s.phases > 2496, `phases ${s.phases}`);
    const q0 = s.queries;
    await waitStats(page, `s => s.modelFile === "mine.json" && s.queries > ${q0} + 500`, 'the file\'s model training');
    await until(page, () => /mine\.json/.test(document.querySelector('#model option:checked')?.textContent || ''), null, 'mine.json in the model selector');
    await page.waitForSelector('#file-note:not([hidden])');
    assert.match(await page.locator('#file-note').textContent(), /mine\.json is not in the address.*opens mnist8-mlp/);
    assert.doesNotMatch(await page.evaluate(() => location.search), /model=|mine/);
    results.modelFile = { title: s.title, phases: s.phases, deployedAccuracy: s.deployedAccuracy, secondsToTrain: +((Date.now() - page.openedAt) / 1000).toFixed(1) };
    await page.screenshot({ path: path.join(OUT, 'page-model-file.png') });
    // Bad files: each one a message in the page, while the file's model trains on.
    const huge = path.join(dir, 'huge.json');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, (32 << 20) + 1); // sparse
    const bad = [
      [{ name: 'notes.json', buffer: Buffer.from('not a model, just notes') }, /model file notes\.json: /],
      [{ name: 'v9.json', buffer: Buffer.from(good.replace('meshlight-model/1', 'meshlight-model/9')) }, /model file v9\.json: .*meshlight-model\/9/],
      [{ name: 'cifar.json', buffer: Buffer.from(good.replace('"dataset": "mnist16"', '"dataset": "cifar10"')) }, /model file cifar\.json: this site has no data set "cifar10"/],
      [{ name: 'wide.json', buffer: Buffer.from(good.replace('"dataset": "mnist16"', '"dataset": "mnist8"')) }, /model file wide\.json: data set data\/mnist8-test\.bin\.gz has 64 features per sample, the model takes 256/],
      [huge, /model file huge\.json: 33554433 bytes \(32 MiB\) is over the limit of 33554432 bytes \(32 MiB\); not read/],
    ];
    assert.ok(bad.slice(1, 4).every(([f]) => !f.buffer.equals(Buffer.from(good))), 'every bad file differs from the good one');
    results.modelFile.errors = [];
    for (const [file, want] of bad) {
      await page.evaluate(() => window.meshlight.clearErrors());
      const q = (await stats(page)).queries;
      await page.setInputFiles('#model-file', file);
      await until(page, (re) => new RegExp(re).test(document.querySelector('#errors:not([hidden])')?.textContent || ''), want.source, `the message for ${file.name || 'huge.json'}`);
      await waitStats(page, `s => s.modelFile === "mine.json" && s.running && s.queries > ${q} + 100`, `training goes on after ${file.name || 'huge.json'}`);
      s = await stats(page);
      assert.equal(s.title, 'mine.json · mnist16 · 256-48-10');
      results.modelFile.errors.push(s.error.split('\n').find((m) => want.test(m)).slice(0, 160));
    }
    await page.screenshot({ path: path.join(OUT, 'page-model-file-bad.png') });
    // Files load in the order given, whatever their sizes (the page reads them side by
    // side): a 30 MiB file and then a small one ends on the small one, and the messages of
    // bad files come in the order given too.
    await page.evaluate(() => window.meshlight.clearErrors());
    await page.evaluate((good) => {
      const m = window.meshlight;
      const pad = ' '.repeat(30 << 20); // JSON may start with spaces
      m.loadFile(new File([pad, good], 'big.json'));
      m.loadFile(new File([good], 'small.json'));
      m.loadFile(new File([pad, 'not a model'], 'big-notes.json'));
      m.loadFile(new File([good.replace('meshlight-model/1', 'meshlight-model/9')], 'small-v9.json'));
    }, good);
    await waitStats(page, 's => s.ready && s.status === "" && /small-v9\.json/.test(s.error)', 'the four files read and loaded');
    s = await stats(page);
    assert.equal(s.modelFile, 'small.json', 'the last good file given');
    const lines = s.error.split('\n');
    const at = (re) => lines.findIndex((m) => re.test(m));
    assert.ok(at(/big-notes\.json/) >= 0 && at(/big-notes\.json/) < at(/small-v9\.json/), `messages in the order the files were given: ${s.error}`);
    await frames(page, 30);
    assert.equal((await stats(page)).modelFile, 'small.json');
    // Back to the model the address names: a real choice although the settings name it.
    await page.selectOption('#model', 'mnist8-mlp');
    await waitStats(page, 's => s.model === "mnist8-mlp" && s.modelFile === "" && s.ready', 'the address\'s model after the file');
    await page.waitForSelector('#file-note', { state: 'hidden' });
    // Dropped onto the page (gzipped, this time): the same path.
    await page.evaluate(() => window.meshlight.clearErrors());
    const gz = fs.readFileSync(path.join(dir, 'mine.json.gz')).toString('base64');
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.json.gz', { type: 'application/gzip' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, gz);
    await waitStats(page, 's => s.modelFile === "dropped.json.gz" && s.ready && s.running', 'the dropped file training');
    // A model from the site replaces the file; the note goes.
    await page.selectOption('#model', 'vowel-mlp');
    await waitStats(page, 's => s.model === "vowel-mlp" && s.modelFile === "" && s.ready', 'vowel-mlp after the file');
    await page.waitForSelector('#file-note', { state: 'hidden' });
    await until(page, () => /model=vowel-mlp/.test(location.search), null, 'model=vowel-mlp in the address');
    // The only failed request is the data set the site does not have.
    assert.deepEqual(page.problems.filter((p) => !/HTTP 404 .*\/data\/cifar10-test\.bin\.gz$/.test(p)), []);
    fs.rmSync(dir, { recursive: true, force: true });
    await page.close();
  }),

  check('a malformed snapshot from the worker: a message in the page, the last good state drawn, training on, later snapshots apply (also a new chip\'s)', async () => {
    // No hook in the product: the page's Worker is wrapped so that its message handler sees
    // a snapshot corrupted as the test asks (window.snapshotFaults, one fault per snapshot;
    // after: a command, whose ack must come first, so that the snapshot is one the engine
    // made after applying it).
    const corrupt = (first) => {
      const faults = window.snapshotFaults = [...first];
      const log = window.snapshotFaultLog = [];
      const Real = window.Worker;
      window.Worker = class extends Real {
        postMessage(msg, ...rest) {
          const f = faults[0];
          if (f && f.after && msg && msg.cmd === f.after) f.seq = msg.seq;
          return super.postMessage(msg, ...rest);
        }
        get onmessage() { return super.onmessage; }
        set onmessage(fn) {
          super.onmessage = typeof fn !== 'function' ? fn : (ev) => {
            const d = ev.data, f = faults[0];
            if (f && d && d.kind === 'ack' && f.seq !== undefined && d.seq >= f.seq) f.acked = true;
            if (f && d && d.kind === 'snapshot' && (!f.after || f.acked)) {
              faults.shift();
              const b = d.bytes;
              d.bytes = f.how === 'truncate' ? b.slice(0, b.length >> 1) : b;
              if (f.how === 'flip') for (let i = 0; i < 16; i++) d.bytes[i] ^= 0xff; // the header and version
              log.push({ how: f.how, bytes: b.length, kept: d.bytes.length });
            }
            return fn(ev);
          };
        }
      };
    };
    const errors = (page) => page.locator('#errors-list li').allTextContents();
    const refused = /^snapshot: /;
    // The very first snapshot is cut in half (the page holds nothing yet): it still comes up.
    const page = await open('?seed=9', undefined, [corrupt, [{ how: 'truncate' }]]);
    await waitStats(page, 's => s.ready', 'ready after a refused first snapshot');
    assert.equal((await page.evaluate(() => window.snapshotFaultLog)).length, 1);
    await until(page, () => [...document.querySelectorAll('#errors:not([hidden]) #errors-list li')].some((li) => /^snapshot: /.test(li.textContent)), null, 'the message for the first snapshot');
    const msgs = { first: (await errors(page)).filter((m) => refused.test(m)) };
    assert.equal(msgs.first.length, 1, JSON.stringify(msgs.first));
    assert.match(msgs.first[0], /\(waiting for the next\)$/);

    // While training: a delta cut in half, then the header flipped. Each is one message,
    // the page keeps drawing the last good state, and the next snapshots apply (the engine
    // sends what the page's mirror says it lacks, so nothing is missed).
    await page.evaluate(() => window.meshlight.start());
    await waitStats(page, 's => s.running && s.queries > 500', 'training');
    for (const how of ['truncate', 'flip']) {
      await page.evaluate(() => window.meshlight.clearErrors());
      await page.waitForSelector('#errors', { state: 'hidden' });
      const before = await page.evaluate(() => ({ s: window.meshlight.stats(), points: window.meshlight.curve().queries.length }));
      await page.evaluate((how) => window.snapshotFaults.push({ how }), how);
      await until(page, () => window.snapshotFaults.length === 0, null, `the ${how} fault applied`);
      const mid = await stats(page); // the last good state, not an empty one
      assert.ok(mid.ready && mid.running && mid.queries >= before.s.queries && mid.phases === before.s.phases, `${how}: ${JSON.stringify(mid)}`);
      await until(page, () => [...document.querySelectorAll('#errors:not([hidden]) #errors-list li')].some((li) => /^snapshot: /.test(li.textContent)), null, `the message for the ${how} snapshot`);
      msgs[how] = (await errors(page)).filter((m) => refused.test(m));
      assert.equal(msgs[how].length, 1, `${how}: ${JSON.stringify(msgs[how])}`);
      await waitStats(page, `s => s.running && s.queries > ${before.s.queries} + 1000 && s.evaluations > ${before.s.evaluations}`, `training and new snapshots after the ${how}`);
      assert.ok((await page.evaluate(() => window.meshlight.curve().queries.length)) > before.points, `${how}: the curve grows again`);
      const c = await page.evaluate(() => window.meshlight.curve());
      assert.ok(c.queries.every((q, i) => i === 0 || q > c.queries[i - 1]), `${how}: the curve's queries rise: ${c.queries}`);
    }
    const fr = await rates(page, 2000);
    assert.ok(fr.rafPerSecond > 0 && fr.ebitenFPS > 0, `the page keeps drawing: ${JSON.stringify(fr)}`);
    const shot = await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-after-bad-snapshots.png') });
    const drawn = await colours(page, shot);
    assert.ok(drawn.distinctColours >= 50, `the canvas after refused snapshots: ${JSON.stringify(drawn)}`);

    // A new chip's first snapshot (it carries the chip's structure) refused: the page asks
    // again with what it holds, gets the structure again and shows the new chip.
    await page.evaluate(() => window.meshlight.clearErrors());
    await page.waitForSelector('#errors', { state: 'hidden' });
    const seed = Number((await page.evaluate(() => window.meshlight.settings())).seed);
    await page.evaluate(() => { window.snapshotFaults.push({ how: 'truncate', after: 'redeploy' }); window.meshlight.redeploy(); });
    await until(page, () => window.snapshotFaults.length === 0, null, 'the new chip\'s fault applied');
    await until(page, () => [...document.querySelectorAll('#errors:not([hidden]) #errors-list li')].some((li) => /^snapshot: /.test(li.textContent)), null, 'the message for the new chip\'s snapshot');
    msgs.newChip = (await errors(page)).filter((m) => refused.test(m));
    assert.equal(msgs.newChip.length, 1, JSON.stringify(msgs.newChip));
    await waitStats(page, 's => s.running && s.queries > 500', 'training on the new chip');
    await until(page, (seed) => new RegExp(`seed ${seed} `).test(window.meshlight.curve().label), seed + 1, `the curve of chip ${seed + 1}`);
    assert.equal((await page.evaluate(() => window.meshlight.settings())).seed, String(seed + 1));
    const log = await page.evaluate(() => window.snapshotFaultLog);
    assert.equal(log.length, 4, JSON.stringify(log));
    results.badSnapshots = { faults: log, messages: Object.fromEntries(Object.entries(msgs).map(([k, v]) => [k, v.map((m) => m.slice(0, 160))])), canvas: drawn };
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('invalid URL parameters are reported and replaced by defaults', async () => {
    const page = await open('?alpha=7&optimizer=sgd&frob=1&seed=3');
    await waitStats(page, 's => s.ready', 'ready');
    await page.waitForSelector('#errors:not([hidden])');
    const msg = await page.locator('#errors').textContent();
    for (const want of [/alpha="7"/, /sgd/, /frob/]) assert.match(msg, want);
    const set = await page.evaluate(() => window.meshlight.settings());
    assert.equal(set.alpha, '0.15');
    assert.equal(set.seed, '3');
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('bad chip settings and old links show a message and keep the last good state', async () => {
    const page = await open('?bits=17&chip=lab&sigma=0.02&seed=3');
    await waitStats(page, 's => s.ready', 'ready');
    await page.waitForSelector('#errors:not([hidden])');
    let msg = await page.locator('#errors').textContent();
    for (const want of [/bits="17": out of range \[0, 16\]/, /chip="lab": unknown chip preset \(known: paper, ideal, strong\)/, /sigma="0.02".*gamma-std/]) {
      assert.match(msg, want);
    }
    let s = await stats(page);
    assert.equal(s.chip, 'paper');
    assert.equal(s.bits, 8);
    assert.equal((await page.evaluate(() => window.meshlight.settings())).seed, '3');
    assert.equal(await page.locator('#r-chip').textContent(), 'paper');
    await page.screenshot({ path: path.join(OUT, 'page-bad-chip.png') });
    await page.click('#errors-close');
    await page.waitForSelector('#errors', { state: 'hidden' });
    // In the page, while training: each bad value is refused, the run goes on on its chip.
    await page.click('#start');
    await waitStats(page, 's => s.running && s.queries > 0', 'training');
    const before = await page.evaluate(() => window.meshlight.settings());
    const bad = [
      ['#bits', '17', /bits="17": out of range \[0, 16\]/],
      ['#vpi', '-1', /vpi="-1": out of range \[0.1, 100\]/],
      ['#gamma-std', '-0.002', /gamma-std="-0.002": out of range \[0, 1\)/],
      ['#lr', '0.01', /lr="0.01": lr = 0.01, want at least one control code, 0.02454 rad at 8 bits/],
    ];
    for (const [sel, value, want] of bad) {
      const q = (await stats(page)).queries;
      await page.locator(sel).fill(value);
      await page.locator(sel).dispatchEvent('change');
      await page.waitForSelector('#errors:not([hidden])');
      await until(page, (re) => new RegExp(re).test(document.querySelector('#errors').textContent), want.source, `the message for ${sel}=${value}`);
      await waitStats(page, `s => s.running && s.queries > ${q}`, `training goes on after ${sel}=${value}`);
      await page.locator(sel).blur();
      await until(page, ([sel, v]) => document.querySelector(sel).value === v, [sel, before[sel.slice(1)]], `${sel} back to its last good value`);
    }
    const r = await page.evaluate(() => window.meshlight.set({ chip: 'lab' }));
    assert.equal(r.ok, false);
    assert.match(r.errors.join(' '), /chip="lab"/);
    assert.deepEqual(await page.evaluate(() => window.meshlight.settings()), before);
    s = await stats(page);
    assert.equal(s.chip, 'paper');
    assert.ok(s.running && s.queries > 0);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('the engine runs in a Web Worker: the same curve as natively; speed, frame rates and latency (figures printed, not asserted)', async () => {
    // The same engine without a browser: natively for the curve, under node for its speed.
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const site = path.join(root, 'static');
    const go = process.env.GO || 'go';
    const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'meshlight-enginerun-')), 'enginerun.wasm');
    execFileSync(go, ['build', '-o', bin, './wasm/cmd/enginerun'], { cwd: root, env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' } });
    const goroot = execFileSync(go, ['env', 'GOROOT'], { cwd: root }).toString().trim();
    const N = 3000;
    const native = JSON.parse(execFileSync(go, ['run', './wasm/cmd/enginerun', '-dir', site, '-query', 'seed=5', '-queries', String(N)], { cwd: root }).toString());
    const node = JSON.parse(execFileSync(path.join(goroot, 'lib/wasm/go_js_wasm_exec'), [bin, '-dir', site, '-query', 'seed=1', '-queries', '40000'], { cwd: root }).toString());
    fs.rmSync(path.dirname(bin), { recursive: true, force: true });
    results.engine = { nodeQueriesPerSecond: Math.round(node.queriesPerSecond), nativeQueriesPerSecond: Math.round(native.queriesPerSecond) };

    // Same seed, same result: the worker's curve over the first N queries is the native one.
    const page = await open('?seed=5');
    await waitStats(page, 's => s.ready', 'ready');
    assert.equal((await stats(page)).engine, 'worker');
    await page.evaluate(() => window.meshlight.start());
    await waitStats(page, `s => s.queries >= ${N}`, `${N} queries`);
    await page.evaluate(() => window.meshlight.pause());
    await waitStats(page, 's => !s.running', 'paused');
    const last = native.curveQueries[native.curveQueries.length - 1];
    await until(page, (q) => window.meshlight.curve().queries.some((x) => x >= q), last, `the curve to reach ${last} queries`);
    const c = await page.evaluate(() => window.meshlight.curve());
    const k = native.curveQueries.length;
    assert.deepEqual({ q: c.queries.slice(0, k), a: c.accuracy.slice(0, k), p: c.power.slice(0, k) },
      { q: native.curveQueries, a: native.curveAccuracy, p: native.curvePower }, 'the worker\'s curve is the native one');
    results.engine.curvePointsCompared = k;
    await page.close();

    // Speed and frame rates while training and drawing, and the time a click or a key takes
    // to show its effect (the command goes to the worker, the answer comes in a snapshot).
    const measure = async (w, h) => {
      const pg = await open('?run=1', { width: w, height: h });
      await waitStats(pg, 's => s.ready && s.running', 'training');
      await pg.click('#panel-toggle'); // the canvas takes the whole window
      await until(pg, (w) => document.querySelector('canvas').clientWidth === w, w, `the canvas ${w} px wide`);
      await frames(pg, 30);
      const r = await rates(pg, 5000);
      const latency = [], engine = [];
      for (let i = 0; i < 4; i++) { // space pauses and starts again: the time until stats().running flips
        latency.push(await pg.evaluate((cap) => new Promise((res, rej) => {
          const was = window.meshlight.stats().running;
          const t0 = performance.now();
          document.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
          const f = () => {
            if (window.meshlight.stats().running !== was) res(+(performance.now() - t0).toFixed(1));
            else if (performance.now() - t0 > cap) rej(new Error(`waiting for space to ${was ? 'pause' : 'start'} training: not after ${cap / 1000} s`));
            else setTimeout(f, 1);
          };
          f();
        }), CAP));
        engine.push(+(await stats(pg)).commandMs.toFixed(1)); // the key's command to the engine and back
        await frames(pg, 10);
      }
      assert.deepEqual(pg.problems, []);
      await pg.close();
      return { ...r, keyToEngineMs: engine, keyToEffectMs: latency };
    };
    results.engine.page960x640 = await measure(960, 640);
    results.engine.page1920x1080 = await measure(1920, 1080);
    for (const k of ['page960x640', 'page1920x1080']) {
      results.engine[k].shareOfNode = +(results.engine[k].queriesPerSecond / node.queriesPerSecond).toFixed(2);
    }
    console.log('ENGINE FIGURES', JSON.stringify(results.engine));
  }),

  check('640 x 480 canvas while training (figures recorded, not asserted)', async () => {
    const page = await open('?run=1', { width: 640, height: 480 });
    await waitStats(page, 's => s.ready && s.running', 'training');
    await page.click('#panel-toggle'); // the canvas takes the whole 640 x 480
    await until(page, () => document.querySelector('canvas').clientWidth === 640, null, 'the canvas 640 px wide');
    await frames(page, 60);
    results.training640x480 = await rates(page, 5000);
    const shot = await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-640x480.png') });
    results.canvas640x480 = await colours(page, shot);
    assert.ok(results.canvas640x480.distinctColours >= 50);
    await page.close();
  }),


  check('the whole-network view: drawn, a tile then a device under the cursor, no more items than tiles zoomed out', async () => {
    const page = await open('?view=network&run=1');
    await waitStats(page, 's => s.ready && s.running && s.queries > 0', 'training in the network view');
    await frames(page, 20);
    const shot = await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-network.png') });
    results.canvasNetwork = await colours(page, shot);
    assert.ok(results.canvasNetwork.distinctColours >= 50, `network view looks blank: ${JSON.stringify(results.canvasNetwork)}`);
    const s = await stats(page);
    const tiles = 24 + 9 + 6; // the 64-24-24-10 MLP in 8x8 blocks
    assert.ok(s.networkItems > 0 && s.networkItems <= tiles, `zoomed out: ${s.networkItems} items for ${tiles} tiles`);
    assert.equal((await page.evaluate(() => window.meshlight.settings())).view, 'network');
    assert.match(await page.evaluate(() => location.search), /view=network/);
    assert.equal(await page.locator('#view').inputValue(), 'network');
    const tile = await hoverSomething(page, /^layer \d · block \d+ .*active.*mean active power/);
    results.networkTooltipTile = tile;
    await page.mouse.move(1, 1); // off the mesh: a tooltip makes every frame recopy the chrome
    await frames(page, 5);
    results.network8 = { zoomedOut: await rates(page, 3000), itemsZoomedOut: (await stats(page)).networkItems };
    // Zoomed in to devices: more items than tiles, and a device's phase, power and state.
    await zoomUntil(page, (st) => st.networkItems > tiles, 'device detail');
    const dev = await hoverSomething(page, /phase -?\d+\.\d+ rad .*(active, \d+ % power|passive)/);
    results.networkTooltipDevice = dev;
    await page.mouse.move(1, 1);
    await frames(page, 5);
    results.network8.itemsZoomedIn = (await stats(page)).networkItems;
    results.network8.zoomedIn = await rates(page, 3000);
    await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-network-zoomed.png') });
    // The layer view on the same page, for comparison.
    await page.selectOption('#view', 'layer');
    await waitStats(page, 's => s.networkItems === 0', 'back to the layer view');
    await frames(page, 20);
    results.layer8 = await rates(page, 3000);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('the 26,624-phase MNIST 28x28 MLP loads and trains in the page (both views; figures recorded)', async () => {
    const page = await open('?model=mnist28-mlp&run=1');
    await waitStats(page, 's => s.ready', 'mnist28 ready');
    results.mnist28 = { secondsToReady: +((Date.now() - page.openedAt) / 1000).toFixed(2) };
    await waitStats(page, 's => s.queries > 0', 'mnist28 first query');
    results.mnist28.secondsToFirstQuery = +((Date.now() - page.openedAt) / 1000).toFixed(2);
    let s = await stats(page);
    assert.equal(s.model, 'mnist28-mlp');
    assert.equal(s.phases, 26624);
    assert.ok(s.deployedAccuracy > 50, `deployed ${s.deployedAccuracy}`);
    const q = s.queries;
    await waitStats(page, `s => s.queries > ${q} + 200`, 'mnist28 queries growing');
    await frames(page, 20);
    results.mnist28.layer = await rates(page, 3000);
    await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-mnist28-layer.png') });
    await page.selectOption('#view', 'network');
    await waitStats(page, 's => s.networkItems > 0', 'mnist28 network view');
    await frames(page, 20);
    results.mnist28.network = await rates(page, 3000);
    s = await stats(page);
    results.mnist28.networkItemsZoomedOut = s.networkItems;
    assert.ok(s.networkItems <= 416, `zoomed out: ${s.networkItems} items for 416 tiles`);
    const shot = await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-mnist28-network.png') });
    results.mnist28.canvasNetwork = await colours(page, shot);
    assert.ok(results.mnist28.canvasNetwork.distinctColours >= 50);
    await zoomUntil(page, (st) => st.networkItems > 416 || st.networkItems < 300, 'zooming into mnist28');
    await page.mouse.move(1, 1);
    await frames(page, 5);
    results.mnist28.networkZoomedIn = await rates(page, 3000);
    results.mnist28.networkItemsZoomedIn = (await stats(page)).networkItems;
    s = await stats(page);
    assert.ok(s.running && s.queries > q, 'mnist28 trains on');
    results.mnist28.queries = s.queries;
    results.mnist28.accuracy = s.accuracy;
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('take it home: the curves download as train\'s CSV (every evaluation, as curve() has them) and the canvas as a PNG of the drawn view', async () => {
    const page = await open('?seed=4&alpha=0.2');
    await waitStats(page, 's => s.ready', 'ready');
    await page.evaluate(() => window.meshlight.start());
    await waitStats(page, 's => s.evaluations > 4', 'a few evaluations');
    await page.evaluate(() => window.meshlight.pause());
    await waitStats(page, 's => !s.running', 'paused');
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    assert.match(csvDl.suggestedFilename(), /^meshlight-mnist8-mlp-szo-scd-seed4-\d+q\.csv$/);
    const lines = fs.readFileSync(await csvDl.path(), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'queries,iteration,epoch,step,loss,accuracy,valid,power,paper_power,energy');
    const curve = await page.evaluate(() => window.meshlight.curve());
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    assert.equal(rows.length, curve.queries.length, 'a row per evaluation');
    rows.forEach((r, i) => {
      assert.equal(r[0], curve.queries[i], `row ${i} queries`);
      assert.equal(r[5], curve.accuracy[i], `row ${i} accuracy`);
      assert.equal(r[7], curve.power[i], `row ${i} power`);
    });
    const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#png')]);
    assert.match(pngDl.suggestedFilename(), /^meshlight-mnist8-mlp-szo-scd-seed4-\d+q\.png$/);
    const png = fs.readFileSync(await pngDl.path());
    const box = await page.evaluate(() => { const c = document.querySelector('body > canvas'); return { w: c.width, h: c.height }; });
    const pic = await colours(page, png);
    results.takeHome = { csvRows: rows.length, png: { ...pic, bytes: png.length } };
    assert.equal(pic.w, box.w);
    assert.equal(pic.h, box.h);
    assert.ok(pic.distinctColours >= 50 && pic.litFraction > 0.05, `the picture is not the drawn view: ${JSON.stringify(pic)}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('the 270,336-phase MLP (mnist28-mlp256) loads and trains in the page, its 4,224 blocks drawn with level of detail and hover (figures and memory recorded)', async () => {
    const page = await open('?model=mnist28-mlp256&view=network&run=1');
    await waitStats(page, 's => s.ready', 'mnist28-mlp256 ready');
    const big = results.mnist28mlp256 = { secondsToReady: +((Date.now() - page.openedAt) / 1000).toFixed(2) };
    await waitStats(page, 's => s.queries > 0', 'mnist28-mlp256 first query');
    big.secondsToFirstQuery = +((Date.now() - page.openedAt) / 1000).toFixed(2);
    let s = await stats(page);
    assert.equal(s.model, 'mnist28-mlp256');
    assert.equal(s.phases, 270336);
    assert.ok(s.deployedAccuracy > 90, `deployed ${s.deployedAccuracy}`);
    const q = s.queries;
    await waitStats(page, `s => s.queries > ${q} + 200`, 'mnist28-mlp256 queries growing');
    await waitStats(page, 's => s.networkItems > 0', 'mnist28-mlp256 network view drawn');
    await frames(page, 10);
    big.network = await rates(page, 3000);
    s = await stats(page);
    big.networkItemsZoomedOut = s.networkItems;
    assert.ok(s.networkItems <= 4224, `zoomed out: ${s.networkItems} items for 4,224 tiles`);
    const tile = await hoverSomething(page, /^layer \d · block \d+ .*active.*mean active power/);
    big.hover = tile;
    await page.selectOption('#view', 'layer');
    await waitStats(page, 's => s.networkItems === 0', 'mnist28-mlp256 layer view');
    await frames(page, 10);
    big.layer = await rates(page, 3000);
    big.memory = await page.evaluate(() => window.meshlight.memory());
    s = await stats(page);
    assert.ok(s.running && s.queries > q, 'mnist28-mlp256 trains on');
    // The page says what the engine holds: its live heap (the model, data and chip) in all
    // its memory, in the panel too.
    assert.ok(s.engineHeap > 5e7 && s.engineMemory >= s.engineHeap, `engine memory ${s.engineHeap} of ${s.engineMemory}`);
    big.panelMemory = await page.textContent('#r-memory');
    assert.match(big.panelMemory, /^\d+ of \d+ MB$/);
    big.queries = s.queries;
    big.accuracy = s.accuracy;
    log('mnist28-mlp256', JSON.stringify({ ...big, memory: { engineHeapMB: +(big.memory.heapAlloc / 1e6).toFixed(1), engineWasmMB: +(big.memory.wasmMemory / 1e6).toFixed(1), pageHeapMB: +(big.memory.page.heapAlloc / 1e6).toFixed(1) } }));
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('booth mode hides the controls and trains on its own, in the whole-network view', async () => {
    const page = await open('?booth=1');
    await waitStats(page, 's => s.ready && s.running && s.booth === "recover"', 'booth training');
    assert.equal(await page.locator('#panel').isVisible(), false);
    assert.equal((await page.evaluate(() => window.meshlight.settings())).view, 'network');
    await waitStats(page, 's => s.networkItems > 0', 'booth draws the network');
    await waitStats(page, 's => s.queries > 500', 'booth queries');
    await page.screenshot({ path: path.join(OUT, 'page-booth.png') });
    await page.close();
  }),

  check('booth mode carries on by itself after the page stood still, as a sleeping screen or a hidden tab stops it', async () => {
    const page = await open('?booth=1', undefined, [() => {
      // The longest gap between two animation frames: the stall, as the page saw it.
      window.longestGap = 0;
      let last = 0;
      const f = (t) => { if (last) window.longestGap = Math.max(window.longestGap, t - last); last = t; requestAnimationFrame(f); };
      requestAnimationFrame(f);
    }]);
    await waitStats(page, 's => s.ready && s.running && s.booth === "recover" && s.queries > 1000', 'booth recovering');
    // The page's thread stops for 5 s (the debugger holds it): no frame, no timer, no
    // message taken; the engine's worker is not held.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.pause');
    await new Promise((r) => setTimeout(r, 5000));
    await cdp.send('Debugger.resume');
    await cdp.send('Debugger.disable');
    const stalledAt = Date.now();
    const q = (await stats(page)).queries;
    await waitStats(page, `s => s.queries > ${q} + 1000`, 'training again after the stall');
    await waitStats(page, 's => s.booth === "result" || s.booth === "race"', 'the cycle moving on after the stall', queriesOf);
    const gap = await page.evaluate(() => window.longestGap);
    results.boothStall = { longestFrameGapMs: Math.round(gap), secondsToResult: +((Date.now() - stalledAt) / 1000).toFixed(1) };
    assert.ok(gap >= 4500, `the page did not stand still: its longest gap between frames was ${gap} ms`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  check('booth mode: a chip recovers until it plateaus on its validation split, then szo-scd races szo-scd-margin on that chip, each racer until it plateaus, then the next chip', async () => {
    // BoothPlateau (wasm/page/booth.go): no better kept state for as long again as the kept
    // state took, between 10,000 and 60,000 queries.
    const reached = (q, kept) => q >= 60000 || (q >= 10000 && kept >= 0 && q - kept >= kept);
    const page = await open('?booth=1');
    const start = Date.now();
    await waitStats(page, 's => s.ready && s.booth === "recover" && s.running', 'booth recovering chip 1');
    // Each phase's caption tells its part of the story with the live numbers, and links
    // to the run for a phone (booth mode left out).
    let s = await stats(page);
    const captions = { recover: s.caption };
    assert.match(s.caption.headline, /^A chip from the fab: drift and crosstalk cost it \d+\.\d % → \d+\.\d %$/);
    assert.match(s.caption.detail, /^SZO-SCD tunes \d+ % of its heaters, asking the chip only for its loss: \d+\.\d % after [\d.]+k? queries$/);
    assert.ok(s.caption.link.startsWith(new URL(BASE_URL).origin) && !/booth/.test(s.caption.link), `link ${s.caption.link}`);
    await waitStats(page, 's => s.booth === "result"', 'chip 1 plateaued', queriesOf);
    s = await stats(page);
    captions.result = s.caption;
    assert.match(s.caption.headline, /^(Won back \d+\.\d of the \d+\.\d points drift cost: \d+\.\d %|Held at \d+\.\d % \(deployed at \d+\.\d %\))$/);
    assert.match(s.caption.detail, /^in [\d.]+k? queries, drawing \d+ % less power than tuning every heater$/);
    const single = { queries: s.queries, keptQueries: s.keptQueries, keptAccuracy: s.keptAccuracy, seconds: +((Date.now() - start) / 1000).toFixed(1) };
    assert.equal(s.running, false);
    assert.ok(s.kept && reached(s.queries, s.keptQueries), `recovery ended at ${s.queries} queries, kept at ${s.keptQueries}: not plateaued`);
    // It ended at the first look after the rule held: at most an evaluation and a slice later.
    assert.ok(s.queries <= Math.max(10000, 2 * s.keptQueries) + 2000, `recovery ran on to ${s.queries} queries, kept at ${s.keptQueries}`);
    assert.match(await page.evaluate(() => window.meshlight.settings().seed), /^1$/);
    // The race, on the chip just recovered (the single run has moved on to chip 2).
    await waitStats(page, 's => s.race && s.race.booth && s.race.racers.every((r) => r.ready && r.running)', 'the booth\'s race training');
    await waitStats(page, 's => s.caption && s.caption.headline.startsWith("The same chip") && !/starting/.test(s.caption.detail)', 'the race\'s caption with both racers\' figures');
    s = await stats(page);
    let r = s.race;
    captions.race = s.caption;
    assert.equal(s.caption.headline, 'The same chip, 2 optimizers, each asking only for the loss');
    assert.match(s.caption.detail, /^SZO-SCD \d+\.\d % in [\d.]+k? queries {2}· {2}SZO-SCD \+ noise margin \d+\.\d % in [\d.]+k? queries$/);
    assert.equal(r.optimizers, 'szo-scd,szo-scd-margin');
    assert.ok(r.racers.every((x) => x.seed === 1), `racers on chips ${r.racers.map((x) => x.seed)}, want chip 1`);
    const raceStart = Date.now();
    // Each racer is paused where it plateaus while the other trains on (not both at the
    // race's end): the wait notes, in the page, every racer seen stopped beside a running
    // one. On chip 1 szo-scd plateaus at about half the queries szo-scd-margin does. The
    // race's figures and szo-scd's curve are kept as the wait first sees the result, which
    // shows for 8 s only, however late this script reads them.
    await waitStats(page, `s => {
      const pausedAlone = window.pausedAlone ||= [];
      for (const x of (s.race ? s.race.racers : [])) {
        if (!x.running && s.race.racers.some((y) => y.running) && !pausedAlone.includes(x.optimizer)) pausedAlone.push(x.optimizer);
      }
      if (!s.race || s.race.note === '') return false;
      window.raceEnd = { race: s.race, curve0: window.meshlight.raceCurve(0) };
      return true;
    }`, 'the race plateaued', queriesOf);
    const { race: rEnd, curve0: c0 } = await page.evaluate(() => window.raceEnd);
    r = rEnd;
    const pausedAlone = await page.evaluate(() => window.pausedAlone);
    // How far a racer ran past the point where the rule held is the page's reaction time
    // (its next frame after the racer's next snapshot) at the racer's speed, which a busy
    // machine stretches: a figure (pastPlateau), not a bound.
    const race = { seconds: +((Date.now() - raceStart) / 1000).toFixed(1), note: r.note, pausedAlone,
      racers: r.racers.map((x) => ({ optimizer: x.optimizer, queries: x.queries, keptQueries: x.keptQueries, keptAccuracy: x.keptAccuracy,
        pastPlateau: x.queries - Math.min(60000, Math.max(10000, 2 * x.keptQueries)) })) };
    for (const x of r.racers) {
      assert.ok(reached(x.queries, x.keptQueries), `racer ${x.optimizer} stopped before it plateaued: ${JSON.stringify(race.racers)}`);
    }
    assert.ok(pausedAlone.includes('szo-scd'), `szo-scd was not seen paused while szo-scd-margin trained on: ${JSON.stringify(race)}`);
    // The szo-scd racer is the single run again (the same chip, seed and optimizer): over
    // the queries the single run made, its curve's best validated point is the single run's
    // kept state (after them it may find a better one while the page reacts).
    let best = 0;
    c0.queries.forEach((q, i) => { if (q <= single.queries && c0.valid[i] > c0.valid[best]) best = i; });
    assert.equal(c0.queries[best], single.keptQueries, `the szo-scd racer's best validated state by ${single.queries} queries is the single run's kept state`);
    assert.equal(c0.accuracy[best], single.keptAccuracy, 'the szo-scd racer keeps the single run\'s state');
    assert.match(r.note, /^race on chip 1: .* leads with .*; kept: szo-scd \d+\.\d %, szo-scd-margin \d+\.\d %$/);
    results.boothCycle = { single, race, captions };
    console.log('BOOTH CYCLE', JSON.stringify(results.boothCycle));
    await waitStats(page, 's => s.race === null && s.booth === "recover" && s.running', 'the next chip recovering');
    assert.equal(await page.evaluate(() => window.meshlight.settings().seed), '2');
    await until(page, () => /seed=2/.test(location.search), null, 'seed=2 in the address');
    results.boothCycle.seconds = +((Date.now() - start) / 1000).toFixed(1);
    assert.deepEqual(page.problems, []);
    await page.close();
  }),

  ...raceSteps({ check, open, stats, waitStats, until, queriesOf, frames, rates, colours, results, OUT }),
];

try {
  for (const step of steps) if (!ONLY || ONLY.test(step.title)) await step();
} catch (e) {
  failed = true;
  results.failure = String(e.stack || e).split('\n').slice(0, 12).join(' | ');
  log('FAIL', results.failure);
  const alive = ctx.pages().filter((p) => !p.isClosed());
  if (alive.length) await alive[alive.length - 1].screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => {});
} finally {
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
}
fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
log(failed ? 'FAIL' : 'PASS');
process.exit(failed ? 1 : 0);
