// The self-check page's list of the wasm modules this server has served, with the doctor's
// verdict on each (docs/design.md#serve-diagnosis): read from /__wasmdev/modules.json, drawn with textContent only
// (module names and paths come from the served tree and are never parsed as HTML). The server
// reads modules in the background: a module not read yet is "pending", and the list is asked
// for again (every second, for at most a minute) until none is.
'use strict';
(() => {
  const body = document.getElementById('modules');

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function line(td, text, tag = 'div') {
    const el = document.createElement(tag);
    el.textContent = text;
    td.appendChild(el);
    return el;
  }

  function draw(data) {
    body.textContent = '';
    const modules = (data && data.modules) || [];
    if (modules.length === 0) {
      const tr = document.createElement('tr');
      cell(tr, 'No .wasm has been served yet: open your page, then reload this one.').colSpan = 3;
      body.appendChild(tr);
      return;
    }
    for (const m of modules) {
      if (m.pending) {
        const tr = document.createElement('tr');
        tr.className = 'pending';
        cell(tr, '…', 'verdict');
        cell(tr, m.module);
        cell(tr, 'being read by the doctor; this list updates by itself');
        body.appendChild(tr);
        continue;
      }
      const warned = m.findings.some((f) => f.severity === 'warning');
      const verdict = m.exit_code !== 0 ? 'FIX' : warned ? 'NOTE' : 'OK';
      const tr = document.createElement('tr');
      tr.className = m.exit_code !== 0 ? 'fail' : warned ? 'warn' : 'pass';
      cell(tr, verdict, 'verdict');
      const where = cell(tr, m.module);
      line(where, `${(m.size / 1048576).toFixed(1)} MiB, ${m.mime_type}`).className = 'label';
      const what = cell(tr, '');
      line(what, m.kinds.length ? `debug info: ${m.kinds.join(', ')}` : 'no debug info');
      const c = m.counts;
      if (m.sources.length)
        line(what, `sources: ${c.reachable} reachable, ${c.via_substitution} need a path substitution, ` +
          `${c.outside_root} outside the root, ${c.missing} missing, ${c.toolchain} toolchain`);
      for (const f of m.findings) line(what, `${f.severity}: ${f.message}${f.fix ? ` (${f.fix})` : ''}`);
      if (m.substitutions.length) {
        line(what, 'Path substitutions for the C/C++ DevTools Support (DWARF) extension:');
        line(what, JSON.stringify(m.substitutions), 'pre');
      }
      body.appendChild(tr);
    }
  }

  let tries = 0;
  function load() {
    fetch('modules.json', { cache: 'no-store' })
      .then((r) => { if (!r.ok) throw new Error(`modules.json answered ${r.status}`); return r.json(); })
      .then((data) => {
        draw(data);
        const pending = ((data && data.modules) || []).some((m) => m.pending);
        if (pending && ++tries < 60) setTimeout(load, 1000);
        else document.body.dataset.modules = '1';
      })
      .catch((e) => {
        body.textContent = '';
        const tr = document.createElement('tr');
        cell(tr, `Could not list the modules: ${e.message}`).colSpan = 3;
        body.appendChild(tr);
        document.body.dataset.modules = '1';
      });
  }
  load();
})();
