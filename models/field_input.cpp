#include "models/field_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/time_tolerance.h"
#include "models/drive.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Cell centres of the mesh, per axis: x_i = (i + 1/2) h (m).
struct Axes {
  explicit Axes(const GridSpec& mesh) : dims(static_cast<int>(mesh.cells.size())) {
    for (int a = 0; a < dims; ++a) {
      spacing[a] = mesh.spacing[a];
      length[a] = spacing[a] * static_cast<double>(mesh.cells[a]);
      periodic[a] = a < static_cast<int>(mesh.boundary.size()) && mesh.boundary[a] == Boundary::periodic;
    }
  }
  double centre(int a, PetscInt i) const { return (static_cast<double>(i) + 0.5) * spacing[a]; }
  // x - c along axis a; the nearest image on a periodic axis.
  double offset(int a, PetscInt i, double c) const {
    double d = centre(a, i) - c;
    if (periodic[a]) d -= length[a] * std::round(d / length[a]);
    return d;
  }
  int dims;
  std::array<double, 3> spacing{1, 1, 1}, length{1, 1, 1};
  std::array<bool, 3> periodic{false, false, false};
};

// A per-axis list of the mesh's dimension; empty: the domain's centre (if allowed).
std::vector<double> per_axis(const ParamValues& v, const std::string& key, const Axes& axes, bool centre_default) {
  std::vector<double> x = v.has(key) ? v.reals(key) : std::vector<double>{};
  if (x.empty() && centre_default)
    for (int a = 0; a < axes.dims; ++a) x.push_back(0.5 * axes.length[a]);
  if (static_cast<int>(x.size()) != axes.dims)
    throw ParamError(key, fmt::format("{} entr{}, but mesh.cells has {} ax{}", x.size(),
                                      x.size() == 1 ? "y" : "ies", axes.dims, axes.dims == 1 ? "is" : "es"),
                     fmt::format("one entry per axis ({})", axes.dims));
  return x;
}

std::optional<Discontinuity> first_after(std::initializer_list<double> times, double after) {
  for (double t : times)
    if (later_than(t, after)) return Discontinuity{t, 0};
  return std::nullopt;
}

class Constant final : public FieldInput {
 public:
  explicit Constant(double value) : value_(value) {}
  Constant(const ParamValues& p, const GridSpec&) : value_(p.real("value")) {}
  void evaluate(const Patch& patch, double, double* out) override {
    std::fill(out, out + patch.count[0] * patch.count[1] * patch.count[2], value_);
  }
  bool time_independent() const override { return true; }
  std::optional<double> uniform_value() const override { return value_; }

 private:
  double value_;
};

// A g(x - c): the Gaussian as a product of per-axis factors exp(-d_a^2 / (2 w^2)), one
// exponential per owned index and axis (sum of counts, not their product).
class GaussianProfile {
 public:
  GaussianProfile(const GridSpec& mesh, double width) : axes_(mesh), width_(width) {}
  const Axes& axes() const { return axes_; }
  // out[c] = scale * g(x_c - centre) at the owned cells of patch.
  void write(const Patch& patch, const std::vector<double>& centre, double scale, double* out) {
    factors_.resize(static_cast<std::size_t>(patch.count[0] + patch.count[1] + patch.count[2]));
    double* f[3] = {factors_.data(), factors_.data() + patch.count[0], factors_.data() + patch.count[0] + patch.count[1]};
    for (int a = 0; a < 3; ++a)
      for (PetscInt i = 0; i < patch.count[a]; ++i) {
        const double d = a < axes_.dims ? axes_.offset(a, patch.start[a] + i, centre[a]) / width_ : 0.0;
        f[a][i] = std::exp(-0.5 * d * d);
      }
    PetscInt o = 0;
    for (PetscInt k = 0; k < patch.count[2]; ++k)
      for (PetscInt j = 0; j < patch.count[1]; ++j) {
        const double s = scale * f[2][k] * f[1][j];
        for (PetscInt i = 0; i < patch.count[0]; ++i, ++o) out[o] = s * f[0][i];
      }
  }

 private:
  Axes axes_;
  double width_;
  std::vector<double> factors_;  // per-axis factors of the owned indices
};

void write_zero(const Patch& patch, double* out) {
  std::fill(out, out + patch.count[0] * patch.count[1] * patch.count[2], 0.0);
}

// I = A g(x - c) for onset <= t < onset + duration, 0 otherwise.
class Pulse final : public FieldInput {
 public:
  Pulse(const ParamValues& p, const GridSpec& mesh)
      : profile_(mesh, p.real("width")),
        a_(p.real("amplitude")),
        on_(p.real("onset")),
        off_(p.real("onset") + p.real("duration")),
        centre_(per_axis(p, "centre", profile_.axes(), true)) {}
  void evaluate(const Patch& patch, double t, double* out) override {
    if (t >= on_ && t < off_) profile_.write(patch, centre_, a_, out);
    else write_zero(patch, out);
  }
  std::optional<Discontinuity> next_discontinuity(double after) const override {
    return first_after({on_, off_}, after);
  }

