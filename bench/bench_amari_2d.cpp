// The 2D Amari step against bare FFTs (acceptance figures: neural fields, 2D).
//   tau du/dt = -u + w * f(u),  w(r) exponential (sigma = 1 m), theta = 0.25, tau = 1 s,
// on an N x N grid (default 1024^2) of h = 0.1 m, bounded (zero padding to
// nice(2N - 1) per axis) or periodic, instantaneous coupling, PETSc TS rk4, dt = 0.05 s,
// a planar front at a tenth of x. The solver path of a deck: amari_deck -> build_problem
// -> the PETSc backend. Each repetition runs a fresh integrator for steps + 1 steps and
// times accepted steps 1..steps + 1 between barriers; beside it, interleaved, a bare
// FFTW-MPI r2c + c2r pair of the same transform size and plan flags as the solver's
// (FFTW_ESTIMATE, transposed spectra), four pairs per repetition on fresh data.
//   ratio = (time per step) / (time per pair); four pairs per step (one forward, one
//   inverse per rk4 stage) are the floor of a firing without moments; the sub-cell
//   Heaviside adds one forward transform per axis per stage (its moment fields).
// With -anatomy 1 (default), after the runs, the stage's parts on their own (the source
// with its moments, one forward transform, one inverse of the summed products, the
// whole coupling evaluation), each in units of a pair.
//
// Run: mpiexec -n R bench_amari_2d [-cells N] [-boundary bounded|periodic]
//        [-firing heaviside|heaviside_cells|sigmoid] [-steps K (3)] [-repetitions M (5)] [-anatomy 0|1]
// Prints (rank 0) a table and one line of key=value pairs (medians over the repetitions).
#include <fftw3-mpi.h>
#include <fmt/format.h>
#include <petscdmda.h>
#include <petscsys.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "base/petsc_error.h"
#include "bench/amari_deck.h"
#include "bench/bench_support.h"
#include "problem/build_problem.h"
#include "solvers/convolution/coupling_evaluator.h"
#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/fftw_slabs.h"
#include "solvers/convolution/firing.h"

namespace {

using namespace nf;
using namespace nf::bench;

constexpr double kSpacing = 0.1;  // m: 10 cells per sigma
constexpr int kPairsPerRepetition = 4;

// One FFTW-MPI r2c/c2r pair on an ny x nx real grid, as FftwSlabs plans it.
class BarePair {
 public:
  BarePair(MPI_Comm comm, long nx, long ny) : comm_(comm), nx_(nx), ny_(ny) {
    fftw_mpi_init();
    const std::ptrdiff_t half = nx / 2 + 1;
    std::ptrdiff_t local_n0 = 0, start0 = 0, local_n1 = 0, start1 = 0;
    const std::ptrdiff_t n = fftw_mpi_local_size_2d_transposed(ny, half, comm, &local_n0, &start0, &local_n1, &start1);
    real_ = fftw_alloc_real(2 * n);
    spectrum_ = fftw_alloc_complex(n);
    forward_ = fftw_mpi_plan_dft_r2c_2d(ny, nx, real_, spectrum_, comm, FFTW_ESTIMATE | FFTW_MPI_TRANSPOSED_OUT);
    backward_ = fftw_mpi_plan_dft_c2r_2d(ny, nx, spectrum_, real_, comm, FFTW_ESTIMATE | FFTW_MPI_TRANSPOSED_IN);
    if (!real_ || !spectrum_ || !forward_ || !backward_) throw std::runtime_error("FFTW-MPI made no r2c/c2r plan");
    rows_ = local_n0;
    start_ = start0;
  }
  ~BarePair() {
    fftw_destroy_plan(forward_);
    fftw_destroy_plan(backward_);
    fftw_free(real_);
    fftw_free(spectrum_);
  }
  BarePair(const BarePair&) = delete;
  BarePair& operator=(const BarePair&) = delete;

  // Seconds per pair over `pairs` pairs, from a front-like field (the data are refilled
  // before, outside the clock; unnormalised round trips stay finite for a few pairs).
  double seconds_per_pair(int pairs) {
    const long row = 2 * (nx_ / 2 + 1);
    for (long j = 0; j < rows_; ++j)
      for (long i = 0; i < row; ++i) real_[j * row + i] = i < nx_ ? std::tanh(0.01 * static_cast<double>(i - (j + start_))) : 0.0;
    MPI_Barrier(comm_);
    const double start = MPI_Wtime();
    for (int p = 0; p < pairs; ++p) {
      fftw_execute(forward_);
      fftw_execute(backward_);
    }
    MPI_Barrier(comm_);
    return (MPI_Wtime() - start) / pairs;
  }

