// Matrix pencil fit (postprocess/matrix_pencil.h) and the oscillation summary built on it
// (postprocess/oscillation.h), checked against signals with known rates and amplitudes.
#include "postprocess/matrix_pencil.h"
#include "postprocess/oscillation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

using Complex = std::complex<double>;
using nf::FittedMode;
using namespace std::complex_literals;
constexpr double kPi = std::numbers::pi;
constexpr Complex kI{0, 1};

// x_c[k] = Re sum_m a_{c,m} exp(lambda_m k dt); the list holds both members of a conjugate pair.
std::vector<std::vector<double>> sample(const std::vector<FittedMode>& modes, int samples, double dt) {
  std::vector<std::vector<double>> x(modes.front().amplitude.size(), std::vector<double>(samples, 0.0));
  for (std::size_t c = 0; c < x.size(); ++c)
    for (int k = 0; k < samples; ++k) {
      Complex sum = 0;
      for (const auto& m : modes) sum += m.amplitude[c] * std::exp(m.rate * (k * dt));
      x[c][k] = sum.real();
    }
  return x;
}

// Damped oscillation sigma +- i 2 pi f with channel amplitudes b_c: a = b_c / 2 and conj(b_c) / 2.
void add_oscillation(std::vector<FittedMode>& modes, double sigma, double f_hz, const std::vector<Complex>& b) {
  FittedMode up{{sigma, 2 * kPi * f_hz}, {}}, down{{sigma, -2 * kPi * f_hz}, {}};
  for (Complex bc : b) {
    up.amplitude.push_back(bc / 2.0);
    down.amplitude.push_back(std::conj(bc) / 2.0);
  }
  modes.push_back(up);
  modes.push_back(down);
}

const FittedMode& nearest(const std::vector<FittedMode>& fitted, Complex rate) {
  const FittedMode* best = &fitted.front();
  for (const auto& m : fitted)
    if (std::abs(m.rate - rate) < std::abs(best->rate - rate)) best = &m;
  return *best;
}

// Uniform in [-1, 1] from std::minstd_rand, whose sequence the standard fixes exactly.
std::vector<double> pseudo_noise(int samples, unsigned seed) {
  std::minstd_rand rng(seed);
  std::vector<double> e(samples);
  for (auto& v : e) v = 2.0 * (double(rng() - std::minstd_rand::min()) / (std::minstd_rand::max() - 1)) - 1.0;
  return e;
}

double max_rate_error(const std::vector<FittedMode>& truth, const std::vector<FittedMode>& fitted) {
  double err = 0;
  for (const auto& t : truth) err = std::max(err, std::abs(nearest(fitted, t.rate).rate - t.rate));
  return err;
}

}  // namespace

// x(t) = 1.7 e^{-0.365 t} cos(2 pi 13.0123 t + 0.4), dt = 2 ms, t in [0, 4] s (K = 2001).
// Noiseless: the only error is round-off in the SVD and eigenvalues, ~1e-15 in z, which
// lambda = log(z)/dt amplifies by 1/dt = 500 to ~1e-12 /s. The bounds 1e-9 (relative frequency)
// and 1e-8 /s (growth) leave three orders of margin (observed 3e-16 and 2e-13 /s). The pencil
// L = 100 (>= max_modes = 40, far below K/3) keeps the SVD at 1901 x 101 (17 ms; the default
// L = 667 takes ~2 s with reference LAPACK); L does not matter without noise.
TEST(MatrixPencil, SingleDampedCosine) {
  const double f = 13.0123, sigma = -0.365, dt = 2e-3, amp = 1.7, phase = 0.4;
  std::vector<FittedMode> truth;
  add_oscillation(truth, sigma, f, {amp * std::exp(kI * phase)});
  const auto x = sample(truth, 2001, dt);
  const auto fit = nf::fit_matrix_pencil(x, dt, 1e-10, 40, 100);
  ASSERT_EQ(fit.size(), 2u);  // one conjugate pair; the other singular values are ~1e-16 s_max
  for (const auto& m : fit) {
    EXPECT_NEAR(std::abs(m.rate.imag()) / (2 * kPi), f, 1e-9 * f);
    EXPECT_NEAR(m.rate.real(), sigma, 1e-8);
    // a = (amp/2) e^{+-i phase}; least squares on 2001 exact samples: ~1e-12 relative.
    const Complex expected = amp / 2 * std::exp(kI * (m.rate.imag() > 0 ? phase : -phase));
    EXPECT_LT(std::abs(m.amplitude[0] - expected), 1e-9 * std::abs(expected));
  }
  EXPECT_GT(fit[0].rate.imag(), 0);  // sorted by Re(lambda); a tie puts Im > 0 first
}

