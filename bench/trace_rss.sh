#!/usr/bin/env bash
# Trace replay in constant memory: writes a synthetic per-second trace of
# SIZE_GB gigabytes (default 2; 13-byte rows "1000000000,7") to a temp dir,
# replays it with `hostsim run` (one option, one replication, one thread) and
# prints the trace's size, the time and peak RSS of validation (one pass over
# the file) and of the run (validation plus replay), and the replay speed.
# Fails if the run's peak RSS reaches LIMIT_MB (default 100).
#
# usage: bench/trace_rss.sh        env: SIZE_GB, LIMIT_MB, SCALE (default 0.1)
set -euo pipefail
cd "$(dirname "$0")/.."

size_gb=${SIZE_GB:-2}
limit_mb=${LIMIT_MB:-100}
scale=${SCALE:-0.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/hostsim

rows=$(awk -v g="$size_gb" 'BEGIN { printf "%d", g * 1e9 / 13 }')
echo "writing $rows rows to $work/trace.csv ..." >&2
awk -v n="$rows" 'BEGIN {
    print "timestamp_seconds,requests"
    for (i = 0; i < n; i++) printf "%d,%d\n", 1000000000 + i, (i * 7919) % 10
}' >"$work/trace.csv"
bytes=$(stat -c %s "$work/trace.csv")

cat >"$work/replay.toml" <<EOF
name = "trace-rss"
bucket = "1d"
[traffic.trace]
file = "trace.csv"
bucket = "1s"
scale = $scale
[workload]
cpu = { dist = "exponential", mean = "10ms" }
[[option]]
name = "box"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 4
EOF

/usr/bin/time -f '%e %M' -o "$work/validate.time" "$bin" validate "$work/replay.toml" >/dev/null
/usr/bin/time -f '%e %M' -o "$work/run.time" \
    "$bin" run "$work/replay.toml" --jobs 1 --quiet --no-charts --out "$work/out" >/dev/null
read -r v_secs v_kb <"$work/validate.time"
read -r r_secs r_kb <"$work/run.time"
offered=$(awk -F, 'NR == 2 { print $5 }' "$work/out/trace-rss/summary.csv")

awk -v b="$bytes" -v n="$rows" -v vs="$v_secs" -v vk="$v_kb" -v rs="$r_secs" -v rk="$r_kb" -v req="$offered" 'BEGIN {
    printf "trace: %.2f GB, %d rows (one per second, %.1f years)\n", b / 1e9, n, n / 86400 / 365
    printf "validate (one pass): %.1f s, %.0f MB/s, peak RSS %.1f MB\n", vs, b / 1e6 / vs, vk / 1024
    printf "run (validate + replay): %.1f s, %.0f requests, peak RSS %.1f MB\n", rs, req, rk / 1024
    printf "replay alone: about %.1f s = %.1f M rows/s, %.1f M requests/s\n", rs - vs, n / (rs - vs) / 1e6, req / (rs - vs) / 1e6
}'
if ((r_kb >= limit_mb * 1024)); then
    echo "FAIL: peak RSS $((r_kb / 1024)) MB >= $limit_mb MB" >&2
    exit 1
fi
