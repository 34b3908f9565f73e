#include "models/wilson_cowan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "models/homogeneous_stability.h"
#include "solvers/convolution/firing.h"
#include "solvers/convolution/kernel_param.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr const char* kPairs[4] = {"ee", "ei", "ie", "ii"};
constexpr int kTarget[4] = {0, 0, 1, 1}, kSource[4] = {0, 1, 0, 1};
constexpr double kSign[4] = {1, -1, 1, -1};  // excitatory sources add, inhibitory subtract

// s w(r): the strength and sign of a coupling carried by its kernel.
class ScaledKernel final : public Kernel {
 public:
  ScaledKernel(double s, std::shared_ptr<const Kernel> w) : s_(s), w_(std::move(w)) {}
  int dimension() const override { return w_->dimension(); }
  double value(double r) const override { return s_ * w_->value(r); }
  double reach() const override { return w_->reach(); }
  double fourier(double k) const override { return s_ * w_->fourier(k); }
  std::string describe() const override { return fmt::format("{:g} x {}", s_, w_->describe()); }

 private:
  double s_;
  std::shared_ptr<const Kernel> w_;
};

double slope(const Firing& f, double u) {  // f'(u) = beta f (1 - f)
  const double s = fire(f, u);
  return f.steepness * s * (1 - s);
}

bool all_periodic(const GridSpec& g) {
  return !g.boundary.empty() &&
         std::all_of(g.boundary.begin(), g.boundary.end(), [](Boundary b) { return b == Boundary::periodic; });
}

std::optional<std::array<double, 2>> state_nearest_rest(const WilsonCowanParams& p) {
  if (!all_periodic(p.mesh)) return std::nullopt;
  const auto states = wilson_cowan_homogeneous_states(p);
  if (states.empty()) return std::nullopt;
  return *std::min_element(states.begin(), states.end(), [](const auto& a, const auto& b) {
    return std::hypot(a[0], a[1]) < std::hypot(b[0], b[1]);
  });
}

class WilsonCowan final : public Model {
 public:
  explicit WilsonCowan(WilsonCowanParams p) : p_(std::move(p)), state_(state_nearest_rest(p_)) {}

  GridSpec grid() const override {
    GridSpec g = p_.mesh;
    g.component_names = {"u_e", "u_i"};
    if (p_.synapse_order == 2) g.component_names.insert(g.component_names.end(), {"v_e", "v_i"});
    g.stencil_width = 1;
    return g;
  }
  std::vector<double> lags() const override { return {}; }
  std::vector<Coupling> couplings() const override {
    std::vector<Coupling> c;
    for (int j = 0; j < 4; ++j)
      c.push_back({std::string("w_") + kPairs[j], kSource[j], p_.firing[std::size_t(kSource[j])],
                   std::make_shared<ScaledKernel>(kSign[j] * p_.strength[std::size_t(j)], p_.kernel[std::size_t(j)]),
                   0.0, kTarget[j]});
    return c;
  }
  std::size_t predicted_mode_count() const override {
    return state_ ? static_cast<std::size_t>(p_.mesh.cells[0] / 2 + 1) : 0;
  }
  PredictedMode predicted_mode(std::size_t n) const override { return wilson_cowan_mode(p_, *state_, n); }
  // m = 1: du_a/dt = (-u_a + input_a + I_a)/tau_a. m = 2: du_a/dt = (v_a - u_a)/tau_a,
  // dv_a/dt = (-v_a + input_a + I_a)/tau_a. a = E (component 0), I (1); v_a at 2 + a.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool stiff = a.part == RhsPart::stiff;
    const PetscInt shift = p_.synapse_order == 2 ? 2 : 0;
    PetscInt o = 0;
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o)
          for (PetscInt pop = 0; pop < 2; ++pop) {
            const double rate = stiff ? 0.0 : 1 / p_.tau[std::size_t(pop)];
            const double drive = stiff ? 0.0 : a.inputs[std::size_t(pop)][o] + p_.input[std::size_t(pop)];
            const double v = a.u[p.ghosted(i, j, k, pop + shift)];
            a.f[p.owned(i, j, k, pop + shift)] = rate * (-v + drive);
            if (shift) a.f[p.owned(i, j, k, pop)] = rate * (v - a.u[p.ghosted(i, j, k, pop)]);
          }
  }

 private:
  WilsonCowanParams p_;
  std::optional<std::array<double, 2>> state_;
};

