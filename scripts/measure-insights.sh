#!/usr/bin/env bash
# Measures the insights (src/Shared/Insights) on seeded, labelled synthetic accounts: precision and recall of the
# anomaly flags beside a previous-day ±20% rule, and the error of the month-end forecast. See docs/REPORTS.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/measure-insights.sh [options]

Builds and runs tools/InsightsBench in Release. It generates accounts with Bogus from a fixed seed (groups with
weekday patterns, monthly charges, credits, corrections and estimated tails, and one injected event each: spike,
drop, level shift, new group, slow drift, or none), labels each report day from the generator's own process, runs
AnomalyDetector.Detect on the window the collector would fetch, and prints precision and recall against the
labels beside a previous-day ±20% rule held to the same minimum impact. It then forecasts account-months on the
10th and the 20th and prints the error against the settled month total. The same options print the same figures.

Options:
  --seed N        seed of the anomaly accounts (the forecast uses N + 1; default: the reported seed)
  --accounts N    accounts for the anomaly flags (default 400, about 2,200 group series)
  --months N      account-months for the forecast (default 500)
  --list-errors   also list every series the detector misjudged
  -h, --help      this text
EOF_USAGE
}

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed | --accounts | --months)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "measure-insights.sh: $1 needs a whole number" >&2; exit 2; }
      args+=("$1" "$2")
      shift 2
      ;;
    --list-errors) args+=("$1"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "measure-insights.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

cd "$root"
label="Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain --untracked-files=no -- src/Shared/Insights tools/InsightsBench 2>/dev/null)" ]]; then
  label+=" with local changes to the insights or the bench"
fi
echo "$label; command: scripts/measure-insights.sh${args[*]:+ ${args[*]}}"
echo
dotnet run --configuration Release --project tools/InsightsBench --verbosity quiet -- "${args[@]}"
