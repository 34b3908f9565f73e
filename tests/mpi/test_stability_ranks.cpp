// `neurofield stability` does not depend on the rank count: the chain's rightmost
// eigenvalues on every rank of the world communicator (2 or more) against the same
// deck on rank 0 alone, to 1e-10 relative.
#include <gtest/gtest.h>
#include <slepcsys.h>

#include <cmath>

#include "problem/linear_stability.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

StabilityResult stability(const std::vector<std::string>& overrides, MPI_Comm comm, const std::string& tag,
                          test::TempDir& dir) {
  std::vector<std::string> o = overrides;
  o.push_back("output.dir=" + (dir.path() / tag).string());
  return run_stability(Deck::parse(test::deck_text("pc_chain.yaml"), "pc_chain.yaml", o), comm, tag);
}

void expect_rank_independent(const std::vector<std::string>& overrides) {
  ASSERT_EQ(SlepcInitialize(nullptr, nullptr, nullptr, nullptr), 0);
  int size = 1, rank = 0;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  ASSERT_GE(size, 2) << "compares 2 or more ranks with rank 0 alone";
  test::TempDir dir(PETSC_COMM_WORLD, "stability_ranks");
  const StabilityResult all = stability(overrides, PETSC_COMM_WORLD, "all", dir);
  if (rank != 0) return;
  const StabilityResult one = stability(overrides, PETSC_COMM_SELF, "one", dir);
  ASSERT_EQ(all.spectrum.eigenvalues.size(), one.spectrum.eigenvalues.size());
  for (std::size_t i = 0; i < one.spectrum.eigenvalues.size(); ++i) {
    const auto a = all.spectrum.eigenvalues[i], b = one.spectrum.eigenvalues[i];
    EXPECT_LT(std::abs(a - b), 1e-10 * std::max(1.0, std::abs(b))) << "eigenvalue " << i << ": " << a << " vs " << b;
  }
}

TEST(StabilityRanks, OpenChain) { expect_rank_independent({}); }
TEST(StabilityRanks, PeriodicRing) { expect_rank_independent({"model.boundary=periodic"}); }

}  // namespace
}  // namespace nf
