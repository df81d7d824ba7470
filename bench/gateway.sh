#!/usr/bin/env bash
# Gateway benchmark (SPEC §6), one run, three paths side by side: bulk throughput and small request/response latency
# direct to a TLS backend, through the gateway process, and through Debian's nginx `stream` with ssl on both sides
# (one worker process); then the gateway's RSS with many idle connections. Writes bench/results/gateway-<date>.md.
#   bash bench/gateway.sh [--bulk-mib 1024] [--rounds 3] [--requests 5000] [--idle 9900]
# The bulk table also gives the client-hop cipher of each path and the proxy's CPU seconds per GiB moved (steadier
# than MiB/s on a shared machine). Experiments: --only bulk|idle, --no-nginx true, --ciphers openssl-default (default:
# AES-256-GCM first in both proxies) | aes128-first (gateway --prefer-aes128-gcm, nginx with the same suite order),
# --gateway-arg FLAG=VALUE, --gateway-env KEY=VALUE, --gateway-prefix "perf record -g -o /tmp/perf.data" (or
# "heaptrack -o /tmp/ht"; the gateway gets SIGTERM at the end so the profiler writes its data), --hold SECONDS (keep
# the idle connections open to inspect the process).
# --idle defaults to 9,900: the gateway holds two sockets per connection and this container's hard file
# descriptor limit is 20,000 (`ulimit -Hn`); raise the limit to measure 10,000 exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx (Debian package) …" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-stream \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) >&2
  # Only the binary is used; do not leave a system nginx running.
  (service nginx stop || true) >/dev/null 2>&1
fi
# Debian's nginx-light builds the stream module as a loadable module.
if [ ! -e /usr/lib/nginx/modules/ngx_stream_module.so ] && nginx -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnginx-mod-stream >&2
fi
ulimit -n "$(ulimit -Hn)" || true
dotnet build bench/BuildKitController.GatewayBench/BuildKitController.GatewayBench.csproj -c Release -nologo -v quiet
mkdir -p bench/results
out="bench/results/gateway-$(date -u +%Y-%m-%d-%H%M).md"
dotnet bench/BuildKitController.GatewayBench/bin/Release/net10.0/buildkit-gateway-bench.dll --out "$out" "$@"
echo "wrote $out" >&2
