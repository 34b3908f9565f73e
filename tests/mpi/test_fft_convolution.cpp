// The FFT convolution (solvers/convolution/fft_convolution.h) on every rank against
// the direct O(N^2) sum with the same cell weights: both compute sum_j W(x_i - x_j) s_j
// exactly, so they agree to the round-off of the transforms, 1e-12 of max |result|.
// Grids 1D to 3D, periodic, bounded and mixed axes, odd, even and prime sizes (FFTW's
// 1D algorithm refuses primes on several ranks), ranks without a slab, dof 2 grids.
// Theory: a constant on a periodic grid longer than twice the reach convolves to the
// constant times the kernel's integral, to the cell weights' quadrature accuracy.
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

std::unique_ptr<Kernel> make(const std::string& type, int d, std::map<std::string, double> values) {
  const KernelType* t = find_kernel_type(type);
  ParamValues p = defaults_of(t->params);
  for (const auto& [k, v] : values) p.set(k, v);
  return t->make(p, d);
}

std::vector<std::unique_ptr<Kernel>> kernels_of(int d) {
  std::vector<std::unique_ptr<Kernel>> k;
  k.push_back(make("exponential", d, {{"a", 1.3}, {"sigma", 0.9}}));
  k.push_back(make("gaussian", d, {{"a", 0.8}, {"sigma", 0.6}}));
  k.push_back(make("wizard_hat", d, {{"a", 1.1}, {"sigma", 0.7}}));
  k.push_back(make("exp_difference", d, {{"a_e", 2}, {"sigma_e", 0.4}, {"a_i", 1}, {"sigma_i", 1.3}}));
  return k;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

// max |FFT - direct| / max |direct| over every rank's owned cells.
double fft_error(const GridSpec& spec, const Kernel& w, std::uint64_t seed) {
  const Grid grid(PETSC_COMM_WORLD, spec);
  FftConvolution conv(grid);
  const std::vector<double> source = test::random_field(spec, seed);
  const std::vector<double> reference = direct_convolution(spec, w, source);
  const std::vector<double> owned_source = test::owned_part(grid.patch(), source);
  std::vector<double> out(owned_source.size());
  conv.convolve(conv.kernel_spectrum(w), owned_source.data(), out.data());
  const std::vector<double> expected = test::owned_part(grid.patch(), reference);
  double local = 0, error = 0;
  for (std::size_t i = 0; i < out.size(); ++i) local = std::max(local, std::abs(out[i] - expected[i]));
  MPI_Allreduce(&local, &error, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD);
  return error / max_abs(reference);
}

void expect_fft_equals_direct(const GridSpec& spec, const std::string& label) {
  std::uint64_t seed = 1;
  for (const auto& w : kernels_of(static_cast<int>(spec.cells.size())))
    EXPECT_LT(fft_error(spec, *w, seed++), 1e-12) << label << ", " << w->describe();
}

TEST(FftConvolution, OneDimensional) {
  expect_fft_equals_direct(test::convolution_grid({16}, {P}, {0.5}), "periodic 16");
  expect_fft_equals_direct(test::convolution_grid({17}, {P}, {0.5}), "periodic 17 (prime)");
  expect_fft_equals_direct(test::convolution_grid({13}, {N}, {0.3}), "bounded 13");
  expect_fft_equals_direct(test::convolution_grid({8}, {N}, {0.45}), "bounded 8");
}

TEST(FftConvolution, TwoDimensional) {
  expect_fft_equals_direct(test::convolution_grid({8, 6}, {P, P}, {0.5, 0.4}), "periodic 8x6");
  expect_fft_equals_direct(test::convolution_grid({7, 5}, {N, N}, {0.3, 0.5}), "bounded 7x5");
  expect_fft_equals_direct(test::convolution_grid({9, 4}, {P, N}, {0.4, 0.4}), "periodic x, bounded y 9x4");
  expect_fft_equals_direct(test::convolution_grid({6, 7}, {N, P}, {0.5, 0.3}), "bounded x, periodic y 6x7");
  expect_fft_equals_direct(test::convolution_grid({8, 3}, {N, N}, {0.4, 0.4}), "bounded 8x3");
  expect_fft_equals_direct(test::convolution_grid({8, 1}, {P, N}, {0.4, 0.4}), "8x1: one rank has no slab");
}

TEST(FftConvolution, ThreeDimensional) {
  expect_fft_equals_direct(test::convolution_grid({5, 4, 3}, {P, P, P}, {0.5, 0.4, 0.6}), "periodic 5x4x3");
  expect_fft_equals_direct(test::convolution_grid({4, 5, 6}, {N, N, N}, {0.4, 0.5, 0.3}), "bounded 4x5x6");
  expect_fft_equals_direct(test::convolution_grid({6, 3, 4}, {P, N, P}, {0.4, 0.4, 0.5}), "mixed 6x3x4");
  expect_fft_equals_direct(test::convolution_grid({4, 4, 1}, {N, P, N}, {0.4, 0.4, 0.4}), "4x4x1: no slab");
}

TEST(FftConvolution, GridsWithSeveralComponents) {
  expect_fft_equals_direct(test::convolution_grid({12}, {P}, {0.5}, 2), "1D dof 2");
  expect_fft_equals_direct(test::convolution_grid({7, 6}, {N, P}, {0.4, 0.5}, 2), "2D dof 2");
  expect_fft_equals_direct(test::convolution_grid({3, 4, 5}, {P, N, N}, {0.5, 0.5, 0.5}, 3), "3D dof 3");
}

// out = W1 * s1 + W2 * s2 through forward() and inverse_of_sum().
TEST(FftConvolution, InverseOfSumAddsTheProducts) {
  const GridSpec spec = test::convolution_grid({9, 6}, {P, N}, {0.4, 0.5});
  const Grid grid(PETSC_COMM_WORLD, spec);
  FftConvolution conv(grid);
  const auto w1 = make("exponential", 2, {{"a", 1}, {"sigma", 0.8}});
  const auto w2 = make("gaussian", 2, {{"a", -0.7}, {"sigma", 0.5}});
  const auto s1 = test::random_field(spec, 11), s2 = test::random_field(spec, 12);
  const auto d1 = direct_convolution(spec, *w1, s1), d2 = direct_convolution(spec, *w2, s2);
  const auto k1 = conv.kernel_spectrum(*w1), k2 = conv.kernel_spectrum(*w2);
  std::vector<FftConvolution::Complex> f1(conv.spectrum_size()), f2(conv.spectrum_size());
  conv.forward(test::owned_part(grid.patch(), s1).data(), f1);
  conv.forward(test::owned_part(grid.patch(), s2).data(), f2);
  const FftConvolution::Product products[2] = {{k1, f1}, {k2, f2}};
  std::vector<double> out(grid.patch().count[0] * grid.patch().count[1]);
  conv.inverse_of_sum(products, out.data());
  std::vector<double> sum(d1.size());
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = d1[i] + d2[i];
  const auto expected = test::owned_part(grid.patch(), sum);
  const double scale = max_abs(sum);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-12 * scale) << i;
}

