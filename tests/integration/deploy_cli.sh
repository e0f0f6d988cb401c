#!/usr/bin/env bash
# `wasmdev deploy` from the command line: -o writes each host's file in DIR (the bytes it
# prints), says "unchanged" the second time, keeps a .bak, merges into the user's vercel.json,
# firebase.json and netlify.toml (their keys kept; a conflicting rule named, exit 1, the file
# untouched); refusals are one line and exit 2, warnings one line each. And `wasmdev htaccess`
# is unchanged: its output is the golden files', its formats are its three.
# Usage: deploy_cli.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
repo=$2
site=$tmp/site; mkdir -p "$site"

# --- htaccess as it was ------------------------------------------------------------------
"$bin" htaccess > "$tmp/printed" || fail "wasmdev htaccess"
cmp -s "$tmp/printed" "$repo/tests/golden/htaccess.expected" || fail "htaccess output differs from tests/golden/htaccess.expected"
"$bin" htaccess --format nginx --precompressed --cache > "$tmp/printed" || fail "htaccess --format nginx"
cmp -s "$tmp/printed" "$repo/tests/golden/nginx-precompressed-cache.expected" || fail "htaccess --format nginx output changed"
"$bin" htaccess -o "$site" > "$tmp/out" || fail "htaccess -o: $(cat "$tmp/out")"
cmp -s "$site/.htaccess" "$repo/tests/golden/htaccess.expected" || fail "htaccess -o wrote other bytes"
"$bin" htaccess --format netlify > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "htaccess offers only its three formats: --format netlify gave exit $rc"
"$bin" htaccess --format nginx --header 'X-Bad: $host' > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q -- '--header' "$tmp/out" || fail "htaccess's refusal: exit $rc, '$(cat "$tmp/out")'"
echo "ok: htaccess prints and writes what it did, with its three formats"

# --- deploy: usage ----------------------------------------------------------------------
"$bin" deploy "$site" > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "deploy without --format: exit $rc, expected 2"
"$bin" deploy --format netlify --header 'Server: mine' > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 2 ] && [ "$(wc -l < "$tmp/out")" = 1 ] && grep -q 'Netlify sets "Server" itself' "$tmp/out" \
  || fail "a header Netlify sets itself: exit $rc, '$(cat "$tmp/out")'"
"$bin" deploy --format cloudflare --precompressed > "$tmp/stdout" 2> "$tmp/stderr" || fail "deploy --precompressed failed"
[ "$(grep -c '^warning: ' "$tmp/stderr")" = 1 ] || fail "--precompressed on Cloudflare: want one warning, got '$(cat "$tmp/stderr")'"
grep -q '^/\*$' "$tmp/stdout" || fail "the warning's file was not printed"
echo "ok: deploy needs --format; a refusal is one line, exit 2; a warning is one line"

# --- deploy -o: each host's file where it reads it ---------------------------------------
for pair in netlify:_headers cloudflare:_headers netlify-toml:netlify.toml vercel:vercel.json \
            firebase:firebase.json github-pages:wasmdev-coi.js; do
  format=${pair%%:*} file=${pair#*:}
  d=$tmp/$format; mkdir -p "$d"
  "$bin" deploy --format "$format" > "$tmp/printed" || fail "deploy --format $format"
  "$bin" deploy "$d" --format "$format" -o > "$tmp/out" || fail "deploy --format $format -o: $(cat "$tmp/out")"
  cmp -s "$tmp/printed" "$d/$file" || fail "deploy --format $format -o wrote other bytes than it prints in $file"
  "$bin" deploy "$d" --format "$format" -o > "$tmp/out" || fail "second -o for $format"
  grep -q unchanged "$tmp/out" || fail "second -o for $format: '$(cat "$tmp/out")'"
done
if command -v node >/dev/null; then
  node --check "$tmp/github-pages/wasmdev-coi.js" || fail "wasmdev-coi.js is not valid JavaScript"
fi
d=$tmp/netlify
"$bin" deploy "$d" --format netlify --header 'X-A: b' -o > "$tmp/out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "a different _headers was replaced without --force (exit $rc)"
cp "$d/_headers" "$tmp/first"
"$bin" deploy "$d" --format netlify --header 'X-A: b' -o --force > "$tmp/out" || fail "-o --force: $(cat "$tmp/out")"
cmp -s "$d/_headers.bak" "$tmp/first" || fail "no exact backup in _headers.bak"
grep -q '^  X-A: b$' "$d/_headers" || fail "the new _headers lacks X-A"
echo "ok: deploy -o writes _headers, netlify.toml, vercel.json, firebase.json, wasmdev-coi.js; --force keeps a .bak"

# --- merging into the user's files -------------------------------------------------------
d=$tmp/merge; mkdir -p "$d"
printf '{\n  "cleanUrls": true,\n  "headers": [{"source": "/api/(.*)", "headers": [{"key": "X-Api", "value": "1"}]}]\n}\n' > "$d/vercel.json"
cp "$d/vercel.json" "$tmp/user-vercel.json"
"$bin" deploy "$d" --format vercel -o > "$tmp/out" 2>&1 || fail "merge into vercel.json: $(cat "$tmp/out")"
grep -q '"cleanUrls": true' "$d/vercel.json" || fail "the merge dropped cleanUrls"
grep -q '"X-Api"' "$d/vercel.json" || fail "the merge dropped the user's rule"
grep -q '"Cross-Origin-Embedder-Policy"' "$d/vercel.json" || fail "the merge added no policy"
cmp -s "$d/vercel.json.bak" "$tmp/user-vercel.json" || fail "no exact vercel.json.bak"
printf '{"headers": [{"source": "/(.*)", "headers": [{"key": "Cross-Origin-Opener-Policy", "value": "unsafe-none"}]}]}\n' > "$d/vercel.json"
cp "$d/vercel.json" "$tmp/conflict.json"
"$bin" deploy "$d" --format vercel -o > "$tmp/out" 2> "$tmp/err"; rc=$?
[ "$rc" = 1 ] || fail "a conflicting rule: exit $rc, expected 1"
grep -q 'Cross-Origin-Opener-Policy to "unsafe-none"' "$tmp/err" || fail "the conflict is not named: '$(cat "$tmp/err")'"
cmp -s "$d/vercel.json" "$tmp/conflict.json" || fail "the conflicting vercel.json was changed"
printf '{"hosting": {"public": "dist", "rewrites": [{"source": "**", "destination": "/index.html"}]}}\n' > "$d/firebase.json"
"$bin" deploy "$d" --format firebase -o > "$tmp/out" 2>&1 || fail "merge into firebase.json: $(cat "$tmp/out")"
grep -q '"public": "dist"' "$d/firebase.json" && grep -q '"destination": "/index.html"' "$d/firebase.json" \
  || fail "the merge dropped the user's hosting keys"
grep -q '"source": "\*\*/\*.wasm"' "$d/firebase.json" || fail "the merge added no wasm rule"
printf '[build]\n  publish = "dist"\n' > "$d/netlify.toml"
"$bin" deploy "$d" --format netlify-toml -o > "$tmp/out" 2>&1 || fail "merge into netlify.toml: $(cat "$tmp/out")"
head -n 2 "$d/netlify.toml" | cmp -s - <(printf '[build]\n  publish = "dist"\n') || fail "the user's netlify.toml lines moved"
grep -q '^  for = "/\*"$' "$d/netlify.toml" || fail "no [[headers]] for /* appended"
echo "ok: vercel.json, firebase.json and netlify.toml keep the user's keys; a conflict is named, exit 1, file untouched"
echo "PASS: deploy_cli"
