// Forward against backward power of the (level x time) map (postprocess/wave_direction.h)
// on synthetic waves A_f cos(w t - k L + a) + A_b cos(w t + k L + b) with w and k on bins.
//
// Expected value. On bins, the forward wave's parts lie at (q, m) = (-q0, m0) and
// (q0, -m0); the periodic Hann window spreads each over m0-1, m0, m0+1 (weights -1/4,
// 1/2, -1/4) and nowhere else, so with 2 <= m0 <= N/2 - 2 and 1 <= q0 < C/2
//   P_fw = A_f^2 (C N / 2)^2 (1/16 + 1/4 + 1/16),   P_bw = A_b^2 (C N / 2)^2 (3/8),
// and ln(P_fw/P_bw) = 2 ln(A_f/A_b) exactly, whatever the phases a, b. The only error is
// rounding: the FFT's is O(eps log2(C N)) = 3e-15 of the largest coefficient, i.e. of
// A_f/A_b = 3 times the weaker one's, and the log ratio doubles a relative amplitude
// error: about 2e-14 (4.7e-14 measured). The tolerance, 1e-12, leaves a factor 20.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "postprocess/wave_direction.h"

namespace nf {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kTol = 1e-12;

struct Wave {
  double forward = 3, backward = 1;      // A_f, A_b
  double phase_f = 0.4, phase_b = -1.1;  // rad
  int m0 = 20, q0 = 2;                   // temporal and spatial bins
};

// map[L][n] = A_f cos(w n D - k L + a) + A_b cos(w n D + k L + b), w D = 2 pi m0 / N,
// k = 2 pi q0 / C (rad per level), plus `offset` (L) + `synchronous` cos(w n D).
std::vector<std::vector<double>> waves(const Wave& w, int levels, int samples, double offset = 0,
                                       double synchronous = 0) {
  std::vector<std::vector<double>> map(levels, std::vector<double>(samples));
  for (int l = 0; l < levels; ++l)
    for (int n = 0; n < samples; ++n) {
      const double wt = 2 * kPi * w.m0 * n / samples, kl = 2 * kPi * w.q0 * l / levels;
      map[l][n] = w.forward * std::cos(wt - kl + w.phase_f) + w.backward * std::cos(wt + kl + w.phase_b) +
                  offset * l + synchronous * std::cos(wt);
    }
  return map;
}

TEST(WaveDirection, RatioIsTwiceTheLogOfTheAmplitudeRatio) {
  double largest = 0;
  for (int q0 : {1, 2, 3})
    for (int m0 : {2, 20, 253}) {  // 253 = N/2 - 3: the window's spread stays below Nyquist
      Wave w;
      w.q0 = q0;
      w.m0 = m0;
      const WaveDirection d = wave_direction(waves(w, 8, 512), LevelScaling::none);
      ASSERT_TRUE(d.log_ratio) << d.reason;
      EXPECT_NEAR(*d.log_ratio, 2 * std::log(3.0), kTol) << "q0 " << q0 << " m0 " << m0;
      largest = std::max(largest, std::abs(*d.log_ratio - 2 * std::log(3.0)));
      EXPECT_EQ(d.direction, "forward");
      // P_fw = A_f^2 (C N / 2)^2 3/8.
      EXPECT_NEAR(d.forward_power, 9 * std::pow(8 * 512 / 2.0, 2) * 3 / 8, kTol * d.forward_power);
    }
  std::printf("bin-centred waves, A_f/A_b = 3: largest |ln(P_fw/P_bw) - 2 ln 3| = %.2g\n", largest);
}

// An odd level count (no spatial Nyquist bin) and an odd sample count.
TEST(WaveDirection, OddSizesGiveTheSameRatio) {
  Wave w;
  w.q0 = 3;
  w.m0 = 17;
  const WaveDirection d = wave_direction(waves(w, 7, 301), LevelScaling::none);
  ASSERT_TRUE(d.log_ratio) << d.reason;
  EXPECT_NEAR(*d.log_ratio, 2 * std::log(3.0), kTol);
}

TEST(WaveDirection, SwappingTheWavesNegatesTheRatio) {
  Wave w;
  std::swap(w.forward, w.backward);
  const WaveDirection d = wave_direction(waves(w, 8, 512), LevelScaling::none);
  ASSERT_TRUE(d.log_ratio) << d.reason;
  EXPECT_NEAR(*d.log_ratio, -2 * std::log(3.0), kTol);
  EXPECT_EQ(d.direction, "backward");
}

// cos(w t) cos(k L) = (cos(w t - k L) + cos(w t + k L)) / 2: equal powers, ratio 0.
TEST(WaveDirection, StandingWaveGivesZero) {
  Wave w;
  w.forward = w.backward = 1;
  w.phase_f = w.phase_b = 0.3;
  const WaveDirection d = wave_direction(waves(w, 8, 512), LevelScaling::none);
  ASSERT_TRUE(d.log_ratio) << d.reason;
  EXPECT_NEAR(*d.log_ratio, 0, kTol);
  EXPECT_EQ(d.direction, "none");
}

// A level-dependent offset is removed with each level's mean; an in-phase oscillation
// lies in the q = 0 column. Neither changes the ratio (beyond rounding of their size, 10x the waves').
TEST(WaveDirection, OffsetsAndInPhaseOscillationsDoNotCount) {
  const WaveDirection d = wave_direction(waves(Wave{}, 8, 512, 5.0, 10.0), LevelScaling::none);
  ASSERT_TRUE(d.log_ratio) << d.reason;
  EXPECT_NEAR(*d.log_ratio, 2 * std::log(3.0), 10 * kTol);
}

// A pure forward wave whose amplitude triples per level, 3^L cos(w t - k L), as along a
// predictive-coding chain. Scaled to unit RMS each level is cos(w t - k L): all its power
// lies in the forward quadrant, the backward one holds round-off (relative 1e-32, so
// ln(P_fw/P_bw) > 20 or infinite). Unscaled, the amplitude profile's spatial spectrum
// spreads over both quadrants: the ratio stays finite and far smaller.
TEST(WaveDirection, LevelsScaledToUnitRmsShowTheWaveNotTheAmplitudeProfile) {
  const int levels = 8, samples = 512;
  std::vector<std::vector<double>> map(levels, std::vector<double>(samples));
  for (int l = 0; l < levels; ++l)
    for (int n = 0; n < samples; ++n)
      map[l][n] = std::pow(3.0, l) * std::cos(2 * kPi * 20 * n / samples - 2 * kPi * 2 * l / levels);
  const WaveDirection scaled = wave_direction(map);
  EXPECT_EQ(scaled.direction, "forward");
  if (scaled.log_ratio) EXPECT_GT(*scaled.log_ratio, 20);
  const WaveDirection raw = wave_direction(map, LevelScaling::none);
  ASSERT_TRUE(raw.log_ratio) << raw.reason;
  EXPECT_LT(*raw.log_ratio, 5);
  std::printf("3^L cos(w t - k L): ln(P_fw/P_bw) %.3g unscaled, %s scaled\n", *raw.log_ratio,
              scaled.log_ratio ? std::to_string(*scaled.log_ratio).c_str() : "inf");
}

TEST(WaveDirection, TooFewLevelsOrSamplesGiveNoRatioWithAReason) {
  for (const auto& [levels, samples] : {std::pair{1, 512}, std::pair{2, 512}, std::pair{8, 15}}) {
    const WaveDirection d = wave_direction(waves(Wave{}, levels, samples));
    EXPECT_FALSE(d.log_ratio);
    EXPECT_FALSE(d.reason.empty());
    EXPECT_EQ(d.direction, "none");
  }
  auto map = waves(Wave{}, 8, 512);
  map[3][100] = std::nan("");
  EXPECT_FALSE(wave_direction(map).log_ratio);
  const WaveDirection flat = wave_direction(std::vector<std::vector<double>>(8, std::vector<double>(64, 1.0)));
  EXPECT_FALSE(flat.log_ratio);
  EXPECT_EQ(flat.direction, "none");
}

// A recorded series at times n D (no interpolation: every grid time is a recorded one).
class MapSeries : public SampledSeries {
 public:
  MapSeries(std::vector<std::vector<double>> map, double dt) : map_(std::move(map)), dt_(dt) {}
  std::size_t rows() const override { return map_.front().size(); }
  std::size_t channels() const override { return map_.size(); }
  void read_times(std::size_t first, std::size_t count, double* times) const override {
    for (std::size_t r = 0; r < count; ++r) times[r] = dt_ * static_cast<double>(first + r);
  }
  void read_values(std::size_t first, std::size_t count, double* values) const override {
    for (std::size_t r = 0; r < count; ++r)
      for (const auto& level : map_) *values++ = level[first + r];
  }

