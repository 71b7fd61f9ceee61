#!/usr/bin/env bash
# Measures the cold start, warm invocation time and peak memory of the packaged Lambda functions, ReadyToRun
# against plain IL. See scripts/measure-functions.sh --help and docs/PERFORMANCE.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: scripts/measure-functions.sh [options]

Builds both package variants (./build.sh package, ./build.sh package --no-r2r), installs the pinned emulators,
then, for every run, function and variant, starts a fresh process that loads the function from its extracted
zip, builds its container, answers one invocation against the emulators (cold) and a second one (warm).
Prints the medians with PASS/FAIL against the targets: cold start <= 300 ms with ReadyToRun, zip <= 5 MB,
peak memory of one invocation <= 128 MB. A missed target is reported, not failed; the script fails only when a
build or a measured invocation fails.

Options:
  --runs N            measured runs per function and variant (default 5)
  --warmup N          rounds run first and discarded (default 1)
  --functions LIST    comma-separated subset of scheduler,collector,notifier
  --env NAME=VALUE    extra environment for the measured processes, e.g. DOTNET_TieredPGO=0 (repeatable)
  --markdown FILE     also write the summary as a Markdown table
  --nice N            run the benchmark, its emulators and the measured processes at this niceness; on a shared
                      machine a negative value (root only), e.g. --nice -15, keeps other work from inflating times
  --no-build          measure the zips already in artifacts/ and artifacts/no-r2r/ instead of rebuilding them
  -h, --help          this text
EOF
}

build=true
niceness=""
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

cd "$root"
if [[ "$build" == true ]]; then
  ./build.sh package
  ./build.sh package --no-r2r
else
  for zip in artifacts/{,no-r2r/}{scheduler,collector,notifier}.zip; do
    [[ -f "$zip" ]] || { echo "measure-functions.sh: $zip is missing; run without --no-build" >&2; exit 1; }
  done
fi

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
[[ ${#launcher[@]} -eq 0 ]] || label+=" --nice $niceness"
if [[ ${#bench_args[@]} -gt 0 ]]; then
  label+=" ${bench_args[*]}"
fi

echo
"${launcher[@]}" dotnet "$bench_out/bin/CostNotifier.FunctionBench/release/CostNotifier.FunctionBench.dll" \
  --variant "r2r=$root/artifacts" \
  --variant "no-r2r=$root/artifacts/no-r2r" \
  --emulators "$root/tools/emulators" \
  --label "$label" \
  "${bench_args[@]}"