// The default pencil L = K/3 on a shorter record gives the same answer.
TEST(MatrixPencil, DefaultPencil) {
  const double dt = 2e-3;
  std::vector<FittedMode> truth;
  add_oscillation(truth, -0.365, 13.0123, {1.0});
  const auto fit = nf::fit_matrix_pencil(sample(truth, 400, dt), dt, 1e-10, 4);
  ASSERT_EQ(fit.size(), 2u);
  EXPECT_LT(max_rate_error(truth, fit), 1e-8);  // round-off / dt, as above
}

// Five damped oscillations and one decaying real exponential shared by three channels with
// different amplitudes and phases; 0.8 s at dt = 2 ms (K = 400, default L = 133, 11 modes).
// Noiseless, so the errors are round-off amplified by the conditioning of the 11-pole
// Vandermonde system (poles at least 3 Hz apart over 0.8 s) and by 1/dt = 500 for the rates:
// observed <= 7e-13 /s in the rates and <= 3e-13 relative in the amplitudes; the bounds
// 1e-7 /s and 1e-6 relative leave room for other LAPACK builds and platforms.
TEST(MatrixPencil, MultichannelSumOfModes) {
  const double dt = 2e-3;
  std::vector<FittedMode> truth;
  add_oscillation(truth, -0.5, 3.0, {1.0, 0.7 * std::exp(0.3i), 0.4 * std::exp(-1.2i)});
  add_oscillation(truth, -1.2, 7.5, {0.5 * std::exp(1.0i), 0.9, 0.6 * std::exp(2.5i)});
  add_oscillation(truth, -0.2, 11.0, {0.3, 0.8 * std::exp(-0.7i), 1.1 * std::exp(0.2i)});
  add_oscillation(truth, -2.0, 19.0, {0.8 * std::exp(-2.0i), 0.25, 0.5 * std::exp(1.5i)});
  add_oscillation(truth, -0.8, 27.0, {0.6, 0.45 * std::exp(3.0i), 0.35 * std::exp(-0.4i)});
  truth.push_back({{-3.0, 0.0}, {1.5, -0.6, 0.9}});
  const auto fit = nf::fit_matrix_pencil(sample(truth, 400, dt), dt);
  ASSERT_EQ(fit.size(), truth.size());
  for (std::size_t i = 1; i < fit.size(); ++i) EXPECT_GE(fit[i - 1].rate.real(), fit[i].rate.real());
  for (const auto& t : truth) {
    const auto& m = nearest(fit, t.rate);
    EXPECT_LT(std::abs(m.rate - t.rate), 1e-7) << "rate " << t.rate;
    for (std::size_t c = 0; c < t.amplitude.size(); ++c)
      EXPECT_LT(std::abs(m.amplitude[c] - t.amplitude[c]), 1e-6 * std::abs(t.amplitude[c]))
          << "rate " << t.rate << " channel " << c;
  }
}

// Two oscillations in two channels plus deterministic uniform noise of amplitude eps, 1.2 s at
// dt = 2 ms. rel_tol = 1e-5 sits between the noise singular values (~1e-7 s_max) and the weakest
// signal one (~1e-1 s_max), so exactly the 4 signal poles are kept. First-order perturbation
// theory makes the rate error linear in eps: the Cramer-Rao scale at eps = 1e-6 is ~1e-7 /s
// (observed 4.7e-7), asserted < 1e-4; the same noise scaled to eps = 1e-8 must shrink the error
// 100-fold, to within 5% (second-order terms are O(eps) relative, observed ratio 100.0).
TEST(MatrixPencil, SmallNoise) {
  const double dt = 2e-3;
  const int samples = 600;
  std::vector<FittedMode> truth;
  add_oscillation(truth, -0.4, 9.0, {1.0, 0.6 * std::exp(-0.9i)});
  add_oscillation(truth, -1.1, 23.0, {0.5 * std::exp(0.4i), 0.8});
  const auto clean = sample(truth, samples, dt);
  const auto noisy = [&](double eps) {
    auto x = clean;
    for (std::size_t c = 0; c < x.size(); ++c) {
      const auto e = pseudo_noise(samples, 12345u + unsigned(c));
      for (int k = 0; k < samples; ++k) x[c][k] += eps * e[k];
    }
    return x;
  };
  const auto fit6 = nf::fit_matrix_pencil(noisy(1e-6), dt, 1e-5, 10);
  const auto fit8 = nf::fit_matrix_pencil(noisy(1e-8), dt, 1e-5, 10);
  ASSERT_EQ(fit6.size(), 4u);
  ASSERT_EQ(fit8.size(), 4u);
  const double err6 = max_rate_error(truth, fit6), err8 = max_rate_error(truth, fit8);
  EXPECT_LT(err6, 1e-4);
  EXPECT_NEAR(err6 / err8, 100, 5);
}

