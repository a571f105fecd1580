#!/usr/bin/env bash
# Outputs unchanged by a refactor: builds REV in a temporary worktree and the
# working tree, runs both binaries on the working tree's bundled scenarios
# (scenarios/*.toml, --quiet --no-charts) and diffs every output file (the
# CSVs, summary.json and resolved.toml; same inputs, so the same trace paths;
# not command_line.txt and report.html, which name each run's --out). Exits 1 on
# any difference. REV defaults to the merge-base with main, or HEAD~1 on main.
# REV is built in ${CARGO_TARGET_DIR:-target}/outputs-unchanged, kept between
# runs so that its dependencies are compiled once.
#
# usage: bench/outputs-unchanged.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# > 0)); then
    rev=$1
else
    rev=$(git merge-base HEAD main)
    [[ $rev == "$(git rev-parse HEAD)" ]] && rev=HEAD~1
fi
echo "comparing the working tree with $rev ($(git rev-parse --short "$rev"))" >&2

target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
work=$(mktemp -d)
trap 'git worktree remove --force "$work/rev" 2>/dev/null || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/rev" "$rev"

cargo build --release -q
(cd "$work/rev" && CARGO_TARGET_DIR="$target/outputs-unchanged" cargo build --release -q)

scenarios=(scenarios/*.toml)
"$target/outputs-unchanged/release/hostsim" run --quiet --no-charts --max-requests 4000000000 --out "$work/before" "${scenarios[@]}"
"$target/release/hostsim" run --quiet --no-charts --max-requests 4000000000 --out "$work/after" "${scenarios[@]}"
# command_line.txt and report.html name the --out folder, which differs here.
diff -r -x command_line.txt -x report.html "$work/before" "$work/after"
echo "outputs unchanged: ${#scenarios[@]} scenarios" >&2
