# Sourced by htaccess_{apache,nginx,caddy}.sh: --header names and values that are valid HTTP
# (token names, field values) but mean something to a config syntax — comment and quote
# characters, braces, semicolons, placeholders, backslash escapes, a directive to inject.
# Each format must make its real server send them byte for byte, and nothing else.
hostile=(
  '#X-Hash: # not a comment'
  "'X-Quote: it's \"quoted\" 'twice'"
  '`X-Tick: `back` ticks'
  '~X|Pipe^*&%.!: name of symbols'
  'defer: a Caddy keyword as a name'
  'X-Inject: 1" always; add_header X-Injected "yes'
  'X-Brace: } header X-Injected yes {'
  'X-Placeholder: {http.request.uri} {uri} {env.HOME} %{REQUEST_URI}e %t %%'
  'X-Backslash: C:\dir\ \n \t \\ \" \{ \}'
  'X-Semicolon: a; b; } {'
  "X-Utf8: café 雪 tab	here"
  'X-Trailing: ends with a backslash\'
  'Cache-Control: max-age=60, "quoted\"'
)
hostile_args=()
for h in "${hostile[@]}"; do hostile_args+=(--header "$h"); done

# expect_hostile LABEL [NAME_TO_SKIP]: in $tmp/headers (CR stripped), each hostile header
# arrives exactly once with exactly its value, and no header was injected.
expect_hostile() {
  local label=$1 skip=${2:-} h name value got
  for h in "${hostile[@]}"; do
    name=${h%%: *}; value=${h#*: }
    [ "$name" = "$skip" ] && continue
    got=$(awk -v n="$name" 'BEGIN { n = tolower(n) }
      { i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { print substr($0, i + 2); c++ } }
      END { if (c != 1) print "<" c + 0 " lines named so>" }' "$tmp/headers")
    [ "$got" = "$value" ] || fail "$label: '$name' arrived as '$got', expected '$value'"
  done
  if grep -qi '^X-Injected' "$tmp/headers"; then fail "$label: a header was injected: $(grep -i '^X-Injected' "$tmp/headers")"; fi
  return 0
}

# expect_refused FORMAT 'NAME: VALUE' WORD: exit 2 and one line that names --header and WORD.
expect_refused() {
  local out rc
  out=$("$bin" htaccess --format "$1" --header "$2" 2>&1 >/dev/null); rc=$?
  [ "$rc" = 2 ] || fail "--format $1 --header '$2': exit $rc, expected 2 (usage)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "--format $1 --header '$2': more than one line: $out"
  case "$out" in *--header*"$3"*) ;; *) fail "--format $1 --header '$2': the error does not name --header and '$3': $out" ;; esac
}
