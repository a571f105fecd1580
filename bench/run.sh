#!/usr/bin/env bash
# Speed benchmark: simulated requests per wall-clock second on one thread,
# whole process (start-up, simulation, statistics and CSV writing), median of
# RUNS runs, plus peak RSS. With the peers folder present (../shared/peers),
# also runs the framework-free Rust loop on the same workload and prints the
# ratio.
#
# usage: bench/run.sh [SCENARIO]     (default scenarios/bench/mm8.toml)
# env:   RUNS (default 5), PEERS (default ../shared/peers; empty to skip)
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:-scenarios/bench/mm8.toml}
runs=${RUNS:-5}
peers=${PEERS-../shared/peers}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/hostsim

# time_run OUT CMD...: runs CMD under /usr/bin/time, prints "seconds peak_kb".
time_run() {
    local out=$1; shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$out" 2>/dev/null
    cat "$work/time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$work/hostsim.times"
for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    time_run /dev/null "$bin" run "$scenario" --jobs 1 --quiet --no-charts --out "$work/out" >>"$work/hostsim.times"
done
series=$(find "$work/out" -name timeseries.csv | head -n 1)
# Requests over the whole horizon: the sum of the `offered` column.
requests=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "offered") c = i; next } { s += $c } END { printf "%.0f", s }' "$series")
secs=$(cut -d' ' -f1 "$work/hostsim.times" | median)
rss_kb=$(cut -d' ' -f2 "$work/hostsim.times" | sort -g | tail -n 1)
hostsim_rps=$(awk -v n="$requests" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
printf 'hostsim  %s: %s requests in %ss (median of %s) = %.2f M requests/s, peak RSS %.1f MB\n' \
    "$scenario" "$requests" "$secs" "$runs" "$(awk -v r="$hostsim_rps" 'BEGIN { print r / 1e6 }')" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"

if [[ -n "$peers" && -d "$peers/rust-baseline" ]]; then
    cp -r "$peers/rust-baseline" "$work/"
    (cd "$work/rust-baseline" && env -u CARGO_TARGET_DIR cargo build --release -q) >&2
    : >"$work/base.times"
    for _ in $(seq "$runs"); do
        time_run /dev/null "$work/rust-baseline/target/release/rust-baseline" "$requests" 1 hdr >>"$work/base.times"
    done
    base_secs=$(cut -d' ' -f1 "$work/base.times" | median)
    base_rps=$(awk -v n="$requests" -v s="$base_secs" 'BEGIN { printf "%.0f", n / s }')
    printf 'baseline framework-free loop (hdr): %.2f M requests/s\n' "$(awk -v r="$base_rps" 'BEGIN { print r / 1e6 }')"
    printf 'ratio hostsim / baseline: %.2f\n' "$(awk -v a="$hostsim_rps" -v b="$base_rps" 'BEGIN { print a / b }')"
fi
