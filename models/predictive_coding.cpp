#include "models/predictive_coding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "solvers/stability/complex_roots.h"
#include "solvers/stability/lambert_w.h"

namespace nf {
namespace {

using cd = std::complex<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr cd I{0, 1};

double inv(double tau) { return std::isinf(tau) ? 0.0 : 1.0 / tau; }

class PredictiveCoding final : public Model {
 public:
  explicit PredictiveCoding(const ModelContext& ctx)
      : p_(PcParams::from(ctx.params)), drive_(ctx.drive), at_top_(ctx.drive_site == "top") {
    if (p_.periodic && p_.layers < 3)
      throw ParamError("boundary", fmt::format("a periodic ring needs at least 3 layers (model.layers = {})", p_.layers),
                       "boundary: open, or model.layers >= 3");
  }

  GridSpec grid() const override {
    GridSpec g;
    g.cells = {p_.layers};
    g.boundary = {p_.periodic ? Boundary::periodic : Boundary::bounded};
    g.spacing = {1.0};
    g.component_names = {"y"};
    g.stencil_width = 1;
    g.cell_params = {"layers"};
    g.cells_per_level = 1;
    return g;
  }

  std::vector<double> lags() const override {
    std::vector<double> l = {p_.delay, 2 * p_.delay};
    if (p_.feedback_delay > 0) l.push_back(p_.feedback_delay);
    return l;
  }

  // Stiff part (implicit in IMEX): the undelayed decay -y_L/tau_D and, when db = 0,
  // the undelayed top-down term y_{L+1}/tau_D. Everything delayed is explicit.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool explicit_terms = a.part != RhsPart::stiff, stiff_terms = a.part != RhsPart::nonstiff;
    const bool feedback_delayed = p_.feedback_delay > 0;
    const double* y = a.u;
    const double* y_dT = explicit_terms ? a.delayed[0] : nullptr;
    const double* y_2dT = explicit_terms ? a.delayed[1] : nullptr;
    const double* y_fb = feedback_delayed ? (explicit_terms ? a.delayed[2] : nullptr) : y;
    const bool feedback_here = feedback_delayed ? explicit_terms : stiff_terms;
    const double drive_now = drive_ && explicit_terms ? drive_->value(a.t) : 0.0;
    const double drive_late = drive_ && explicit_terms ? drive_->value(a.t - p_.delay) : 0.0;  // I(t - dT)
    const double bottom_in = at_top_ ? 0.0 : drive_late;
    const double top_in = at_top_ ? drive_now : 0.0;
    const double r = 1 / p_.tau, rd = inv(p_.tau_d);
    const PetscInt last = p_.layers - 1;
    const PetscInt i0 = p.start[0], i1 = p.start[0] + p.count[0];
    for (PetscInt i = i0; i < i1; ++i) {
      const PetscInt g = p.ghosted(i);
      double f = 0;
      if (explicit_terms) {
        // y_{L-1}(t - dT), with y_0 = I (open) or y_N + I (ring)
        const double below = (i == 0) ? (p_.periodic ? y_dT[g - 1] : 0.0) + bottom_in : y_dT[g - 1];
        f += (below - y_2dT[g]) * r + (i == last ? top_in : 0.0);
      }
      if (feedback_here) f += ((i == last && !p_.periodic) ? 0.0 : y_fb[g + 1]) * rd;
      if (stiff_terms) f -= y[g] * rd;
      a.f[p.owned(i)] = f;
    }
  }

  bool has_stiff_part() const override { return inv(p_.tau_d) != 0; }

  // The drive enters as I(t - dT) at the bottom and as I(t) at the top: its
  // discontinuities reach f that much later.
  std::optional<Discontinuity> next_forcing_discontinuity(double after) const override {
    return shifted_discontinuity(drive_.get(), after, at_top_ ? 0.0 : p_.delay);
  }

  std::size_t predicted_mode_count() const override { return pc_mode_count(p_); }
  PredictedMode predicted_mode(std::size_t k) const override { return pc_mode_root(p_, k); }

 private:
  PcParams p_;
  std::shared_ptr<const Drive> drive_;
  bool at_top_;
};

}  // namespace

RootSearchBox pc_root_search_box(const PcParams& p, bool both_half_planes) {
  const double rate = 3 * std::max({1 / p.tau, inv(p.tau_d), 1 / p.delay});
  return {-rate, rate, both_half_planes ? -2 * rate : -1e-9 * rate, 2 * rate, 36, both_half_planes ? 48 : 24};
}

PcParams PcParams::from(const ParamValues& v) {
  PcParams p;
  p.layers = static_cast<int>(v.integer("layers"));
  p.tau = v.real("tau");
  p.tau_d = v.real("tau_d");
  p.delay = v.real("delay");
  p.feedback_delay = v.real("feedback_delay");
  p.periodic = v.choice("boundary") == "periodic";
  return p;
}

cd pc_mode_function(const PcParams& p, double theta, cd l) {
  const double coupling = std::isinf(p.tau_d) ? 0.0 : 2 * std::cos(theta) / std::sqrt(p.tau * p.tau_d);
  return l + inv(p.tau_d) + std::exp(-2.0 * l * p.delay) / p.tau -
         coupling * std::exp(-l * (p.delay + p.feedback_delay) / 2.0);
}

