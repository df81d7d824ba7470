#!/usr/bin/env bash
# Controller benchmark (SPEC §6): builds the controller and the benchmark in Release, then runs the scenario
# (default 1,000 pools x 10 workers) and writes bench/results/controller-<date>.md.
# Any argument is passed to the benchmark, e.g. a quick smoke run:
#   bash bench/controller.sh --pools 50 --steady-seconds 10
# Needs only the .NET 10 SDK. Runs for about as long as the cold start takes (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Builds buildkit-controller (Release) too: the benchmark project references it without linking it.
dotnet build bench/BuildKitController.Bench/BuildKitController.Bench.csproj -c Release -nologo -v quiet

exec dotnet bench/BuildKitController.Bench/bin/Release/net10.0/buildkit-bench.dll "$@"
