#!/usr/bin/env bash
# Measures one daily per-account report over 1,000 linked accounts end to end: on the emulators with the real
# function code, each function in processes of its own, and with the embedded CLI. See --help and docs/PERFORMANCE.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/measure-scale.sh [options]

Generates a configuration with one daily per-account report, org-accounts, over N linked accounts (each with one
owner, unowned accounts skipped, the organisation total to finops@example.com), and runs one report day of it:

  emulators  installs and starts the pinned dynalite, fauxqs and aws-ses-v2-local (tools/emulators/install.sh) and a
             loopback Cost Explorer stand-in that knows the same N accounts; creates the table and the queues with
             their dead-letter queues as Terraform declares them and publishes the configuration to the table; then
             runs the real functions, each in its own process (one scheduler invocation, one collector and two
             notifiers polling their queues as SQS event source mappings do), every AWS client behind a counting proxy.
  embedded   `costnotifier reports publish --file` into a fresh data directory, then
             `costnotifier run --date DAY --output json` with COSTNOTIFIER_SES_MAX_SEND_RATE set.

Prints Cost Explorer, SQS and DynamoDB requests (and per report), bytes stored per report, SES calls, emails
delivered, dead-lettered messages, peak memory per function, and the wall time against its floor (emails ÷ rate)
with PASS/FAIL against the targets: Cost Explorer requests <= 2, dead-lettered 0, wall time <= 1.5 x floor. A missed
target is reported, not failed; the script fails when a run does not work (an email missing, a process failing, a
message dead-lettered). With 1,000 accounts each mode takes a minute or two.

Options:
  --target WHERE       emulators, embedded or both (default both)
  --accounts N         linked accounts (default 1000)
  --rate R             the SES sending quota in emails per second (default 14)
  --ce-page-groups N   the most groups one Cost Explorer page holds (default: one page)
  --timeout SECONDS    how long one mode may take before it counts as failed (default 900)
  --markdown FILE      also write the table as Markdown
  --no-build           use the benchmark and CLI already built under artifacts/build/
  -h, --help           this text
EOF_USAGE
}

build=true
target=both
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target | --accounts | --rate | --ce-page-groups | --timeout | --markdown)
      [[ $# -ge 2 ]] || { echo "measure-scale.sh: $1 needs a value" >&2; exit 2; }
      value="$2"
      # The benchmark runs from the repository root; keep a relative output path relative to the caller.
      if [[ "$1" == --markdown && "$value" != /* ]]; then
        value="$PWD/$value"
      fi
      [[ "$1" != --target ]] || target="$value"
      bench_args+=("$1" "$value")
      shift 2
      ;;
    --no-build) build=false; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "measure-scale.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

cd "$root"
bench_out="$root/artifacts/build/scale-bench"
cli_out="$root/artifacts/build/scale-cli"
bench_dll="$bench_out/bin/CostNotifier.ScaleBench/release/CostNotifier.ScaleBench.dll"
cli_dll="$cli_out/bin/CostNotifier.Cli/release/costnotifier.dll"
if [[ "$build" == true ]]; then
  dotnet build tools/ScaleBench/CostNotifier.ScaleBench.csproj \
    --configuration Release --artifacts-path "$bench_out" --nologo --verbosity quiet
  dotnet build src/Cli/CostNotifier.Cli.csproj \
    --configuration Release --artifacts-path "$cli_out" --nologo --verbosity quiet
else
  for built in "$bench_dll" "$cli_dll"; do
    [[ -f "$built" ]] || { echo "measure-scale.sh: $built is missing; run without --no-build" >&2; exit 1; }
  done
fi

if [[ "$target" != embedded ]]; then
  bash tools/emulators/install.sh
fi

label="Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no -- src 2>/dev/null)" ]]; then
  label+=" with local changes under src/"
fi
label+="; command: scripts/measure-scale.sh"
[[ "$build" == true ]] || label+=" --no-build"
if [[ ${#bench_args[@]} -gt 0 ]]; then
  label+=" ${bench_args[*]}"
fi

echo
dotnet "$bench_dll" \
  --emulators "$root/tools/emulators" \
  --cli "$cli_dll" \
  --label "$label" \
  "${bench_args[@]}"