// With the defaults (rel_tol = 1e-10, 40 modes) the same eps = 1e-6 data also yields 36 noise
// poles of amplitude ~1e-7, some growing; the signal poles keep the ~5e-7 /s error (< 1e-4),
// and the noise poles, ~1e-7 of the 9 Hz mode, fall below the summary's 1e-3 significance.
TEST(MatrixPencil, SmallNoiseWithDefaultTolerance) {
  const double dt = 2e-3;
  const int samples = 600;
  std::vector<FittedMode> truth;
  add_oscillation(truth, -0.4, 9.0, {1.0, 0.6 * std::exp(-0.9i)});
  add_oscillation(truth, -1.1, 23.0, {0.5 * std::exp(0.4i), 0.8});
  auto x = sample(truth, samples, dt);
  for (std::size_t c = 0; c < x.size(); ++c) {
    const auto e = pseudo_noise(samples, 12345u + unsigned(c));
    for (int k = 0; k < samples; ++k) x[c][k] += 1e-6 * e[k];
  }
  const auto fit = nf::fit_matrix_pencil(x, dt);
  EXPECT_LT(max_rate_error(truth, fit), 1e-4);
  const auto s = nf::summarise_oscillation(fit, samples * dt, {1.0});
  EXPECT_NEAR(s.frequency_hz, 9, 1e-4 / (2 * kPi));
  EXPECT_NEAR(s.growth_rate_per_s, -0.4, 1e-4);
  // Channel 1 = 0.6 e^{-0.9 i} x channel 0: lag 0.9 rad = 51.566 deg; a 1e-6 relative amplitude
  // error moves the phase by ~1e-6 rad, asserted to 1e-3 deg.
  EXPECT_NEAR(s.phase_lag_deg_per_layer, 0.9 * 180 / kPi, 1e-3);
  EXPECT_EQ(s.direction, "forward");
}

TEST(MatrixPencil, ZeroSignalHasNoModes) {
  const std::vector<std::vector<double>> zero(2, std::vector<double>(100, 0.0));
  EXPECT_TRUE(nf::fit_matrix_pencil(zero, 1e-3, 1e-10, 10).empty());
}

TEST(MatrixPencil, InvalidInputThrows) {
  const std::vector<double> ok(100, 1.0);
  using nf::fit_matrix_pencil;
  EXPECT_THROW(fit_matrix_pencil({}, 1e-3), std::invalid_argument);                      // no channels
  EXPECT_THROW(fit_matrix_pencil({ok, std::vector<double>(99, 1.0)}, 1e-3, 1e-10, 10),  // unequal lengths
               std::invalid_argument);
  EXPECT_THROW(fit_matrix_pencil({std::vector<double>(79, 1.0)}, 1e-3), std::invalid_argument);  // 79 < 80
  EXPECT_THROW(fit_matrix_pencil({std::vector<double>{}}, 1e-3, 1e-10, 1), std::invalid_argument);
  EXPECT_THROW(fit_matrix_pencil({ok}, 0.0, 1e-10, 10), std::invalid_argument);   // dt
  EXPECT_THROW(fit_matrix_pencil({ok}, 1e-3, 0.0, 10), std::invalid_argument);    // rel_tol
  EXPECT_THROW(fit_matrix_pencil({ok}, 1e-3, 1.0, 10), std::invalid_argument);
  EXPECT_THROW(fit_matrix_pencil({ok}, 1e-3, 1e-10, 0), std::invalid_argument);  // max_modes
  EXPECT_THROW(fit_matrix_pencil({ok}, 1e-3, 1e-10, 10, 5), std::invalid_argument);   // L < max_modes
  EXPECT_THROW(fit_matrix_pencil({ok}, 1e-3, 1e-10, 10, 95), std::invalid_argument);  // L > K - max_modes
  auto bad = ok;
  bad[3] = std::nan("");
  EXPECT_THROW(fit_matrix_pencil({bad}, 1e-3, 1e-10, 10), std::invalid_argument);
}

