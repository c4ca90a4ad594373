#!/usr/bin/env bash
# Measures `supportbot serve`: time from exec to /readyz answering 200,
# resident memory idle and after N web chat requests, and peak memory
# (/usr/bin/time -v). The figures in the README and in k8s/supportbot.yaml
# come from it.
#
#   go build -o /tmp/supportbot ./cmd/supportbot
#   deploy/measure.sh /tmp/supportbot 18080 3000
set -euo pipefail
bin=${1:?usage: measure.sh BINARY [PORT] [REQUESTS]}
port=${2:-18080}
n=${3:-3000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

PORT=$port RATE_LIMIT=100000 RATE_BURST=100000 /usr/bin/time -v -o "$out/time" "$bin" serve >"$out/log" 2>&1 &
timer=$!
start=$(date +%s%N)
until curl -sf "localhost:$port/readyz" >/dev/null; do sleep 0.005; done
echo "ready: $(( ($(date +%s%N) - start) / 1000000 )) ms from exec to /readyz 200"
pid=$(pgrep -P "$timer")
echo "idle: $(grep VmRSS "/proc/$pid/status")"

questions=("中小企業向けの支援" "子どものスマホが心配" "CTFに参加したい" "support for small businesses" "学校で出前授業" "詐欺にあったかもしれない")
for i in $(seq 1 "$n"); do
	printf '{"session":"measuresession%06d","text":"%s"}\n' $((i % 500)) "${questions[$((i % 6))]}"
done >"$out/bodies"
xargs -d '\n' -P 16 -I{} curl -s -o /dev/null -H 'Content-Type: application/json' -d '{}' "localhost:$port/api/chat" <"$out/bodies"
echo "after $n chat requests: $(grep VmRSS "/proc/$pid/status")"

kill -TERM "$pid"
wait "$timer"
grep -E "Maximum resident|Exit status" "$out/time"