// u_I solving -u_I + W_IE f_E(u_E) - W_II f_I(u_I) + I_I = 0, nearest 0 if several.
std::optional<double> inhibitory_state(const WilsonCowanParams& p, const std::array<double, 4>& W, double ue) {
  const double drive = W[2] * fire(p.firing[0], ue) + p.input[1];
  const auto residual = [&](double ui) { return -ui + drive - W[3] * fire(p.firing[1], ui); };
  const double lo = drive - std::max(0.0, W[3]) - 1e-9, hi = drive - std::min(0.0, W[3]) + 1e-9;
  const std::vector<double> z = zeros_on(residual, lo, hi, 64);
  if (z.empty()) return std::nullopt;
  return *std::min_element(z.begin(), z.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
}

}  // namespace

WilsonCowanParams WilsonCowanParams::from(const ModelContext& ctx) {
  const ParamValues& v = ctx.params;
  WilsonCowanParams p;
  p.mesh = ctx.mesh;
  const int d = static_cast<int>(p.mesh.cells.size());
  for (std::size_t j = 0; j < 4; ++j) {
    const std::string pair = kPairs[j];
    p.kernel[j] = make_kernel("kernel_" + pair, v, d);
    p.strength[j] = v.real("w_" + pair);
    if (v.real("conduction_velocity_" + pair) > 0)
      throw ParamError("conduction_velocity_" + pair,
                       fmt::format("model.conduction_velocity_{} = {:g} m/s: distance-dependent delays for "
                                   "Wilson-Cowan come with the delay methods, not in this version",
                                   pair, v.real("conduction_velocity_" + pair)),
                       "0 (instantaneous coupling)");
  }
  const char* pops[2] = {"e", "i"};
  for (std::size_t a = 0; a < 2; ++a) {
    const std::string s = pops[a];
    p.firing[a] = {FiringKind::sigmoid, v.real("threshold_" + s), v.real("gain_" + s)};
    p.tau[a] = v.real("tau_" + s);
    p.input[a] = v.real("input_" + s);
  }
  p.synapse_order = static_cast<int>(v.integer("synapse_order"));
  return p;
}

std::vector<std::array<double, 2>> wilson_cowan_homogeneous_states(const WilsonCowanParams& p) {
  std::array<double, 4> W{};
  for (std::size_t j = 0; j < 4; ++j) W[j] = p.strength[j] * p.kernel[j]->integral();
  const auto residual = [&](double ue) {
    const auto ui = inhibitory_state(p, W, ue);
    return -ue + W[0] * fire(p.firing[0], ue) - W[1] * fire(p.firing[1], *ui) + p.input[0];
  };
  const double lo = p.input[0] + std::min(0.0, W[0]) - std::max(0.0, W[1]) - 1e-9,
               hi = p.input[0] + std::max(0.0, W[0]) - std::min(0.0, W[1]) + 1e-9;
  std::vector<std::array<double, 2>> states;
  for (double ue : zeros_on(residual, lo, hi, 2000)) states.push_back({ue, *inhibitory_state(p, W, ue)});
  return states;
}

std::vector<std::complex<double>> wilson_cowan_roots(const WilsonCowanParams& p, const std::array<double, 2>& s,
                                                     double k) {
  const double ge = slope(p.firing[0], s[0]), gi = slope(p.firing[1], s[1]);
  std::array<double, 4> m{};
  for (std::size_t j = 0; j < 4; ++j)
    m[j] = kSign[j] * p.strength[j] * p.kernel[j]->fourier(k) * (kSource[j] == 0 ? ge : gi);
  return two_population_roots({p.synapse_order, 1 / p.tau[0]}, {p.synapse_order, 1 / p.tau[1]}, m);
}

std::size_t wilson_cowan_mode_count(const WilsonCowanParams& p) {
  return state_nearest_rest(p) ? static_cast<std::size_t>(p.mesh.cells[0] / 2 + 1) : 0;
}

