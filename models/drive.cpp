#include "models/drive.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include "base/time_tolerance.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A single discontinuity at t_on of the given order, if t_on is later than `after`.
std::optional<Discontinuity> once_after(double t_on, int order, double after) {
  if (later_than(t_on, after)) return Discontinuity{t_on, order};
  return std::nullopt;
}

class NoDrive final : public Drive {
 public:
  double value(double) const override { return 0; }
};

// Unit-area Gaussian pulse: I(t) = A exp(-(t-t_on)^2 / (2 w^2)) / (sqrt(2 pi) w).
// A narrow, smooth stand-in for A delta(t - t_on) that keeps every method's order.
class Impulse final : public Drive {
 public:
  explicit Impulse(const ParamValues& p)
      : a_(p.real("amplitude")), t_on_(p.real("onset")), w_(p.real("width")) {}
  double value(double t) const override {
    const double z = (t - t_on_) / w_;
    return a_ * std::exp(-0.5 * z * z) / (std::sqrt(2 * std::numbers::pi) * w_);
  }

 private:
  double a_, t_on_, w_;
};

// I(t) = A H(t - t_on).
class Step final : public Drive {
 public:
  explicit Step(const ParamValues& p) : a_(p.real("amplitude")), t_on_(p.real("onset")) {}
  double value(double t) const override { return t >= t_on_ ? a_ : 0.0; }
  // The value jumps by A at the onset.
  std::optional<Discontinuity> next_discontinuity(double after) const override { return once_after(t_on_, 0, after); }

 private:
  double a_, t_on_;
};

// I(t) = A sin(2 pi f (t - t_on)) for t >= t_on, 0 before.
class Sinusoid final : public Drive {
 public:
  explicit Sinusoid(const ParamValues& p)
      : a_(p.real("amplitude")), w_(2 * std::numbers::pi * p.real("frequency")), t_on_(p.real("onset")) {}
  double value(double t) const override { return t >= t_on_ ? a_ * std::sin(w_ * (t - t_on_)) : 0.0; }
  // Continuous at the onset (sin 0 = 0); the slope jumps from 0 to A w.
  std::optional<Discontinuity> next_discontinuity(double after) const override { return once_after(t_on_, 1, after); }

 private:
  double a_, w_, t_on_;
};

// Band-limited Gaussian noise: independent N(0, std^2) values at knots t_k = k*tc,
// joined linearly. Knot values come from a counter-based generator (SplitMix64
// hashing of (seed, k), Box-Muller), so I(t) is the same on every rank and for every dt.
class WhiteNoise final : public Drive {
 public:
  explicit WhiteNoise(const ParamValues& p)
      : std_(p.real("std")), tc_(p.real("correlation_time")), seed_(static_cast<std::uint64_t>(p.real("seed"))) {}
  double value(double t) const override {
    const double x = t / tc_;
    const double k = std::floor(x);
    const double s = x - k;
    const auto i = static_cast<std::int64_t>(k);
    return std_ * ((1 - s) * counter_normal(seed_, i) + s * counter_normal(seed_, i + 1));
  }
  // The slope jumps at every knot k tc: the first one later than `after`.
  std::optional<Discontinuity> next_discontinuity(double after) const override {
    double k = std::floor(after / tc_) + 1;
    while (!later_than(k * tc_, after)) ++k;
    if (later_than((k - 1) * tc_, after)) --k;
    return Discontinuity{k * tc_, 1};
  }

 private:
  double std_, tc_;
  std::uint64_t seed_;
};

std::uint64_t splitmix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double unit_open(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

template <class T>
std::function<std::unique_ptr<Drive>(const ParamValues&)> maker() {
  return [](const ParamValues& p) { return std::make_unique<T>(p); };
}

}  // namespace

const std::vector<DriveType>& drive_types() {
  static const std::vector<DriveType> types = {
      {"none", "no drive, I = 0", {}, [](const ParamValues&) { return std::make_unique<NoDrive>(); }},
      {"impulse",
       "unit-area Gaussian pulse A exp(-(t-onset)^2/(2 width^2))/(sqrt(2 pi) width), a smooth delta",
       {real_param("amplitude", "1*s", 1.0, -kInf, kInf, "area of the pulse"),
        real_param("onset", "s", 0.02, 0, kInf, "centre of the pulse"),
        real_param("width", "s", 0.002, 0, kInf, "standard deviation of the pulse", true)},
       maker<Impulse>()},
      {"step",
       "A H(t - onset)",
       {real_param("amplitude", "1", 1.0, -kInf, kInf, "step height"),
        real_param("onset", "s", 0.0, 0, kInf, "switch-on time")},
       maker<Step>()},
      {"sinusoid",
       "A sin(2 pi f (t - onset)) after onset",
       {real_param("amplitude", "1", 1.0, -kInf, kInf, "amplitude"),
        real_param("frequency", "Hz", 10.0, 0, kInf, "frequency", true),
        real_param("onset", "s", 0.0, 0, kInf, "switch-on time")},
       maker<Sinusoid>()},
      {"white_noise",
       "Gaussian noise of standard deviation std, piecewise linear between independent knots every "
       "correlation_time",
       {real_param("std", "1", 1.0, 0, kInf, "standard deviation"),
        integer_param("seed", 1, 0, 4294967295.0, "seed of the counter-based generator"),
        real_param("correlation_time", "s", 0.001, 0, kInf, "spacing of the independent knots", true)},
       maker<WhiteNoise>()},
  };
  return types;
}

double counter_normal(std::uint64_t key, std::int64_t k) {
  const std::uint64_t h = splitmix(key * 0x632be59bd9b4e019ULL + static_cast<std::uint64_t>(k));
  const double u1 = unit_open(h), u2 = unit_open(splitmix(h));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

std::optional<Discontinuity> shifted_discontinuity(const Drive* drive, double after, double shift) {
  if (!drive) return std::nullopt;
  auto d = drive->next_discontinuity(after - shift);
  if (d) d->t += shift;
  return d;
}

std::uint64_t counter_stream_key(std::uint64_t seed, std::uint64_t stream) {
  return splitmix(splitmix(seed) ^ (stream * 0x9e3779b97f4a7c15ULL));
}

const DriveType* find_drive_type(const std::string& name) {
  for (const auto& t : drive_types())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace nf
