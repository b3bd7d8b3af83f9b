// Booth mode's frame rate (make fps): the page at ?booth=1 in headless Chromium with
// software WebGL (SwiftShader), at each size of FPS_SIZES (default 960x640,1920x1080), for
// FPS_SECONDS (default 60) from the first chip's recovery on: about a whole booth cycle. It
// samples the page every FPS_WINDOW_MS (default 1000) and sorts the windows by the booth's
// phase (stats().booth: "recover", a chip training in the whole-network view; "result", the
// same view standing still; "race", the race's lanes, training then standing still),
// leaving out those in which the phase changed. Per size and phase it prints the frames per
// second (requestAnimationFrame), the ms per frame, Go's own Update and Draw ms per frame
// (stats().timeTotals) and their share of the time, the engine's queries/s, and the size the
// game drew its screen at (stats().screen). It prints figures and asserts nothing about
// speed: the machine's load (printed) moves them a lot.
import os from 'node:os';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { launch, CAP } from './browser.mjs';

const BASE_URL = process.env.BASE_URL;
const SIZES = (process.env.FPS_SIZES || '960x640,1920x1080').split(',').map((s) => s.split('x').map(Number));
const SECONDS = Number(process.env.FPS_SECONDS || 60);
const WINDOW_MS = Number(process.env.FPS_WINDOW_MS || 1000);
const QUERY = process.env.FPS_QUERY || 'booth=1';
const PHASES = ['recover', 'result', 'race'];

// sample is the page's figures now: the frames counted so far, its Go time totals, queries,
// booth phase and screen.
async function sample(page) {
  return page.evaluate(() => {
    const s = window.meshlight.stats();
    return { frames: window.fpsFrames, tt: s.timeTotals, queries: s.queries, booth: s.booth, screen: s.screen || '', t: performance.now() };
  });
}

const f1 = (x) => x.toFixed(1);
const rows = [];
console.log(`load average at start: ${os.loadavg().map(f1).join(' ')} (${os.cpus().length} cores)`);
for (const [w, h] of SIZES) {
  const { ctx, udd } = await launch('fps', { viewport: { width: w, height: h } });
  try {
    const page = await ctx.newPage();
    await page.goto(`${BASE_URL}?${QUERY}`);
    await page.waitForFunction(() => {
      const s = window.meshlight && window.meshlight.stats();
      return s && s.ready && s.booth === 'recover' && s.queries > 0;
    }, null, { timeout: CAP });
    await page.evaluate(() => {
      window.fpsFrames = 0;
      const f = () => { window.fpsFrames++; requestAnimationFrame(f); };
      requestAnimationFrame(f);
    });
    const sum = Object.fromEntries(PHASES.map((p) => [p, { windows: 0, frames: 0, secs: 0, updates: 0, updateMs: 0, draws: 0, drawMs: 0, queries: 0, screen: '' }]));
    let a = await sample(page);
    const end = Date.now() + 1000 * SECONDS;
    while (Date.now() < end) {
      await sleep(WINDOW_MS);
      const b = await sample(page);
      const s = a.booth === b.booth && sum[b.booth];
      if (s && b.queries >= a.queries) { // a new run starts its count again
        s.windows++;
        s.frames += b.frames - a.frames;
        s.secs += (b.t - a.t) / 1000;
        s.updates += b.tt.updates - a.tt.updates;
        s.updateMs += b.tt.gameUpdateMs - a.tt.gameUpdateMs;
        s.draws += b.tt.draws - a.tt.draws;
        s.drawMs += b.tt.drawMs - a.tt.drawMs;
        s.queries += b.queries - a.queries;
        s.screen = b.screen;
      }
      a = b;
    }
    for (const p of PHASES) {
      const s = sum[p];
      if (s.windows === 0 || s.frames === 0) {
        rows.push({ size: `${w}x${h}`, phase: p, windows: s.windows });
        continue;
      }
      rows.push({
        size: `${w}x${h}`, phase: p, windows: s.windows, fps: f1(s.frames / s.secs), msPerFrame: f1(1000 * s.secs / s.frames),
        goUpdateMs: (s.updateMs / Math.max(s.updates, 1)).toFixed(2), goDrawMs: (s.drawMs / Math.max(s.draws, 1)).toFixed(2),
        goSharePct: f1(100 * (s.updateMs + s.drawMs) / (1000 * s.secs)), queriesPerSec: Math.round(s.queries / s.secs), screen: s.screen,
      });
    }
  } finally {
    await ctx.close();
    fs.rmSync(udd, { recursive: true, force: true });
  }
}
console.log(`load average at end: ${os.loadavg().map(f1).join(' ')}`);
console.table(rows);