// Periodic box of side L > 2 reach: every cell sees the whole kernel once (minimal
// image), so W * c = c sum_o W(o) = c int w over the box = c integral (the tail beyond
// L/2 = 32 s is below e^{-32} (1 + 32) < 1e-12 for the exponential in 2D).
TEST(FftConvolution, ConstantSourceGivesTheIntegral) {
  struct Case {
    GridSpec spec;
    std::unique_ptr<Kernel> w;
  };
  std::vector<Case> cases;
  cases.push_back({test::convolution_grid({128, 128}, {P, P}, {0.5, 0.5}), make("exponential", 2, {{"a", 1.3}, {"sigma", 1}})});
  cases.push_back({test::convolution_grid({32, 32, 32}, {P, P, P}, {0.5, 0.5, 0.5}), make("gaussian", 3, {{"a", 0.8}, {"sigma", 1}})});
  cases.push_back({test::convolution_grid({200}, {P}, {0.5}), make("exp_difference", 1, {{"a_e", 2}, {"sigma_e", 1}, {"a_i", 0.5}, {"sigma_i", 2}})});
  for (const Case& c : cases) {
    const Grid grid(PETSC_COMM_WORLD, c.spec);
    FftConvolution conv(grid);
    const std::size_t n = grid.patch().count[0] * grid.patch().count[1] * grid.patch().count[2];
    const double constant = 0.37;
    std::vector<double> source(n, constant), out(n);
    conv.convolve(conv.kernel_spectrum(*c.w), source.data(), out.data());
    const double expected = constant * c.w->integral();
    for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(out[i], expected, 1e-10 * std::abs(expected)) << c.w->describe();
  }
}

}  // namespace
}  // namespace nf
