// The README's screenshots of the page, taken in Debian's Chromium (playwright-core) after
// some training: the default view, the whole-network view and a race of three optimizers,
// each taken at 1024 x 640 (the page with its panel) and scaled to 640 x 400, booth mode at
// 1920 x 1080 as a result shows (scaled to 640 x 360) and the page on a phone (390 x 844,
// scaled to 260 x 563); each scaled in the page (drawImage with high-quality smoothing),
// reduced to at most 256 colours (median cut) and written as an indexed PNG at zlib level 9,
// so each is some tens of KB. Each page is drawn at its full resolution (#sharp): the page
// would draw at fewer pixels with the software WebGL of a headless run.
//
// Usage: BASE_URL=http://127.0.0.1:PORT/ OUT=results/page node wasm/e2e/shots.mjs
// (`make screenshots` serves _site with wasm/e2e/run.sh and runs this). It writes only the
// PNGs, and fails if a page shows an error or does not train.
import { launch } from './browser.mjs';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || 'out';
const PAGE = { width: 1024, height: 640 }; // the page as shot
const SHOT = { width: 640, height: 400 }; // the picture written
const QUERIES = 20000; // training before the shot

// The shots: file, address, what must hold before training starts and before the shot.
const shots = [
  { file: 'default.png', query: '', ready: 's => s.ready', trained: `s => s.running && s.queries >= ${QUERIES} && s.evaluations > 3` },
  { file: 'network.png', query: '?view=network', ready: 's => s.ready', trained: `s => s.running && s.queries >= ${QUERIES} && s.networkItems > 0` },
  {
    file: 'race.png', query: '?race=szo-scd,flops,zadam',
    ready: 's => s.ready && s.race && s.race.racers.length === 3 && s.race.racers.every((r) => r.ready)',
    trained: `s => s.race.racers.every((r) => r.running && r.queries >= ${QUERIES} && r.points > 3)`,
  },
  // Booth mode on a 1080p screen as its result shows (its caption and the QR code of the
  // run), and the page on a phone held upright.
  {
    file: 'booth.png', query: '?booth=1', page: { width: 1920, height: 1080 }, shot: { width: 640, height: 360 }, start: false,
    ready: 's => s.ready', trained: 's => s.booth === "result" && s.caption',
  },
  {
    file: 'phone.png', query: '', page: { width: 390, height: 844 }, shot: { width: 260, height: 563 }, phone: true,
    ready: 's => s.ready', trained: `s => s.running && s.queries >= ${QUERIES} && s.evaluations > 3`,
  },
];

// until waits for pred (a function's source) on stats().
async function until(page, pred, what) {
  await page.waitForFunction(`(() => { const s = window.meshlight && window.meshlight.stats(); return !!s && (${pred})(s); })()`, null, { timeout: 120000, polling: 200 })
    .catch(async () => { throw new Error(`${what}: not within 120 s; stats ${JSON.stringify(await page.evaluate(() => window.meshlight && window.meshlight.stats()))}`); });
}

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// quantize reduces RGBA pixels to at most 256 colours by median cut over a 5-bit-per-channel
// histogram; it returns the palette (RGB triples) and one index per pixel.
function quantize(rgba) {
  const n = rgba.length / 4;
  const key = (i) => ((rgba[4 * i] >> 3) << 10) | ((rgba[4 * i + 1] >> 3) << 5) | (rgba[4 * i + 2] >> 3);
  const hist = new Map(); // 15-bit colour -> [count, sum r, sum g, sum b]
  for (let i = 0; i < n; i++) {
    const k = key(i);
    let h = hist.get(k);
    if (!h) hist.set(k, (h = [0, 0, 0, 0]));
    h[0]++; h[1] += rgba[4 * i]; h[2] += rgba[4 * i + 1]; h[3] += rgba[4 * i + 2];
  }
  const ch = (k, c) => (k >> (10 - 5 * c)) & 31;
  // A box is a list of histogram keys; split the one with the widest channel range
  // (weighted by its pixels) at the median of that channel, until there are 256.
  const boxes = [[...hist.keys()]];
  const score = (b) => {
    let best = { range: -1, c: 0, count: 0 };
    let count = 0;
    for (const k of b) count += hist.get(k)[0];
    for (let c = 0; c < 3; c++) {
      let lo = 31, hi = 0;
      for (const k of b) { const v = ch(k, c); if (v < lo) lo = v; if (v > hi) hi = v; }
      if (hi - lo > best.range) best = { range: hi - lo, c, count };
    }
    return best.range <= 0 ? -1 : best.range * Math.sqrt(count);
  };
  while (boxes.length < 256) {
    let bi = -1, bs = 0;
    for (let i = 0; i < boxes.length; i++) { const s = score(boxes[i]); if (s > bs) { bs = s; bi = i; } }
    if (bi < 0) break;
    const b = boxes[bi];
    let c = 0, range = -1;
    for (let cc = 0; cc < 3; cc++) {
      let lo = 31, hi = 0;
      for (const k of b) { const v = ch(k, cc); if (v < lo) lo = v; if (v > hi) hi = v; }
      if (hi - lo > range) { range = hi - lo; c = cc; }
    }
    b.sort((x, y) => ch(x, c) - ch(y, c));
    let total = 0;
    for (const k of b) total += hist.get(k)[0];
    let acc = 0, cut = 1;
    for (let i = 0; i < b.length - 1; i++) { acc += hist.get(b[i])[0]; if (acc >= total / 2) { cut = i + 1; break; } cut = i + 1; }
    boxes.splice(bi, 1, b.slice(0, cut), b.slice(cut));
  }
  const palette = [];
  const index = new Map();
  boxes.forEach((b, i) => {
    let cnt = 0, r = 0, g = 0, bl = 0;
    for (const k of b) { const h = hist.get(k); cnt += h[0]; r += h[1]; g += h[2]; bl += h[3]; index.set(k, i); }
    palette.push([Math.round(r / cnt), Math.round(g / cnt), Math.round(bl / cnt)]);
  });
  const idx = new Uint8Array(n);
  for (let i = 0; i < n; i++) idx[i] = index.get(key(i));
  return { palette, idx };
}