cd pc_mode_derivative(const PcParams& p, double theta, cd l) {
  const double coupling = std::isinf(p.tau_d) ? 0.0 : 2 * std::cos(theta) / std::sqrt(p.tau * p.tau_d);
  const double half = (p.delay + p.feedback_delay) / 2;
  return 1.0 - 2 * p.delay / p.tau * std::exp(-2.0 * l * p.delay) + coupling * half * std::exp(-l * half);
}

cd pc_lattice_function(const PcParams& p, double q, cd l) {
  return l - (std::exp(-I * q - l * p.delay) - std::exp(-2.0 * l * p.delay)) / p.tau -
         (std::exp(I * q - l * p.feedback_delay) - 1.0) * inv(p.tau_d);
}

cd pc_lattice_derivative(const PcParams& p, double q, cd l) {
  return 1.0 + p.delay / p.tau * std::exp(-I * q - l * p.delay) -
         2 * p.delay / p.tau * std::exp(-2.0 * l * p.delay) +
         p.feedback_delay * inv(p.tau_d) * std::exp(I * q - l * p.feedback_delay);
}

cd pc_transfer(const PcParams& p, double omega, int layer) {
  const cd l = I * omega;
  const cd a = std::exp(-l * p.delay) / p.tau;
  const cd b = -(l + inv(p.tau_d) + std::exp(-2.0 * l * p.delay) / p.tau);
  const cd c = std::exp(-l * p.feedback_delay) * inv(p.tau_d);
  if (c == 0.0) return std::pow(-a / b, layer);  // no feedback: a one-way cascade
  const cd root = std::sqrt(b * b - 4.0 * a * c);
  const cd m1 = (-b + root) / (2.0 * c), m2 = (-b - root) / (2.0 * c);
  const int n1 = p.layers + 1;
  return (std::pow(m2, n1) * std::pow(m1, layer) - std::pow(m1, n1) * std::pow(m2, layer)) /
         (std::pow(m2, n1) - std::pow(m1, n1));
}

std::size_t pc_mode_count(const PcParams& p) {
  return static_cast<std::size_t>(p.periodic ? p.layers - 1 : p.layers);
}

// Real signals: of a conjugate pair the upper member is reported.
PredictedMode pc_mode_root(const PcParams& p, std::size_t k) {
  const int n = static_cast<int>(k) + 1;
  cd root;
  std::string label;
  if (!p.periodic) {
    const double theta = n * std::numbers::pi / (p.layers + 1);
    root = rightmost_root([&](cd l) { return pc_mode_function(p, theta, l); },
                          [&](cd l) { return pc_mode_derivative(p, theta, l); }, pc_root_search_box(p, false));
    label = fmt::format("mode j = {}", n);
  } else {
    const double q = 2 * std::numbers::pi * n / p.layers;
    root = rightmost_root([&](cd l) { return pc_lattice_function(p, q, l); },
                          [&](cd l) { return pc_lattice_derivative(p, q, l); }, pc_root_search_box(p, true));
    label = fmt::format("wavenumber q = 2 pi {}/{}", n, p.layers);
  }
  return {cd(root.real(), std::abs(root.imag())), std::move(label)};
}

PredictedMode pc_dominant_mode(const PcParams& p) {
  PredictedMode best{cd(-kInf, 0), ""};
  for (std::size_t k = 0; k < pc_mode_count(p); ++k) {
    PredictedMode m = pc_mode_root(p, k);
    if (m.rate.real() > best.rate.real()) best = std::move(m);
  }
  return best;
}

cd pc_two_level_root(const PcParams& p, int branch) {
  const double two_dT = 2 * p.delay;
  return lambert_w(-(two_dT / p.tau) * std::exp(two_dT * inv(p.tau_d)), branch) / two_dT - inv(p.tau_d);
}

std::vector<ParamSpec> pc_hierarchy_params() {
  std::vector<ParamSpec> params = {
      integer_param("layers", 8, 1, 1e6, "number of predicting layers N"),
      real_param("tau", "s", 0.017, 0, kInf, "membrane time constant", true),
      real_param("tau_d", "s", 0.2, 0, kInf, "decay / top-down time constant (.inf: no decay)", true),
      real_param("delay", "s", 0.012, 0, kInf, "communication delay dT, each way", true),
      real_param("feedback_delay", "s", 0.012, 0, kInf, "delay of the top-down term (default: delay; 0: none)"),
      choice_param("boundary", {"open", "periodic"}, "open",
                   "open (the input below the first layer, nothing above the last) or periodic (a ring)"),
  };
  params[4].default_from = "delay";
  return params;
}

ModelType predictive_coding_type() {
  ModelType t;
  t.name = "predictive_coding";
  t.doc = "chain (or ring) of predictive-coding layers with communication delays";
  t.reference = "Alamia & VanRullen, PLoS Biol 17(10):e3000487 (2019)";
  t.params = pc_hierarchy_params();
  t.drive_sites = {"bottom", "top"};
  t.make = [](const ModelContext& ctx) { return std::make_unique<PredictiveCoding>(ctx); };
  return t;
}

}  // namespace nf
