#include "models/amari.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "models/homogeneous_stability.h"
#include "solvers/convolution/firing.h"
#include "solvers/convolution/gauss_legendre.h"
#include "solvers/convolution/kernel_param.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const std::vector<std::string>& firing_names() {
  static const std::vector<std::string> names = {"heaviside", "heaviside_cells", "sigmoid", "piecewise_linear"};
  return names;
}

FiringKind firing_kind(const std::string& name) {
  static const FiringKind kinds[] = {FiringKind::heaviside, FiringKind::heaviside_cells, FiringKind::sigmoid,
                                     FiringKind::piecewise_linear};
  for (std::size_t k = 0; k < firing_names().size(); ++k)
    if (firing_names()[k] == name) return kinds[k];
  throw ParamError("firing", "unknown firing function " + name);
}

class Amari final : public Model {
 public:
  explicit Amari(AmariParams p)
      : p_(std::move(p)), input_(p_.input_field ? p_.input_field : constant_field_input(p_.input)) {}

  GridSpec grid() const override {
    GridSpec g = p_.mesh;
    g.component_names = p_.synapse_order == 2 ? std::vector<std::string>{"u", "v"} : std::vector<std::string>{"u"};
    g.stencil_width = std::max(1, firing_stencil_width(p_.firing));
    return g;
  }
  std::vector<double> lags() const override { return {}; }
  std::vector<Coupling> couplings() const override {
    return {Coupling{"w", 0, p_.firing, p_.kernel, p_.conduction_velocity, 0, p_.delay_method, p_.rings}};
  }
  std::optional<double> front_level() const override { return p_.threshold; }
  std::optional<double> predicted_front_speed() const override { return amari_front_speed(p_); }
  std::optional<Discontinuity> next_forcing_discontinuity(double after) const override {
    return input_.input().next_discontinuity(after);
  }
  std::size_t predicted_mode_count() const override { return amari_mode_count(p_); }
  PredictedMode predicted_mode(std::size_t n) const override { return amari_mode(p_, n); }
  // du/dt = (-u + (w * f(u)) + I) / tau (m = 1), or du/dt = (v - u)/tau,
  // dv/dt = (-v + (w * f(u)) + I)/tau (m = 2). Indexed through the patch: the solvers
  // may append components of their own (a delay method's fields) after the model's.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const double rate = a.part == RhsPart::stiff ? 0.0 : 1 / p_.tau;
    const double* input = a.part == RhsPart::stiff ? nullptr : a.inputs[0];
    const double* drive = input ? input_.at(p, a.t) : nullptr;
    const PetscInt driven = p_.synapse_order == 2 ? 1 : 0;  // the component the input drives
    PetscInt o = 0;  // owned cell, the inputs' index
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o) {
          if (!input) {
            for (PetscInt c = 0; c <= driven; ++c) a.f[p.owned(i, j, k, c)] = 0.0;
            continue;
          }
          const double v = a.u[p.ghosted(i, j, k, driven)];
          a.f[p.owned(i, j, k, driven)] = rate * (-v + input[o] + drive[o]);
          if (driven) a.f[p.owned(i, j, k)] = rate * (v - a.u[p.ghosted(i, j, k)]);
        }
  }

 private:
  AmariParams p_;
  mutable FieldInputArray input_;  // I(x, t) on the patch, evaluated once per rhs call
};

// int_a^b g by composite Gauss-Legendre, `panels` panels of 8 points.
template <class F>
double integrate(F g, double a, double b, int panels) {
  const QuadratureRule& rule = gauss_legendre(8);
  const double h = (b - a) / panels;
  double sum = 0;
  for (int p = 0; p < panels; ++p)
    for (std::size_t q = 0; q < rule.node.size(); ++q) sum += rule.weight[q] * g(a + (p + rule.node[q]) * h);
  return sum * h;
}

// Projection of a radial kernel on a line: w1(z) = int_{R^{d-1}} w(sqrt(z^2 + |y|^2)) dy.
double projected(const Kernel& w, double z) {
  const int d = w.dimension();
  if (d == 1) return w.value(std::abs(z));
  return integrate([&](double rho) { return (d == 2 ? 2.0 : 2 * std::numbers::pi * rho) * w.value(std::hypot(z, rho)); },
                   0.0, w.reach(), 64);
}

