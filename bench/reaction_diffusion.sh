#!/usr/bin/env bash
# Reaction-diffusion benchmarks of docs/performance.md, run through the program itself
# (input_decks/nagumo_front_1d.yaml as a 2D planar front, D = 1 m^2/s, a = 0.25, started
# on its exact profile so that the front has no transient, second-order stencil):
#   1. IMEX (petsc arkimex3, implicit diffusion, CG + geometric multigrid) at a dt far
#      beyond the explicit diffusion limit, against explicit rk4 at 0.9 x that limit, on
#      the same grid and t_end: front-speed error and wall time of each;
#   2. CG iterations per implicit stage and wall time per unknown and step against the
#      grid size (64 m square, so h halves with each size);
#   3. IMEX on 1 and 2 ranks.
# Builds nothing. Usage: bench/reaction_diffusion.sh BUILD_DIR
#
# Environment (optional):
#   NF_RD_N       cells per axis of parts 1 and 3        default 1025
#   NF_RD_SIZES   cells per axis of part 2                default "257 513 1025 2049"
#   NF_RD_T_END   t_end of part 1 (s)                     default 4
#   NF_RD_DT      IMEX step (s)                           default 0.1
#   NF_RD_STEPS   steps per size in part 2                default 10
#   NF_LOG_DIR    where the raw outputs are kept          default a new /tmp dir
# Sizes are 2^k + 1 per bounded axis, which PETSc's vertex coarsening halves down to 3
# points (multigrid levels k); other sizes fall back to algebraic multigrid.
set -euo pipefail

if [[ $# -ne 1 || ! -x $1/apps/neurofield ]]; then
  echo "usage: $0 BUILD_DIR (with apps/neurofield built)" >&2
  exit 2
fi
exe=$(cd "$1" && pwd)/apps/neurofield
here=$(cd "$(dirname "$0")" && pwd)
deck=$here/../input_decks/nagumo_front_1d.yaml
n=${NF_RD_N:-1025}
sizes=${NF_RD_SIZES:-257 513 1025 2049}
t_end=${NF_RD_T_END:-4}
dt=${NF_RD_DT:-0.1}
steps=${NF_RD_STEPS:-10}
logs=${NF_LOG_DIR:-$(mktemp -d /tmp/neurofield-rd.XXXXXX)}
mkdir -p "$logs"
mpi_flags=(--oversubscribe)
[[ $(id -u) -eq 0 ]] && mpi_flags+=(--allow-run-as-root)
length=64

# A planar front along x at a tenth of the domain, on an n x n grid.
run() {
  local ranks=$1 cells=$2 out=$3
  shift 3
  mpiexec "${mpi_flags[@]}" -n "$ranks" "$exe" run "$deck" "mesh.cells=[$cells,$cells]" \
    "mesh.length=[$length,$length]" mesh.boundary=[neumann,neumann] model.stencil_order=2 \
    initial.type=travelling_wave initial.position=6.4 output.vtk=false output.hdf5=false \
    "output.dir=$out" "$@"
}
summary() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1/summary.json"; }
speed_error='"%.2e" % (d["front_speed"] / d["predicted"]["front_speed"] - 1)'
wall='"%.2f" % d["wall_seconds"]'

echo "== reaction-diffusion benchmarks: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc $(nproc);" \
  "$(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg); raw outputs in $logs"

h=$(awk -v l=$length -v n="$n" 'BEGIN { print l / n }')
limit=$(awk -v h="$h" 'BEGIN { print 2.7853 * h * h / 8 }')  # rk4 on D (4/h^2 + 4/h^2), D = 1
explicit_dt=$(awk -v l="$limit" 'BEGIN { printf "%.6g", 0.9 * l }')
echo "-- 1. ${n}^2, t_end $t_end s: IMEX arkimex3 dt $dt s = $(awk -v d="$dt" -v l="$limit" 'BEGIN { printf "%.0f", d / l }') x" \
  "the explicit limit $limit s; rk4 at dt $explicit_dt s"
run 1 "$n" "$logs/imex" "time.t_end=$t_end" "time.dt=$dt" >"$logs/imex.txt" 2>&1
run 1 "$n" "$logs/rk4" "time.t_end=$t_end" "time.dt=$explicit_dt" time.method=rk4 >"$logs/rk4.txt" 2>&1
imex_wall=$(summary "$logs/imex" "$wall")
rk4_wall=$(summary "$logs/rk4" "$wall")
printf '  %-10s %12s %14s %10s\n' method dt_s speed_error wall_s
printf '  %-10s %12s %14s %10s\n' arkimex3 "$dt" "$(summary "$logs/imex" "$speed_error")" "$imex_wall"
printf '  %-10s %12s %14s %10s\n' rk4 "$explicit_dt" "$(summary "$logs/rk4" "$speed_error")" "$rk4_wall"
echo "  wall rk4 / IMEX: $(awk -v a="$rk4_wall" -v b="$imex_wall" 'BEGIN { printf "%.1f", a / b }')"

echo "-- 2. CG + PCMG iterations per implicit stage, $steps steps of $dt s"
printf '  %-8s %8s %10s %10s %16s\n' cells levels mean_its max_its ns_per_unknown_step
for s in $sizes; do
  run 1 "$s" "$logs/mg_$s" "time.t_end=$(awk -v k="$steps" -v d="$dt" 'BEGIN { print k * d }')" "time.dt=$dt" \
    -- -ksp_converged_reason >"$logs/mg_$s.txt" 2>&1
  its=$(grep -o 'iterations [0-9]*' "$logs/mg_$s.txt" | awk '{ s += $2; if ($2 > m) m = $2; k++ } END { printf "%.1f %d", s / k, m }')
  levels=$(awk -v c="$s" 'BEGIN { l = 1; while ((c - 1) % 2 == 0 && (c - 1) / 2 + 1 >= 3) { c = (c - 1) / 2 + 1; l++ } print l }')
  ns=$(summary "$logs/mg_$s" "'%.0f' % (d['wall_seconds'] / $steps / ($s * $s) * 1e9)")
  printf '  %-8s %8s %10s %10s %16s\n' "${s}^2" "$levels" $its "$ns"
done

echo "-- 3. ${n}^2 IMEX, 1 against 2 ranks, $steps steps"
for r in 1 2; do
  run "$r" "$n" "$logs/ranks_$r" "time.t_end=$(awk -v k="$steps" -v d="$dt" 'BEGIN { print k * d }')" "time.dt=$dt" \
    >"$logs/ranks_$r.txt" 2>&1
done
one=$(summary "$logs/ranks_1" "$wall")
two=$(summary "$logs/ranks_2" "$wall")
echo "  1 rank $one s, 2 ranks $two s: speed-up $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')"