 private:
  MPI_Comm comm_;
  long nx_, ny_, rows_ = 0, start_ = 0;
  double* real_ = nullptr;
  fftw_complex* spectrum_ = nullptr;
  fftw_plan forward_ = nullptr, backward_ = nullptr;
};

double max_over_ranks(MPI_Comm comm, double mine) {
  double all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_DOUBLE, MPI_MAX, comm);
  return all;
}
double sum_over_ranks(MPI_Comm comm, double mine) {
  double all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_DOUBLE, MPI_SUM, comm);
  return all;
}

// Median seconds of `body` over `repetitions` calls, between barriers.
double timed_median(MPI_Comm comm, int repetitions, const std::function<void()>& body) {
  std::vector<double> s;
  for (int r = 0; r < repetitions; ++r) {
    MPI_Barrier(comm);
    const double start = MPI_Wtime();
    body();
    MPI_Barrier(comm);
    s.push_back(MPI_Wtime() - start);
  }
  return median(s);
}

// The parts of one coupling evaluation on their own, at the initial state.
void anatomy(const Problem& problem, BarePair& pair, int repetitions) {
  const MPI_Comm comm = problem.grid().comm();
  const Patch& p = problem.grid().patch();
  const std::vector<Coupling> couplings = problem.model().couplings();
  const Firing& firing = couplings.front().firing;
  CouplingEvaluator evaluator(problem.grid(), couplings);
  FftConvolution fft(problem.grid());
  Vec global = nullptr, local = nullptr;
  check_petsc(DMCreateGlobalVector(problem.dm(), &global));
  check_petsc(DMCreateLocalVector(problem.dm(), &local));
  problem.history_before_start(0, global);
  check_petsc(DMGlobalToLocalBegin(problem.dm(), global, INSERT_VALUES, local));
  check_petsc(DMGlobalToLocalEnd(problem.dm(), global, INSERT_VALUES, local));
  const std::size_t owned = static_cast<std::size_t>(p.count[0] * p.count[1] * p.count[2]);
  std::vector<double> fraction(owned), input(owned);
  std::vector<std::vector<double>> moments;
  std::vector<double*> moment_arrays;
  if (has_moments(firing))
    for (int a = 0; a < problem.grid().dimension(); ++a) moments.emplace_back(owned, 0.0);
  for (auto& m : moments) moment_arrays.push_back(m.data());
  std::vector<FftConvolution::Complex> spectrum(fft.spectrum_size());
  const double* u = nullptr;
  check_petsc(VecGetArrayRead(local, &u));
  double* inputs[] = {input.data()};
  const double pair_s = median({pair.seconds_per_pair(kPairsPerRepetition), pair.seconds_per_pair(kPairsPerRepetition),
                                pair.seconds_per_pair(kPairsPerRepetition)});
  const double source_s = timed_median(comm, repetitions, [&] {
    fill_source(p, problem.grid().spec().spacing, u, 0, firing, fraction.data(), moment_arrays);
  });
  const double forward_s = timed_median(comm, repetitions, [&] { fft.forward(fraction.data(), spectrum); });
  std::vector<FftConvolution::Product> products(1 + moments.size(), {spectrum, spectrum});
  const double inverse_s = timed_median(comm, repetitions, [&] { fft.inverse_of_sum(products, input.data()); });
  const double evaluate_s = timed_median(comm, repetitions, [&] { evaluator.evaluate(0.0, u, inputs); });
  check_petsc(VecRestoreArrayRead(local, &u));
  VecDestroy(&local);
  VecDestroy(&global);
  const auto line = [&](const char* what, double s) {
    PetscPrintf(comm, "  %-44s %9.2f ms %7.2f pairs\n", what, s * 1e3, s / pair_s);
  };
  PetscPrintf(comm, "Anatomy of one stage's coupling (medians of %d; pair = %.2f ms):\n", repetitions, pair_s * 1e3);
  line("source f (fraction and moments)", source_s);
  line("one forward transform (FftConvolution)", forward_s);
  line(fmt::format("one inverse of a sum of {} products", products.size()).c_str(), inverse_s);
  line(fmt::format("whole evaluation ({} forward, 1 inverse)", 1 + moments.size()).c_str(), evaluate_s);
  PetscPrintf(comm, "%s\n",
              fmt::format("anatomy pair_ms={:.3f} source_ms={:.3f} forward_ms={:.3f} inverse_ms={:.3f} evaluate_ms={:.3f}",
                          pair_s * 1e3, source_s * 1e3, forward_s * 1e3, inverse_s * 1e3, evaluate_s * 1e3)
                  .c_str());
}

std::string option_text(const char* name, const std::string& fallback) {
  char value[64] = {};
  PetscBool set = PETSC_FALSE;
  check_petsc(PetscOptionsGetString(nullptr, nullptr, name, value, sizeof value, &set));
  return set ? std::string(value) : fallback;
}