 private:
  GaussianProfile profile_;
  double a_, on_, off_;
  std::vector<double> centre_;
};

// I = A g(x - c0 - v (t - onset)) for t >= onset, 0 before.
class Moving final : public FieldInput {
 public:
  Moving(const ParamValues& p, const GridSpec& mesh)
      : profile_(mesh, p.real("width")),
        a_(p.real("amplitude")),
        on_(p.real("onset")),
        start_(per_axis(p, "centre", profile_.axes(), true)),
        velocity_(per_axis(p, "velocity", profile_.axes(), false)),
        centre_(start_) {}
  void evaluate(const Patch& patch, double t, double* out) override {
    if (t < on_) return write_zero(patch, out);
    for (std::size_t a = 0; a < start_.size(); ++a) centre_[a] = start_[a] + velocity_[a] * (t - on_);
    profile_.write(patch, centre_, a_, out);
  }
  std::optional<Discontinuity> next_discontinuity(double after) const override { return first_after({on_}, after); }

 private:
  GaussianProfile profile_;
  double a_, on_;
  std::vector<double> start_, velocity_, centre_;
};

// I = std * xi(c, t): knots xi(c, k) = counter_normal(key(seed, c), k) at t_k = k tc,
// c the global cell index (i fastest), joined linearly or by Catmull-Rom cubics
// (C^1, through the knots). The knot window of each owned cell is cached and moved on
// when t passes a knot.
class Noise final : public FieldInput {
 public:
  Noise(const ParamValues& p, const GridSpec&)
      : std_(p.real("std")),
        tc_(p.real("knot_spacing")),
        seed_(static_cast<std::uint64_t>(p.real("seed"))),
        cubic_(p.choice("interpolation") == "cubic") {}
  void evaluate(const Patch& patch, double t, double* out) override {
    bind(patch);
    const double x = t / tc_;
    const double kf = std::floor(x);
    const double s = x - kf;
    move_window(static_cast<std::int64_t>(kf));
    const std::size_t n = keys_.size();
    if (cubic_) {
      // Catmull-Rom on xi(k-1), xi(k), xi(k+1), xi(k+2).
      const double b0 = 0.5 * s * (-1 + s * (2 - s)), b1 = 0.5 * (2 + s * s * (-5 + 3 * s)),
                   b2 = 0.5 * s * (1 + s * (4 - 3 * s)), b3 = 0.5 * s * s * (s - 1);
      for (std::size_t c = 0; c < n; ++c) {
        const double* w = &knots_[4 * c];
        out[c] = std_ * (b0 * w[0] + b1 * w[1] + b2 * w[2] + b3 * w[3]);
      }
    } else {
      for (std::size_t c = 0; c < n; ++c) out[c] = std_ * ((1 - s) * knots_[4 * c + 1] + s * knots_[4 * c + 2]);
    }
  }
  // Every knot: the slope jumps there (linear), or the second derivative (cubic).
  std::optional<Discontinuity> next_discontinuity(double after) const override {
    double k = std::floor(after / tc_) + 1;
    while (!later_than(k * tc_, after)) ++k;
    if (later_than((k - 1) * tc_, after)) --k;
    return Discontinuity{k * tc_, cubic_ ? 2 : 1};
  }

 private:
  void bind(const Patch& patch) {
    if (patch.start == start_ && patch.count == count_) return;
    start_ = patch.start;
    count_ = patch.count;
    keys_.clear();
    for (PetscInt k = patch.start[2]; k < patch.start[2] + patch.count[2]; ++k)
      for (PetscInt j = patch.start[1]; j < patch.start[1] + patch.count[1]; ++j)
        for (PetscInt i = patch.start[0]; i < patch.start[0] + patch.count[0]; ++i) {
          const auto global = static_cast<std::uint64_t>((k * patch.global[1] + j) * patch.global[0] + i);
          keys_.push_back(counter_stream_key(seed_, global));
        }
    knots_.assign(4 * keys_.size(), 0.0);
    window_ = std::numeric_limits<std::int64_t>::min();
  }
  // knots_[4 c + m] = xi(c, k - 1 + m), m = 0..3.
  void move_window(std::int64_t k) {
    if (k == window_) return;
    const bool shift = k == window_ + 1;
    for (std::size_t c = 0; c < keys_.size(); ++c) {
      double* w = &knots_[4 * c];
      if (shift) {
        w[0] = w[1], w[1] = w[2], w[2] = w[3];
        w[3] = counter_normal(keys_[c], k + 2);
      } else {
        for (int m = 0; m < 4; ++m) w[m] = counter_normal(keys_[c], k - 1 + m);
      }
    }
    window_ = k;
  }
  double std_, tc_;
  std::uint64_t seed_;
  bool cubic_;
  std::array<PetscInt, 3> start_{-1, -1, -1}, count_{0, 0, 0};
  std::vector<std::uint64_t> keys_;
  std::vector<double> knots_;
  std::int64_t window_ = std::numeric_limits<std::int64_t>::min();
};

