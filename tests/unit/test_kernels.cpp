// The coupling kernels (solvers/convolution/kernel.h) against their closed forms:
// integrals and Fourier transforms against radial quadrature, the reach against its
// definition |w(reach)| = 1e-12 max |w|, and the cell weights W(d) against exact cell
// integrals (1D exponential, Gaussian products of erf) and the kernel's integral.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/gauss_legendre.h"
#include "solvers/convolution/kernel.h"

namespace nf {
namespace {

constexpr double pi = std::numbers::pi;

std::unique_ptr<Kernel> make(const std::string& type, int d, std::map<std::string, double> values = {}) {
  const KernelType* t = find_kernel_type(type);
  if (!t) throw std::logic_error("no kernel type " + type);
  ParamValues p = defaults_of(t->params);
  for (const auto& [k, v] : values) p.set(k, v);
  return t->make(p, d);
}

// Composite 10-point Gauss-Legendre over [0, R] in panels of at most `panel`: exact to
// round-off for the smooth (in r) integrands below.
double radial_integral(const std::function<double(double)>& f, double R, double panel) {
  const QuadratureRule& q = gauss_legendre(10);
  const int panels = static_cast<int>(std::ceil(R / panel));
  const double width = R / panels;
  double sum = 0;
  for (int p = 0; p < panels; ++p)
    for (int i = 0; i < 10; ++i) sum += width * q.weight[i] * f((p + q.node[i]) * width);
  return sum;
}

// int_{R^d} f(|x|) dx = S_d int_0^inf f(r) r^{d-1} dr, out to 1.5 reach.
double integral_over_space(const Kernel& w, const std::function<double(double)>& f) {
  const int d = w.dimension();
  const double surface[3] = {2, 2 * pi, 4 * pi};
  return surface[d - 1] * radial_integral([&](double r) { return f(r) * std::pow(r, d - 1); }, 1.5 * w.reach(), 0.02);
}

// The continuum transform by radial quadrature: cosine (1D), Hankel (2D), sine (3D).
double numerical_fourier(const Kernel& w, double k) {
  const int d = w.dimension();
  auto radial = [&](double r) {
    if (d == 1) return w.value(r) * std::cos(k * r);
    if (d == 2) return w.value(r) * std::cyl_bessel_j(0.0, k * r);
    return w.value(r) * (k * r == 0 ? 1 : std::sin(k * r) / (k * r));
  };
  return integral_over_space(w, radial);
}

struct Case {
  std::string type;
  std::map<std::string, double> values;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {{"exponential", {{"a", 1.3}, {"sigma", 0.7}}},
                                      {"gaussian", {{"a", 0.8}, {"sigma", 1.9}}},
                                      {"exp_difference", {{"a_e", 2}, {"sigma_e", 0.5}, {"a_i", 1}, {"sigma_i", 1.5}}},
                                      {"gaussian_difference", {{"a_e", 1}, {"sigma_e", 1}, {"a_i", 0.7}, {"sigma_i", 2}}},
                                      {"wizard_hat", {{"a", 1.7}, {"sigma", 0.9}}}};
  return c;
}

TEST(Kernels, RegistryListsTheTypes) {
  std::vector<std::string> names;
  for (const auto& t : kernel_types()) {
    names.push_back(t.name);
    EXPECT_FALSE(t.doc.empty()) << t.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"exponential", "gaussian", "exp_difference", "gaussian_difference",
                                             "wizard_hat", "sum"}));
  EXPECT_EQ(find_kernel_type("mexican"), nullptr);
}

TEST(Kernels, IntegralMatchesRadialQuadrature) {
  for (const auto& c : cases())
    for (int d = 1; d <= 3; ++d) {
      const auto w = make(c.type, d, c.values);
      const double scale = integral_over_space(*w, [&](double r) { return std::abs(w->value(r)); });
      EXPECT_NEAR(integral_over_space(*w, [&](double r) { return w->value(r); }), w->integral(), 1e-11 * scale)
          << c.type << " " << d << "D";
    }
}

TEST(Kernels, IntegralsInClosedForm) {
  for (int d = 1; d <= 3; ++d) {
    EXPECT_DOUBLE_EQ(make("exponential", d, {{"a", 1.3}})->integral(), 1.3);
    EXPECT_DOUBLE_EQ(make("gaussian", d, {{"a", 0.8}})->integral(), 0.8);
    EXPECT_DOUBLE_EQ(make("exp_difference", d, {{"a_e", 2}, {"a_i", 0.5}})->integral(), 1.5);
  }
  const double a = 1.7, s = 0.9;
  EXPECT_DOUBLE_EQ(make("wizard_hat", 1, {{"a", a}, {"sigma", s}})->integral(), 0.0);
  EXPECT_DOUBLE_EQ(make("wizard_hat", 2, {{"a", a}, {"sigma", s}})->integral(), -2 * pi * a * s * s);
  EXPECT_DOUBLE_EQ(make("wizard_hat", 3, {{"a", a}, {"sigma", s}})->integral(), -16 * pi * a * s * s * s);
}

TEST(Kernels, FourierMatchesNumericalTransform) {
  for (const auto& c : cases())
    for (int d = 1; d <= 3; ++d) {
      const auto w = make(c.type, d, c.values);
      const double scale = integral_over_space(*w, [&](double r) { return std::abs(w->value(r)); });
      for (double k : {0.3, 1.0, 2.5})
        EXPECT_NEAR(numerical_fourier(*w, k), w->fourier(k), 1e-8 * scale) << c.type << " " << d << "D, k = " << k;
    }
}

// max |w| from samples on [0, range] and, finer, on [0, range/100] (a peak near 0).
double sampled_max_abs(const Kernel& w, double range) {
  double m = 0;
  for (double part : {range, range / 100})
    for (int i = 0; i <= 20000; ++i) m = std::max(m, std::abs(w.value(part * i / 20000)));
  return m;
}

TEST(Kernels, ReachIsWhereTheKernelFallsTo1e12OfItsPeak) {
  for (const auto& c : cases())
    for (int d = 1; d <= 3; ++d) {
      const auto w = make(c.type, d, c.values);
      const double R = w->reach(), peak = sampled_max_abs(*w, R);
      EXPECT_NEAR(std::abs(w->value(R)) / peak, 1e-12, 1e-18) << c.type << " " << d << "D";
      for (int i = 1; i <= 1000; ++i)
        ASSERT_LT(std::abs(w->value(R * (1 + 3.0 * i / 1000))), 1e-12 * peak) << c.type << " " << d << "D";
    }
}

TEST(Kernels, SumAddsItsTerms) {
  std::vector<std::unique_ptr<Kernel>> terms;
  terms.push_back(make("exponential", 2, {{"a", 1}, {"sigma", 1}}));
  terms.push_back(make("gaussian", 2, {{"a", -0.5}, {"sigma", 0.2}}));
  const auto e = make("exponential", 2, {{"a", 1}, {"sigma", 1}});
  const auto g = make("gaussian", 2, {{"a", -0.5}, {"sigma", 0.2}});
  const auto w = sum_kernel(std::move(terms));
  for (double r : {0.0, 0.1, 1.0, 5.0}) EXPECT_DOUBLE_EQ(w->value(r), e->value(r) + g->value(r));
  for (double k : {0.0, 0.5, 3.0}) EXPECT_DOUBLE_EQ(w->fourier(k), e->fourier(k) + g->fourier(k));
  const double peak = sampled_max_abs(*w, w->reach());
  EXPECT_NEAR(std::abs(w->value(w->reach())) / peak, 1e-12, 1e-18);
  EXPECT_NE(w->describe().find(" + "), std::string::npos);
}

TEST(Kernels, DescribeGivesTheValues) {
  EXPECT_EQ(make("exponential", 1, {{"a", 2}, {"sigma", 0.5}})->describe(), "(a/2s) exp(-|x|/s), a = 2, s = 0.5 m");
  EXPECT_NE(make("gaussian_difference", 2)->describe().find("s = 2 m"), std::string::npos);
}

TEST(Kernels, DifferenceThatCancelsIsRejected) {
  try {
    make("gaussian_difference", 2, {{"a_e", 1}, {"a_i", 1}, {"sigma_e", 1}, {"sigma_i", 1}});
    FAIL() << "no ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.key, "a_i");
  }
  EXPECT_NO_THROW(make("exp_difference", 2, {{"a_e", 1}, {"a_i", 0.5}, {"sigma_e", 1}, {"sigma_i", 1}}));
  EXPECT_THROW(make("exponential", 4), std::invalid_argument);
}

// Cell integrals -------------------------------------------------------------------

TEST(CellWeights, OneDimensionalExponentialIsExact) {
  const double a = 1.3, s = 0.7;
  const auto w = make("exponential", 1, {{"a", a}, {"sigma", s}});
  for (double h : {s / 2, s / 10, 0.05 * s}) {
    EXPECT_NEAR(cell_weight(*w, {0, 0, 0}, {h, 1, 1}), a * (1 - std::exp(-h / (2 * s))), 1e-12 * a) << h;
    for (double n : {1, 2, 3, 10, 40}) {
      const double d = n * h;
      const double exact = 0.5 * a * (std::exp(-(d - h / 2) / s) - std::exp(-(d + h / 2) / s));
      EXPECT_NEAR(cell_weight(*w, {d, 0, 0}, {h, 1, 1}), exact, 1e-12 * exact) << "h " << h << " d " << d;
      EXPECT_NEAR(cell_weight(*w, {-d, 0, 0}, {h, 1, 1}), exact, 1e-12 * exact);
    }
    const double d = 0.3 * h;  // the origin inside, off centre
    const double exact = 0.5 * a * (2 - std::exp(-(h / 2 - d) / s) - std::exp(-(h / 2 + d) / s));
    EXPECT_NEAR(cell_weight(*w, {d, 0, 0}, {h, 1, 1}), exact, 1e-12 * exact);
  }
}

