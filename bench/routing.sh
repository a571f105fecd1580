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

# shellcheck source=bench/per_request.sh
source bench/per_request.sh "$@"

routings=(shared_queue round_robin least_connections power_of_two random)
for routing in "${routings[@]}"; do
    sed -e 's/^servers = 1$/servers = 8/' -e 's/^cores = 8$/cores = 1/' \
        -e "s/^kind = \"bare_metal\"$/kind = \"bare_metal\"\nrouting = \"$routing\"/" \
        scenarios/bench/mm8.toml >"$work/$routing.toml"
    grep -q "^routing = \"$routing\"" "$work/$routing.toml" # the bench's layout is what this edits
done
per_request shared_queue 1.5 '.*' "${routings[@]}"
