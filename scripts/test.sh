#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: restore, build (warnings are errors), test every project,
# and print one closing line "N passed, N failed". Needs only the .NET 10 SDK (and network access to NuGet).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet restore BuildKitController.slnx
dotnet build BuildKitController.slnx --no-restore -c Release

set +e
dotnet test BuildKitController.slnx --no-build -c Release \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" \
  --blame-hang-timeout 10m "$@"
status=$?
set -e

passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done

# Anything that did not pass or fail (a crashed or hung test host) counts as failed.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi
