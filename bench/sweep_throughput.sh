#!/usr/bin/env bash
# Sweeps of docs/performance.md: bench_sweep (bench/bench_sweep.cpp) on 1 rank (the
# plain loop and the sweep) and on 2 ranks (the sweep), ROUNDS rounds interleaved so a
# drifting machine hits both alike; prints every round, then the best of each.
# Builds nothing. Usage: bench/sweep_throughput.sh BUILD_DIR [ROUNDS, default 3]
set -euo pipefail
build=${1:?usage: bench/sweep_throughput.sh BUILD_DIR [ROUNDS]}
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
exe=$build/bench/bench_sweep
deck=$here/sweep_chain.yaml
mpi=(mpiexec -n 2)
[ "$(id -u)" = 0 ] && mpi+=(--allow-run-as-root)
mpi+=(--oversubscribe)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/rounds.txt
for r in $(seq "$rounds"); do
  echo "round $r (load $(cut -d' ' -f1 /proc/loadavg))"
  "$exe" "$deck" "$work" 2>/dev/null | tee -a "$log"
  "${mpi[@]}" "$exe" "$deck" "$work" 2>/dev/null | grep "^sweep" | tee -a "$log"
done
echo "best of $rounds:"
awk '/^loop/ {t = $5 + 0; if (!l || t < l) l = t}
     /^sweep/ && /on 1 rank/ {t = $5 + 0; if (!s1 || t < s1) s1 = t}
     /^sweep/ && /on 2 ranks/ {t = $5 + 0; if (!s2 || t < s2) s2 = t}
     END {printf "  loop %.2f s, sweep on 1 rank %.2f s, on 2 ranks %.2f s for 32 points\n", l, s1, s2
          printf "  2 ranks / 1 rank throughput %.2f; sweep overhead a point %.1f ms (1 rank, against the loop)\n",
                 s1 / s2, 1000 * (s1 - l) / 32}' "$log"
