// The page on a phone held upright (390 x 844, touch, a phone's browser): nothing scrolls
// sideways, the canvas spans the width above the panel, the panel scrolls to its last
// control, a tap on the canvas starts and pauses training, and the error box fits. It
// writes out/phone.png.
//
// Usage: BASE_URL=http://127.0.0.1:PORT/ OUT=out node wasm/e2e/phone.mjs (wasm/e2e/run.sh
// serves the site and runs it; make test-browser does).
import { launch, CAP } from './browser.mjs';
import fs from 'node:fs';
import path from 'node:path';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || 'out';
const PHONE = { width: 390, height: 844 };

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const { ctx, udd } = await launch('phone', { viewport: PHONE, phone: true });
let failed = 0;
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

// until waits for pred on stats(), for at most CAP, naming what it awaited.
async function until(page, pred, what) {
  await page.waitForFunction(`(() => { const s = window.meshlight && window.meshlight.stats(); return !!s && (${pred})(s); })()`, null, { timeout: CAP, polling: 100 })
    .catch(async () => { throw new Error(`waiting for ${what}: not within ${CAP / 1000} s; stats ${JSON.stringify(await page.evaluate(() => window.meshlight && window.meshlight.stats()))}`); });
}

// overflow lists the visible elements whose box crosses the viewport's right edge, and
// the document's scroll width against the viewport's.
const overflow = (page) => page.evaluate(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && r.right > innerWidth + 0.5) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} right ${r.right.toFixed(1)}`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth, out };
});

try {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(BASE_URL);
  await until(page, 's => s.ready', 'the simulator ready on the phone');
  log('ready');

  const o = await overflow(page);
  if (o.scrollWidth > o.innerWidth || o.out.length) fail(`horizontal scrolling: scroll width ${o.scrollWidth} in ${o.innerWidth}; past the edge: ${o.out.slice(0, 8).join(', ')}`);
  const box = await page.evaluate(() => {
    const r = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height, bottom: b.bottom }; };
    const panel = document.getElementById('panel');
    return { canvas: r(document.querySelector('canvas')), panel: r(panel), scrolls: panel.scrollHeight > panel.clientHeight };
  });
  log('canvas', box.canvas, 'panel', box.panel);
  if (box.canvas.w !== PHONE.width || box.canvas.h < PHONE.height / 2) fail(`the canvas is ${box.canvas.w} x ${box.canvas.h}: want the full width and at least half the height`);
  if (box.canvas.bottom > box.panel.y + 0.5 || box.panel.w !== PHONE.width) fail(`the panel (${JSON.stringify(box.panel)}) is not below the canvas at the full width`);
  // The panel scrolls on its own to its last control, which is then on screen.
  await page.locator('#compare').scrollIntoViewIfNeeded();
  const last = await page.evaluate(() => { const b = document.getElementById('compare').getBoundingClientRect(); return { top: b.top, bottom: b.bottom, scrollY }; });
  if (!box.scrolls || last.bottom > PHONE.height || last.top < box.panel.y || last.scrollY !== 0) fail(`the last control is not reached by the panel's own scrolling: ${JSON.stringify(last)}`);

  // A tap on the canvas starts training; another pauses it.
  const tapAt = { x: PHONE.width / 2, y: box.canvas.h / 3 };
  await page.touchscreen.tap(tapAt.x, tapAt.y);
  await until(page, 's => s.running && s.queries > 0', 'training started by a tap on the canvas');
  const q0 = await page.evaluate(() => window.meshlight.stats().queries);
  await until(page, `s => s.queries > ${q0}`, 'the queries to grow after the tap');
  await page.touchscreen.tap(tapAt.x, tapAt.y);
  await until(page, 's => !s.running', 'training paused by a second tap');
  log('tap starts and pauses');
  // A mouse click is not a tap: the mouse drags and zooms the layer.
  await page.mouse.click(tapAt.x, tapAt.y);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  if (await page.evaluate(() => window.meshlight.stats().running)) fail('a mouse click on the canvas started training');

  // An error box fits the phone's width.
  await page.evaluate(() => window.meshlight.set({ alpha: 7 }));
  await page.waitForSelector('#errors:not([hidden])');
  const e = await page.evaluate(() => document.getElementById('errors').getBoundingClientRect().right);
  if (e > PHONE.width) fail(`the error box ends at ${e}, past the phone's ${PHONE.width}`);
  await page.click('#errors-close');

  await page.touchscreen.tap(tapAt.x, tapAt.y);
  await until(page, 's => s.running && s.evaluations > 3', 'a few evaluations for the picture');
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'phone.png') });
  if (errors.length) fail(`page errors: ${errors.join('; ')}`);
} catch (e) {
  fail(e.message);
} finally {
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
}
log(failed ? `${failed} failed` : 'phone: all passed');
process.exit(failed ? 1 : 0);