 private:
  std::vector<std::vector<double>> map_;
  double dt_;
};

std::vector<std::array<PetscInt, 3>> line(int levels, PetscInt step = 1) {
  std::vector<std::array<PetscInt, 3>> cells;
  for (int l = 0; l < levels; ++l) cells.push_back({step * l, 0, 0});
  return cells;
}

// 5000 samples in Welch segments of 1024 (5, overlapping): m0 = 40 periods per 1024
// samples, so the wave is on a bin of every segment, whatever its offset, and each
// segment adds A^2 (C N/2)^2 3/8 to its quadrant: the same exact ratio.
TEST(WaveDirection, WelchSegmentsOfALongSeriesKeepTheExactRatio) {
  const int total = 5000, segment = 1024, levels = 8;
  std::vector<std::vector<double>> map(levels, std::vector<double>(total));
  for (int l = 0; l < levels; ++l)
    for (int n = 0; n < total; ++n) {
      const double wt = 2 * kPi * 40 * n / segment, kl = 2 * kPi * 2 * l / levels;
      map[l][n] = 3 * std::cos(wt - kl + 0.4) + std::cos(wt + kl - 1.1);
    }
  const double dt = 1e-3;
  const WaveDirection d = measure_wave_direction(MapSeries(map, dt), line(levels, 2), 0.0, dt, segment, LevelScaling::none);
  ASSERT_TRUE(d.log_ratio) << d.reason;
  EXPECT_NEAR(*d.log_ratio, 2 * std::log(3.0), kTol);
  EXPECT_EQ(d.segments, 5u);
  EXPECT_EQ(d.samples, 5000u);
  EXPECT_NEAR(d.forward_power, 5 * 9 * std::pow(levels * segment / 2.0, 2) * 3 / 8, kTol * d.forward_power);
}

// Analysis from t_start: the samples from the first recorded time >= t_start.
TEST(WaveDirection, TheWindowStartsAtTStart) {
  const WaveDirection d = measure_wave_direction(MapSeries(waves(Wave{}, 8, 1024), 1e-3), line(8), 0.4995, 1e-3);
  EXPECT_EQ(d.samples, 524u);  // rows 500..1023
  EXPECT_EQ(d.segments, 1u);
}

TEST(WaveDirection, ProbesOffOneEvenlySpacedLineGiveNoRatio) {
  const MapSeries series(waves(Wave{}, 4, 512), 1e-3);
  for (const auto& cells : {std::vector<std::array<PetscInt, 3>>{{0, 0, 0}, {1, 0, 0}, {3, 0, 0}, {4, 0, 0}},
                            std::vector<std::array<PetscInt, 3>>{{0, 0, 0}, {1, 0, 0}, {2, 1, 0}, {3, 0, 0}},
                            std::vector<std::array<PetscInt, 3>>{{3, 0, 0}, {2, 0, 0}, {1, 0, 0}, {0, 0, 0}}}) {
    const WaveDirection d = measure_wave_direction(series, cells, 0.0, 1e-3);
    EXPECT_FALSE(d.log_ratio);
    EXPECT_FALSE(d.reason.empty());
  }
}

// Without a fitted mode, D is the mean recorded step over the window.
TEST(WaveDirection, SampleIntervalFollowsTheFitOrTheRecordedStep) {
  const MapSeries series(waves(Wave{}, 8, 512), 1e-3);
  OscillationSummary fit;
  EXPECT_NEAR(wave_sample_interval(fit, series, 0.1), 1e-3, 1e-15);
  fit.found = true;
  fit.sample_interval_s = 9e-3;
  EXPECT_EQ(wave_sample_interval(fit, series, 0.1), 9e-3);
}

}  // namespace
}  // namespace nf
