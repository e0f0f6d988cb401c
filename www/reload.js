// wasmdev live reload (docs/reload.md): hears the change events of /__wasmdev/events (with the
// token this script was loaded with) and reloads the page when a file it uses changed: the
// document, a resource in its performance timeline, or a script, module or data file beside or
// below it (workers fetch those, and their fetches are not in the page's timeline).
// All tabs of the server share one stream, so that they never use up the browser's six
// connections per host: a SharedWorker holds it (www/reload-worker.js); without one, the tab
// holding a Web Lock does and tells the others through a BroadcastChannel; without those, each
// tab opens its own.
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

  // For tests and the curious: the stream's state, how many events came, and how this tab
  // hears them: 'shared-worker', 'leader' or 'follower' (Web Locks), or 'page' (its own stream).
  const state = window.__wasmdevReload = { state: 'connecting', events: 0, via: null };
  const eventsUrl = `/__wasmdev/events?token=${encodeURIComponent(token)}`;
  // A page that is reloading or going away neither speaks for the stream nor takes it over:
  // its stream ends with the page, which is no news for the other tabs.
  let leaving = false;
  addEventListener('pagehide', () => { leaving = true; });
  addEventListener('pageshow', (e) => { if (e.persisted) leaving = false; });

  // Every path delivers the same messages: {change: the event's data} or {state, gone}.
  const onChange = (data) => {
    state.events += 1;
    let change;
    try { change = JSON.parse(data); } catch { return; }
    if (concerns(change)) {
      console.info('[wasmdev] reloading:', change.all ? 'many files changed' : change.paths.join(', '));
      leaving = true;
      location.reload();
    }
  };
  // A refused stream ends for good (the server restarted with a new token, or went away and
  // came back): once the page answers again, reload it, which brings the new token. A stream
  // that never opened is not `gone`, so a refusal can never become a reload loop.
  let gone = false;
  const onStatus = (status) => {
    state.state = status.state;
    if (!status.gone || gone) return;
    gone = true;
    const poll = () => fetch(location.href, { method: 'HEAD', cache: 'no-store' })
      .then((r) => (r.ok ? location.reload() : setTimeout(poll, 1000)), () => setTimeout(poll, 1000));
    setTimeout(poll, 500);
  };
  const handle = (message) => {
    if (message && typeof message.change === 'string') onChange(message.change);
    else if (message && typeof message.state === 'string') onStatus(message);
  };

  // This page's own EventSource, reporting to `report` in the same messages.
  const openStream = (report) => {
    let opened = false;
    const events = new EventSource(eventsUrl);
    events.addEventListener('open', () => { opened = true; report({ state: 'open', gone: false }); });
    events.addEventListener('change', (e) => report({ change: e.data }));
    events.addEventListener('error', () => {
      const closed = events.readyState === EventSource.CLOSED;
      report({ state: closed ? 'closed' : 'connecting', gone: closed && opened });
    });
  };
  const viaOwnStream = () => { state.via = 'page'; openStream(handle); };

  // Web Locks (secure contexts: localhost, HTTPS): the tab granted the lock holds the stream
  // until it goes away, then the browser grants the lock to the next tab, which opens it again.
  const viaLocks = () => {
    if (!navigator.locks || !window.BroadcastChannel) return false;
    const name = `wasmdev-reload-${token}`;
    const channel = new BroadcastChannel(name);
    let last = null;  // the leader's stream state, for a tab that asks
    const share = (message) => {
      if (leaving) return;
      if (typeof message.state === 'string') last = message;
      handle(message);
      channel.postMessage(message);
    };
    channel.addEventListener('message', (m) => {
      if (m.data === 'ask') { if (last) channel.postMessage(last); } else if (state.via !== 'leader') handle(m.data);
    });
    state.via = 'follower';
    navigator.locks.request(name, () => {
      if (gone || leaving) return undefined;  // this tab reloads soon: the next one takes over
      state.via = 'leader';
      addEventListener('pagehide', () => channel.postMessage({ state: 'connecting', gone: false }));
      openStream(share);
      return new Promise(() => {});  // held until the page goes away
    });
    channel.postMessage('ask');
    return true;
  };

  // A SharedWorker of this server and token: the first tab starts it, the others join it, and
  // it lives while any of them is open. A worker the page may not start (a CSP without
  // worker-src 'self') fails to load: then the tab uses the next path.
  const viaSharedWorker = () => {
    if (!window.SharedWorker) return false;
    let worker;
    try {
      worker = new SharedWorker(`/__wasmdev/reload-worker.js?token=${encodeURIComponent(token)}`);
    } catch {
      return false;
    }
    state.via = 'shared-worker';
    let heard = false;
    worker.port.addEventListener('message', (m) => { heard = true; handle(m.data); });
    worker.port.start();
    worker.addEventListener('error', () => {
      if (heard) return;
      worker.port.close();
      if (!viaLocks()) viaOwnStream();
    });
    addEventListener('pagehide', () => worker.port.postMessage('bye'));
    addEventListener('pageshow', (e) => { if (e.persisted) worker.port.postMessage('hello'); });
    return true;
  };

  if (!viaSharedWorker() && !viaLocks()) viaOwnStream();
})();
