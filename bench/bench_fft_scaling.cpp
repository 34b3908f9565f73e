// FFT convolution cost against N (acceptance figures: neural fields, FFT scaling).
// One FftConvolution::forward and one inverse on a 1D grid of N = 2^10 .. 2^22 cells
// (every other power by default), periodic (transform size N) or bounded (zero padding
// to nice(2N - 1) = 2N), with everything the solver does around the transforms (the
// scatter into FFTW's layout and back, the zeroing of the padding, the spectrum copy).
// In 1D FFTW-MPI has no r2c: the transform is a complex one of real data (fftw_slabs.h).
// Counter ns_per_NlogN = time per forward + inverse / (N log2 N), N the cells; a flat
// column is O(N log N). Medians over the repetitions follow the table.
//
// Run: bench_fft_scaling [-repetitions K (5)] [-all 1: every power of 2] [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/petsc_error.h"
#include "bench/bench_support.h"
#include "solvers/convolution/fft_convolution.h"

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
      const double seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
      (periodic ? periodic_ : bounded_)[static_cast<long>(n->second.value)] = {per->second.value, seconds};
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nFFT convolution forward + inverse, medians (ns per N log2 N; ms per round trip)\n");
    std::printf("%10s %14s %12s %14s %12s\n", "N", "periodic", "ms", "bounded", "ms");
    for (const auto& [n, p] : periodic_) {
      const auto b = bounded_.find(n);
      const Figure none{0, 0};
      const Figure& bf = b == bounded_.end() ? none : b->second;
      std::printf("%10ld %14.3f %12.4f %14.3f %12.4f\n", n, p.per, p.seconds * 1e3, bf.per, bf.seconds * 1e3);
      std::printf("fft_scaling N=%ld periodic_ns_per_NlogN=%.4f bounded_ns_per_NlogN=%.4f periodic_ms=%.5f "
                  "bounded_ms=%.5f\n",
                  n, p.per, bf.per, p.seconds * 1e3, bf.seconds * 1e3);
    }
  }

 private:
  struct Figure {
    double per, seconds;
  };
  std::map<long, Figure> periodic_, bounded_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  try {
    PetscSession petsc(&argc, &argv);
    PetscInt repetitions = 5, all = 0;
    check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
    check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-all", &all, nullptr));
    for (const auto& [name, boundary] : {std::pair{"fft_round_trip/periodic", Boundary::periodic},
                                         std::pair{"fft_round_trip/bounded", Boundary::bounded}})
      benchmark::RegisterBenchmark(name, round_trip, boundary)
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
