#!/usr/bin/env bash
# A hostsim sweep as N shards run by GNU parallel, then merged.
#
#   deploy/parallel/sweep.sh SCENARIO SHARDS OUT [sweep flags...]
#
# e.g. from the repository root (4 shards, 16 points):
#   deploy/parallel/sweep.sh scenarios/quickstart.toml 4 output \
#     --set option.lean-washington.cores=4,6,8,12 --set traffic.base_rps=30..120:30
#
# Shards are written to OUT/shards/<name>-sweep-shard-I-of-N/ and merged into
# OUT/<name>-sweep/ (sweep.csv identical to an unsharded run). Environment:
#   HOSTSIM         the hostsim binary (default: hostsim on PATH)
#   PARALLEL_JOBS   shards running at once (default: SHARDS); give each shard
#                   fewer threads with e.g. --jobs 2 among the sweep flags
#   PARALLEL_HOSTS  run on other machines too, e.g. ":,node1,node2" (needs
#                   hostsim on their PATH and OUT on a shared file system)
set -euo pipefail

if [ "$#" -lt 3 ]; then
    sed -n '2,17p' "$0" >&2
    exit 2
fi
scenario=$1
shards=$2
out=$3
shift 3
hostsim=${HOSTSIM:-hostsim}

hosts=()
if [ -n "${PARALLEL_HOSTS:-}" ]; then
    hosts=(--sshlogin "$PARALLEL_HOSTS" --workdir .)
fi

# -q passes every argument through unchanged (values may contain spaces or quotes);
# --halt stops the others as soon as one shard fails.
parallel --will-cite -q --halt now,fail=1 --jobs "${PARALLEL_JOBS:-$shards}" "${hosts[@]}" \
    "$hostsim" sweep "$scenario" "$@" --shard "{}/$shards" --out "$out/shards" --quiet \
    ::: $(seq 1 "$shards")

"$hostsim" merge "$out/shards" --out "$out"
