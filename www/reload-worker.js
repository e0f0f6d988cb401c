// wasmdev live reload's shared stream (docs/reload.md, "Many tabs"): one SharedWorker per
// browser and token holds the one EventSource of /__wasmdev/events and forwards its state and
// its change events to every tab of this server (www/reload.js), so that open tabs never use
// up the browser's six HTTP/1.1 connections per host. Each tab decides for itself whether a
// change concerns it.
const token = new URL(self.location.href).searchParams.get('token');
const ports = new Set();
// What a tab that connects now is told first. `gone`: the stream was open and is now refused
// for good (the server restarted with a new token); the tabs then wait for the page to answer.
let status = { state: 'connecting', gone: false };
let opened = false;
const send = (message) => { for (const port of ports) port.postMessage(message); };

self.addEventListener('connect', (e) => {
  const port = e.ports[0];
  ports.add(port);
  // A tab that goes away says so (pagehide), and comes back from the back/forward cache.
  port.addEventListener('message', (m) => {
    if (m.data === 'bye') ports.delete(port);
    else if (m.data === 'hello') { ports.add(port); port.postMessage(status); }
  });
  port.start();
  port.postMessage(status);
});

if (token && self.EventSource) {
  const events = new EventSource(`/__wasmdev/events?token=${encodeURIComponent(token)}`);
  events.addEventListener('open', () => { opened = true; status = { state: 'open', gone: false }; send(status); });
  events.addEventListener('change', (e) => send({ change: e.data }));
  events.addEventListener('error', () => {
    const closed = events.readyState === EventSource.CLOSED;
    status = { state: closed ? 'closed' : 'connecting', gone: closed && opened };
    send(status);
  });
} else {
  status = { state: 'closed', gone: false };
}
