#!/usr/bin/env bash
# Mutation testing with cargo-mutants: every mutant of the billing rules, the
# hosting cost models, the pool and the autoscaling policies must make a test
# fail. Usage: bench/mutants.sh [FILE...] [-- CARGO_TEST_ARGS...]
#   bench/mutants.sh                         all of those files, the whole suite (hours)
#   bench/mutants.sh src/billing.rs -- --lib the billing rules against the unit tests (minutes)
# Results go to mutants.out/ (caught.txt, missed.txt, ...), which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants
files=()
while [[ $# -gt 0 && $1 != "--" ]]; do
    files+=("$1")
    shift
done
[[ ${1:-} == "--" ]] && shift
if [[ ${#files[@]} -eq 0 ]]; then
    files=(src/billing.rs src/hosting/*.rs src/sim/pool.rs src/autoscale.rs src/autoscale/*.rs)
fi
args=()
for f in "${files[@]}"; do
    args+=(--file "$f")
done
# Test arguments go to the build too: with `--lib` only the library's tests are built.
for a in "$@"; do
    args+=("--cargo-test-arg=$a")
done
# Release builds (the suite's statistical tests are slow unoptimised); each
# mutant is built in a copy of the tree, so the working tree is never changed.
exec cargo mutants "${args[@]}" --profile release --baseline skip --timeout 600
