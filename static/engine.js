// meshlight's engine worker: runs engine.wasm (Go: the simulation, no drawing) in a
// dedicated Web Worker. The page (meshlight.wasm, through wasm/main_js.go) posts commands
// and snapshot requests; the Go program answers with snapshots (see wasm/engine).
'use strict';
importScripts('wasm_exec.js', 'fetchwasm.js');
(async () => {
  const wasm = await self.meshlightFetchModule('engine.wasm');
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(wasm, go.importObject);
  // The size of the engine's WebAssembly memory, in bytes (memory()).
  self.engineWasmMemory = () => instance.exports.mem.buffer.byteLength;
  await go.run(instance);
  postMessage({ kind: 'error', message: 'the engine stopped; reload the page' });
})().catch((e) => postMessage({ kind: 'error', message: `could not start the engine: ${e.message || e}` }));
