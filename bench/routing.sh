#!/usr/bin/env bash
# Routing cost: simulated requests per wall-clock second on one thread for
# each routing discipline, on the mm8 workload (scenarios/bench/mm8.toml,
# M/M/8 at ρ = 0.9, ~20 M requests) spread over 8 single-core servers, so
# every discipline but the shared queue keeps 8 queues. Prints each one's
# median time of RUNS runs and its cost per request against shared_queue.
#
# usage: bench/routing.sh [--check]
#   --check: fail if any discipline costs more than 1.5 × shared_queue per request
# env:   RUNS (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
[[ ${1:-} == --check ]] && check=1
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/hostsim

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

routings=(shared_queue round_robin least_connections power_of_two random)
for routing in "${routings[@]}"; do
    sed -e 's/^servers = 1$/servers = 8/' -e 's/^cores = 8$/cores = 1/' \
        -e "s/^kind = \"bare_metal\"$/kind = \"bare_metal\"\nrouting = \"$routing\"/" \
        scenarios/bench/mm8.toml >"$work/$routing.toml"
    grep -q "^routing = \"$routing\"" "$work/$routing.toml" # the bench's layout is what this edits
    : >"$work/$routing.times"
done
# Runs interleave the disciplines, so a change in the machine's load falls on all of them.
for _ in $(seq "$runs"); do
    for routing in "${routings[@]}"; do
        rm -rf "$work/$routing.out"
        /usr/bin/time -f '%e' -o "$work/time" "$bin" run "$work/$routing.toml" --jobs 1 --quiet --no-charts --out "$work/$routing.out"
        cat "$work/time" >>"$work/$routing.times"
    done
done

status=0
for routing in "${routings[@]}"; do
    secs=$(median <"$work/$routing.times")
    series=$(find "$work/$routing.out" -name timeseries.csv | head -n 1)
    requests=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "offered") c = i; next } { s += $c } END { printf "%.0f", s }' "$series")
    mean=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "mean_ms") c = i; next } { print $c }' "$work/$routing.out"/*/summary.csv)
    [[ $routing == shared_queue ]] && base=$secs
    ratio=$(awk -v a="$secs" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
    printf '%-18s %s requests in %ss (median of %s) = %.2f M requests/s, %s × shared_queue per request; mean response %s ms\n' \
        "$routing" "$requests" "$secs" "$runs" "$(awk -v n="$requests" -v s="$secs" 'BEGIN { print n / s / 1e6 }')" "$ratio" "$mean"
    if [[ $check == 1 ]] && awk -v r="$ratio" 'BEGIN { exit !(r > 1.5) }'; then
        echo "FAIL: $routing costs $ratio × shared_queue per request (at most 1.5)" >&2
        status=1
    fi
done
exit $status
