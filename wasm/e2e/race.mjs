// The race of optimizers in the end-to-end test (imported by e2e.mjs, which passes its
// helpers): a race of three trains side by side in three workers on identical chips, each
// racer's curve is the native single run's of its optimizer, a leader is named, closing the
// race stops its workers and brings the single run back; a bad race list (in the page or
// the address) shows a message in the page and keeps the last good state. Hovering a lane's
// tile (zoomed out) or device (zoomed in) names it as the layer view does, and the wheel
// zooms every lane alike. The paper's SZO-SCD races its noise-margin variant, each lane
// with its own kept state. Figures
// (queries per second per racer, frame rate, the racers' WebAssembly memory) are printed,
// not asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CAP } from './browser.mjs';

export function raceSteps({ check, open, stats, waitStats, until, queriesOf, frames, rates, colours, results, OUT }) {
  const race = (page) => page.evaluate(() => window.meshlight.stats().race);
  const NAMES = ['szo-scd', 'flops', 'zadam'];
  let page;
  return [
    check('a model file dropped in a race of 2: every racer (and the held single run) trains on it on identical chips; a bad one is one message while the race runs on; a race opened later races on it', async () => {
      // A researcher's network as pretrain would shape it, with random phases (e2e.mjs's
      // model-file step; a small one, since FLOPS pays full passes and three engines share
      // the machine).
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlight-race-file-'));
      execFileSync(process.env.GO || 'go', ['run', './wasm/cmd/randmodel', '-dataset', 'vowel4', '-arch', '8-16-16-4',
        '-block', '4', '-topology', 'clements', '-name', 'mine', '-out', dir], { cwd: root });
      const good = fs.readFileSync(path.join(dir, 'mine.json'), 'utf8');
      const title = 'mine.json · vowel4 · 8-16-16-4';
      const pg = await open('?race=szo-scd,flops&seed=7&run=1');
      await waitStats(pg, 's => s.ready && s.race && s.race.racers.length === 2 && s.race.racers.every((r) => r.ready && r.running && r.queries > 0)', 'a race of two training');
      assert.equal(pg.workers().length, 3, 'two racers and the held single run');
      const site = (await race(pg)).racers;
      await pg.setInputFiles('#model-file', path.join(dir, 'mine.json'));
      await waitStats(pg, 's => s.race.racers.every((r) => r.modelFile === "mine.json" && r.ready && r.running)', 'every racer on the file');
      let s = await stats(pg);
      assert.equal(s.title, title);
      assert.equal(s.modelFile, 'mine.json');
      assert.equal(s.model, 'mnist8-mlp'); // the address keeps naming the last model from the site
      let r = s.race;
      for (const x of r.racers) {
        assert.equal(x.title, title, `racer ${x.optimizer}`);
        assert.equal(x.seed, 7, `racer ${x.optimizer}`);
        assert.ok(x.phases === s.phases && x.phases > 0 && x.phases !== site[0].phases, `racer ${x.optimizer}: ${x.phases} phases (the site's model ${site[0].phases})`);
      }
      // Identical chips on the new network: the same deployed accuracy, not the site model's.
      assert.equal(new Set(r.racers.map((x) => x.deployedAccuracy)).size, 1, `deployed ${r.racers.map((x) => x.deployedAccuracy)}`);
      assert.notDeepEqual(r.racers.map((x) => x.deployedAccuracy), site.map((x) => x.deployedAccuracy));
      const q = r.racers.map((x) => x.queries);
      await waitStats(pg, `s => s.race.racers.every((r, i) => r.modelFile === "mine.json" && r.running && r.queries > ${JSON.stringify(q)}[i] + 200)`, 'every racer training on the file');
      await until(pg, () => /mine\.json/.test(document.querySelector('#model option:checked')?.textContent || ''), null, 'mine.json in the model selector');
      await until(pg, () => /mine\.json is not in the address/.test(document.querySelector('#file-note:not([hidden])')?.textContent || ''), null, 'the note that mine.json is not in the address');
      assert.doesNotMatch(await pg.evaluate(() => location.search), /model=|mine/);
      assert.equal((await race(pg)).optimizers, 'szo-scd,flops');
      await pg.screenshot({ path: path.join(OUT, 'page-race-model-file.png') });
      results.raceModelFile = { title, phases: s.phases, deployedAccuracy: r.racers[0].deployedAccuracy, siteDeployedAccuracy: site[0].deployedAccuracy, errors: [] };

      // Bad files: one message each (every engine read it), the race trains on on the file.
      const bad = [
        [{ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not a model, just notes') }, /^model file notes\.json: /],
        [{ name: 'wide.json', mimeType: 'application/json', buffer: Buffer.from(good.replace('"dataset": "vowel4"', '"dataset": "mnist8"')) },
          /^model file wide\.json: data set data\/mnist8-test\.bin\.gz has 64 features per sample, the model takes 8$/],
      ];
      for (const [file, want] of bad) {
        await pg.evaluate(() => window.meshlight.clearErrors());
        const before = (await race(pg)).racers.map((x) => x.queries);
        await pg.setInputFiles('#model-file', file);
        // Every racer has read it (each racer's own message), and the page shows it once.
        await waitStats(pg, `s => s.race.racers.every((r) => new RegExp(${JSON.stringify(want.source)}, 'm').test(r.error))`, `every racer read ${file.name}`);
        await until(pg, (re) => [...document.querySelectorAll('#errors:not([hidden]) #errors-list li')].some((li) => new RegExp(re).test(li.textContent)), want.source, `the message for ${file.name}`);
        await frames(pg, 10);
        const items = await pg.locator('#errors-list li').allTextContents();
        assert.equal(items.filter((m) => m.includes(file.name)).length, 1, `one message for ${file.name}: ${JSON.stringify(items)}`);
        assert.ok(items.some((m) => want.test(m)), `message for ${file.name}: ${JSON.stringify(items)}`);
        assert.equal((await stats(pg)).error.split('\n').filter((m) => m.includes(file.name)).length, 1);
        await waitStats(pg, `s => s.race.racers.every((r, i) => r.modelFile === "mine.json" && r.running && r.queries > ${JSON.stringify(before)}[i] + 200)`, `the race trains on after ${file.name}`);
        s = await stats(pg);
        assert.equal(s.title, title);
        assert.equal(s.race.optimizers, 'szo-scd,flops');
        results.raceModelFile.errors.push(items.find((m) => want.test(m)).slice(0, 160));
      }
      await pg.screenshot({ path: path.join(OUT, 'page-race-model-file-bad.png') });

      // The held single run has the file too: closing the race shows it, on the race's seed.
      await pg.evaluate(() => window.meshlight.set({ race: 'off' }));
      await waitStats(pg, 's => s.race === null && s.ready && s.modelFile === "mine.json"', 'the single run on the file');
      s = await stats(pg);
      assert.equal(s.title, title);
      assert.equal(s.deployedAccuracy, r.racers[0].deployedAccuracy, 'the single run on the racers\' chip');
      // A race opened now races on the file the page shows (the page reads it again; the
      // last file sent, wide.json, was bad), not on the site's model the address names.
      await pg.evaluate(() => window.meshlight.set({ race: 'szo-scd,zadam' }));
      await waitStats(pg, 's => s.race && s.race.optimizers === "szo-scd,zadam" && s.race.racers.every((r) => r.modelFile === "mine.json" && r.ready)', 'a new race on the file');
      r = (await stats(pg)).race;
      assert.ok(r.racers.every((x) => x.title === title && x.deployedAccuracy === s.deployedAccuracy), JSON.stringify(r.racers));
      assert.equal((await stats(pg)).title, title);
      await pg.evaluate(() => window.meshlight.set({ race: 'off' }));
      await waitStats(pg, 's => s.race === null && s.modelFile === "mine.json"', 'the single run on the file again');
      assert.deepEqual(pg.problems, []);
      fs.rmSync(dir, { recursive: true, force: true });
      await pg.close();
    }),

    check('a race of 3 optimizers trains side by side, one worker each, every racer\'s curve a native single run\'s; a leader is named; closing it stops the workers', async () => {
      // The same engine natively, one single run per optimizer with the race's settings.
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
      const go = process.env.GO || 'go';
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlight-race-'));
      const bin = path.join(dir, 'enginerun');
      execFileSync(go, ['build', '-o', bin, './wasm/cmd/enginerun'], { cwd: root });
      const N = 3000;
      const native = Object.fromEntries(NAMES.map((n) => [n, JSON.parse(execFileSync(bin,
        ['-dir', path.join(root, 'static'), '-query', `seed=5&optimizer=${n}`, '-queries', String(N)]).toString())]));
      fs.rmSync(dir, { recursive: true, force: true });

      page = await open(`?race=${NAMES.join(',')}&seed=5`);
      await waitStats(page, 's => s.ready && s.race && s.race.racers.length === 3 && s.race.racers.every((r) => r.ready)', 'three racers ready');
      assert.equal(page.workers().length, 4, 'one engine per racer and the held single run');
      let r = await race(page);
      assert.deepEqual(r.racers.map((x) => x.optimizer), NAMES);
      assert.equal(r.optimizers, NAMES.join(','));
      assert.equal(r.leader, '', 'no leader before training');
      assert.ok(r.racers.every((x) => x.seed === 5 && x.queries === 0 && !x.running));
      // Identical chips: the same deployed accuracy (same drift, crosstalk, active set).
      assert.equal(new Set(r.racers.map((x) => x.deployedAccuracy)).size, 1, `deployed ${r.racers.map((x) => x.deployedAccuracy)}`);
      assert.match(await page.evaluate(() => location.search), /race=szo-scd%2Cflops%2Czadam/);
      // The panel's selectors have their choices during a race too (the first racer's).
      const opts = await page.evaluate(() => window.meshlight.options());
      for (const sel of ['model', 'optimizer', 'layer', 'view']) assert.ok((opts[sel] || []).length > 0, `no ${sel} choices in a race: ${JSON.stringify(opts)}`);
      await until(page, () => ['model', 'method', 'view'].every((id) => {
        const el = document.querySelector(`select[data-param="${id === 'method' ? 'optimizer' : id}"]`);
        return el && el.options.length > 0 && el.selectedIndex >= 0;
      }), null, 'the panel\'s selectors with their choices');
      await until(page, () => document.querySelector('#race').value === 'szo-scd,flops,zadam', null, 'the race field to show the race');

      await page.evaluate(() => window.meshlight.start());
      await waitStats(page, 's => s.running && s.race.racers.every((r) => r.running && r.queries > 0)', 'every racer training');
      const a = await page.evaluate(() => ({ r: window.meshlight.stats().race, t: performance.now() }));
      const fr = await rates(page, 3000);
      const b = await page.evaluate(() => ({ r: window.meshlight.stats().race, t: performance.now() }));
      const secs = (b.t - a.t) / 1000;
      results.race = {
        racers: NAMES, fps: fr.ebitenFPS, rafPerSecond: fr.rafPerSecond,
        queriesPerSecond: Object.fromEntries(NAMES.map((n, i) => [n, Math.round((b.r.racers[i].queries - a.r.racers[i].queries) / secs)])),
      };
      // Each racer's queries grow, and each gets curve points.
      for (let i = 0; i < 3; i++) assert.ok(b.r.racers[i].queries > a.r.racers[i].queries, `racer ${NAMES[i]}: queries did not grow`);
      await waitStats(page, `s => s.race.racers.every((r) => r.queries >= ${N} && r.points >= 3)`, `${N} queries and 3 curve points per racer`, queriesOf);
      await waitStats(page, 's => s.race.leader !== ""', 'a leader');
      r = await race(page);
      assert.ok(NAMES.includes(r.leader) && r.leaderIndex === NAMES.indexOf(r.leader), `leader ${r.leader}`);
      assert.ok(r.budget > 0 && /^leader: best test accuracy at an equal query budget/.test(r.rule), r.rule);
      results.race.leader = { name: r.leader, budget: r.budget, standings: r.racers.map((x) => x.standing) };
      await frames(page, 10);
      const shot = await page.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-race.png') });
      await page.screenshot({ path: path.join(OUT, 'page-race.png') });
      results.race.canvas = await colours(page, shot);
      assert.ok(results.race.canvas.distinctColours >= 50, `race looks blank: ${JSON.stringify(results.race.canvas)}`);

      // Same seed, same result: each racer's first points are the native single run's.
      await page.evaluate(() => window.meshlight.pause());
      await waitStats(page, 's => !s.running && s.race.racers.every((r) => !r.running)', 'race paused');
      for (const [i, n] of NAMES.entries()) {
        const want = native[n];
        const k = want.curveQueries.length;
        await until(page, ([i, q]) => window.meshlight.raceCurve(i).queries.some((x) => x >= q), [i, want.curveQueries[k - 1]], `racer ${n}'s curve to reach ${want.curveQueries[k - 1]} queries`);
        const c = await page.evaluate((i) => window.meshlight.raceCurve(i), i);
        assert.equal(c.optimizer, n);
        assert.deepEqual({ q: c.queries.slice(0, k), a: c.accuracy.slice(0, k), p: c.power.slice(0, k) },
          { q: want.curveQueries, a: want.curveAccuracy, p: want.curvePower }, `racer ${n}: the native single run's curve`);
      }
      results.race.curvePointsCompared = NAMES.map((n) => native[n].curveQueries.length);
      results.race.wasmMemory = await page.evaluate(async () => ({
        racers: (await window.meshlight.raceMemory()).map((m) => m && m.wasmMemory),
        singleRun: (await window.meshlight.memory()).wasmMemory,
      }));

      // Closing the race stops its workers; the single run is back as it was.
      const closed = await page.evaluate(() => window.meshlight.set({ race: 'off' }));
      assert.equal(closed.ok, true, JSON.stringify(closed));
      await waitStats(page, 's => s.race === null && s.ready && s.queries === 0', 'the single run back');
      await until(page, () => !/race=/.test(location.search), null, 'the address without race=');
      // The workers end on their own time, not the page's frames: a poll, capped.
      for (const t = Date.now(); page.workers().length > 1 && Date.now() - t < CAP;) await new Promise((res) => setTimeout(res, 100));
      assert.equal(page.workers().length, 1, `waiting for the racers' workers to stop: ${page.workers().length} workers after ${CAP / 1000} s`);
      assert.deepEqual(page.problems, []);
      console.log('RACE FIGURES', JSON.stringify(results.race));
    }),

    check('a bad race list shows a message in the page and keeps the last good state (the race, or the single run)', async () => {
      const good = 'szo-scd,flops';
      let res = await page.evaluate((v) => window.meshlight.set({ race: v }), good);
      assert.equal(res.ok, true, JSON.stringify(res));
      await waitStats(page, 's => s.race && s.race.racers.length === 2 && s.ready', 'a race of two');
      const bad = [
        ['szo-scd,sgd', /race="szo-scd,sgd": entry 2: unknown optimizer "sgd"/],
        ['flops', /race="flops": 1 optimizers, want 2 to 4/],
        ['szo-scd,flops,zadam,znewton,stp', /5 optimizers, want 2 to 4/],
        ['flops,stp,flops', /entry 3: flops is already in the race/],
        ['', /race="": an empty list/],
      ];
      for (const [v, want] of bad) {
        res = await page.evaluate((v) => window.meshlight.set({ race: v }), v);
        assert.equal(res.ok, false, `race=${v} accepted`);
        assert.match(res.errors.join(' '), want);
        await until(page, (re) => new RegExp(re).test(document.querySelector('#errors').textContent), want.source, `the message for race=${v}`);
        assert.equal(await page.locator('#errors').isVisible(), true);
        const r = await race(page);
        assert.equal(r && r.optimizers, good, `race=${v} changed the race`);
        assert.equal((await page.evaluate(() => window.meshlight.settings())).race, good);
      }
      // The panel's race field: a bad list there too.
      await page.locator('#race').fill('zadam,zadam');
      await page.locator('#race').dispatchEvent('change');
      await until(page, () => /race="zadam,zadam": entry 2: zadam is already in the race/.test(document.querySelector('#errors').textContent), null, 'the message for race=zadam,zadam');
      assert.equal((await race(page)).optimizers, good);
      await page.locator('#race').blur();
      await until(page, (v) => document.querySelector('#race').value === v, good, 'the race field back to the race');
      assert.equal(page.workers().length, 3);
      await page.close();
      // In the address: the single run stays, with the message.
      const p2 = await open('?race=flops,flops&seed=2');
      await waitStats(p2, 's => s.ready', 'ready');
      await p2.waitForSelector('#errors:not([hidden])');
      assert.match(await p2.locator('#errors').textContent(), /race="flops,flops": entry 2: flops is already in the race/);
      const s = await stats(p2);
      assert.equal(s.race, null);
      assert.equal(s.optimizer, 'szo-scd');
      assert.equal((await p2.evaluate(() => window.meshlight.settings())).seed, '2');
      assert.equal(p2.workers().length, 1);
      assert.deepEqual(p2.problems, []);
      await p2.close();
    }),

    check('hovering a lane\'s tile (fitted) or device (zoomed in) in a race shows its tooltip (racer, block or phase, power, state) over the picture without a trace; the wheel zooms every lane alike; F fits again', async () => {
      const pg = await open('?race=szo-scd,flops&seed=5');
      await waitStats(pg, 's => s.ready && s.race && s.race.racers.length === 2 && s.race.racers.every((r) => r.ready)', 'a race of two ready');
      const box = await pg.locator('canvas').boundingBox();
      const DEVICE = /^(szo-scd|flops) · (block \d+ · (?:V\*|Sigma|U) (?:MZI|shifter) \d+) · phase -?\d+\.\d+ rad \(effective -?\d+\.\d+\) · (active, \d+ % power|passive \(fixed, no power\))$/;
      // Fitted, a lane of the MNIST 8x8 MLP shows its devices too small to see: its tiles,
      // each named as the layer view names a tile.
      const TILE = /^(szo-scd|flops) · (block \d+ \(row \d+, column \d+\)) · \d+ devices, \d+ % active · mean active power \d+ % · light \d+ %$/;
      // hoverAt moves the mouse to a canvas point (CSS pixels) and returns the tooltip after
      // a few frames (stats().hover: "" when none).
      const hoverAt = async (x, y) => {
        await pg.mouse.move(box.x + x, box.y + y);
        await frames(pg, 3);
        return (await stats(pg)).hover;
      };
      const away = () => hoverAt(box.width / 2, box.height - 4); // the leader board: no lane
      // tipPixels counts the pixels of the canvas's picture (a PNG) that have the tooltip
      // box's colour (showTooltip's, within tol) in a strip at the box's left end, which the
      // tooltip for the cursor at (x, y) covers without text: 13-16 px right of the cursor,
      // 17-33 px below it (the test's device scale is 1).
      const tipPixels = (png, [x, y], tol) => pg.evaluate(async ([b64, x, y, tol]) => {
        const bmp = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const g = c.getContext('2d'); g.drawImage(bmp, 0, 0);
        const d = g.getImageData(x + 13, y + 17, 3, 16).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - 0x16) <= tol && Math.abs(d[i + 1] - 0x1e) <= tol && Math.abs(d[i + 2] - 0x2a) <= tol) n++;
        }
        return n;
      }, [png.toString('base64'), Math.round(x), Math.round(y), tol]);
      const shot = () => pg.locator('canvas').screenshot();
      assert.equal(await away(), '');
      // A device of the first lane (the left half of the mesh area); two lanes side by side
      // lie half the canvas apart.
      let at = null;
      let tip = '';
      scan: for (const fy of [0.3, 0.2, 0.4, 0.25, 0.35]) {
        for (let fx = 0.1; fx < 0.45; fx += 0.02) {
          tip = await hoverAt(fx * box.width, fy * box.height);
          if (tip) { at = [fx * box.width, fy * box.height]; break scan; }
        }
      }
      assert.ok(at, 'no tooltip over the first lane');
      let m = tip.match(TILE);
      assert.ok(m && m[1] === 'szo-scd', `tooltip ${JSON.stringify(tip)}`);
      const first = { at, where: m[2] };
      results.raceHover = { tooltip: tip };
      // The tooltip is drawn over the race picture, and gone from it once the cursor leaves
      // (the picture is cached; the tooltip is not part of it).
      const hovered = await tipPixels(await shot(), at, 20);
      await pg.screenshot({ path: path.join(OUT, 'page-race-hover.png') });
      // Go's time per frame drawing (smoothed) while the cursor rests on the device: the
      // tooltip costs no repaint of the race picture (figures printed, not asserted).
      await frames(pg, 30);
      results.raceHover.drawMsHovering = +(await stats(pg)).drawMs.toFixed(2);
      assert.equal(await away(), '');
      await frames(pg, 3);
      const left = await tipPixels(await shot(), at, 6);
      await frames(pg, 30);
      results.raceHover.drawMsAway = +(await stats(pg)).drawMs.toFixed(2);
      assert.ok(hovered >= 40 && left < 10, `tooltip box pixels: ${hovered} of 48 while hovering, ${left} after`);

      // The wheel over the first lane zooms every lane: the same device lies half the canvas
      // to the right in the second lane (within a pixel of rounding).
      await pg.mouse.move(box.x + at[0], box.y + at[1]);
      for (let i = 0; i < 40 && (await stats(pg)).zoom < 4; i++) {
        await pg.mouse.wheel(0, -120);
        await frames(pg, 2);
      }
      const zoom = (await stats(pg)).zoom;
      assert.ok(zoom >= 4, `race zoom ${zoom} after the wheel`);
      // A device of the first lane near the cursor (the zoom keeps the point under the
      // cursor unless it had to keep the layer covering the lane), on rings around it out to
      // about a device's pitch: with software WebGL the page draws at fewer pixels, and the
      // plan's shape, rounded in those pixels, can put the devices a few pixels aside.
      scan2: for (const d of [0, 3, 6, 9, 12, 15, 18, 24, 30, 36]) {
        for (const [dx, dy] of d === 0 ? [[0, 0]] : [[d, 0], [-d, 0], [0, d], [0, -d], [d, d], [-d, -d], [d, -d], [-d, d]]) {
          tip = await hoverAt(at[0] + dx, at[1] + dy);
          if (tip) { at = [at[0] + dx, at[1] + dy]; break scan2; }
        }
      }
      m = tip.match(DEVICE);
      assert.ok(m && m[1] === 'szo-scd', `zoomed, the first lane's tooltip ${JSON.stringify(tip)}`);
      const where = m[2];
      const other = [];
      for (const dx of [0, -1, 1, -2, 2]) {
        other.push(await hoverAt(at[0] + box.width / 2 + dx, at[1]));
        const m2 = other.at(-1).match(DEVICE);
        if (m2 && m2[1] === 'flops' && m2[2] === where) break;
      }
      assert.match(other.at(-1), new RegExp(`^flops · ${where.replace('*', '\\*')} · `), `zoomed, the second lane shows ${JSON.stringify(other)} where the first shows ${where}`);
      results.raceHover.zoom = +zoom.toFixed(2);
      results.raceHover.zoomedDevice = where;
      await pg.screenshot({ path: path.join(OUT, 'page-race-zoomed.png') });

      // F (on the canvas, which takes the keys) fits every lane again.
      await pg.locator('canvas').focus();
      await pg.keyboard.down('f');
      await frames(pg, 3);
      await pg.keyboard.up('f');
      await waitStats(pg, 's => s.zoom === 1', 'the race fitted again by F');
      m = (await hoverAt(...first.at)).match(TILE);
      assert.ok(m && m[2] === first.where, `fitted again, the first tile is not under the first point: ${m && m[0]}`);
      assert.deepEqual(pg.problems, []);
      console.log('RACE HOVER', JSON.stringify(results.raceHover));
      await pg.close();
    }),

    check('the noise-margin variant: offered with its line, chosen by ?optimizer=szo-scd-margin it trains, and ?race=szo-scd,szo-scd-margin trains both lanes, each with its own kept marker', async () => {
      const t = Date.now();
      const one = await open('?optimizer=szo-scd-margin&seed=3');
      await waitStats(one, 's => s.ready && s.optimizer === "szo-scd-margin"', 'the margin variant deployed');
      const opt = (await one.evaluate(() => window.meshlight.options())).optimizer.find((o) => o.value === 'szo-scd-margin');
      assert.ok(opt && /margin/.test(opt.label) && /margin/.test(opt.about), `the selector's choice ${JSON.stringify(opt)}`);
      await until(one, () => document.querySelector('#optimizer').value === 'szo-scd-margin'
        && /margin/.test(document.querySelector('#optimizer option:checked').title), null, 'the margin variant in the optimizer selector');
      await one.evaluate(() => window.meshlight.start());
      await waitStats(one, 's => s.running && s.queries > 2000 && s.kept', 'the margin variant training', queriesOf);
      assert.deepEqual(one.problems, []);
      await one.close();

      const pg = await open('?race=szo-scd,szo-scd-margin&seed=3');
      await waitStats(pg, 's => s.ready && s.race && s.race.racers.length === 2 && s.race.racers.every((r) => r.ready)', 'a race of szo-scd and szo-scd-margin ready');
      let r = await race(pg);
      assert.deepEqual(r.racers.map((x) => x.optimizer), ['szo-scd', 'szo-scd-margin']);
      assert.equal(r.racers[0].deployedAccuracy, r.racers[1].deployedAccuracy, 'the same chip');
      await pg.evaluate(() => window.meshlight.start());
      await waitStats(pg, 's => s.race.racers.every((r) => r.running && r.queries >= 4000 && r.points >= 5 && r.kept)', 'both lanes training, each with a kept state', queriesOf);
      r = await race(pg);
      for (const [i, x] of r.racers.entries()) {
        const c = await pg.evaluate((i) => window.meshlight.raceCurve(i), i);
        let best = 0;
        c.valid.forEach((v, k) => { if (v > c.valid[best]) best = k; });
        // The racer's figures and its curve come from two snapshots: the kept point may have
        // moved on between them, never back.
        assert.ok(c.kept >= 0 && c.kept === best, `racer ${x.optimizer}: kept point ${c.kept}, the best validated ${best}`);
        assert.ok(x.keptQueries <= c.queries[c.kept], `racer ${x.optimizer}: kept at ${x.keptQueries} in its figures, ${c.queries[c.kept]} in its curve`);
      }
      results.marginRace = { seconds: +((Date.now() - t) / 1000).toFixed(1),
        racers: r.racers.map((x) => ({ optimizer: x.optimizer, queries: x.queries, accuracy: x.accuracy, keptQueries: x.keptQueries, keptAccuracy: x.keptAccuracy, queriesPerSecond: x.queriesPerSecond })) };
      await frames(pg, 10);
      await pg.locator('canvas').screenshot({ path: path.join(OUT, 'canvas-race-margin.png') });
      console.log('MARGIN RACE', JSON.stringify(results.marginRace));
      assert.deepEqual(pg.problems, []);
      await pg.close();
    }),
  ];
}
