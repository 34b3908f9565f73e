// The FFT convolution does not depend on the rank count: the field convolved on every
// rank of the world communicator (2 or more), gathered, against the same grid convolved
// on rank 0 alone. Only the transforms' split differs, so the fields agree to the
// transforms' round-off, 1e-12 of max |result|. Cases include a 1D prime size (a
// serial transform on rank 0 when distributed) and grids where a rank holds no slab.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/kernel.h"
#include "tests/support/convolution_fields.h"

namespace nf {
namespace {

using B = Boundary;
constexpr B P = B::periodic, N = B::bounded;

std::vector<double> convolve_on(MPI_Comm comm, const GridSpec& spec, const Kernel& w) {
  const Grid grid(comm, spec);
  FftConvolution conv(grid);
  const std::vector<double> source = test::owned_part(grid.patch(), test::random_field(spec, 7));
  std::vector<double> out(source.size());
  conv.convolve(conv.kernel_spectrum(w), source.data(), out.data());
  return test::gather_on_rank0(comm, grid.patch(), out);
}

void expect_rank_independent(const GridSpec& spec, const std::string& label) {
  int ranks = 1, rank = 0;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  ASSERT_GE(ranks, 2) << "a comparison with rank 0 alone needs 2 or more ranks";
  const KernelType* type = find_kernel_type("exp_difference");
  const auto w = type->make(defaults_of(type->params), static_cast<int>(spec.cells.size()));
  const std::vector<double> all = convolve_on(PETSC_COMM_WORLD, spec, *w);
  if (rank != 0) return;
  const std::vector<double> alone = convolve_on(PETSC_COMM_SELF, spec, *w);
  ASSERT_EQ(all.size(), alone.size());
  double scale = 0;
  for (double v : alone) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_NEAR(all[i], alone[i], 1e-12 * scale) << label << " cell " << i;
}

TEST(FftConvolutionRanks, SameFieldOnAllRanksAsOnRankZeroAlone) {
  expect_rank_independent(test::convolution_grid({31}, {P}, {0.3}), "1D periodic 31 (prime)");
  expect_rank_independent(test::convolution_grid({40}, {N}, {0.3}), "1D bounded 40");
  expect_rank_independent(test::convolution_grid({8, 3}, {N, N}, {0.4, 0.4}), "2D bounded 8x3");
  expect_rank_independent(test::convolution_grid({8, 1}, {P, N}, {0.4, 0.4}), "2D 8x1, a rank without a slab");
  expect_rank_independent(test::convolution_grid({12, 10}, {P, P}, {0.3, 0.3}, 2), "2D periodic, dof 2");
  expect_rank_independent(test::convolution_grid({6, 5, 4}, {P, N, P}, {0.4, 0.4, 0.4}), "3D mixed");
}

}  // namespace
}  // namespace nf