// The Gaussian is a product over axes: W = a prod_a (erf((d_a + h_a/2)/sqrt2 s) - erf((d_a - h_a/2)/sqrt2 s))/2,
// out to 6 s (where the weight is 1e-9 of the peak's), 1e-10 of the weight.
TEST(CellWeights, GaussianMatchesProductOfErf) {
  const double a = 0.8, s = 1.1;
  for (int d = 2; d <= 3; ++d) {
    const auto w = make("gaussian", d, {{"a", a}, {"sigma", s}});
    const std::array<double, 3> h{s / 2, 0.4 * s, 0.3 * s};
    for (const std::array<double, 3>& cells : std::vector<std::array<double, 3>>{
             {0, 0, 0}, {1, 0, 0}, {1, 1, 1}, {2, -1, 3}, {5, 2, 0}, {-3, 4, -6}, {8, 0, 1}, {10, 4, 0}}) {
      std::array<double, 3> offset{};
      double exact = a;
      for (int ax = 0; ax < d; ++ax) {
        offset[ax] = cells[ax] * h[ax];
        const double r2s = std::sqrt(2.0) * s;
        const double d_abs = std::abs(offset[ax]);  // erfc keeps the far cells' digits
        exact *= d_abs == 0 ? std::erf(h[ax] / 2 / r2s)
                            : 0.5 * (std::erfc((d_abs - h[ax] / 2) / r2s) - std::erfc((d_abs + h[ax] / 2) / r2s));
      }
      EXPECT_NEAR(cell_weight(*w, offset, h), exact, 1e-10 * exact) << d << "D cell " << cells[0] << " " << cells[1];
    }
  }
}

// A cell's weight is the sum of its 2^d halves' weights (each integrated afresh, the
// halves near the origin by other rules than the whole): 1e-11 of the weight.
TEST(CellWeights, CellsNearTheOriginAreAdditive) {
  for (const std::string type : {"exponential", "wizard_hat"})
    for (int d = 2; d <= 3; ++d) {
      const auto w = make(type, d, {{"sigma", 1}});
      const std::array<double, 3> h{0.5, 0.5, 0.5};
      for (const std::array<double, 3>& cells : std::vector<std::array<double, 3>>{
               {0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {2, 1, 1}, {1, 1, 1}, {3, 0, 2}}) {
        std::array<double, 3> offset{};
        for (int ax = 0; ax < d; ++ax) offset[ax] = cells[ax] * h[ax];
        double halves = 0;
        for (int corner = 0; corner < (1 << d); ++corner) {
          std::array<double, 3> sub = offset;
          for (int ax = 0; ax < d; ++ax) sub[ax] += ((corner >> ax) & 1 ? 0.25 : -0.25) * h[ax];
          halves += cell_weight(*w, sub, {0.25, 0.25, 0.25});
        }
        const double whole = cell_weight(*w, offset, h);
        EXPECT_NEAR(whole, halves, 1e-11 * std::abs(whole)) << type << " " << d << "D cell " << cells[0];
      }
    }
}

// Sum of W over the cells of a box of half-width L around the origin, by symmetry over
// one octant: the kernel's integral up to its tail beyond L.
double sum_of_weights(const Kernel& w, double h, long half_cells) {
  const int d = w.dimension();
  double sum = 0;
  const long nz = d == 3 ? half_cells : 0, ny = d >= 2 ? half_cells : 0;
  for (long k = 0; k <= nz; ++k)
    for (long j = 0; j <= ny; ++j)
      for (long i = 0; i <= half_cells; ++i) {
        const double copies = (i ? 2 : 1) * (j ? 2 : 1) * (k ? 2 : 1);
        sum += copies * cell_weight(w, {i * h, j * h, k * h}, {h, h, h});
      }
  return sum;
}

TEST(CellWeights, AllCellsSumToTheIntegral) {
  // Box half-width 36 s: the exponential's tail beyond is e^{-36}(1 + 36 + 36^2/2) < 2e-13.
  const double s = 1, h = 0.5;
  for (int d = 2; d <= 3; ++d) {
    const auto e = make("exponential", d, {{"a", 1.3}, {"sigma", s}});
    EXPECT_NEAR(sum_of_weights(*e, h, 72), 1.3, 1e-10 * 1.3) << d << "D exponential";
    const auto g = make("gaussian", d, {{"a", 0.8}, {"sigma", s}});
    EXPECT_NEAR(sum_of_weights(*g, h, 20), 0.8, 1e-10 * 0.8) << d << "D Gaussian";
  }
  const auto hat = make("wizard_hat", 2, {{"a", 1.7}, {"sigma", s}});
  EXPECT_NEAR(sum_of_weights(*hat, h, 72), hat->integral(), 1e-10 * std::abs(hat->integral()));
}

}  // namespace
}  // namespace nf
