#!/usr/bin/env bash
# Rebuilds site_builder/theme/static/vendor/vega-runtime.min.js and site_builder/theme/static/vendor/LICENSE-vega.txt:
# the Vega runtime only (the site compiles Vega-Lite to Vega at build time).
# Needs node >= 18 and npm with access to the npm registry. See README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/site_builder/theme/static/vendor}"
python="${PYTHON:-$root/.venv/bin/python}"

cd "$here"

# The bundled Vega must be the one vl-convert compiles the site's charts for.
want="$(node -p "require('./package.json').dependencies.vega")"
if [ -x "$python" ] && "$python" -c 'import vl_convert' 2>/dev/null; then
  have="$("$python" -c 'import vl_convert; print(vl_convert.get_vega_version())')"
  if [ "$have" != "$want" ]; then
    echo "build.sh: package.json pins vega $want but vl_convert targets Vega $have" >&2
    exit 1
  fi
else
  echo "build.sh: vl_convert not found (PYTHON=$python); not checking the Vega version against it" >&2
fi

# Exactly the locked versions (package-lock.json), no install scripts needed.
npm ci --no-audit --no-fund --ignore-scripts

# One copy of each vega-* package (a second copy would mean the pins in
# package.json no longer agree with each other).
nested="$(find node_modules -mindepth 3 -path '*/node_modules/vega*' -name package.json || true)"
if [ -n "$nested" ]; then
  echo "build.sh: nested copies of vega packages:" >&2
  echo "$nested" >&2
  exit 1
fi

node build.mjs "$out"

bytes="$(wc -c < "$out/vega-runtime.min.js")"
gz="$(gzip -9 -c "$out/vega-runtime.min.js" | wc -c)"
echo "vega-runtime.min.js: $bytes bytes, $gz bytes gzip -9"
