#!/usr/bin/env bash
# Measures the cold start, warm invocation time and peak memory of the packaged Lambda functions, started as Lambda's
# runtime starts them: ReadyToRun beside Native AOT. See scripts/measure-functions.sh --help and docs/PERFORMANCE.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: scripts/measure-functions.sh [options]

Builds the packages (./build.sh package for ready-to-run, ./build.sh package --aot for native-aot), installs the
pinned emulators, then, for every run, function and package kind, starts the function straight from its extracted
zip exactly as Lambda's runtime does (dotnet exec <Assembly>.dll on dotnet10, the bootstrap executable on
provided.al2023), in a Lambda-like environment, against a Runtime API emulator on a loopback port. Each process
answers one event against the emulators (cold) and a second one (warm); both are checked to have done their work.

Measured per run: the cold-start proxy (process start to the cold event's response posted), the time to the first
invocation/next (initialisation done), the cold and warm invocations from handing the event out to its answer, and
the peak memory (VmHWM) of the process after the warm answer; per package, the zip size. Prints the medians with
PASS/FAIL against the targets: Native AOT cold start <= 50 ms, peak memory <= 40 MB, zip <= 10 MB; ReadyToRun
cold start <= 250 ms, zip <= 5 MB. A missed target is reported, not failed; the script fails only when a build or
a measured invocation fails.

Options:
  --kind KIND         a package kind to measure: ready-to-run, native-aot or il (./build.sh package --no-r2r);
                      repeatable (default: ready-to-run and native-aot, side by side)
  --runs N            measured runs per function and kind (default 5)
  --warmup N          rounds run first and discarded (default 1)
  --functions LIST    comma-separated subset of scheduler,collector,notifier
  --env NAME=VALUE    extra environment for the measured processes, e.g. DOTNET_TieredPGO=0 (repeatable)
  --markdown FILE     also write the summary as a Markdown table
  --nice N            run the benchmark, its emulators and the measured processes at this niceness; on a shared
                      machine a negative value (root only), e.g. --nice -15, keeps other work from inflating times
  --no-build          measure the zips already in artifacts/<kind>/x86_64/ instead of rebuilding them
  -h, --help          this text
EOF
}

arch=x86_64
build=true
niceness=""
kinds=()
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs | --warmup | --functions | --env | --markdown)
      [[ $# -ge 2 ]] || { echo "measure-functions.sh: $1 needs a value" >&2; exit 2; }
      value="$2"
      # The benchmark runs from the repository root; keep a relative output path relative to the caller.
      if [[ "$1" == --markdown && "$value" != /* ]]; then
        value="$PWD/$value"
      fi
      bench_args+=("$1" "$value")
      shift 2
      ;;
    --kind)
      [[ $# -ge 2 && "$2" =~ ^(ready-to-run|native-aot|il)$ ]] ||
        { echo "measure-functions.sh: --kind takes ready-to-run, native-aot or il" >&2; exit 2; }
      kinds+=("$2")
      shift 2
      ;;
    --nice)
      [[ $# -ge 2 && "$2" =~ ^-?[0-9]+$ ]] || { echo "measure-functions.sh: --nice needs a whole number" >&2; exit 2; }
      niceness="$2"
      shift 2
      ;;
    --no-build) build=false; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "measure-functions.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#kinds[@]} -gt 0 ]] || kinds=(ready-to-run native-aot)

cd "$root"
kind_args=()
for kind in "${kinds[@]}"; do
  # The ./build.sh package option that writes this kind.
  case "$kind" in
    ready-to-run) option=() ;;
    native-aot) option=(--aot) ;;
    il) option=(--no-r2r) ;;
  esac
  if [[ "$build" == true ]]; then
    ./build.sh package "${option[@]}" --arch "$arch"
  else
    for function in scheduler collector notifier; do
      zip="artifacts/$kind/$arch/$function.zip"
      [[ -f "$zip" ]] || {
        echo "measure-functions.sh: $zip is missing; run ./build.sh package ${option[*]}, or this script without --no-build" >&2
        exit 1
      }
    done
  fi
  kind_args+=(--kind "$kind")
done

bash tools/emulators/install.sh

bench_out="$root/artifacts/build/bench"
dotnet build tools/FunctionBench/CostNotifier.FunctionBench.csproj \
  --configuration Release --artifacts-path "$bench_out" --nologo --verbosity quiet

launcher=()
if [[ -n "$niceness" ]]; then
  launcher=(nice -n "$niceness")
  if ((niceness < 0 && EUID != 0)); then
    echo "measure-functions.sh: --nice $niceness needs root; running at normal priority" >&2
    launcher=()
  fi
fi

label="Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no -- src 2>/dev/null)" ]]; then
  label+=" with local changes under src/"
fi
label+="; command: scripts/measure-functions.sh"
[[ "$build" == true ]] || label+=" --no-build"
label+="$(printf ' --kind %s' "${kinds[@]}")"
[[ ${#launcher[@]} -eq 0 ]] || label+=" --nice $niceness"
if [[ ${#bench_args[@]} -gt 0 ]]; then
  label+=" ${bench_args[*]}"
fi

echo
"${launcher[@]}" dotnet "$bench_out/bin/CostNotifier.FunctionBench/release/CostNotifier.FunctionBench.dll" \
  "${kind_args[@]}" \
  --artifacts "$root/artifacts" \
  --arch "$arch" \
  --emulators "$root/tools/emulators" \
  --label "$label" \
  "${bench_args[@]}"
