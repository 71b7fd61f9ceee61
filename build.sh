#!/usr/bin/env bash
# Builds the deployment packages of the three Lambda functions. See ./build.sh --help.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF'
Usage: ./build.sh package [--aot | --no-r2r] [--arch x86_64|arm64]
       ./build.sh --help

package    Publishes each Lambda function (Release) and writes one zip per function, ready for Terraform, at
             artifacts/<kind>/<arch>/{scheduler,collector,notifier}.zip
           Every function is an executable that runs its own Lambda Runtime API loop, so no Amazon.Lambda package
           is needed to start it. Zips hold their files at the root, in a fixed order with fixed timestamps (the
           same sources give the same bytes); debug symbols are left out.

           Default kind "ready-to-run": framework-dependent, ReadyToRun, for the dotnet10 managed runtime with the
           handler string set to the assembly name (CostNotifier.Scheduler, ...), which the runtime starts as
           `dotnet exec /var/task/<handler>.dll`. The zip holds <Assembly>.dll, .deps.json, .runtimeconfig.json
           and the dependencies.

--aot      Kind "native-aot": one self-contained native executable per function, named `bootstrap` (mode 0755),
           for the provided.al2023 runtime, which runs /var/task/bootstrap. Fails on any trim or AOT warning.
--no-r2r   Kind "il": like ready-to-run but without ReadyToRun (plain IL, compiled by the JIT at run time), to
           compare package size and cold start.