// crc32 is the PNG chunk checksum.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// indexedPNG encodes an image of palette indices as a PNG of colour type 3 (8 bits).
function indexedPNG(w, h, palette, idx) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 3; // 8-bit indices into a palette
  const raw = Buffer.alloc(h * (w + 1)); // filter type 0 (none) per row: best for indexed images
  for (let y = 0; y < h; y++) raw.set(idx.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9, memLevel: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// shrink scales a PNG screenshot to size in the page and returns its RGBA pixels.
async function shrink(page, png, size) {
  const b64 = await page.evaluate(async ([src, w, h]) => {
    const bmp = await createImageBitmap(await (await fetch('data:image/png;base64,' + src)).blob());
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(bmp, 0, 0, w, h);
    const d = g.getImageData(0, 0, w, h).data;
    let s = '';
    for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return btoa(s);
  }, [png.toString('base64'), size.width, size.height]);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

fs.mkdirSync(OUT, { recursive: true });
let failed = false;
for (const shot of shots) {
  const size = shot.shot || SHOT;
  const { ctx, udd } = await launch('shots', { viewport: shot.page || PAGE, phone: !!shot.phone, args: ['--hide-scrollbars'] });
  try {
    const page = ctx.pages().find((p) => p.url() === 'about:blank') || await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.bringToFront(); // a hidden tab gets one animation frame per second
    await page.goto(`${new URL(shot.query, BASE_URL).href}#sharp`); // full resolution, whatever the renderer
    await until(page, shot.ready, `${shot.file}: ready`);
    if (shot.start !== false) await page.evaluate(() => window.meshlight.start());
    await until(page, shot.trained, `${shot.file}: training`);
    const s = await page.evaluate(() => window.meshlight.stats());
    if (s.error) throw new Error(`${shot.file}: the page shows an error: ${s.error}`);
    await page.mouse.move(0, 0);
    await page.evaluate(() => new Promise((res) => { let k = 0; const f = () => (++k >= 10 ? res() : requestAnimationFrame(f)); requestAnimationFrame(f); }));
    const rgba = await shrink(page, await page.screenshot(), size);
    const { palette, idx } = quantize(rgba);
    const png = indexedPNG(size.width, size.height, palette, idx);
    fs.writeFileSync(path.join(OUT, shot.file), png);
    log(`${shot.file}: ${size.width} x ${size.height}, ${palette.length} colours, ${png.length} bytes (${s.queries} queries, accuracy ${s.accuracy} %)`);
    if (problems.length) throw new Error(`${shot.file}: ${problems.join('; ')}`);
    await page.close();
  } catch (e) {
    failed = true;
    log('FAIL', String(e.stack || e));
  } finally {
    await ctx.close();
    fs.rmSync(udd, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