// psi(s) = int_s^inf w1(z) dz: exact panel integrals at nodes z_i = i h, cubic Hermite
// between them (psi' = -w1), error O(h^4).
struct TailIntegral {
  explicit TailIntegral(const Kernel& w) : reach(w.reach()), h(reach / kNodes) {
    psi.assign(kNodes + 1, 0.0);
    w1.assign(kNodes + 1, 0.0);
    for (int i = kNodes; i >= 0; --i) {
      w1[i] = projected(w, i * h);
      if (i < kNodes) psi[i] = psi[i + 1] + integrate([&](double z) { return projected(w, z); }, i * h, (i + 1) * h, 1);
    }
  }
  double operator()(double s) const {
    if (s < 0) return 2 * psi[0] - (*this)(-s);  // psi(-s) = int w1 - psi(s)
    if (s >= reach) return 0;
    const double x = s / h;
    const auto i = static_cast<std::size_t>(x);
    const double t = x - static_cast<double>(i);
    const double h00 = (1 + 2 * t) * (1 - t) * (1 - t), h10 = t * (1 - t) * (1 - t), h01 = t * t * (3 - 2 * t),
                 h11 = t * t * (t - 1);
    return h00 * psi[i] - h10 * h * w1[i] + h01 * psi[i + 1] - h11 * h * w1[i + 1];
  }
  static constexpr int kNodes = 2000;
  double reach, h;
  std::vector<double> psi, w1;
};

// tau = 1/alpha from model.tau or model.synapse_rate (1 s without either; equal if both).
double synaptic_time_constant(const ParamValues& v) {
  const bool has_tau = v.has("tau"), has_rate = v.has("synapse_rate");
  if (has_tau && has_rate && std::abs(v.real("tau") * v.real("synapse_rate") - 1) > 1e-12)
    throw ParamError("synapse_rate",
                     fmt::format("model.tau = {:g} s and model.synapse_rate = {:g} 1/s disagree: tau = "
                                 "1/synapse_rate",
                                 v.real("tau"), v.real("synapse_rate")),
                     "one of the two, or tau * synapse_rate = 1");
  return has_rate ? 1 / v.real("synapse_rate") : has_tau ? v.real("tau") : 1.0;
}

ParamSpec optional_param(ParamSpec s) {
  s.optional = true;
  return s;
}

bool all_periodic(const GridSpec& g) {
  return !g.boundary.empty() && std::all_of(g.boundary.begin(), g.boundary.end(),
                                            [](Boundary b) { return b == Boundary::periodic; });
}

}  // namespace

AmariParams AmariParams::from(const ModelContext& ctx) {
  const ParamValues& v = ctx.params;
  AmariParams p;
  p.tau = synaptic_time_constant(v);
  p.synapse_order = static_cast<int>(v.integer("synapse_order"));
  p.threshold = v.real("threshold");
  p.conduction_velocity = v.has("conduction_velocity") ? v.real("conduction_velocity") : 0.0;
  p.input_field = make_field_input("input", v, ctx.mesh);
  p.input = p.input_field->uniform_value().value_or(0.0);
  p.firing = {firing_kind(v.choice("firing")), p.threshold, v.real("steepness")};
  p.delay_method = v.choice("delay_method") == "wave" ? DelayMethod::wave : DelayMethod::rings;
  p.mesh = ctx.mesh;
  p.kernel = make_kernel("kernel", v, static_cast<int>(p.mesh.cells.size()));
  if (v.has("rings")) p.rings = static_cast<int>(v.integer("rings"));
  return p;
}

