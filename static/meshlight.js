// meshlight page loader: starts meshlight.wasm (Go), then wires the HTML controls to the
// page API that the Go program installs as window.meshlight. All simulation state, settings
// validation and the URL query live in Go; this file only moves values between the DOM and
// that API. Every URL is relative, so the site works from any sub-path.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const loaderErrors = [];
  let api = null;
  let dismissed = '';

  // ---- errors ----
  function renderErrors(goError) {
    const msgs = [...loaderErrors, ...(goError ? goError.split('\n') : [])].filter(Boolean);
    const key = msgs.join('\n');
    const box = $('errors');
    if (!msgs.length || key === dismissed) { box.hidden = true; return; }
    const list = $('errors-list');
    if (list.dataset.key !== key) {
      list.replaceChildren(...msgs.map((m) => Object.assign(document.createElement('li'), { textContent: m })));
      list.dataset.key = key;
    }
    box.hidden = false;
  }
  function loaderError(msg) {
    loaderErrors.push(msg);
    window.meshlightLoadError = loaderErrors.join('\n');
    $('loading-text').textContent = msg;
    renderErrors('');
  }
  $('errors-close').addEventListener('click', () => {
    dismissed = $('errors-list').dataset.key || '';
    $('errors').hidden = true;
    if (api) api.clearErrors();
  });

  // ---- the panel ----
  function setPanel(show) {
    body.classList.toggle('panel-hidden', !show);
    $('panel-toggle').setAttribute('aria-expanded', String(show));
    // The canvas takes the size of <body>; ebiten re-reads it on a window resize.
    window.dispatchEvent(new Event('resize'));
  }
  $('panel-toggle').addEventListener('click', () => setPanel(body.classList.contains('panel-hidden')));

  // ---- loading the wasm, with progress ----
  async function load() {
    if (typeof Go !== 'function') throw new Error('wasm_exec.js did not load (run `make wasm`)');
    if (typeof self.meshlightFetchModule !== 'function') throw new Error('fetchwasm.js did not load');
    if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
    const text = $('loading-text');
    const wasm = await self.meshlightFetchModule('meshlight.wasm', (loaded, total) => {
      text.textContent = `loading the simulator… ${(loaded / 1e6).toFixed(1)}` + (total ? ` / ${(total / 1e6).toFixed(1)} MB` : ' MB');
    });
    const go = new Go();
    const { instance } = await WebAssembly.instantiateStreaming(wasm, go.importObject);
    // The size of the simulator's WebAssembly memory, in bytes (tests and make soak).
    window.meshlightWasmMemory = () => instance.exports.mem.buffer.byteLength;
    text.textContent = 'starting…';
    go.run(instance).then(() => loaderError('the simulator stopped; reload the page'));
  }

  // ---- controls <-> window.meshlight ----
  function fillSelect(sel, options, value) {
    const key = JSON.stringify(options);
    if (sel.dataset.key !== key) {
      sel.replaceChildren(...options.map((o) => Object.assign(document.createElement('option'), { value: o.value, textContent: o.label, title: o.about || '' })));
      sel.dataset.key = key;
    }
    sel.value = String(value);
  }
  const show = {
    alpha: (v) => Number(v).toFixed(2), s: (v) => Number(v).toFixed(2), p: (v) => Number(v).toFixed(2),
    speed: (v) => `${v} q per 1/60 s`,
  };
  // syncControls shows the settings in the controls; the control being edited keeps what is
  // typed unless force (after a refused value, which the control then shows replaced by the
  // value kept).
  function syncControls(force) {
    const st = api.settings();
    const opts = api.options();
    const file = api.stats().modelFile; // a model file from the page: the selector shows it (modelfile.js)
    for (const el of document.querySelectorAll('[data-param]')) {
      const name = el.dataset.param;
      if (!(name in st) || !force && el === document.activeElement && el.tagName !== 'SELECT') continue;
      if (el.tagName === 'SELECT') fillSelect(el, opts[name] || [], name === 'model' && file ? `file:${file}` : st[name]);
      else if (el.type === 'checkbox') el.checked = Boolean(st[name]);
      else el.value = String(st[name]);
      const out = $(`${name}-val`);
      if (out) out.textContent = show[name] ? show[name](st[name]) : String(st[name]);
    }
    const booth = Boolean(st.booth);
    if (booth !== body.classList.contains('booth')) setPanel(!booth); // booth mode shows only the canvas
    body.classList.toggle('booth', booth);
    $('booth').classList.toggle('on', booth);
  }
  // apply sends params to the engine, which checks them; once it has applied them the
  // controls show its settings (a refused value is replaced by the one kept).
  function apply(params) {
    api.set(params).then((r) => {
      syncControls(!r.ok);
      poll();
    });
  }
  function valueOf(el) {
    if (el.type === 'checkbox') return el.checked;
    if (el.type === 'range' || el.type === 'number') return el.value === '' ? el.value : Number(el.value);
    return el.value;
  }
  function wire() {
    for (const el of document.querySelectorAll('[data-param]')) {
      el.addEventListener('change', () => apply({ [el.dataset.param]: valueOf(el) }));
      if (el.type === 'range') {
        el.addEventListener('input', () => {
          const out = $(`${el.dataset.param}-val`);
          if (out) out.textContent = show[el.dataset.param] ? show[el.dataset.param](el.value) : el.value;
        });
      }
    }
    for (const el of document.querySelectorAll('[data-action]')) {
      el.addEventListener('click', () => action(el.dataset.action));
    }
    document.addEventListener('keydown', (e) => {
      if (e.target.closest && e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = { ' ': 'toggle', '.': 'step', r: 'reset', d: 'redeploy', b: 'booth', f: 'fullscreen', h: 'panel', Escape: 'unbooth' }[e.key];
      if (!k) return;
      e.preventDefault();
      action(k);
    });
    // A tap on the canvas starts or pauses, as space does: a finger's, not a mouse's (the
    // mouse drags and zooms the layer), and a tap, not a swipe or a long press.
    let tap = null;
    document.addEventListener('pointerdown', (e) => {
      tap = e.pointerType === 'touch' && e.isPrimary && e.target.tagName === 'CANVAS' ? { x: e.clientX, y: e.clientY, t: e.timeStamp } : null;
    });
    document.addEventListener('pointercancel', () => { tap = null; });
    document.addEventListener('pointerup', (e) => {
      const t = tap;
      tap = null;
      if (t && e.isPrimary && Math.hypot(e.clientX - t.x, e.clientY - t.y) < 16 && e.timeStamp - t.t < 600) action('toggle');
    });
    // A booth's screen hides the cursor once the mouse rests.
    let idle = 0;
    const wake = () => {
      body.classList.remove('idle');
      clearTimeout(idle);
      idle = setTimeout(() => body.classList.add('idle'), 3000);
    };
    document.addEventListener('pointermove', wake);
    wake();
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && api.settings().booth) action('unbooth');
    });
  }
  function action(name) {
    switch (name) {
      case 'toggle': (api.stats().running ? api.pause() : api.start()); break;
      case 'panel': setPanel(body.classList.contains('panel-hidden')); return;
      case 'fullscreen':
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
        return;
      case 'booth':
        if (!api.settings().booth) {
          const fs = document.documentElement.requestFullscreen;
          if (fs) fs.call(document.documentElement).catch(() => {}); // optional: booth works windowed too
          setPanel(false);
          api.set({ booth: true });
        } else {
          action('unbooth');
          return;
        }
        break;
      case 'unbooth':
        if (!api.settings().booth) return;
        api.set({ booth: false });
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        setPanel(true);
        break;
      case 'png': downloadPNG().catch((e) => loaderError(`the picture: ${e.message || e}`)); return;
      case 'csv': downloadCSV().catch((e) => loaderError(`the curves: ${e.message || e}`)); return;
      default: api[name]();
    }
    syncControls();
    poll();
  }

  // ---- take it home: the run's curves and the picture shown ----
  // fileStem names a download after the run: model, optimizer, chip seed and queries.
  function fileStem() {
    const st = api.stats();
    const set = api.settings();
    const clean = (v) => String(v).replace(/[^A-Za-z0-9._-]+/g, '_');
    return `meshlight-${clean(st.modelFile || set.model)}-${clean(set.race || set.optimizer)}-seed${clean(set.seed)}-${Math.round(st.queries || 0)}q`;
  }
  function save(blob, name) {
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  }
  // downloadPNG saves the canvas as the next frame draws it: a callback asked for now runs
  // in the next frame after the simulator's own (asked for during the frame before), while
  // its picture is still in the canvas's drawing buffer.
  async function downloadPNG() {
    const canvas = document.querySelector('body > canvas');
    if (!canvas) throw new Error('no canvas yet');
    const blob = await new Promise((resolve, reject) => requestAnimationFrame(() => {
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no picture'))), 'image/png');
    }));
    save(blob, `${fileStem()}.png`);
  }
  // downloadCSV saves each run's curve as the engine records it (train.WriteCSV: the format
  // of onchip's and make reproduce's curves), one file per racer in a race.
  async function downloadCSV() {
    const race = api.stats().race;
    const files = race
      ? await Promise.all(race.racers.map((r, i) => api.raceCurveCSV(i).then((csv) => ({ suffix: `-${r.optimizer}`, csv }))))
      : [{ suffix: '', csv: await api.curveCSV() }];
    const stem = fileStem();
    for (const f of files) {
      if (f.csv) save(new Blob([f.csv], { type: 'text/csv' }), `${stem}${f.suffix}.csv`);
    }
  }

  // ---- readouts ----
  const pct = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} %` : '–');
  const num = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
  const compact = (v) => new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 }).format(v);
  const fix = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  let lastVersion = -1;
  let lastOptions = '';
  function poll() {
    const s = api.stats();
    if (s.ready) $('loading').hidden = true;
    else if (!loaderErrors.length) $('loading-text').textContent = s.status || 'loading…';
    $('r-accuracy').textContent = pct(s.accuracy);
    $('r-deployed').textContent = pct(s.deployedAccuracy);
    $('r-best').textContent = pct(s.bestAccuracy);
    $('r-queries').textContent = num(s.queries);
    $('r-power').textContent = Number.isFinite(s.power) ? `${fix(s.power, 1)} rad` : '–';
    $('r-saving').textContent = pct(s.saving);
    $('r-energy').textContent = Number.isFinite(s.energy) ? `${compact(s.energy)} rad·q` : '–';
    $('r-rate').textContent = `${fix(s.fps, 0)}\u00a0fps · ${num(s.queriesPerSecond)}\u00a0q/s`; // wraps only between the two figures
    const mb = (v) => (v / 1e6).toFixed(v < 1e7 ? 1 : 0);
    $('r-memory').textContent = Number.isFinite(s.engineHeap) && s.engineHeap > 0 ? `${mb(s.engineHeap)} of ${mb(s.engineMemory)} MB` : '–';
    $('r-chip').textContent = s.chip ? (s.chipEdited ? `${s.chip}, edited` : s.chip) : '–';
    $('r-drift').textContent = s.driftText || '–';
    $('r-crosstalk').textContent = s.crosstalkText || '–';
    $('r-control').textContent = s.controlText || '–';
    $('start').disabled = !s.ready || s.running;
    $('pause').disabled = !s.running;
    $('step').disabled = !s.ready || s.running;
    renderErrors(s.error);
    // The selectors' choices can arrive without a settings change (a race's first racer
    // loads the model while the single run is held): resync on either.
    const opts = JSON.stringify(api.options());
    if (s.settingsVersion !== lastVersion || opts !== lastOptions) {
      lastVersion = s.settingsVersion;
      lastOptions = opts;
      syncControls();
    }
  }

  function attach() {
    api = window.meshlight;
    wire();
    syncControls();
    poll();
    setInterval(poll, 250);
  }

  // ---- offline: the service worker (sw.js) caches this build of the site ----
  // window.meshlightOffline says how that went: 'caching <version>', 'ready <version>' once
  // every file is cached, or 'off: why' (no service workers here, no manifest, no network).
  async function offline() {
    const status = (s) => { window.meshlightOffline = s; };
    if (!('serviceWorker' in navigator)) return status('off: this browser has no service workers');
    let m;
    try {
      const r = await fetch('precache.json', { cache: 'no-store' });
      if (!r.ok) return status(`off: precache.json: HTTP ${r.status}`); // a site built without it
      m = await r.json();
    } catch (e) {
      return status(`off: precache.json: ${e.message || e}`); // no network: the registered worker serves
    }
    if (typeof m.version !== 'string' || !/^[0-9a-f]{16}$/.test(m.version)) return status('off: precache.json has no version');
    status(`caching ${m.version}`);
    const reg = await navigator.serviceWorker.register(`sw.js?v=${m.version}`);
    const ours = [reg.installing, reg.waiting, reg.active].find((w) => w && w.scriptURL.endsWith(`?v=${m.version}`));
    if (!ours) return status(`off: the worker of ${m.version} did not install`);
    const done = () => {
      status(`ready ${m.version}`);
      $('offline-note').hidden = false;
    };
    if (ours.state === 'activated') return done();
    ours.addEventListener('statechange', () => {
      if (ours.state === 'activated') done();
      if (ours.state === 'redundant') status(`off: caching ${m.version} failed`);
    });
  }

  document.addEventListener('meshlight:api', attach, { once: true });
  offline().catch((e) => { window.meshlightOffline = `off: ${e.message || e}`; });
  load().catch((e) => loaderError(`could not start the simulator: ${e.message || e}`));
})();
