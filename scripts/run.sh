#!/usr/bin/env bash
# The product's main job as far as it exists today: check BuildKit manifests the way the cluster will
# (CRD model, defaults, controller validation, unknown fields) and print each pool with its defaults.
# With no arguments it checks examples/. Needs only the .NET 10 SDK (and NuGet for the first restore).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build "$root/src/BuildKitController.Operator" -c Release -v quiet -nologo >/dev/null

if [ "$#" -eq 0 ]; then
  cd "$root"
  set -- examples
fi
exec dotnet "$root/src/BuildKitController.Operator/bin/Release/net10.0/buildkit-controller.dll" validate "$@"