template <class T>
std::function<std::unique_ptr<FieldInput>(const ParamValues&, const GridSpec&)> maker() {
  return [](const ParamValues& p, const GridSpec& mesh) { return std::make_unique<T>(p, mesh); };
}

ParamSpec centre_param(std::string doc) {
  ParamSpec c = real_list_param("centre", "m", {}, -kInf, kInf, std::move(doc));
  c.optional = true;
  return c;
}

}  // namespace

const std::vector<FieldInputType>& field_input_types() {
  static const std::vector<FieldInputType> types = {
      {"constant", "I = value everywhere, at all times", {real_param("value", "1", 0.0, -kInf, kInf, "I")},
       maker<Constant>()},
      {"pulse",
       "I = A exp(-|x - centre|^2 / (2 width^2)) for onset <= t < onset + duration, 0 otherwise",
       {real_param("amplitude", "1", 1.0, -kInf, kInf, "A"),
        centre_param("centre per axis (default: the domain's centre)"),
        real_param("width", "m", 1.0, 0, kInf, "standard deviation of the Gaussian", true),
        real_param("onset", "s", 0.0, 0, kInf, "switch-on time"),
        real_param("duration", "s", 1.0, 0, kInf, "time switched on", true)},
       maker<Pulse>()},
      {"moving",
       "I = A exp(-|x - centre - velocity (t - onset)|^2 / (2 width^2)) for t >= onset, 0 before (nearest "
       "image on periodic axes)",
       {real_param("amplitude", "1", 1.0, -kInf, kInf, "A"),
        centre_param("centre per axis at onset (default: the domain's centre)"),
        real_param("width", "m", 1.0, 0, kInf, "standard deviation of the Gaussian", true),
        [] {
          ParamSpec v = real_list_param("velocity", "m/s", {}, -kInf, kInf, "velocity per axis");
          v.required = true;
          return v;
        }(),
        real_param("onset", "s", 0.0, 0, kInf, "switch-on time")},
       maker<Moving>()},
      {"noise",
       "additive noise std * xi(cell, t): independent N(0, 1) values per cell every knot_spacing, from a "
       "counter-based generator of (seed, global cell, knot), the same on any number of ranks",
       {real_param("std", "1", 1.0, 0, kInf, "standard deviation at the knots"),
        integer_param("seed", 1, 0, 4294967295.0, "seed of the counter-based generator"),
        real_param("knot_spacing", "s", 0.01, 0, kInf,
                   "time between independent knots (steps land on every knot: keep it >= time.dt)", true),
        choice_param("interpolation", {"linear", "cubic"}, "linear",
                     "between knots: linear (slope jumps at knots) or Catmull-Rom cubic (C^1)")},
       maker<Noise>()},
  };
  return types;
}

const FieldInputType* find_field_input_type(const std::string& name) {
  for (const auto& t : field_input_types())
    if (t.name == name) return &t;
  return nullptr;
}

ParamSpec field_input_param(std::string name, std::string doc) {
  std::vector<std::string> types;
  for (const auto& t : field_input_types()) types.push_back(t.name);
  ParamSpec p = mapping_param(std::move(name), types, "constant",
                              [](const std::string& type) {
                                const FieldInputType* t = find_field_input_type(type);
                                return t ? t->params : std::vector<ParamSpec>{};
                              },
                              std::move(doc));
  p.number_type = "constant";
  p.number_key = "value";
  return p;
}

std::unique_ptr<FieldInput> make_field_input(const std::string& name, const ParamValues& values,
                                             const GridSpec& mesh) {
  const ParamValues v = values.nested(name);
  const FieldInputType* type = find_field_input_type(v.choice("type"));
  try {
    return type->make(v, mesh);
  } catch (const ParamError& e) {
    throw ParamError(name + "." + e.key, e.what(), e.allowed);
  }
}

std::shared_ptr<FieldInput> constant_field_input(double value) { return std::make_shared<Constant>(value); }

const double* FieldInputArray::at(const Patch& patch, double t) {
  const bool same_patch = patch.start == start_ && patch.count == count_;
  if (same_patch && evaluated_ && input_->time_independent()) return values_.data();
  if (!same_patch) {
    values_.assign(static_cast<std::size_t>(patch.count[0] * patch.count[1] * patch.count[2]), 0.0);
    start_ = patch.start;
    count_ = patch.count;
  }
  input_->evaluate(patch, t, values_.data());
  evaluated_ = true;
  return values_.data();
}

}  // namespace nf
