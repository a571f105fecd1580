#!/usr/bin/env bash
# Submits the sweep array and its merge step (which waits for every array
# task to succeed). Environment (SCENARIO, OUT, HOSTSIM) is passed on;
# CPUS_PER_TASK and MEM, when set, size each array task (default: the
# sweep.sbatch lines, 1 CPU and 1G).
#   deploy/slurm/submit.sh
#   CPUS_PER_TASK=8 MEM=4G deploy/slurm/submit.sh
set -euo pipefail
here=$(dirname "$0")
size=()
if [ -n "${CPUS_PER_TASK:-}" ]; then size+=(--cpus-per-task="$CPUS_PER_TASK"); fi
if [ -n "${MEM:-}" ]; then size+=(--mem="$MEM"); fi
jid=$(sbatch --parsable --export=ALL "${size[@]}" "$here/sweep.sbatch")
jid=${jid%%;*} # --parsable prints "id" or "id;cluster"
sbatch --export=ALL --dependency=afterok:"$jid" "$here/merge.sbatch"
echo "submitted sweep array $jid and its merge step"
