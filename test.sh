#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (against dynalite, fauxqs and aws-ses-v2-local, which the tests
# start and stop themselves on loopback ports) and infrastructure invariants (Terraform parsed by hcl2json).
# Installs the pinned npm tools and Debian's Chromium first; the installs are no-ops when already done. Then builds the Lambda
# packages of both kinds, because the integration tests start the packaged functions the way the Lambda runtime
# does (a ReadyToRun executable assembly and a Native AOT bootstrap), not the code the test host already loaded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bash tools/emulators/install.sh
if [[ ! -f tools/hcl2json/node_modules/.package-lock.json ]] || ! cmp -s tools/hcl2json/package-lock.json tools/hcl2json/node_modules/.costnotifier-lock; then
  npm ci --prefix tools/hcl2json --no-audit --no-fund
  cp tools/hcl2json/package-lock.json tools/hcl2json/node_modules/.costnotifier-lock
fi

# The browser tests open the report email in Debian's Chromium through Playwright (Playwright's own browser
# download is not used). Installed here when missing; CHROMIUM_PATH points them at another build.
if [[ -z "${CHROMIUM_PATH:-}" ]] && [[ ! -x /usr/bin/chromium ]]; then
  sudo_cmd=()
  [[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends chromium
fi

./build.sh package
./build.sh package --aot

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test CostNotifier.sln --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '
  /(Passed|Failed)! *- *Failed: *[0-9]+, *Passed: *[0-9]+/ {
    match($0, /Failed: *[0-9]+/); f += substr($0, RSTART + 7, RLENGTH - 7) + 0
    match($0, /Passed: *[0-9]+/); p += substr($0, RSTART + 7, RLENGTH - 7) + 0
    match($0, /Skipped: *[0-9]+/); s += substr($0, RSTART + 8, RLENGTH - 8) + 0
    n++
  }
  END { if (n > 0) printf "%d passed, %d failed, %d skipped\n", p, f, s; else print "no test assembly reported results" }
' "$log"
exit "$status"
