// Homogeneous-state stability of a neural field, eta(lambda) = g K^(k, lambda) (4.1),
// against the cases of docs/theory.md (homogeneous states; VERIFICATION section 4):
// A wizard hat, B Mexican hat (static Turing), C pure inhibition with delay (bulk Hopf),
// D balanced inverse Mexican hat with delay (wave instability). The roots are those of
// a polynomial (exact to round-off); the critical gain is bisected to 1e-13 relative and
// the critical wavenumber, at a quadratic minimum of the neutral gain g_n(k), is fixed
// only to about sqrt(1e-13) ~ 3e-7 relative. Tolerances: the reference value's last
// printed digit, plus those.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "models/homogeneous_stability.h"
#include "solvers/stability/polynomial_roots.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kKTol = 1e-6;  // rad/m: golden-section location of k_c (above)

DelayedField field(std::vector<KernelTerm> terms, int order, double velocity) {
  return {std::move(terms), {order, 1.0}, velocity};
}

TEST(PolynomialRoots, CompanionEigenvaluesAreTheRoots) {
  // (z - 1)(z - 2)(z^2 + 1) = z^4 - 3 z^3 + 3 z^2 - 3 z + 2
  const auto r = polynomial_roots({2, -3, 3, -3, 1});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_NEAR(std::abs(r[0] - std::complex<double>(2, 0)), 0, 1e-13);
  EXPECT_NEAR(std::abs(r[1] - std::complex<double>(1, 0)), 0, 1e-13);
  EXPECT_NEAR(std::abs(r[2] - std::complex<double>(0, 1)), 0, 1e-13);
  EXPECT_NEAR(std::abs(r[3] - std::complex<double>(0, -1)), 0, 1e-13);
}

TEST(HomogeneousStability, PolynomialMatchesTransformAndClosedForm) {
  const DelayedField f = field({{TermShape::wizard_hat, 1, 1}, {TermShape::exponential, -0.3, 2}}, 2, 1.5);
  for (double k : {0.0, 0.7, 2.0})
    for (const auto& l : characteristic_roots(f, 3.0, k))  // each root solves (4.1) itself
      EXPECT_NEAR(std::abs(synaptic_symbol(f.synapse, l) - 3.0 * delayed_transform(f, k, l)), 0,
                  1e-9 * (1 + std::abs(synaptic_symbol(f.synapse, l)) + std::abs(3.0 * delayed_transform(f, k, l))));
  // No delay: the closed form alpha (G^{1/m} - 1), G = g 4k^2/(1 + k^2)^2.
  const DelayedField w = field({{TermShape::wizard_hat, 1, 1}}, 2, kInf);
  const double k = 0.8, G = 2.5 * 4 * k * k / std::pow(1 + k * k, 2);
  EXPECT_NEAR(std::abs(rightmost_rate(w, 2.5, k) - undelayed_rate(w.synapse, G)), 0, 1e-12);
  EXPECT_NEAR(undelayed_rate(w.synapse, G).real(), std::sqrt(G) - 1, 1e-14);
  EXPECT_NEAR(undelayed_rate({2, 1.0}, -4.0).imag(), 2.0, 1e-14);  // (1 + l)^2 = -4: l = -1 + 2i
}

// A: K^(k, 0) = 4k^2/(1 + k^2)^2, g_c = 1 at k_c = 1 for any m and c.
TEST(HomogeneousStability, CaseA_WizardHat) {
  for (const auto& [order, c] : {std::pair{1, kInf}, std::pair{2, 1.0}, std::pair{1, 0.5}}) {
    const CriticalPoint cp = critical_point(field({{TermShape::wizard_hat, 1, 1}}, order, c), 10);
    std::printf("A (m = %d, c = %g): g_c %.10f, k_c %.8f, omega_c %.2e\n", order, c, cp.gain, cp.wavenumber,
                cp.frequency);
    EXPECT_NEAR(cp.gain, 1.0, 1e-12);
    EXPECT_NEAR(cp.wavenumber, 1.0, kKTol);
    EXPECT_NEAR(cp.frequency, 0.0, 1e-6);
  }
}