namespace {

// Mode sigma + i omega with a_c = exp(-i phi_deg c): channel c+1 lags channel c by phi_deg.
FittedMode travelling(Complex rate, int channels, double phi_deg, double scale = 1.0) {
  FittedMode m{rate, {}};
  for (int c = 0; c < channels; ++c) m.amplitude.push_back(scale * std::exp(-kI * (phi_deg * kPi / 180 * c)));
  return m;
}

const std::vector<double> kUnitSpacing(7, 1.0);  // 8 channels, adjacent layers

}  // namespace

// Phase lags are exact differences of arguments: round-off ~1e-13 deg, asserted to 1e-6 deg.
TEST(Oscillation, ForwardTravellingWave) {
  const Complex rate{-0.3, 2 * kPi * 10};
  const auto s = nf::summarise_oscillation({travelling(rate, 8, 85)}, 1.0, kUnitSpacing);
  EXPECT_TRUE(s.found);
  EXPECT_NEAR(s.phase_lag_deg_per_layer, 85, 1e-6);
  EXPECT_EQ(s.direction, "forward");
  EXPECT_NEAR(s.frequency_hz, 10, 1e-12);
  EXPECT_DOUBLE_EQ(s.growth_rate_per_s, -0.3);
}

TEST(Oscillation, BackwardTravellingWave) {
  const auto s = nf::summarise_oscillation({travelling({-0.3, 2 * kPi * 10}, 8, -85)}, 1.0, kUnitSpacing);
  EXPECT_NEAR(s.phase_lag_deg_per_layer, -85, 1e-6);
  EXPECT_EQ(s.direction, "backward");
}

// The Im < 0 member alone describes the same real signal: conjugated, it gives the same lag.
TEST(Oscillation, NegativeFrequencyMemberIsConjugated) {
  FittedMode up = travelling({-0.3, 2 * kPi * 10}, 8, 85), down = up;
  down.rate = std::conj(up.rate);
  for (auto& a : down.amplitude) a = std::conj(a);
  for (const auto& modes : {std::vector<FittedMode>{down}, std::vector<FittedMode>{down, up}}) {
    const auto s = nf::summarise_oscillation(modes, 1.0, kUnitSpacing);
    EXPECT_NEAR(s.frequency_hz, 10, 1e-12);
    EXPECT_NEAR(s.phase_lag_deg_per_layer, 85, 1e-6);
    EXPECT_EQ(s.direction, "forward");
  }
}

// Lag per layer: channels 2 layers apart with 85 deg between them lag 42.5 deg per layer.
TEST(Oscillation, LagIsDividedBySpacing) {
  const auto s = nf::summarise_oscillation({travelling({0, 2 * kPi * 4}, 8, 85)}, 1.0, std::vector<double>(7, 2.0));
  EXPECT_NEAR(s.phase_lag_deg_per_layer, 42.5, 1e-6);
  EXPECT_EQ(s.direction, "forward");
}

// Alternating sign: every pair is 180 deg apart, a standing pattern with no direction.
TEST(Oscillation, StandingPatternHasNoDirection) {
  FittedMode m{{-0.3, 2 * kPi * 10}, {}};
  for (int c = 0; c < 8; ++c) m.amplitude.push_back(c % 2 ? -1.0 : 1.0);
  const auto s = nf::summarise_oscillation({m}, 1.0, kUnitSpacing);
  EXPECT_NEAR(std::abs(s.phase_lag_deg_per_layer), 180, 1e-9);
  EXPECT_EQ(s.direction, "none");
}

// A fitted standing pattern: pair lags of +179.9999 and -179.9999 deg (round-off on either
// side of the cut) average circularly to 180, not to 0: still no direction.
TEST(Oscillation, StandingPatternWithRoundOffAcrossTheCut) {
  FittedMode m{{-0.3, 2 * kPi * 10}, {}};
  for (int c = 0; c < 8; ++c) m.amplitude.push_back(std::polar(1.0, (c % 2 ? kPi : 0.0) + (c % 3) * 1e-6));
  const auto s = nf::summarise_oscillation({m}, 1.0, kUnitSpacing);
  EXPECT_NEAR(std::abs(s.phase_lag_deg_per_layer), 180, 1e-3);
  EXPECT_EQ(s.direction, "none");
}

