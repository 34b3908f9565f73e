#!/usr/bin/env bash
# Whole-run cost of the predictive-coding continuum (hierarchy x one lateral axis):
# input_decks/pc_continuum_2d.yaml with its outputs off, at several lateral sizes.
# Prints the median wall time of REPEATS runs and the cost per cell and step; with
# CALLGRIND=1 also the instruction count of one short run (repeatable on a loaded
# machine, where wall times are not).
#
# usage: bench/pc_continuum.sh BUILD_DIR [REPEATS]
set -euo pipefail
exe="$1/apps/neurofield"
repeats="${2:-5}"
deck="$(dirname "$0")/../input_decks/pc_continuum_2d.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for lateral in 64 256; do
  cells=$((32 * lateral))
  times=()
  for _ in $(seq "$repeats"); do
    line=$("$exe" run "$deck" "model.lateral_cells=[$lateral]" "model.lateral_length=[$(echo "$lateral * 0.001" | bc -l)]" \
      output.vtk=false output.hdf5=false "output.probes=[[2, 0]]" time.t_end=1 analysis.t_start=0.5 "output.dir=$work/run" 2>&1 |
      grep "wall on")
    times+=("$(echo "$line" | sed -E 's/.* ([0-9.]+) s wall.*/\1/')")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "lateral cells $lateral ($cells cells), 1000 steps: median ${median} s, $(echo "$median / $cells / 1000 * 1000000000" | bc -l | xargs printf '%.0f') ns per cell-step"
  if [ "${CALLGRIND:-0}" = 1 ]; then
    # Instructions per step: the difference of a 200-step and a 100-step run (start-up cancels).
    counts=()
    for t_end in 0.1 0.2; do
      collected=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" run "$deck" \
        "model.lateral_cells=[$lateral]" "model.lateral_length=[$(echo "$lateral * 0.001" | bc -l)]" \
        output.vtk=false output.hdf5=false "output.probes=[[2, 0]]" "time.t_end=$t_end" analysis.t_start=0 \
        "output.dir=$work/run" 2>&1 >/dev/null | grep -m1 "Collected" | awk '{print $NF}')
      counts+=("$collected")
    done
    echo "  instructions per step: $(( (counts[1] - counts[0]) / 100 ))"
  fi
done
