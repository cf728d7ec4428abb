#!/usr/bin/env bash
# Peer comparison: the same content/ as a Hugo site searched with Pagefind, against the Atlas.
# Installs Debian's hugo and npm's pagefind, builds both, and prints build time, peak memory,
# index size and per-query time on the same queries.   scripts/peer.sh [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
ITERS=${1:-30}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
command -v hugo >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo >/dev/null
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
W=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
(cd "$W" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent pagefind@1.6.0)
PF="$W/node_modules/.bin/pagefind"

# The queries: what people type, from the three kinds of user.
cat > "$W/queries.txt" <<'Q'
research security
partner screening
export control
knowledge security
trusted research
due diligence
foreign interference
sensitive technology
training
academic freedom
Q

# The Hugo site: every content file as a page, with the Atlas's facets as taxonomies.
mkdir -p "$W/site/content/docs" "$W/site/layouts/_default"
# Hugo reserves some front-matter keys (url, type, kind, date): rename ours.
for f in content/*/*.md; do
  sed -E '1,/^---$/!b; s/^(url|type|kind|date|language):/atlas_\1:/' "$f" > "$W/site/content/docs/$(basename "$f")"
done
cat > "$W/site/hugo.toml" <<'T'
baseURL = "http://127.0.0.1/"
title = "Research Security Atlas (Hugo and Pagefind peer)"
disableKinds = ["RSS"]
[taxonomies]
  country = "countries"
  topic = "topics"
  stage = "stages"
  phase = "phases"
  theme = "themes"
T
cat > "$W/site/layouts/_default/baseof.html" <<'T'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
T
cat > "$W/site/layouts/_default/single.html" <<'T'
{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1><ul>
{{ range .Params.countries }}<li><span data-pagefind-filter="country">{{ . }}</span></li>{{ end }}
{{ range .Params.topics }}<li><span data-pagefind-filter="topic">{{ . }}</span></li>{{ end }}
{{ range .Params.stages }}<li><span data-pagefind-filter="stage">{{ . }}</span></li>{{ end }}
{{ range .Params.themes }}<li><span data-pagefind-filter="theme">{{ . }}</span></li>{{ end }}
</ul>{{ .Params.summary }}{{ .Content }}</article>{{ end }}
T
for f in list terms index; do echo '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}' > "$W/site/layouts/_default/$f.html"; done

measure() { # label command...: prints wall seconds and peak RSS in MB
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "${@:2}" >/dev/null 2>&1
  read -r secs kb < "$W/time.txt"
  printf '%s: %s s, %s MB peak\n' "$1" "$secs" "$((kb / 1024))"
}
go build -o "$W/atlas" ./cmd/atlas
go build -o "$W/querytime" ./scripts/querytime
echo "== build"
measure "atlas build" "$W/atlas" build --content content --index "$W/atlas-index/atlas.bleve"
measure "hugo build" hugo --source "$W/site" --minify -d "$W/site/public"
measure "pagefind index" "$PF" --site "$W/site/public"
echo "== index size"
echo "atlas index: $(du -sk "$W/atlas-index/atlas.bleve" | cut -f1) KB"
echo "pagefind bundle: $(du -sk "$W/site/public/pagefind" | cut -f1) KB (plus the Hugo site: $(du -sk --exclude=pagefind "$W/site/public" | cut -f1) KB)"
echo "== per query (in-process, topic filter funder-measures, $ITERS rounds)"
echo "atlas:    $("$W/querytime" -content content -queries "$W/queries.txt" -iters "$ITERS" -topic funder-measures)"
# pagefind.js is an ES module; the npm project above it would make Node read it as CommonJS.
echo '{"type": "module"}' > "$W/site/public/pagefind/package.json"
echo "pagefind: $(node scripts/peer-search.mjs "$W/site/public/pagefind" "$W/queries.txt" "$ITERS" funder-measures)"
