#!/usr/bin/env bash
# `wasmdev run --map URL-PREFIX=DIR` in real headless Chromium: a page loads a script with an
# SRI hash from a mapped https:// origin that does not exist, its worker importScripts another,
# a missing file is a 404 (and a line on stderr), an encoded '/' cannot leave DIR; the same page
# without --map cannot load its script. Bad --map values are one line naming the flag, exit 2.
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
run() { timeout 120 "$bin" run "$@"; }

site=$tmp/site
cdn=$tmp/cdn
mkdir -p "$site" "$cdn/lib"
echo 'the secret beside the mapped directory' >"$cdn/secret.txt"
printf '%s\n' "function cdnHello() { return 'hello from the mapped origin'; }" >"$cdn/lib/hello.js"
printf '%s\n' "function fromWorkerScript() { return 'worker imported its script'; }" >"$cdn/lib/in_worker.js"
sri=sha384-$(openssl dgst -sha384 -binary "$cdn/lib/hello.js" | base64 -w0)
cat >"$site/index.html" <<HTML
<!doctype html>
<script src="https://cdn.wasmdev.test/lib/hello.js" crossorigin integrity="$sri"></script>
<script>
(async () => {
  if (typeof cdnHello !== 'function') {
    console.log('hello.js did not load');
    wasmdevRun.exit(5);
    return;
  }
  console.log(cdnHello());
  const missing = await fetch('https://cdn.wasmdev.test/lib/missing.js');
  console.log('missing ' + missing.status);
  const escape = await fetch('https://cdn.wasmdev.test/lib/..%2fsecret.txt');
  console.log('escape ' + escape.status + ' ' + ((await escape.text()).includes('secret beside') ? 'LEAKED' : 'kept'));
  const w = new Worker('worker.js');
  w.onmessage = (e) => {
    console.log('worker: ' + e.data);
    wasmdevRun.exit(0);
  };
})();
</script>
HTML
cat >"$site/worker.js" <<'JS'
importScripts('https://cdn.wasmdev.test/lib/in_worker.js');
postMessage(fromWorkerScript());
JS

cd "$site"
run --timeout 60 --map "https://cdn.wasmdev.test/lib/=$cdn/lib" index.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || fail "--map: exit $rc, want 0; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
printf '%s\n' 'hello from the mapped origin' 'missing 404' 'escape 404 kept' 'worker: worker imported its script' >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "--map: stdout differs (above); stderr: $(cat "$tmp/err")"
grep -qx 'wasmdev: run: --map: 404 https://cdn.wasmdev.test/lib/missing.js: no file .*/lib/missing.js' "$tmp/err" ||
  fail "--map: no line for the missing file on stderr: $(cat "$tmp/err")"
echo "ok: --map answers a page's SRI script and its worker's importScripts from DIR; missing is 404, no escape"

# The same page without --map: the script's origin does not exist, so it never loads.
run --timeout 60 index.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 5 ] || fail "without --map: exit $rc, want 5; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
grep -qx 'hello.js did not load' "$tmp/out" || fail "without --map: stdout $(cat "$tmp/out")"
echo "ok: without --map the page cannot load its script"

# Bad values: one line naming --map, exit 2, before any browser starts.
for bad in "https://cdn.wasmdev.test/lib" "cdn.wasmdev.test/lib/=$cdn/lib" "https://cdn.wasmdev.test/lib/=$tmp/no-such-dir" \
  "https://cdn.wasmdev.test/lib/"; do
  run --map "$bad" index.html >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc = 2 ] || fail "--map '$bad': exit $rc, want 2: $(cat "$tmp/err")"
  [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- '--map' "$tmp/err" ||
    fail "--map '$bad': want one line naming --map: $(cat "$tmp/err")"
done
echo "ok: a bad --map value is one line naming the flag and exit 2"
