// Booth mode's frame rate (make fps): the page at ?booth=1 in headless Chromium with
// software WebGL (SwiftShader), at each size of FPS_SIZES (default 960x640,1920x1080), for
// FPS_SECONDS (default 60) from the first chip's recovery on: about a whole booth cycle. It
// samples the page every FPS_WINDOW_MS (default 1000) and sorts the windows by the booth's
// phase (stats().booth: "recover", a chip training in the whole-network view; "result", the
// same view standing still; "race", the race's lanes, training then standing still),
// leaving out those in which the phase changed. Per size and phase it prints the frames per
// second (requestAnimationFrame), the ms per frame, Go's own Update and Draw ms per frame
// (stats().timeTotals) and their share of the time, the engine's queries/s, the size the game
// drew its screen at (stats().screen) and the canvas's pixels. On Linux it adds the CPU time per frame of
// Chromium's GPU process (SwiftShader's drawing and the compositing) and of the page's
// renderer other than the engine's worker (Go's page and the browser's own work for it),
// from /proc: a frame's cost that another job on the machine moves less than the frame
// rate. It prints figures and asserts nothing about speed: the machine's load (printed)
// moves them a lot.
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
async function sample(page, udd) {
  const s = await page.evaluate(() => {
    const s = window.meshlight.stats();
    const c = document.querySelector('canvas');
    return { frames: window.fpsFrames, tt: s.timeTotals, queries: s.queries, booth: s.booth, screen: s.screen || '', canvas: c ? `${c.width}x${c.height}` : '', t: performance.now() };
  });
  s.cpu = cpuTicks(udd);
  return s;
}

// cpuTicks sums the CPU time (clock ticks) of the browser launched with profile folder
// udd and its descendants' threads, by part: gpu (the GPU process), engine (dedicated
// workers), page (the rest of the renderers), other. Empty where /proc is missing.
function cpuTicks(udd) {
  const out = { gpu: 0, page: 0, engine: 0, other: 0 };
  let pids;
  try { pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return out; }
  const info = new Map();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      info.set(pid, { ppid: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1], cmd });
    } catch { /* gone */ }
  }
  const root = [...info].find(([, v]) => v.cmd.includes(`--user-data-dir=${udd}`) && !v.cmd.includes('--type='));
  if (!root) return out;
  const ours = new Set([root[0]]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, v] of info) if (!ours.has(pid) && ours.has(v.ppid)) { ours.add(pid); grew = true; }
  }
  for (const pid of ours) {
    const cmd = info.get(pid).cmd;
    let tids = [];
    try { tids = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
        const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(rest[11]) + Number(rest[12]); // utime, stime
        const part = cmd.includes('--type=gpu-process') ? 'gpu' : !cmd.includes('--type=renderer') ? 'other' : comm.startsWith('DedicatedWorker') ? 'engine' : 'page';
        out[part] += ticks;
      } catch { /* gone */ }
    }
  }
  return out;
}
const TICK_MS = 10; // USER_HZ is 100 on Linux

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
    const sum = Object.fromEntries(PHASES.map((p) => [p, { windows: 0, frames: 0, secs: 0, updates: 0, updateMs: 0, draws: 0, drawMs: 0, queries: 0, screen: '', gpu: 0, page: 0 }]));
    let a = await sample(page, udd);
    const end = Date.now() + 1000 * SECONDS;
    while (Date.now() < end) {
      await sleep(WINDOW_MS);
      const b = await sample(page, udd);
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
        s.canvas = b.canvas;
        s.gpu += b.cpu.gpu - a.cpu.gpu;
        s.page += b.cpu.page - a.cpu.page;
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
        goSharePct: f1(100 * (s.updateMs + s.drawMs) / (1000 * s.secs)), queriesPerSec: Math.round(s.queries / s.secs),
        gpuCpuMsPerFrame: f1(TICK_MS * s.gpu / s.frames), pageCpuMsPerFrame: f1(TICK_MS * s.page / s.frames), screen: s.screen, canvas: s.canvas,
      });
    }
  } finally {
    await ctx.close();
    fs.rmSync(udd, { recursive: true, force: true });
  }
}
console.log(`load average at end: ${os.loadavg().map(f1).join(' ')}`);
console.table(rows);
