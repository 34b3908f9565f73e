#include <fmt/format.h>
#include <petscsys.h>
#include <slepcsys.h>

#include <numbers>

#include "apps/commands.h"
#include "base/petsc_error.h"
#include "problem/build_problem.h"
#include "problem/linear_stability.h"

namespace nf {
namespace {

// SLEPc on top of the PETSc that main initialised; finalised before PETSc is.
struct SlepcScope {
  SlepcScope() { check_petsc(SlepcInitialize(nullptr, nullptr, nullptr, nullptr)); }
  ~SlepcScope() { SlepcFinalize(); }
};

double hz(std::complex<double> l) { return std::abs(l.imag()) / (2 * std::numbers::pi); }

void print_summary(const Deck& deck, const StabilityResult& r, int ranks) {
  const DelaySpectrum& s = r.spectrum;
  const auto top = s.eigenvalues.front();
  fmt::print("neurofield stability: {} about rest, {} state{}, {} lag{}; Chebyshev generator M = {} (order {}), "
             "EPS {} in {} iterations, {:.2f} s wall on {} rank{}\n",
             deck.type_of("model"), s.state_size, s.state_size > 1 ? "s" : "", s.lags.size(),
             s.lags.size() == 1 ? "" : "s", s.nodes, s.generator_size, s.eps_type, s.eps_iterations, r.wall_seconds,
             ranks, ranks > 1 ? "s" : "");
  fmt::print("  rightmost      {:.6f} Hz, growth {:+.6f} /s: {}\n", hz(top), top.real(),
             top.real() < 0 ? "stable" : "UNSTABLE");
  if (r.analytic)
    fmt::print("  analytic       {:.6f} Hz, growth {:+.6f} /s ({}); difference {:.3g} /s\n", hz(r.analytic->rate),
               r.analytic->rate.real(), r.analytic->label,
               std::abs(std::complex<double>(top.real(), std::abs(top.imag())) - r.analytic->rate));
  else if (!r.analytic_note.empty())
    fmt::print("  analytic       {}\n", r.analytic_note);
  double worst = 0;
  for (double x : s.residuals) worst = std::max(worst, x);
  fmt::print("  eigenvalues    {} reported ({} refined by Newton on T(l)), largest relative residual on T(l) {:.2g}{}\n",
             s.eigenvalues.size(), s.polished, worst, s.met_tolerance ? "" : " (ABOVE the tolerance: raise -eps_ncv or check the output)");
  for (std::size_t i = 0; i < s.eigenvalues.size(); ++i)
    fmt::print("    {:2d}  {:+.9f} {:+.9f}i /s  ({:.4f} Hz)\n", i + 1, s.eigenvalues[i].real(),
               s.eigenvalues[i].imag(), hz(s.eigenvalues[i]));
  fmt::print("  output         {}\n", (r.output_dir / "stability.json").string());
}

}  // namespace

int stability_deck(const Deck& deck, const std::string& stem, const std::vector<char*>& cli_petsc) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  if (rank == 0)
    for (const auto& note : deck.notes()) fmt::print(stderr, "neurofield: {}\n", note);
  // Only the options after "--": the deck's petsc: entry is for run's solvers.
  std::string given;
  for (std::size_t i = 1; i < cli_petsc.size() && cli_petsc[i]; ++i) given += std::string(cli_petsc[i]) + " ";
  check_petsc(PetscOptionsInsertString(nullptr, given.c_str()));
  SlepcScope slepc;
  const StabilityResult r = run_stability(deck, PETSC_COMM_WORLD, stem);
  if (rank == 0) print_summary(deck, r, ranks);
  return 0;
}

}  // namespace nf