PredictedMode wilson_cowan_mode(const WilsonCowanParams& p, const std::array<double, 2>& state, std::size_t n) {
  const auto k_of = [&](std::size_t a, long m) {
    return 2 * std::numbers::pi * static_cast<double>(m) / (static_cast<double>(p.mesh.cells[a]) * p.mesh.spacing[a]);
  };
  const long n1 = p.mesh.cells.size() > 1 ? p.mesh.cells[1] / 2 : 0, n2 = p.mesh.cells.size() > 2 ? p.mesh.cells[2] / 2 : 0;
  PredictedMode best{{-kInf, 0}, ""};
  for (long m2 = 0; m2 <= n2; ++m2)
    for (long m1 = 0; m1 <= n1; ++m1) {
      const double k0 = k_of(0, static_cast<long>(n)), k1 = m1 ? k_of(1, m1) : 0.0, k2 = m2 ? k_of(2, m2) : 0.0;
      const double k = std::sqrt(k0 * k0 + k1 * k1 + k2 * k2);
      std::complex<double> rate = wilson_cowan_roots(p, state, k).front();
      rate = {rate.real(), std::abs(rate.imag())};
      if (rate.real() > best.rate.real())
        best = {rate, fmt::format("|k| = {:.6g} rad/m (n = {}, {}, {}), (u_e, u_i) = ({:.6g}, {:.6g})", k, n, m1, m2,
                                  state[0], state[1])};
    }
  return best;
}

ModelType wilson_cowan_type() {
  ModelType t;
  t.name = "wilson_cowan";
  t.doc = "Wilson-Cowan field: tau_a du_a/dt = -u_a + sum_b +-w_ab K_ab * f_b(u_b) + I_a, a, b in {E, I}";
  t.reference = "H.R. Wilson & J.D. Cowan, Kybernetik 13:55-80 (1973); P.C. Bressloff, J Phys A 45:033001 (2012)";
  t.uses_mesh = true;
  const char* who[4] = {"E from E", "E from I", "I from E", "I from I"};
  const double strength[4] = {1, 1, 1, 0};
  for (std::size_t j = 0; j < 4; ++j) {
    const std::string pair = kPairs[j];
    t.params.push_back(kernel_param("kernel_" + pair, "exponential", std::string("kernel K_") + pair + " (" + who[j] +
                                                                         "; see neurofield info: kernels)"));
    t.params.push_back(real_param("w_" + pair, "1", strength[j], 0, kInf,
                                  std::string("strength w_") + pair + " (" + who[j] + ", >= 0; the sign is the source's)"));
    t.params.push_back(real_param("conduction_velocity_" + pair, "m/s", 0.0, 0, kInf,
                                  std::string("axonal conduction velocity of ") + who[j] + " (0: instantaneous)"));
  }
  t.params.push_back(real_param("tau_e", "s", 1.0, 0, kInf, "E time constant", true));
  t.params.push_back(real_param("tau_i", "s", 1.0, 0, kInf, "I time constant", true));
  t.params.push_back(real_param("gain_e", "1", 4.0, 0, kInf, "E sigmoid gain beta_E", true));
  t.params.push_back(real_param("gain_i", "1", 4.0, 0, kInf, "I sigmoid gain beta_I", true));
  t.params.push_back(real_param("threshold_e", "1", 0.0, -kInf, kInf, "E sigmoid threshold theta_E"));
  t.params.push_back(real_param("threshold_i", "1", 0.0, -kInf, kInf, "I sigmoid threshold theta_I"));
  t.params.push_back(real_param("input_e", "1", 0.0, -kInf, kInf, "constant input I_E"));
  t.params.push_back(real_param("input_i", "1", 0.0, -kInf, kInf, "constant input I_I"));
  t.params.push_back(integer_param("synapse_order", 1, 1, 2,
                                   "synaptic response order m: (1 + tau_a d/dt)^m u_a = input_a; 2 adds v_e, v_i"));
  t.make = [](const ModelContext& ctx) { return std::make_unique<WilsonCowan>(WilsonCowanParams::from(ctx)); };
  return t;
}

}  // namespace nf
