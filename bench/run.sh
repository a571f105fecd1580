#!/usr/bin/env bash
# Speed benchmark: simulated requests per wall-clock second on one thread,
# whole process (start-up, simulation, statistics and CSV writing), median of
# RUNS runs, plus peak RSS. With the peers folder present (../shared/peers),
# also runs the framework-free Rust loop on the same workload and prints the
# ratio.
#
# Then prints peak RSS of scenarios/bench/year.toml (without and with charts)
# and overload.toml, and the speed-up of 8 replications of mm8 (80 h) with
# --jobs 2 over --jobs 1, median of 3 each (checking the outputs are
# byte-identical), with the load average (other work on the machine skews it).
#
# usage: bench/run.sh [--check] [SCENARIO]     (default scenarios/bench/mm8.toml)
#   --check: fail if the ratio to the loop is below 80 % of bench/baseline.txt
#            (local use only: shared CI machines are too noisy)
# env:   RUNS (default 5), PEERS (default ../shared/peers; empty to skip),
#        EXTRA (default 1; 0 skips the memory and --jobs measurements)
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [[ ${1:-} == --check ]]; then
    check=1
    shift
fi
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
    ratio=$(awk -v a="$hostsim_rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
    printf 'ratio hostsim / baseline: %s\n' "$ratio"
    if [[ $check == 1 ]]; then
        recorded=$(grep -v '^#' bench/baseline.txt | head -n 1)
        if awk -v r="$ratio" -v b="$recorded" 'BEGIN { exit !(r < 0.8 * b) }'; then
            echo "FAIL: ratio $ratio is below 80 % of the recorded $recorded (bench/baseline.txt)" >&2
            exit 1
        fi
        echo "ok: ratio $ratio >= 80 % of the recorded $recorded"
    fi
elif [[ $check == 1 ]]; then
    echo "--check needs the peers folder ($peers)" >&2
    exit 2
fi

if [[ ${EXTRA:-1} == 1 ]]; then
    # The serverless loop against the bare-metal engine on the same ~20 M requests.
    : >"$work/serverless.times"
    for _ in $(seq "$runs"); do
        rm -rf "$work/out"
        time_run /dev/null "$bin" run scenarios/bench/serverless.toml --jobs 1 --quiet --no-charts --out "$work/out" >>"$work/serverless.times"
    done
    sl_secs=$(cut -d' ' -f1 "$work/serverless.times" | median)
    if [[ $scenario == scenarios/bench/mm8.toml ]]; then
        printf 'serverless scenarios/bench/serverless.toml: %ss (median of %s), %.2f × the bare-metal mm8 time\n' \
            "$sl_secs" "$runs" "$(awk -v a="$sl_secs" -v b="$secs" 'BEGIN { print a / b }')"
    fi
    for run in "year.toml --no-charts" "year.toml" "overload.toml --no-charts"; do
        read -r s flags <<<"$run"
        rm -rf "$work/out"
        # shellcheck disable=SC2086 # $flags is one optional flag
        read -r secs kb < <(time_run /dev/null "$bin" run "scenarios/bench/$s" $flags --quiet --out "$work/out")
        printf 'memory   %s %s: %ss, peak RSS %.1f MB\n' "$s" "${flags:-(charts)}" "$secs" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
    done
    # --jobs scaling: 8 replications of an 80 h mm8, one and two threads, same bytes.
    sed -e 's/^horizon = .*/horizon = "80h"/' -e 's/^replications = .*/replications = 8/' \
        scenarios/bench/mm8.toml >"$work/mm8x8.toml"
    for j in 1 2; do
        : >"$work/j$j.times"
        for _ in 1 2 3; do
            rm -rf "$work/j$j"
            time_run /dev/null "$bin" run "$work/mm8x8.toml" --jobs "$j" --quiet --no-charts --out "$work/j$j" >>"$work/j$j.times"
        done
        eval "secs$j=$(cut -d' ' -f1 "$work/j$j.times" | median)"
    done
    same=identical
    diff -r "$work/j1" "$work/j2" >/dev/null || same=DIFFERENT
    printf 'jobs     8 replications: --jobs 1 %ss, --jobs 2 %ss (medians of 3), speed-up %.2f, outputs %s; load average %s\n' \
        "$secs1" "$secs2" "$(awk -v a="$secs1" -v b="$secs2" 'BEGIN { print a / b }')" "$same" "$(cut -d' ' -f1 /proc/loadavg)"
fi
