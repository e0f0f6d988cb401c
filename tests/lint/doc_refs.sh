#!/usr/bin/env bash
# Checks how the source text points at reasons, without a build (ctest runs both modes):
#   doc_refs.sh anchors ROOT    every `docs/<name>.md#<anchor>` cited in the scanned folders
#                               names a file under docs/ that has that anchor (an explicit id
#                               or a GitHub heading slug)
#   doc_refs.sh citations ROOT  no comment cites an issue (a hash and its number, an issue's
#                               item or deliverable), the product brief's sections or the style
#                               guide's tag: a clone has none of them, so the reason is lost
# Each finding is printed as FILE:LINE: what; exit 1 when there is one.
set -u
mode=${1:-}
root=${2:-}
if [ -z "$root" ] || { [ "$mode" != anchors ] && [ "$mode" != citations ]; }; then
  echo "usage: $0 anchors|citations REPO_ROOT" >&2
  exit 2
fi
cd "$root" || exit 2
scanned=(server mime tests cmake CMakeLists.txt www bench)

# Text files only; tests/browser/node_modules is a symlink (find does not follow it), and
# binary fixtures, lock files and golden outputs hold no comments of ours.
mapfile -d '' files < <(find "${scanned[@]}" -type f \
  ! -name '*.wasm' ! -name '*.bin' ! -name '*.json' ! -name '*.expected' ! -name '*.pem' \
  ! -path '*/node_modules/*' ! -path '*/corpus/*' -print0 2>/dev/null)

prog=$(cat <<'AWK'
# The anchors of one markdown file: explicit ids, and GitHub's heading slugs (lower case,
# ASCII punctuation but - and _ dropped, spaces to -, a repeat gets -1, -2, ...).
function load_anchors(doc,    line, fence, slug, n) {
  loaded[doc] = 1
  if ((getline line < doc) < 0) { missing[doc] = 1; return }
  fence = 0
  do {
    while (match(line, /(id|name)=["'][^"']+["']/)) {
      slug = substr(line, RSTART, RLENGTH)
      sub(/^(id|name)=["']/, "", slug); sub(/["']$/, "", slug)
      anchor[doc, slug] = 1
      line = substr(line, RSTART + RLENGTH)
    }
    if (line ~ /^[ \t]*(```|~~~)/) { fence = !fence; continue }
    if (fence || line !~ /^#+[ \t]/) continue
    slug = line
    sub(/^#+[ \t]+/, "", slug); sub(/[ \t]+#+[ \t]*$/, "", slug); sub(/[ \t]+$/, "", slug)
    slug = tolower(slug)
    gsub(/[]!"#$%&'()*+,.\/:;<=>?@[\\^`{|}~]/, "", slug)
    gsub(/ /, "-", slug)
    n = seen[doc, slug]++
    anchor[doc, (n ? slug "-" n : slug)] = 1
  } while ((getline line < doc) > 0)
  close(doc)
}

function report(what) { printf "%s:%d: %s\n", FILENAME, FNR, what; found++ }

FNR == 1 {
  ext = FILENAME
  if (ext ~ /\/[^\/.]*$/) ext = ""; else sub(/.*\./, "", ext)
  if (FILENAME ~ /(^|\/)CMakeLists\.txt$/) ext = "cmake"
  block = 0; doc_string = 0
}

mode == "anchors" {
  rest = $0
  while (match(rest, /docs\/[A-Za-z0-9_.-]+\.md#[A-Za-z0-9_-]+/)) {
    cite = substr(rest, RSTART, RLENGTH)
    rest = substr(rest, RSTART + RLENGTH)
    doc = cite; sub(/#.*/, "", doc)
    name = cite; sub(/.*#/, "", name)
    if (!(doc in loaded)) load_anchors(doc)
    if (doc in missing) report("cites " cite ": " doc " does not exist")
    else if (!((doc, name) in anchor)) report("cites " cite ": " doc " has no anchor \"" name "\"")
  }
  next
}

# mode == "citations": only comment text counts, so string data (a fixture whose name holds a
# hash and a digit), preprocessor lines, CSS colours, HTML entities and URL fragments do not.
{
  text = ""
  line = $0
  if (ext ~ /^(cpp|hpp|h|c|cc|js|mjs|cjs|css)$/) {
    if (block) {
      text = line
      if (index(line, "*/")) block = 0
    } else if (match(line, /(^|[^:])\/\//)) {
      text = substr(line, RSTART)
    } else if (match(line, /\/\*/)) {
      text = substr(line, RSTART)
      if (!index(text, "*/")) block = 1
    }
  } else if (ext == "md") {
    text = line
  } else if (ext == "wat") {
    if (match(line, /;;/)) text = substr(line, RSTART)
  } else if (ext == "html") {
    if (block) { text = line; if (index(line, "-->")) block = 0 }
    else if (match(line, /<!--/)) { text = substr(line, RSTART); if (!index(text, "-->")) block = 1 }
    else if (match(line, /(^|[ \t])\/\//)) text = substr(line, RSTART)
  } else {
    # shell, CMake, Python, TOML, the fixtures' extension-less scripts: # comments, and
    # Python's docstrings.
    if (ext == "py") {
      n = gsub(/"""/, "\"\"\"", line)
      if (doc_string || n) text = line
      if (n % 2) doc_string = !doc_string
    }
    if (text == "" && match(line, /(^|[ \t])#/)) text = substr(line, RSTART)
  }
  if (text == "") next
  if (text ~ /(^|[ \t(\[,;])#[0-9]+([^0-9A-Za-z_]|$)/ || text ~ /[Ii]ssue #?[0-9]/ ||
      text ~ /(^|[^A-Za-z])(items?|deliverable) [0-9]+[a-z]?([^0-9A-Za-z]|$)/)
    report("cites an issue: " line)
  else if (text ~ /(^|[^A-Za-z_])SPEC([^A-Za-z_]|$)/)
    report("cites the brief: " line)
  else if (text ~ /(^|[^A-Za-z_])STYLE([^A-Za-z_.]|$)/)
    report("cites STYLE: " line)
}

END {
  if (found) {
    if (mode == "anchors") print found " citation(s) of a docs/ section that does not exist"
    else print found " comment(s) cite issues or the brief; explain the reason in place or cite a section, docs/design.md#<anchor>"
    exit 1
  }
}
AWK
)
awk -v mode="$mode" "$prog" "${files[@]}"
