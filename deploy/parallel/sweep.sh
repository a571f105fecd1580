#!/usr/bin/env bash
# A hostsim sweep as N shards run by GNU parallel, then merged.
#
#   deploy/parallel/sweep.sh SCENARIO SHARDS OUT [sweep flags...]
#
# e.g. from the repository root, right-sizing right-size.toml's owned server
# with its traffic fixed (its price and power follow its cores), 3 shards of
# 2 points each:
#   deploy/parallel/sweep.sh scenarios/right-size.toml 3 output \
#     --set option.owned.cores=4,8,12,16,24,32 --optimize cost --subject-to slo
# prints this optimum table:
#   cheapest point meeting the SLO (p99 ≤ 800 ms, success ≥ 0.999), per option:
#   option  option.owned.cores  total_cost_usd  p99_ms   success
#   owned   12                  13.2562         623.701  100.00%
#   rented-vps: not swept (no --set key changes it): total_cost_usd 6.912, p99 502.399 ms, success 100.00%; meets the SLO
#   cloud: not swept (no --set key changes it): total_cost_usd 28.1874, p99 501.034 ms, success 100.00%; meets the SLO
#
# Shards are written to OUT/shards/<name>-sweep-shard-I-of-N/ and merged into
# OUT/<name>-sweep/ (sweep.csv identical to an unsharded run). Environment:
#   HOSTSIM         the hostsim binary (default: hostsim on PATH)
#   PARALLEL_JOBS   shards running at once (default: SHARDS); give each shard
#                   fewer threads with e.g. --jobs 2 among the sweep flags
#   PARALLEL_HOSTS  run on other machines too, e.g. ":,node1,node2" (":" is
#                   this machine)
#   PARALLEL_SSHLOGINFILE  the same from a file, one login a line
#                   ("4/node1" runs 4 shards at once there); GNU parallel
#                   rereads it while running, so hosts can be added
# Other machines need hostsim on their PATH (or HOSTSIM's path), the scenario
# and OUT at the same path under the same home directory, on a shared file
# system, and SSH logins without a password prompt.
set -euo pipefail

if [ "$#" -lt 3 ]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { print }' "$0" >&2
    exit 2
fi
scenario=$1
shards=$2
out=$3
shift 3
hostsim=${HOSTSIM:-hostsim}

hosts=()
if [ -n "${PARALLEL_SSHLOGINFILE:-}" ]; then
    hosts=(--sshloginfile "$PARALLEL_SSHLOGINFILE" --workdir .)
elif [ -n "${PARALLEL_HOSTS:-}" ]; then
    hosts=(--sshlogin "$PARALLEL_HOSTS" --workdir .)
fi

# -q passes every argument through unchanged (values may contain spaces or quotes);
# --halt stops the others as soon as one shard fails.
parallel --will-cite -q --halt now,fail=1 --jobs "${PARALLEL_JOBS:-$shards}" "${hosts[@]}" \
    "$hostsim" sweep "$scenario" "$@" --shard "{}/$shards" --out "$out/shards" --quiet \
    ::: $(seq 1 "$shards")

"$hostsim" merge "$out/shards" --out "$out"