std::optional<double> amari_front_speed(const AmariParams& p) {
  if (p.firing.kind != FiringKind::heaviside && p.firing.kind != FiringKind::heaviside_cells) return std::nullopt;
  if (p.synapse_order != 1) return std::nullopt;  // the formula is for tau du/dt = -u + ...
  if (p.input_field && !p.input_field->uniform_value()) return std::nullopt;
  const Kernel& w = *p.kernel;
  const double level = p.threshold - p.input;
  if (!(level > 0 && level < w.integral())) return std::nullopt;
  double c0 = 0;
  // theta - I = int_0^inf e^{-t} psi(c tau t) dt, decreasing in c (psi decreasing where w > 0 dominates).
  const TailIntegral psi(w);
  const auto excess = [&](double c) {  // t in [0, 40]: e^{-40} is below any tolerance
    return integrate([&](double t) { return std::exp(-t) * psi(c * p.tau * t); }, 0.0, 40.0, 80) - level;
  };
  double lo = -1e3 * psi.reach / p.tau, hi = 1e3 * psi.reach / p.tau;
  if (excess(lo) * excess(hi) > 0) return std::nullopt;
  for (int it = 0; it < 200 && hi - lo > 1e-13 * std::abs(hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    (excess(mid) > 0 ? lo : hi) = mid;
  }
  c0 = 0.5 * (lo + hi);
  if (p.conduction_velocity > 0 && w.dimension() == 1 && c0 > 0) return 1 / (1 / c0 + 1 / p.conduction_velocity);
  if (p.conduction_velocity > 0) return std::nullopt;
  return c0;
}

std::optional<double> amari_homogeneous_state(const AmariParams& p) {
  if (p.firing.kind != FiringKind::sigmoid || !all_periodic(p.mesh)) return std::nullopt;
  if (p.input_field && !p.input_field->uniform_value()) return std::nullopt;  // I varies: no homogeneous state
  const double w0 = p.kernel->integral();
  const auto residual = [&](double u) { return w0 * fire(p.firing, u) + p.input - u; };
  // S in (0, 1): every state lies in I + [min(0, w0), max(0, w0)].
  const double lo = p.input + std::min(0.0, w0) - 1e-9, hi = p.input + std::max(0.0, w0) + 1e-9;
  const std::vector<double> zeros = zeros_on(residual, lo, hi);
  if (zeros.empty()) return std::nullopt;
  return *std::min_element(zeros.begin(), zeros.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
}

std::size_t amari_mode_count(const AmariParams& p) {
  if (p.conduction_velocity > 0) return 0;  // delayed K^(k, lambda): only for exponential sums (homogeneous_stability.h)
  return amari_homogeneous_state(p) ? static_cast<std::size_t>(p.mesh.cells[0] / 2 + 1) : 0;
}

PredictedMode amari_mode(const AmariParams& p, std::size_t n) {
  const double u0 = *amari_homogeneous_state(p), s = fire(p.firing, u0);
  const double gain = p.firing.steepness * s * (1 - s);  // S'(u0) of the sigmoid
  const SynapticResponse synapse{p.synapse_order, 1 / p.tau};
  const auto k_of = [&](std::size_t a, long m) {
    return 2 * std::numbers::pi * static_cast<double>(m) / (static_cast<double>(p.mesh.cells[a]) * p.mesh.spacing[a]);
  };
  const long n1 = p.mesh.cells.size() > 1 ? p.mesh.cells[1] / 2 : 0, n2 = p.mesh.cells.size() > 2 ? p.mesh.cells[2] / 2 : 0;
  PredictedMode best{{-kInf, 0}, ""};
  for (long m2 = 0; m2 <= n2; ++m2)
    for (long m1 = 0; m1 <= n1; ++m1) {
      const double k0 = k_of(0, static_cast<long>(n)), k1 = m1 ? k_of(1, m1) : 0.0, k2 = m2 ? k_of(2, m2) : 0.0;
      const double k = std::sqrt(k0 * k0 + k1 * k1 + k2 * k2);
      const std::complex<double> rate = undelayed_rate(synapse, gain * p.kernel->fourier(k));
      if (rate.real() > best.rate.real())
        best = {rate, fmt::format("|k| = {:.6g} rad/m (n = {}, {}, {}), u0 = {:.6g}, S'(u0) = {:.6g}", k, n, m1, m2,
                                  u0, gain)};
    }
  return best;
}

ModelType amari_type() {
  ModelType t;
  t.name = "amari";
  t.doc = "Amari neural field: tau du/dt = -u + int w(|x-y|) f(u(y, t - |x-y|/v)) dy + I";
  t.reference = "S. Amari, Biol Cybern 27:77-87 (1977); S. Coombes, Biol Cybern 93:91-108 (2005)";
  t.uses_mesh = true;
  t.params = {
      kernel_param("kernel", "exponential", "coupling kernel w (see neurofield info: kernels)"),
      real_param("threshold", "1", 0.25, -kInf, kInf, "firing threshold theta"),
      optional_param(real_param("tau", "s", 1.0, 0, kInf, "time constant tau = 1/alpha (1 s if neither it nor "
                                "synapse_rate is given)", true)),
      integer_param("synapse_order", 1, 1, 2, "synaptic response order m: (1 + tau d/dt)^m u = input; 2 adds "
                                              "the component v = u + tau du/dt"),
      optional_param(real_param("synapse_rate", "1/s", 1.0, 0, kInf, "synaptic rate alpha = 1/tau (give it or "
                                                                     "tau)", true)),
      real_param("conduction_velocity", "m/s", 0.0, 0, kInf, "axonal conduction velocity v (0: instantaneous)"),
      choice_param("delay_method", {"rings", "wave"}, "rings",
                   "how distance-dependent delays are evaluated (with conduction_velocity > 0)"),
      integer_param("rings", 0, 0, 100000,
                    "delay rings of the kernel (delay_method rings; 0: one per cell spacing out to where the kernel "
                    "falls below 1e-6 of its peak)"),
      choice_param("firing", firing_names(), "heaviside",
                   "firing function f: heaviside (sub-cell, second order for fronts), heaviside_cells (per cell "
                   "centre: O(h) front error), sigmoid, piecewise_linear"),
      real_param("steepness", "1", 50.0, 0, kInf, "beta of sigmoid and piecewise_linear firing", true),
      field_input_param("input", "input I(x, t): a number (constant), or {type: T, ...} (see neurofield info: "
                                 "inputs)"),
  };
  t.make = [](const ModelContext& ctx) { return std::make_unique<Amari>(AmariParams::from(ctx)); };
  return t;
}

}  // namespace nf
