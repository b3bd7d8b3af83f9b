// meshlight's own-model-file input: a researcher's model file, chosen with the file chooser
// (#model-file) or dropped anywhere on the page, goes to window.meshlight.loadFile, which
// checks its name and size before reading it and hands its bytes to the engine (errors show
// in the page like any other). The address cannot hold a file, so while one is loaded a
// note beside the share line says what a link to the page opens instead.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  function attach() {
    const api = window.meshlight;
    const load = (file) => { if (file) api.loadFile(file); };
    const input = $('model-file');
    input.addEventListener('change', () => {
      load(input.files[0]);
      input.value = ''; // so that choosing the same file again (rewritten) loads it again
    });
    // Drop: anywhere on the page; the page is outlined while a file is dragged over it.
    const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    let depth = 0;
    const over = (on) => document.body.classList.toggle('dropping', on);
    document.addEventListener('dragenter', (e) => { if (hasFiles(e)) { depth++; over(true); } });
    document.addEventListener('dragleave', (e) => { if (hasFiles(e) && --depth <= 0) { depth = 0; over(false); } });
    document.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      e.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', (e) => {
      depth = 0;
      over(false);
      if (!hasFiles(e)) return;
      e.preventDefault(); // the browser would open the file instead of the page
      load(e.dataTransfer.files[0]);
    });
    const note = $('file-note');
    setInterval(() => {
      const s = api.stats();
      const text = s.modelFile ? `Your file ${s.modelFile} is not in the address (a link cannot carry a file): a link to this view opens ${s.model} instead.` : '';
      if (note.textContent !== text) note.textContent = text;
      note.hidden = !text;
    }, 250);
  }
  document.addEventListener('meshlight:api', attach, { once: true });
})();
