#include "models/amari.h"

#include <cmath>
#include <limits>
#include <numbers>

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
    g.component_names = {"u"};
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
  // du/dt = (-u + (w * f(u)) + I) / tau. Indexed through the patch: the solvers may
  // append components of their own (a delay method's fields) after the model's.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const double rate = a.part == RhsPart::stiff ? 0.0 : 1 / p_.tau;
    const double* input = a.part == RhsPart::stiff ? nullptr : a.inputs[0];
    const double* drive = input ? input_.at(p, a.t) : nullptr;
    PetscInt o = 0;  // owned cell, the inputs' index
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o)
          a.f[p.owned(i, j, k)] = input ? rate * (-a.u[p.ghosted(i, j, k)] + input[o] + drive[o]) : 0.0;
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

}  // namespace

AmariParams AmariParams::from(const ModelContext& ctx) {
  const ParamValues& v = ctx.params;
  AmariParams p;
  p.tau = v.real("tau");
  p.threshold = v.real("threshold");
  p.conduction_velocity = v.has("conduction_velocity") ? v.real("conduction_velocity") : 0.0;
  p.input_field = make_field_input("input", v, ctx.mesh);
  p.input = p.input_field->uniform_value().value_or(0.0);
  p.firing = {firing_kind(v.choice("firing")), p.threshold, v.real("steepness")};
  p.delay_method = v.choice("delay_method") == "wave" ? DelayMethod::wave : DelayMethod::rings;
  p.mesh = ctx.mesh;
  p.kernel = make_kernel("kernel", v, static_cast<int>(p.mesh.cells.size()));
  if (v.has("rings")) p.rings = static_cast<int>(v.integer("rings"));
  if (p.conduction_velocity > 0 && p.delay_method == DelayMethod::wave)
    throw ParamError("delay_method",
                     "model.delay_method wave: the wave form of distance-dependent delays is not available in this "
                     "version",
                     "rings");
  return p;
}

std::optional<double> amari_front_speed(const AmariParams& p) {
  if (p.firing.kind != FiringKind::heaviside && p.firing.kind != FiringKind::heaviside_cells) return std::nullopt;
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

ModelType amari_type() {
  ModelType t;
  t.name = "amari";
  t.doc = "Amari neural field: tau du/dt = -u + int w(|x-y|) f(u(y, t - |x-y|/v)) dy + I";
  t.reference = "S. Amari, Biol Cybern 27:77-87 (1977); S. Coombes, Biol Cybern 93:91-108 (2005)";
  t.uses_mesh = true;
  t.params = {
      kernel_param("kernel", "exponential", "coupling kernel w (see neurofield info: kernels)"),
      real_param("threshold", "1", 0.25, -kInf, kInf, "firing threshold theta"),
      real_param("tau", "s", 1.0, 0, kInf, "time constant", true),
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
