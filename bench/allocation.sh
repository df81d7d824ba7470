#!/usr/bin/env bash
# Allocation benchmark (SPEC §6): warm allocation latency (p50/p99) and throughput through the HTTP API, with the
# pool and worker controllers, against the in-process fake API server. Writes bench/results/allocation-<date>.md.
#   bash bench/allocation.sh [--warm 600] [--count 500] [--clients 8] [--warmup-seconds 20]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build bench/BuildKitController.AllocationBench/BuildKitController.AllocationBench.csproj -c Release -nologo -v quiet
exec dotnet bench/BuildKitController.AllocationBench/bin/Release/net10.0/buildkit-allocation-bench.dll "$@"