--arch A   x86_64 (default) or arm64 (Graviton, 20% cheaper per GB-second). arm64 Native AOT on an x86_64
           machine cross-compiles: apt-get install clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross.

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
# Our own package budgets are 5 MB (ReadyToRun) and 10 MB (Native AOT); Lambda's limit for a directly uploaded zip
# is 50 MB.
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
    # Executables (a native bootstrap) stay 0755, which Lambda needs to run them; everything else is 0644.
    find . -type f ! -perm -u+x -exec chmod 0644 {} +
    find . -type f -perm -u+x -exec chmod 0755 {} +
    find . -type f -exec touch -t "$fixed_mtime" {} +
    if command -v zip >/dev/null 2>&1; then
      # -X: no uid/gid or extra timestamps; -D: no directory entries; -9: smallest.
      find . -type f | sed 's|^\./||' | sort | zip -X -D -9 -q "$target" -@
    elif command -v python3 >/dev/null 2>&1; then
      find . -type f | sed 's|^\./||' | sort | python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for name in sys.stdin.read().splitlines():
        entry = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
        entry.external_attr = (0o100755 if os.access(name, os.X_OK) else 0o100644) << 16
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
  local kind="ready-to-run" arch="x86_64"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --aot) kind="native-aot" ;;
      --no-r2r) kind="il" ;;
      --arch)
        [[ $# -ge 2 ]] || die "--arch needs x86_64 or arm64"
        arch="$2"
        shift
        ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option '$1' for package (see ./build.sh --help)" ;;
    esac
    shift
  done

  local rid
  case "$arch" in
    x86_64) rid="linux-x64" ;;
    arm64) rid="linux-arm64" ;;
    *) die "--arch must be x86_64 or arm64, not '$arch'" ;;
  esac

  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
  local out="$root/artifacts/$kind/$arch" build="$root/artifacts/build/$kind-$arch"
  local budget_mb=5
  [[ "$kind" != native-aot ]] || budget_mb=10
  mkdir -p "$out"
  echo "Packaging the functions as $kind for $rid into ${out#"$root"/}/"

  local entry name project assembly publish stage log required
  local -a kind_args
  for entry in "${functions[@]}"; do
    IFS=: read -r name project assembly <<<"$entry"
    publish="$build/publish/$name"
    stage="$build/package/$name"
    log="$build/$name.publish.log"
    rm -rf "$publish" "$stage"
    mkdir -p "$build" "$stage"
    case "$kind" in
      # Framework-dependent: the managed runtime provides .NET. ReadyToRun needs the runtime pack and the
      # Crossgen2 pack, which restore from NuGet.
      ready-to-run) kind_args=(--self-contained false -p:PublishReadyToRun=true) ;;
      il) kind_args=(--self-contained false -p:PublishReadyToRun=false) ;;
      # Native AOT: ILCompiler compiles and links one executable; the symbols go to a separate .dbg file.
      native-aot) kind_args=(-p:PublishAot=true -p:StripSymbols=true) ;;
    esac
    if [[ "$kind" == native-aot && "$arch" == arm64 && "$(uname -m)" != aarch64 ]]; then
      # ILCompiler cross-links with clang --target=aarch64-linux-gnu, which finds the cross binutils, crt files and
      # glibc that Debian's arm64 cross packages install under /usr/aarch64-linux-gnu.
      command -v clang >/dev/null 2>&1 && command -v aarch64-linux-gnu-ld.bfd >/dev/null 2>&1 \
        && [[ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ]] \
        || die "arm64 Native AOT on $(uname -m) needs clang and the arm64 cross toolchain: apt-get install clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
      kind_args+=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
    fi

    # SatelliteResourceLanguages keeps localized resource folders of dependencies out; the functions speak English.
    if ! dotnet publish "$root/$project/$assembly.csproj" \
      --configuration Release \
      --runtime "$rid" \
      --artifacts-path "$build" \
      --output "$publish" \
      --nologo \
      --verbosity quiet \
      -p:SatelliteResourceLanguages=en \
      "${kind_args[@]}" >"$log" 2>&1; then
      cat "$log" >&2
      die "$name: dotnet publish failed"
    fi
    # Warnings count as errors here too: a trim or AOT warning marks code that may fail only in the native build.
    if grep -E ': warning [A-Z]+[0-9]+' "$log" >&2; then
      die "$name: dotnet publish reported the warnings above"
    fi

    if [[ "$kind" == native-aot ]]; then
      [[ -x "$publish/$assembly" ]] || die "$name: the native executable $publish/$assembly is missing"
      cp "$publish/$assembly" "$stage/bootstrap"
      chmod 0755 "$stage/bootstrap"
    else
      for required in "$assembly.dll" "$assembly.deps.json" "$assembly.runtimeconfig.json"; do
        [[ -f "$publish/$required" ]] || die "$name: $required is missing from the publish folder $publish"
      done
      # The apphost and debug symbols stay out: the runtime starts the assembly with `dotnet exec`.
      cp -R "$publish/." "$stage/"
      rm -f "$stage/$assembly"
      find "$stage" -type f -name '*.pdb' -delete
    fi

    zip_folder "$stage" "$out/$name.zip"

    local entries
    entries="$(zip_entries "$out/$name.zip")"
    if [[ "$kind" == native-aot ]]; then
      [[ "$entries" == "bootstrap" ]] || die "$name: $out/$name.zip must hold exactly bootstrap, not: $entries"
    else
      for required in "$assembly.dll" "$assembly.deps.json" "$assembly.runtimeconfig.json"; do
        grep -qxF "$required" <<<"$entries" || die "$name: $required is not at the root of $out/$name.zip"
      done
    fi
  done

  echo
  printf '%-40s %12s %9s  %s\n' "package" "bytes" "MB" "budget $budget_mb MB"
  local size verdict
  for entry in "${functions[@]}"; do
    IFS=: read -r name _ _ <<<"$entry"
    size="$(stat -c %s "$out/$name.zip")"
    verdict="ok"
    if ((size > budget_mb * 1024 * 1024)); then
      verdict="OVER"
      echo "build.sh: warning: ${out#"$root"/}/$name.zip is over the $budget_mb MB budget" >&2
    fi
    printf '%-40s %12d %9s  %s\n' "${out#"$root"/}/$name.zip" "$size" "$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')" "$verdict"
  done
}

case "${1:-}" in
  package) shift; package "$@" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "build.sh: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
