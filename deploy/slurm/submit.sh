#!/usr/bin/env bash
# Submits the sweep array and its merge step (which waits for every array
# task to succeed). Environment (SCENARIO, OUT, HOSTSIM) is passed on.
#   deploy/slurm/submit.sh
set -euo pipefail
here=$(dirname "$0")
jid=$(sbatch --parsable --export=ALL "$here/sweep.sbatch")
jid=${jid%%;*} # --parsable prints "id" or "id;cluster"
sbatch --export=ALL --dependency=afterok:"$jid" "$here/merge.sbatch"
echo "submitted sweep array $jid and its merge step"
