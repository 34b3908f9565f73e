#!/usr/bin/env bash
# Runs the acceptance benchmarks of docs/performance.md against an existing build and
# prints one table. Builds nothing.
#
#   bench/run_benchmarks.sh BUILD_DIR            e.g. bench/run_benchmarks.sh build/release
#
# Environment (optional):
#   NF_MEMORY_T_ENDS  t_end values (s) for the memory runs       default "0.1 1 10"
#   NF_RANKS          rank counts for the parallel stencil       default "1 2"
#   NF_REPETITIONS    repetitions per configuration (best kept)   default 10
#   NF_ROUNDS         interleaved rounds of the parallel runs     default 3 (best kept)
#   NF_LOG_DIR        where the raw outputs are kept              default a new /tmp dir
#   NF_COMMIT         label for the code measured                 default git describe of the source
#   NF_SECTIONS       which parts to run                          default "history parallel neural"
#   NF_NEURAL_ROUNDS  interleaved rounds of the 2D Amari 1/2 ranks default 2
#   NF_PYTHON         Python with NumPy for bench/amari_numpy.py  default /usr/bin/python3
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
bench=$build/bench
for exe in bench_history_overhead bench_history_memory bench_parallel_stencil bench_amari_2d bench_amari_1d \
  bench_fft_scaling bench_delay_rings; do
  [[ -x $bench/$exe ]] || { echo "$0: $bench/$exe is missing; build the bench targets first" >&2; exit 2; }
done
t_ends=${NF_MEMORY_T_ENDS:-0.1 1 10}
ranks=${NF_RANKS:-1 2}
reps=${NF_REPETITIONS:-10}
rounds=${NF_ROUNDS:-3}
sections=${NF_SECTIONS:-history parallel neural}
neural_rounds=${NF_NEURAL_ROUNDS:-2}
python=${NF_PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
logs=${NF_LOG_DIR:-$(mktemp -d /tmp/neurofield-bench.XXXXXX)}
mkdir -p "$logs"

mpi_flags=(--oversubscribe)
[[ $(id -u) -eq 0 ]] && mpi_flags+=(--allow-run-as-root)

# The code measured: the commit of the source tree, marked +dirty if it has local changes.
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
if [[ -n ${NF_COMMIT:-} ]]; then
  commit=$NF_COMMIT
elif [[ -n $source_dir ]] && git -C "$source_dir" rev-parse --short HEAD >/dev/null 2>&1; then
  commit=$(git -C "$source_dir" rev-parse --short HEAD)
  [[ -n $(git -C "$source_dir" status --porcelain --untracked-files=no) ]] && commit+="+dirty"
else
  commit=unknown
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || echo "?")
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || echo c++)

# key=value from a line printed by bench_history_memory / bench_parallel_stencil.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

echo "== neurofield benchmarks: code $commit, build $build ($build_type)"
echo "   $(date -u '+%Y-%m-%d %H:%M UTC'); nproc $(nproc); $(lscpu | sed -n 's/^Model name: *//p');" \
  "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}'); $("$compiler" --version | head -1)"
echo "   load average at start: $(cut -d' ' -f1-3 /proc/loadavg); raw outputs in $logs"
echo

load() { cut -d' ' -f1-3 /proc/loadavg; }
want() { [[ " $sections " == *" $1 "* ]]; }

if want history; then
echo "-- 1. History overhead per step (Google Benchmark; 10^6 cells, window of 40 steps, best of $reps," \
  "cases interleaved at random so that drifts of the machine's speed hit all alike)"
"$bench/bench_history_overhead" -repetitions "$reps" --benchmark_enable_random_interleaving=true |
  tee "$logs/history_overhead.txt"
echo

echo "-- 2. History memory over a whole run (10^5 cells, lag 0.01 s, dt 1e-4 s, rk4; one process each; load $(load))"
memory_rows=()
for t in $t_ends; do
  line=$("$bench/bench_history_memory" "$t" | tail -1)
  echo "$line" | tee -a "$logs/history_memory.txt"
  memory_rows+=("$line")
done
echo

fi

declare -A per_step
if want parallel; then
echo "-- 3. Parallel speed-up (2D 512x512, rk4, lag 5.5 dt, 50 steps; best of $reps repetitions x $rounds" \
  "interleaved rounds; load $(load))"
for ((round = 1; round <= rounds; ++round)); do
  for n in $ranks; do
    line=$(mpiexec "${mpi_flags[@]}" -n "$n" "$bench/bench_parallel_stencil" -repetitions "$reps" | tail -1)
    echo "round $round: $line" | tee -a "$logs/parallel_stencil.txt"
    t=$(field s_per_step "$line")
    per_step[$n]=$(awk -v a="${per_step[$n]:-inf}" -v b="$t" 'BEGIN { print (a == "inf" || b + 0 < a + 0) ? b : a }')
  done
done
echo

fi

if want neural; then
echo "-- 4. Neural fields: 2D Amari 1024^2 rk4 step / bare r2c+c2r pair, 1 and 2 ranks ($neural_rounds interleaved" \
  "rounds, medians within each; load $(load))"
