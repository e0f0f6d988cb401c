// The hosts' test page's own script, before Emscripten's threads.js: it records whether the
// page is cross-origin isolated, what the program printed and any error, in window.__hostPage
// (read by tests/hosts/run_host.mjs); `done` turns true at the program's line or an error.
window.__hostPage = { isolated: self.crossOriginIsolated, lines: [], errors: [], done: false };
const show = (text) => {
  const out = document.getElementById('out');  // null while the <head> still runs
  if (out) out.textContent += `${text}\n`;
};
const failed = (text) => {
  window.__hostPage.errors.push(String(text));
  window.__hostPage.done = true;
  show(`error: ${text}`);
};
window.addEventListener('error', (e) => failed(e.message));
window.addEventListener('unhandledrejection', (e) => failed(e.reason));
var Module = {
  print: (text) => {
    window.__hostPage.lines.push(text);
    if (/^two threads summed/.test(text)) window.__hostPage.done = true;
    show(text);
  },
  printErr: (text) => show(`stderr: ${text}`),
  onAbort: (what) => failed(`abort: ${what}`),
};
