#!/usr/bin/env bash
# Runs every fault of the fault matrix on real processes (redis-server, a coordinator silo, two worker silos
# and client commands on 127.0.0.1) and prints the table docs/reliability.md holds. Needs root, as ./test.sh
# does: one fault mounts a small tmpfs to fill up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
status=0
"$root/test.sh" --filter "FullyQualifiedName~FaultMatrixTests|FullyQualifiedName~RealProcessClusterTests" "$@" || status=$?
rows="$root/tests/results/artifacts/fault-matrix.tsv"
[ -f "$rows" ] || { echo "no fault-matrix rows were written ($rows)" >&2; exit 1; }
echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores with \`bash scripts/fault-matrix.sh\`:"
echo
echo "| fault | results expected | lost | duplicates in the log | duplicates dropped | items retried | recovery (s) | what happened |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$rows"
exit $status