// B: a_e = 1, s_e = 1, a_i = 0.5, s_i = 2; closed form
//   k_c^2 = (sqrt(a_i) s_i - sqrt(a_e) s_e)/(s_e s_i (sqrt(a_e) s_i - sqrt(a_i) s_e)), g_c = 1/K^(k_c).
TEST(HomogeneousStability, CaseB_MexicanHat) {
  const double ae = 1, se = 1, ai = 0.5, si = 2;
  const double kc = std::sqrt((std::sqrt(ai) * si - std::sqrt(ae) * se) /
                              (se * si * (std::sqrt(ae) * si - std::sqrt(ai) * se)));
  const double gc = 1 / (ae / (1 + kc * kc * se * se) - ai / (1 + kc * kc * si * si));
  const CriticalPoint cp =
      critical_point(field({{TermShape::exponential, ae, se}, {TermShape::exponential, -ai, si}}, 1, kInf), 5);
  std::printf("B: g_c %.10f (closed form %.10f), k_c %.8f (%.8f)\n", cp.gain, gc, cp.wavenumber, kc);
  EXPECT_NEAR(kc, 0.4002357, 5e-8);
  EXPECT_NEAR(gc, 1.7947168, 5e-8);
  EXPECT_NEAR(cp.gain, gc, 1e-12 * gc);
  EXPECT_NEAR(cp.wavenumber, kc, kKTol);
  EXPECT_NEAR(cp.frequency, 0.0, 1e-6);
}

// C: pure inhibition s = c = 1, m = 2: at k = 0, (1 + l)^3 = -g: g_c = 8, omega_c = sqrt 3.
TEST(HomogeneousStability, CaseC_BulkHopf) {
  const CriticalPoint cp = critical_point(field({{TermShape::exponential, -1, 1}}, 2, 1.0), 5);
  std::printf("C: g_c %.10f, k_c %.2e, omega_c %.10f\n", cp.gain, cp.wavenumber, cp.frequency);
  EXPECT_NEAR(cp.gain, 8.0, 1e-11);
  EXPECT_NEAR(cp.wavenumber, 0.0, kKTol);
  EXPECT_NEAR(cp.frequency, std::sqrt(3.0), 1e-9);
}

// D: m = 2, a_e = a_i = 1, s_e = 2, s_i = 1, c = 1.
TEST(HomogeneousStability, CaseD_WaveInstability) {
  const DelayedField f = field({{TermShape::exponential, 1, 2}, {TermShape::exponential, -1, 1}}, 2, 1.0);
  const CriticalPoint cp = critical_point(f, 6);
  std::printf("D: g_c %.9f, k_c %.9f, omega_c %.9f, phase speed %.9f\n", cp.gain, cp.wavenumber, cp.frequency,
              cp.frequency / cp.wavenumber);
  EXPECT_NEAR(cp.gain, 24.382575, 5e-7);
  EXPECT_NEAR(cp.wavenumber, 1.784046, 5e-7 + kKTol);
  EXPECT_NEAR(cp.frequency, 1.616278, 5e-7 + kKTol);
  EXPECT_NEAR(cp.frequency / cp.wavenumber, 0.905963, 5e-7 + kKTol);
  const RightmostMode below = rightmost_over_k(f, 0.999 * cp.gain, 6), above = rightmost_over_k(f, 1.001 * cp.gain, 6);
  std::printf("D: Re lambda at 0.999 g_c %.4e (k %.6f), at 1.001 g_c %.4e (k %.6f)\n", below.rate.real(),
              below.wavenumber, above.rate.real(), above.wavenumber);
  EXPECT_NEAR(below.rate.real(), -1.16e-4, 0.005e-4);
  EXPECT_NEAR(above.rate.real(), 1.16e-4, 0.005e-4);
}

// m = 1 has no oscillatory instability for a single inhibitory exponential (Routh-Hurwitz,
// docs/theory.md): every k stays stable up to the largest gain scanned.
TEST(HomogeneousStability, FirstOrderInhibitionNeverLosesStability) {
  const DelayedField f = field({{TermShape::exponential, -1, 1}}, 1, 1.0);
  EXPECT_THROW(critical_point(f, 5, 50), std::runtime_error);
  EXPECT_LT(rightmost_over_k(f, 1e5, 5, 50).rate.real(), 0.0);
}

}  // namespace
}  // namespace nf
