#!/usr/bin/env bash
# The database tier's cost: simulated requests per wall-clock second on one
# thread for the mm8 workload (scenarios/bench/mm8.toml: 8 cores, ~20 M
# requests) without a database, and for the same requests with one: 0.9 s
# of CPU then queries to a 2-core database worth 0.1 s (one query, then
# three), holding the slot, so the slots stay 90 % busy. The tandem runs
# event by event (a web step and a step per query) where the single
# station commits each request on arrival. Prints each case's median time
# of RUNS runs and its cost per request against the no-database path.
#
# usage: bench/database.sh [--check]
#   --check: fail if one query per request costs more than 3 × the no-database path
# env:   RUNS (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/per_request.sh
source bench/per_request.sh "$@"

cases=(none one_query three_queries)
cp scenarios/bench/mm8.toml "$work/none.toml"
for q in 1 3; do
    name=$([[ $q == 1 ]] && echo one_query || echo three_queries)
    db_s=$(awk -v q="$q" 'BEGIN { printf "%.6f", 0.1 / q }')
    sed -e "s/^cpu = { dist = \"exponential\", mean = \"1s\" }$/cpu = { dist = \"exponential\", mean = \"0.9s\" }\ndb = { dist = \"exponential\", mean = \"${db_s}s\" }\ndb_queries = $q/" \
        -e 's/^cores = 8$/cores = 8\ndatabase = "main"/' scenarios/bench/mm8.toml >"$work/$name.toml"
    printf '\n[[database]]\nname = "main"\nkind = "self_hosted"\ncores = 2\nmonthly_usd = 100\n' >>"$work/$name.toml"
    grep -q '^database = "main"' "$work/$name.toml" # the bench's layout is what this edits
    grep -q "^db_queries = $q" "$work/$name.toml"
done
per_request "no database" 3 one_query "${cases[@]}"