declare -A amari_ratio amari_step amari_bytes
for ((round = 1; round <= neural_rounds; ++round)); do
  for n in $ranks; do
    anatomy=$([[ $round -eq 1 ]] && echo 1 || echo 0)
    mpiexec "${mpi_flags[@]}" -n "$n" "$bench/bench_amari_2d" -anatomy "$anatomy" >"$logs/amari_2d_r${round}_n$n.txt"
    sed "s/^/round $round, $n rank(s): /" "$logs/amari_2d_r${round}_n$n.txt"
    line=$(grep '^ranks=' "$logs/amari_2d_r${round}_n$n.txt")
    amari_ratio[$round,$n]=$(field ratio_median "$line")
    amari_step[$round,$n]=$(field s_per_step "$line")
    amari_bytes[$n]=$(field bytes_per_cell "$line")
  done
done
"$bench/bench_amari_2d" -boundary periodic -anatomy 0 >"$logs/amari_2d_periodic.txt"
sed 's/^/periodic, 1 rank: /' "$logs/amari_2d_periodic.txt"
"$bench/bench_amari_2d" -firing heaviside_cells -anatomy 0 >"$logs/amari_2d_cells.txt"
sed 's/^/heaviside_cells, 1 rank: /' "$logs/amari_2d_cells.txt"
echo
echo "-- 5. Neural fields: 1D Amari 65536 cells periodic, ns per node-step, neurofield beside NumPy (load $(load))"
"$bench/bench_amari_1d" | tee "$logs/amari_1d.txt"
"$python" "$here/amari_numpy.py" | tee "$logs/amari_numpy.txt"
echo
echo "-- 6. Neural fields: FFT convolution forward + inverse against N, 1D (load $(load))"
"$bench/bench_fft_scaling" | tee "$logs/fft_scaling.txt"
echo
echo "-- 7. Neural fields: delay rings, 512^2, cost per step against the ring count (load $(load))"
"$bench/bench_delay_rings" | tee "$logs/delay_rings.txt"
echo
fi

echo "================ Summary (code $commit; load at end $(load)) ================"
if want history; then
echo "History overhead (ns per node-step, best of $reps; ratio = with lag / no lag):"
sed -n '/^History overhead, best/,$p' "$logs/history_overhead.txt" | tail -n +2 | sed 's/^/  /'
echo "History memory (peak RSS, MiB):"
printf '  %-8s %9s %10s %10s %9s\n' t_end_s steps setup_rss peak_rss wall_s
for line in "${memory_rows[@]}"; do
  printf '  %-8s %9s %10s %10s %9s\n' "$(field t_end_s "$line")" "$(field steps "$line")" \
    "$(field setup_rss_mib "$line")" "$(field peak_rss_mib "$line")" "$(field wall_s "$line")"
done
fi
if want parallel; then
echo "Parallel stencil (time per step, best over all rounds):"
first_rank=${ranks%% *}
for n in $ranks; do
  awk -v n="$n" -v t="${per_step[$n]}" -v t1="${per_step[$first_rank]}" -v r1="$first_rank" \
    'BEGIN { printf "  ranks %-3s %10.3f ms/step   speed-up vs %s rank(s): %.2fx\n", n, t * 1e3, r1, t1 / t }'
done
fi
if want neural; then
  echo "2D Amari 1024^2 bounded (medians within a run; speed-up = step(1 rank) / step(n) in the same round):"
  first_rank=${ranks%% *}
  for ((round = 1; round <= neural_rounds; ++round)); do
    for n in $ranks; do
      awk -v r="$round" -v n="$n" -v q="${amari_ratio[$round,$n]}" -v t="${amari_step[$round,$n]}" \
        -v t1="${amari_step[$round,$first_rank]}" -v b="${amari_bytes[$n]}" \
        'BEGIN { printf "  round %s ranks %-3s %9.1f ms/step  step/pair %6.2f  speed-up %.2fx  peak RSS %.0f B/cell\n",
                 r, n, t * 1e3, q, t1 / t, b }'
    done
  done
  for f in periodic cells; do
    line=$(grep '^ranks=' "$logs/amari_2d_$f.txt")
    echo "  $(field boundary "$line") $(field firing "$line"): $(field s_per_step "$line") s/step, step/pair $(field ratio_median "$line")"
  done
  a=$(field ns_per_node_step "$(tail -1 "$logs/amari_1d.txt")")
  b=$(field ns_per_node_step "$(tail -1 "$logs/amari_numpy.txt")")
  awk -v a="$a" -v b="$b" 'BEGIN { printf "1D Amari 65536: neurofield %.1f ns, NumPy %.1f ns per node-step: NumPy / neurofield %.2f\n", a, b, b / a }'
  echo "FFT convolution (ns per N log2 N):"
  sed -n '/^FFT convolution forward/,$p' "$logs/fft_scaling.txt" | grep -v '^fft_scaling' | sed 's/^/  /'
fi
