#!/usr/bin/env bash
# Sweep bookkeeping benchmark: a 10,000-point sweep of a tiny scenario
# (scenarios/bench/sweep-tiny.toml, ~7,200 requests a point) over a key that
# changes its option at every point, so every point really simulates (with
# reuse, a key that left the option alone would leave nothing to simulate
# and the ratio would mean nothing). Prints the sweep's own timings (hidden
# flag --timings): validation and reuse lookup, simulation, sweep.csv rows,
# writing (sweep.csv, sweep.toml, sweep.png), and bookkeeping as a share of
# simulation time, median of RUNS runs.
#
# usage: bench/sweep.sh [--check]
#   --check: fail unless bookkeeping is under 10 % of simulation time
# env:   RUNS (default 3), JOBS (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [[ ${1:-} == --check ]]; then
    check=1
    shift
fi
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/hostsim
jobs=()
if [[ -n ${JOBS:-} ]]; then
    jobs=(--jobs "$JOBS")
fi

: >"$work/ratios"
for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    "$bin" sweep scenarios/bench/sweep-tiny.toml --set option.web.price_usd=1000..10999 \
        --out "$work/out" --timings "${jobs[@]}" 2>"$work/err" >/dev/null
    grep -E '^(simulated|timings)' "$work/err"
    # "...; bookkeeping 6.3 % of simulation"
    sed -n 's/.*bookkeeping \([0-9.]*\) % of simulation.*/\1/p' "$work/err" >>"$work/ratios"
done
ratio=$(sort -g "$work/ratios" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
printf 'bookkeeping: %s %% of simulation time (median of %s), load average %s\n' "$ratio" "$runs" "$(cut -d' ' -f1 /proc/loadavg)"
if [[ $check == 1 ]]; then
    if awk -v r="$ratio" 'BEGIN { exit !(r >= 10) }'; then
        echo "FAIL: bookkeeping is $ratio % of simulation time, not under 10 %" >&2
        exit 1
    fi
    echo "ok: bookkeeping $ratio % < 10 %"
fi
