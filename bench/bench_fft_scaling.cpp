// FFT convolution cost against N (acceptance figures: neural fields, FFT scaling).
// One FftConvolution::forward and one inverse on a 1D grid of N = 2^10 .. 2^22 cells
// (every other power by default), periodic (transform size N) or bounded (zero padding
// to nice(2N - 1) = 2N), with everything the solver does around the transforms (the
// scatter into FFTW's layout and back, the zeroing of the padding, the spectrum copy).
// In 1D FFTW-MPI has no r2c: the transform is a complex one of real data (fftw_slabs.h).
// Counter ns_per_NlogN = time per forward + inverse / (N log2 N), N the cells; a flat
// column is O(N log N). Beside each, a bare serial FFTW pair of the same transform size
// (fft_bare): the round trip's overhead over it. Medians over the repetitions follow.
//
// Run: bench_fft_scaling [-repetitions K (5)] [-all 1: every power of 2] [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <fftw3.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "base/petsc_error.h"
#include "bench/bench_support.h"
#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/fftw_slabs.h"

namespace {

using namespace nf;
using namespace nf::bench;

void round_trip(benchmark::State& state, Boundary boundary) {
  try {
    const PetscInt n = PetscInt{1} << state.range(0);
    GridSpec spec = line_grid(n, 1.0);
    spec.boundary = {boundary};
    Grid grid(PETSC_COMM_WORLD, spec);
    FftConvolution fft(grid);
    const std::size_t owned = static_cast<std::size_t>(grid.patch().count[0]);
    std::vector<double> source(owned), out(owned);
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> uniform(0, 1);
    for (double& s : source) s = uniform(random);
    std::vector<FftConvolution::Complex> spectrum(fft.spectrum_size());
    for (auto _ : state) {
      fft.forward(source.data(), spectrum);
      fft.inverse(spectrum, out.data());
      benchmark::DoNotOptimize(out.data());
    }
    const double nlogn = static_cast<double>(n) * std::log2(static_cast<double>(n));
    state.counters["ns_per_NlogN"] =
        benchmark::Counter(nlogn * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["N"] = static_cast<double>(n);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// The bare FFTW pair the solver's round trip rests on, on one rank: a serial complex
// forward + backward transform of the same size and flags (fftw_plan_dft_1d,
// FFTW_ESTIMATE; FftwSlabs plans this one when FFTW-MPI's 1D algorithm declines, as it
// does on one rank).
void bare_pair(benchmark::State& state, Boundary boundary) {
  const long n = 1L << state.range(0);
  const long size = boundary == Boundary::periodic ? n : nice_fft_size(2 * n - 1);
  fftw_complex* x = fftw_alloc_complex(static_cast<std::size_t>(size));
  fftw_complex* y = fftw_alloc_complex(static_cast<std::size_t>(size));
  fftw_plan forward = fftw_plan_dft_1d(static_cast<int>(size), x, y, FFTW_FORWARD, FFTW_ESTIMATE);
  fftw_plan backward = fftw_plan_dft_1d(static_cast<int>(size), y, x, FFTW_BACKWARD, FFTW_ESTIMATE);
  for (long i = 0; i < size; ++i) x[i][0] = i < n ? std::sin(0.1 * static_cast<double>(i)) : 0.0, x[i][1] = 0;
  for (auto _ : state) {
    fftw_execute(forward);
    fftw_execute(backward);
    benchmark::DoNotOptimize(x);
    benchmark::ClobberMemory();
  }
  fftw_destroy_plan(forward);
  fftw_destroy_plan(backward);
  fftw_free(x);
  fftw_free(y);
  const double nlogn = static_cast<double>(n) * std::log2(static_cast<double>(n));
  state.counters["ns_per_NlogN"] =
      benchmark::Counter(nlogn * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["N"] = static_cast<double>(n);
}

// The table, then the medians of ns_per_NlogN per N and boundary.
class SummaryReporter final : public benchmark::ConsoleReporter {
 public:
  SummaryReporter() : ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median" || r.error_occurred) continue;
      const auto per = r.counters.find("ns_per_NlogN"), n = r.counters.find("N");
      if (per == r.counters.end() || n == r.counters.end()) continue;
      const bool periodic = r.run_name.function_name.find("periodic") != std::string::npos;
      const bool bare = r.run_name.function_name.find("bare") != std::string::npos;
      const double seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
      auto& table = bare ? (periodic ? bare_periodic_ : bare_bounded_) : (periodic ? periodic_ : bounded_);
      table[static_cast<long>(n->second.value)] = {per->second.value, seconds};
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nFFT convolution forward + inverse, medians (ns per N log2 N; ms per round trip)\n");
    std::printf("(÷ bare: the round trip over a bare serial FFTW pair of the same size)\n");
    std::printf("%10s %10s %10s %8s %10s %10s %8s\n", "N", "periodic", "ms", "÷ bare", "bounded", "ms", "÷ bare");
    const auto at = [](const std::map<long, Figure>& t, long n) {
      const auto it = t.find(n);
      return it == t.end() ? Figure{0, 0} : it->second;
    };
    for (const auto& [n, p] : periodic_) {
      const Figure b = at(bounded_, n), bp = at(bare_periodic_, n), bb = at(bare_bounded_, n);
      const double rp = bp.seconds > 0 ? p.seconds / bp.seconds : 0, rb = bb.seconds > 0 ? b.seconds / bb.seconds : 0;
      std::printf("%10ld %10.3f %10.4f %8.2f %10.3f %10.4f %8.2f\n", n, p.per, p.seconds * 1e3, rp, b.per,
                  b.seconds * 1e3, rb);
      std::printf("fft_scaling N=%ld periodic_ns_per_NlogN=%.4f bounded_ns_per_NlogN=%.4f periodic_ms=%.5f "
                  "bounded_ms=%.5f periodic_over_bare=%.3f bounded_over_bare=%.3f\n",
                  n, p.per, b.per, p.seconds * 1e3, b.seconds * 1e3, rp, rb);
    }
  }

 private:
  struct Figure {
    double per, seconds;
  };
  std::map<long, Figure> periodic_, bounded_, bare_periodic_, bare_bounded_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  try {
    PetscSession petsc(&argc, &argv);
    PetscInt repetitions = 5, all = 0;
    check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
    check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-all", &all, nullptr));
    using Body = void (*)(benchmark::State&, Boundary);
    for (const auto& [name, body, boundary] :
         {std::tuple<const char*, Body, Boundary>{"fft_round_trip/periodic", round_trip, Boundary::periodic},
          {"fft_bare/periodic", bare_pair, Boundary::periodic},
          {"fft_round_trip/bounded", round_trip, Boundary::bounded},
          {"fft_bare/bounded", bare_pair, Boundary::bounded}})
      benchmark::RegisterBenchmark(name, body, boundary)
          ->DenseRange(10, 22, all ? 1 : 2)
          ->ArgName("log2N")
          ->Unit(benchmark::kMicrosecond)
          ->MinTime(0.2)
          ->Repetitions(static_cast<int>(repetitions))
          ->ReportAggregatesOnly(true);
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fft_scaling: %s\n", e.what());
    return 1;
  }
  return 0;
}
