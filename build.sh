#!/usr/bin/env bash
# Builds the deployment packages of the three Lambda functions. See ./build.sh --help.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF'
Usage: ./build.sh package [--no-r2r]
       ./build.sh --help

package    Publishes each Lambda function for the dotnet10 managed runtime (linux-x64, framework-dependent,
           Release, ReadyToRun) and writes one zip per function, ready for Terraform:
             artifacts/scheduler.zip  artifacts/collector.zip  artifacts/notifier.zip
           Each zip holds the publish folder's contents at its root, in a fixed order with fixed timestamps
           (the same sources give the same bytes), including <Assembly>.deps.json and
           <Assembly>.runtimeconfig.json, which the managed runtime needs to start the function.
           Debug symbols (.pdb) are left out.

--no-r2r   Publishes without ReadyToRun (plain IL, compiled by the JIT at run time) into artifacts/no-r2r/,
           for comparing package size and cold start (scripts/measure-functions.sh).

Uses `zip` when installed, otherwise Python's zipfile module. Intermediate build output goes to
artifacts/build/, so the source tree's bin/ and obj/ folders are not touched.
EOF
}

# name:project-directory:assembly
readonly functions=(
  "scheduler:src/Scheduler:CostNotifier.Scheduler"
  "collector:src/Collector:CostNotifier.Collector"
  "notifier:src/Notifier:CostNotifier.Notifier"
)
# Our own package budget (Lambda's limit for a directly uploaded zip is 50 MB).
readonly size_budget_bytes=$((5 * 1024 * 1024))
# Every zip entry gets this timestamp (2000-01-01T00:00:00Z) so rebuilding the same sources gives the same bytes.
readonly fixed_mtime="200001010000.00"

die() {
  echo "build.sh: $*" >&2
  exit 1
}

# zip_folder SOURCE_DIR ZIP_PATH: every file under SOURCE_DIR, paths relative to it, in byte order.
zip_folder() {
  local source="$1" target="$2"
  rm -f "$target"
  (
    cd "$source"
    export TZ=UTC LC_ALL=C
    find . -type f -exec chmod 0644 {} +
    find . -type f -exec touch -t "$fixed_mtime" {} +
    if command -v zip >/dev/null 2>&1; then
      # -X: no uid/gid or extra timestamps; -D: no directory entries; -9: smallest.
      find . -type f | sed 's|^\./||' | sort | zip -X -D -9 -q "$target" -@
    elif command -v python3 >/dev/null 2>&1; then
      find . -type f | sed 's|^\./||' | sort | python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for name in sys.stdin.read().splitlines():
        entry = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
        entry.external_attr = 0o100644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(name, "rb") as data:
            archive.writestr(entry, data.read(), compresslevel=9)
' "$target"
    else
      die "neither zip nor python3 is installed; install one of them (apt-get install -y zip)"
    fi
  )
}

# zip_entries ZIP_PATH: the entry names, one per line.
zip_entries() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$1"
  else
    python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  fi
}

package() {
  local r2r="true" out="$root/artifacts" variant="ReadyToRun"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --no-r2r) r2r="false"; out="$root/artifacts/no-r2r"; variant="no ReadyToRun" ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option '$1' for package (see ./build.sh --help)" ;;
    esac
    shift
  done

  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
  local build="$root/artifacts/build/$([[ $r2r == true ]] && echo r2r || echo no-r2r)"
  mkdir -p "$out"
  echo "Packaging the functions for linux-x64 ($variant) into ${out#"$root"/}/"

  local entry name project assembly publish
  for entry in "${functions[@]}"; do
    IFS=: read -r name project assembly <<<"$entry"
    publish="$build/publish/$name"
    rm -rf "$publish"
    # Framework-dependent: the managed runtime provides .NET. ReadyToRun needs the linux-x64 runtime pack and
    # the Crossgen2 pack, which restore from NuGet. SatelliteResourceLanguages keeps localized resource
    # folders of dependencies out of the package; the functions speak English only.
    dotnet publish "$root/$project/$assembly.csproj" \
      --configuration Release \
      --runtime linux-x64 \
      --self-contained false \
      --artifacts-path "$build" \
      --output "$publish" \
      --nologo \
      --verbosity quiet \
      -p:PublishReadyToRun="$r2r" \
      -p:SatelliteResourceLanguages=en

    find "$publish" -type f -name '*.pdb' -delete
    local required
    for required in "$assembly.dll" "$assembly.deps.json" "$assembly.runtimeconfig.json"; do
      [[ -f "$publish/$required" ]] || die "$name: $required is missing from the publish folder $publish"
    done

    zip_folder "$publish" "$out/$name.zip"

    local entries
    entries="$(zip_entries "$out/$name.zip")"
    for required in "$assembly.dll" "$assembly.deps.json" "$assembly.runtimeconfig.json"; do
      grep -qxF "$required" <<<"$entries" || die "$name: $required is not at the root of $out/$name.zip"
    done
  done

  echo
  printf '%-28s %12s %9s  %s\n' "package" "bytes" "MB" "budget 5 MB"
  local size verdict
  for entry in "${functions[@]}"; do
    IFS=: read -r name _ _ <<<"$entry"
    size="$(stat -c %s "$out/$name.zip")"
    verdict="ok"
    if ((size > size_budget_bytes)); then
      verdict="OVER"
      echo "build.sh: warning: ${out#"$root"/}/$name.zip is over the 5 MB budget" >&2
    fi
    printf '%-28s %12d %9s  %s\n' "${out#"$root"/}/$name.zip" "$size" "$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')" "$verdict"
  done
}

case "${1:-}" in
  package) shift; package "$@" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "build.sh: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