// Over T = 0.05 s the strongly damped mode (|a| = 1, Re = -50/s) has size e^{-2.5} = 0.082 and
// the weakly damped one (|a| = 0.01, Re = -0.5/s) 0.0098, ratio 0.12 >= 1e-3: both are
// significant and the least damped one is dominant. A growing mode of size 1e-9 (ratio 1.3e-8)
// is below significance and ignored, unless significance is lowered under that ratio.
TEST(Oscillation, LeastDampedSignificantModeWins) {
  const double window = 0.05;
  const FittedMode strong = travelling({-50, 2 * kPi * 40}, 8, 0);
  const FittedMode weak = travelling({-0.5, 2 * kPi * 8}, 8, 30, 0.01);
  const FittedMode tiny = travelling({1.0, 2 * kPi * 3}, 8, -60, 1e-9);
  const auto s = nf::summarise_oscillation({tiny, strong, weak}, window, kUnitSpacing);
  EXPECT_TRUE(s.found);
  EXPECT_NEAR(s.frequency_hz, 8, 1e-12);
  EXPECT_DOUBLE_EQ(s.growth_rate_per_s, -0.5);
  EXPECT_NEAR(s.phase_lag_deg_per_layer, 30, 1e-6);
  const auto low = nf::summarise_oscillation({tiny, strong, weak}, window, kUnitSpacing, 1e-9);
  EXPECT_NEAR(low.frequency_hz, 3, 1e-12);
  EXPECT_EQ(low.direction, "backward");
}

// A real dominant mode (decay without oscillation) reports frequency 0.
TEST(Oscillation, RealModeHasZeroFrequency) {
  const FittedMode real{{-0.1, 0}, std::vector<Complex>(3, 2.0)};
  const FittedMode damped = travelling({-5, 2 * kPi * 12}, 3, 40);
  const auto s = nf::summarise_oscillation({damped, real}, 1.0, {1.0, 1.0});
  EXPECT_TRUE(s.found);
  EXPECT_EQ(s.frequency_hz, 0);
  EXPECT_DOUBLE_EQ(s.growth_rate_per_s, -0.1);
  EXPECT_EQ(s.direction, "none");
}

// The summary of a fitted travelling wave: 8 channels, channel c lags by 85 c deg.
TEST(Oscillation, FromFittedTravellingWave) {
  const double dt = 2e-3;
  std::vector<Complex> b;
  for (int c = 0; c < 8; ++c) b.push_back(std::exp(-kI * (85 * kPi / 180 * c)));
  std::vector<FittedMode> truth;
  add_oscillation(truth, -0.2, 6.0, b);
  const auto fit = nf::fit_matrix_pencil(sample(truth, 300, dt), dt, 1e-10, 4);
  const auto s = nf::summarise_oscillation(fit, 300 * dt, kUnitSpacing);
  EXPECT_NEAR(s.frequency_hz, 6, 1e-9);  // noiseless fit: round-off / (2 pi dt)
  EXPECT_NEAR(s.phase_lag_deg_per_layer, 85, 1e-6);
  EXPECT_EQ(s.direction, "forward");
}

TEST(Oscillation, NothingSignificantWhenEmptyOrZero) {
  EXPECT_FALSE(nf::summarise_oscillation({}, 1.0, {}).found);
  const FittedMode zero{{-1, 3}, std::vector<Complex>(2, 0.0)};
  const auto s = nf::summarise_oscillation({zero}, 1.0, {1.0});
  EXPECT_FALSE(s.found);
  EXPECT_EQ(s.direction, "none");
}

TEST(Oscillation, InvalidInputThrows) {
  const std::vector<FittedMode> modes{travelling({-1, 10}, 3, 20)};
  using nf::summarise_oscillation;
  EXPECT_THROW(summarise_oscillation(modes, 0.0, {1, 1}), std::invalid_argument);        // window
  EXPECT_THROW(summarise_oscillation(modes, 1.0, {1}), std::invalid_argument);           // spacing size
  EXPECT_THROW(summarise_oscillation(modes, 1.0, {1, 0}), std::invalid_argument);        // spacing <= 0
  EXPECT_THROW(summarise_oscillation(modes, 1.0, {1, 1}, 0.0), std::invalid_argument);   // significance
  EXPECT_THROW(summarise_oscillation(modes, 1.0, {1, 1}, 1.5), std::invalid_argument);
  EXPECT_THROW(summarise_oscillation({modes[0], travelling({-1, 10}, 4, 20)}, 1.0, {1, 1}),
               std::invalid_argument);  // differing channel counts
}
