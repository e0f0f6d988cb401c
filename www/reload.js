// wasmdev live reload (docs/reload.md): listens to /__wasmdev/events with the token this
// script was loaded with, and reloads the page when a file it uses changed: the document,
// a resource in its performance timeline, or a script, module or data file beside or below
// it (workers fetch those, and their fetches are not in the page's timeline).
(() => {
  const me = document.currentScript;
  const token = me ? new URL(me.src).searchParams.get('token') : null;
  if (!token || !window.EventSource) return;

  // The timeline keeps 250 entries by default; a page that loads more must still be matched.
  if (performance.setResourceTimingBufferSize) performance.setResourceTimingBufferSize(100000);

  const decode = (p) => { try { return decodeURIComponent(p); } catch { return p; } };
  const pathOf = (url) => {
    const u = new URL(url, location.href);
    if (u.origin !== location.origin) return null;
    let p = decode(u.pathname);
    if (p.endsWith('/')) p += 'index.html';
    return p;
  };
  const page = pathOf(location.href);
  const pageDir = page.slice(0, page.lastIndexOf('/') + 1);
  const workerKinds = /\.(wasm|js|mjs|data|json|py|zip|whl)$/;

  const used = () => {
    const paths = new Set([page]);
    for (const e of performance.getEntriesByType('resource')) {
      const p = pathOf(e.name);
      if (p && !p.startsWith('/__wasmdev/')) paths.add(p);
    }
    return paths;
  };
  const concerns = (change) => {
    if (change.all) return true;
    const mine = used();
    return change.paths.some((p) => mine.has(p) || (p.startsWith(pageDir) && workerKinds.test(p)));
  };

  // For tests and the curious: the stream's state and how many events came.
  const state = window.__wasmdevReload = { state: 'connecting', events: 0 };
  let opened = false;
  const events = new EventSource(`/__wasmdev/events?token=${encodeURIComponent(token)}`);
  events.addEventListener('open', () => { opened = true; state.state = 'open'; });
  events.addEventListener('change', (e) => {
    state.events += 1;
    let change;
    try { change = JSON.parse(e.data); } catch { return; }
    if (concerns(change)) {
      console.info('[wasmdev] reloading:', change.all ? 'many files changed' : change.paths.join(', '));
      location.reload();
    }
  });
  // A refused stream ends for good (the server restarted with a new token, or went away and
  // came back): once the page answers again, reload it, which brings the new token. A page
  // that never connected does not retry, so a refusal can never become a reload loop.
  events.addEventListener('error', () => {
    state.state = events.readyState === EventSource.CLOSED ? 'closed' : 'connecting';
    if (events.readyState !== EventSource.CLOSED || !opened) return;
    const poll = () => fetch(location.href, { method: 'HEAD', cache: 'no-store' })
      .then((r) => (r.ok ? location.reload() : setTimeout(poll, 1000)), () => setTimeout(poll, 1000));
    setTimeout(poll, 500);
  });
})();
