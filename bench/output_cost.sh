#!/usr/bin/env bash
# Output cost of docs/performance.md: the default chain deck (8 layers, rk4, dt 1 ms)
# run with no field output, with VTK only and with HDF5 only, at one output per step
# interval of output.vtk_every; the difference to the run without output, divided by
# the files and bytes written, is the cost per file and per byte.
# Builds nothing. Usage: bench/output_cost.sh BUILD_DIR [T_END (s), default 20]
set -euo pipefail
build=${1:?usage: bench/output_cost.sh BUILD_DIR [T_END]}
t_end=${2:-20}
exe=$build/apps/neurofield
deck=$(dirname "$0")/../input_decks/pc_chain.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# wall seconds of one run (the program's own figure, integration and output)
run() {
  local dir=$work/$1
  shift
  "$exe" run "$deck" "time.t_end=$t_end" "output.dir=$dir" "$@" | sed -n 's/.* \([0-9.]*\) s wall.*/\1/p'
}

none=$(run none output.vtk=false output.hdf5=false)
vtk=$(run vtk output.hdf5=false)
hdf5=$(run hdf5 output.vtk=false)
vtk_files=$(find "$work/vtk" -type f | wc -l)
vtk_bytes=$(du -sb "$work/vtk" | cut -f1)
hdf5_bytes=$(stat -c %s "$work/hdf5/fields.h5")
hdf5_steps=$(grep -c "<Time " "$work/hdf5/fields.xdmf")
echo "t_end $t_end s; wall: no output $none s, VTK $vtk s, HDF5 $hdf5 s"
awk -v n="$none" -v v="$vtk" -v h="$hdf5" -v vf="$vtk_files" -v vb="$vtk_bytes" -v hb="$hdf5_bytes" -v hs="$hdf5_steps" 'BEGIN {
  printf "VTK:  %d files, %.1f MB: %.3f ms per file, %.1f ns per byte\n", vf, vb / 1e6, 1e3 * (v - n) / vf, 1e9 * (v - n) / vb
  printf "HDF5: %d steps, %.1f MB: %.3f ms per step, %.1f ns per byte\n", hs, hb / 1e6, 1e3 * (h - n) / hs, 1e9 * (h - n) / hb
}'
