// meshlight's module fetcher, shared by the page (meshlight.js) and the engine worker
// (engine.js): the site ships each WebAssembly module gzipped (X.wasm.gz, a quarter of its
// size), and this fetches the gzip and hands WebAssembly the module's own bytes. A host
// that sends the .gz file as it is (most static hosts compress nothing, or not .gz files)
// gets it inflated here with DecompressionStream; a host that adds Content-Encoding has
// had it inflated by the browser already. The first bytes tell which, whatever the
// headers say.
'use strict';
self.meshlightFetchModule = async (name, progress) => {
  const gz = typeof DecompressionStream === 'function';
  const url = gz ? `${name}.gz` : name; // a browser that cannot inflate takes the raw module
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status} ${resp.statusText}`);
  // A Content-Encoding's Content-Length counts the bytes on the wire, not the ones read here.
  const total = resp.headers.get('Content-Encoding') ? 0 : Number(resp.headers.get('Content-Length')) || 0;
  const reader = resp.body.getReader();
  let loaded = 0;
  const read = async () => {
    const r = await reader.read();
    if (!r.done) {
      loaded += r.value.length;
      if (progress) progress(loaded, total);
    }
    return r;
  };
  // The first two bytes: 1f 8b is gzip, 00 61 ("\0a" of "\0asm") a module.
  const head = [];
  let size = 0;
  let done = false;
  while (size < 2 && !done) {
    const r = await read();
    if (r.done) done = true;
    else { head.push(r.value); size += r.value.length; }
  }
  const first = new Uint8Array(size);
  head.reduce((at, c) => (first.set(c, at), at + c.length), 0);
  const zipped = first[0] === 0x1f && first[1] === 0x8b;
  if (!zipped && !(first[0] === 0x00 && first[1] === 0x61)) {
    reader.cancel();
    throw new Error(`${url}: neither a gzip nor a WebAssembly module (${size} bytes start ${[...first.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'with nothing'})`);
  }
  let body = new ReadableStream({
    start(ctl) { if (size) ctl.enqueue(first); if (done) ctl.close(); },
    async pull(ctl) {
      const r = await read();
      if (r.done) ctl.close();
      else ctl.enqueue(r.value);
    },
    cancel(why) { return reader.cancel(why); },
  });
  if (zipped) body = body.pipeThrough(new DecompressionStream('gzip'));
  // A fresh Response with the right type: some hosts serve .wasm with a generic MIME type.
  return new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
};
