# Sourced by routing.sh and database.sh with their arguments: reads
# --check, builds hostsim, and makes a temporary `work` folder (removed on
# exit) for the scenarios $work/<case>.toml that `per_request` times.
#
# usage: per_request BASE_LABEL LIMIT CHECKED CASE...
#   with check=1, fails if a case matching the regex CHECKED costs more than
#   LIMIT × the first case per request.

check=0
[[ ${1:-} == --check ]] && check=1
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/hostsim

# Times hostsim on $work/<case>.toml for each case on one thread, RUNS
# times, interleaved so a change in the machine's load falls on all of
# them; prints each case's median time and its cost per request against
# the first case.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

column_of() { # FILE COLUMN: the column's values, header skipped
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"
}

per_request() {
    local base_label=$1 limit=$2 checked=$3 status=0 base="" c
    shift 3
    for c in "$@"; do : >"$work/$c.times"; done
    for _ in $(seq "$runs"); do
        for c in "$@"; do
            rm -rf "$work/$c.out"
            /usr/bin/time -f '%e' -o "$work/time" "$bin" run "$work/$c.toml" --jobs 1 --quiet --no-charts --out "$work/$c.out"
            cat "$work/time" >>"$work/$c.times"
        done
    done
    for c in "$@"; do
        local secs series requests mean ratio
        secs=$(median <"$work/$c.times")
        series=$(find "$work/$c.out" -name timeseries.csv | head -n 1)
        requests=$(column_of "$series" offered | awk '{ s += $1 } END { printf "%.0f", s }')
        mean=$(column_of "$(find "$work/$c.out" -name summary.csv | head -n 1)" mean_ms)
        [[ -z $base ]] && base=$secs
        ratio=$(awk -v a="$secs" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
        printf '%-18s %s requests in %ss (median of %s) = %.2f M requests/s, %s × %s per request; mean response %s ms\n' \
            "$c" "$requests" "$secs" "$runs" "$(awk -v n="$requests" -v s="$secs" 'BEGIN { print n / s / 1e6 }')" \
            "$ratio" "$base_label" "$mean"
        if [[ $check == 1 && $c =~ ^($checked)$ ]] && awk -v r="$ratio" -v l="$limit" 'BEGIN { exit !(r > l) }'; then
            echo "FAIL: $c costs $ratio × $base_label per request (at most $limit)" >&2
            status=1
        fi
    done
    return $status
}