void run() {
  PetscInt cells = 1024, steps = 3, repetitions = 5, with_anatomy = 1;
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-cells", &cells, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-steps", &steps, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-anatomy", &with_anatomy, nullptr));
  const std::string boundary = option_text("-boundary", "bounded"), firing = option_text("-firing", "heaviside");
  const MPI_Comm comm = PETSC_COMM_WORLD;
  PetscMPIInt ranks = 1;
  MPI_Comm_size(comm, &ranks);

  const double rss_start = sum_over_ranks(comm, peak_rss_mib());
  AmariCase c;
  c.cells = {cells, cells};
  c.length = kSpacing * static_cast<double>(cells);
  c.boundary = boundary;
  c.firing = firing;
  c.steps = steps + 1;
  const Deck deck = amari_deck(c);
  double setup = MPI_Wtime();
  const std::unique_ptr<Problem> problem = build_problem(deck, comm);
  setup = MPI_Wtime() - setup;
  const IntegratorSettings settings = integrator_settings(deck);
  const TimedSystem timed(*problem);
  time_window(timed, settings, 1, steps + 1);  // warm-up: every page touched
  const double rss_peak = sum_over_ranks(comm, peak_rss_mib());

  const long size = boundary == "periodic" ? cells : nice_fft_size(2 * cells - 1);
  BarePair pair(comm, size, size);
  std::vector<double> step_s, pair_s, ratio, rhs_s, calls;
  for (PetscInt r = 0; r < repetitions; ++r) {
    pair_s.push_back(pair.seconds_per_pair(kPairsPerRepetition));
    timed.reset();
    const WindowTiming w = time_window(timed, settings, 1, steps + 1);
    step_s.push_back(w.seconds / static_cast<double>(w.steps));
    ratio.push_back(step_s.back() / pair_s.back());
    const double per_call = max_over_ranks(comm, timed.seconds() / static_cast<double>(timed.calls()));
    calls.push_back(static_cast<double>(timed.calls()) / static_cast<double>(w.run_steps));
    rhs_s.push_back(per_call * calls.back());
  }
  const double cells2 = static_cast<double>(cells) * static_cast<double>(cells);
  const double step = median(step_s), one_pair = median(pair_s), rhs = median(rhs_s);
  PetscPrintf(comm, "Amari 2D %ldx%ld %s, firing %s, rk4 dt 0.05 s, %d rank(s); transform %ldx%ld; "
                    "medians of %d repetitions (%d steps, %d pairs each)\n",
              static_cast<long>(cells), static_cast<long>(cells), boundary.c_str(), firing.c_str(), ranks, size, size,
              static_cast<int>(repetitions), static_cast<int>(steps), kPairsPerRepetition);
  PetscPrintf(comm, "  per step %.2f ms (rhs %.2f ms in %.1f calls, the rest %.2f ms); per r2c+c2r pair %.2f ms\n",
              step * 1e3, rhs * 1e3, median(calls), (step - rhs) * 1e3, one_pair * 1e3);
  PetscPrintf(comm, "  step / pair: %.2f (median of the per-repetition ratios %.2f; min %.2f, max %.2f)\n",
              step / one_pair, median(ratio), *std::min_element(ratio.begin(), ratio.end()),
              *std::max_element(ratio.begin(), ratio.end()));
  PetscPrintf(comm, "  setup %.2f s; peak RSS %.1f MiB over all ranks (%.1f at start): %.1f B per cell, %.1f B above start\n",
              setup, rss_peak, rss_start, rss_peak * 1048576.0 / cells2, (rss_peak - rss_start) * 1048576.0 / cells2);
  PetscPrintf(comm, "%s\n",
              fmt::format("ranks={} cells={}x{} boundary={} firing={} transform={} repetitions={} steps={} "
                          "s_per_step={:.6e} s_per_pair={:.6e} ratio={:.3f} ratio_median={:.3f} rhs_s_per_step={:.6e} "
                          "rhs_calls_per_step={:.2f} setup_s={:.2f} peak_rss_mib={:.1f} start_rss_mib={:.1f} "
                          "bytes_per_cell={:.1f}",
                          ranks, cells, cells, boundary, firing, size, repetitions, steps, step, one_pair,
                          step / one_pair, median(ratio), rhs, median(calls), setup, rss_peak, rss_start,
                          rss_peak * 1048576.0 / cells2)
                  .c_str());
  if (with_anatomy) anatomy(*problem, pair, static_cast<int>(repetitions));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    PetscSession petsc(&argc, &argv);
    run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_amari_2d: %s\n", e.what());
    return 1;
  }
  return 0;
}
