#!/usr/bin/env bash
# ranks_per_point for a field (docs/performance.md, Sweeps): the 4 points of
# bench/sweep_field_2d.yaml on 2 ranks, as 2 points at a time on 1 rank each
# (ranks_per_point 1) and as 1 point at a time on 2 ranks (ranks_per_point 2), ROUNDS
# rounds interleaved; prints each sweep's wall time and the points' own wall times.
# Builds nothing. Usage: bench/sweep_field_ranks.sh BUILD_DIR [ROUNDS, default 2]
set -euo pipefail
build=${1:?usage: bench/sweep_field_ranks.sh BUILD_DIR [ROUNDS]}
rounds=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
exe=$build/apps/neurofield
mpi=(mpiexec -n 2)
[ "$(id -u)" = 0 ] && mpi+=(--allow-run-as-root)
mpi+=(--oversubscribe)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for rpp in 1 2; do
  sed "s/ranks_per_point: 1/ranks_per_point: $rpp/" "$here/sweep_field_2d.yaml" > "$work/field_rpp$rpp.yaml"
done
for r in $(seq "$rounds"); do
  for rpp in 1 2; do
    rm -rf "$work/out$rpp"
    line=$("${mpi[@]}" "$exe" sweep "$work/field_rpp$rpp.yaml" "output.dir=$work/out$rpp" 2>/dev/null | grep "sweep of")
    points=$(awk -F, 'NR > 1 {printf "%s%.2f", sep, $4; sep = " "}' "$work/out$rpp/sweep.csv")
    echo "round $r ranks_per_point $rpp (load $(cut -d' ' -f1 /proc/loadavg)): $(echo "$line" | sed 's/.*; //') ; points (s): $points"
  done
done
