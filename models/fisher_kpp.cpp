#include "models/fisher_kpp.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "models/reaction_diffusion.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class FisherKpp final : public Model {
 public:
  explicit FisherKpp(FisherKppParams p) : p_(std::move(p)), spreading_(fisher_kpp_spreading(p_)) {}

  GridSpec grid() const override { return reaction_diffusion_grid(p_.mesh, {"u"}, p_.stencil_order); }
  std::vector<double> lags() const override {
    return p_.form == DelayForm::none ? std::vector<double>{} : std::vector<double>{p_.delay};
  }
  std::optional<DiffusionSpec> diffusion() const override { return DiffusionSpec{{p_.diffusion}, p_.stencil_order}; }
  std::optional<double> front_level() const override { return 0.5; }
  std::optional<double> predicted_front_speed() const override { return spreading_.speed; }
  // Ablowitz-Zeppetella: faster than c*, its edge decays slower than mu* (no delay only).
  std::optional<TravellingWave> travelling_wave() const override {
    if (p_.form != DelayForm::none) return std::nullopt;
    return TravellingWave{[p = p_](double z) { return ablowitz_zeppetella_profile(p, z); },
                          ablowitz_zeppetella_speed(p_)};
  }
  // Bramson's log term; its coefficient 3/(2 mu*) holds for every form (the delayed
  // growth's edge has its own mu*).
  FrontDrift front_drift() const override { return {3 / (2 * spreading_.decay), true}; }

  // The reaction; the solvers add the diffusion.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool reaction = a.part != RhsPart::stiff;
    const double* lagged = p_.form == DelayForm::none || !reaction ? a.u : a.delayed[0];
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          const PetscInt g = p.ghosted(i, j, k);
          const double u = a.u[g], v = lagged[g];
          double f = 0;
          if (reaction) f = p_.form == DelayForm::growth ? p_.rate * v * (1 - u) : p_.rate * u * (1 - v);
          a.f[p.owned(i, j, k)] = f;
        }
  }

 private:
  FisherKppParams p_;
  SpreadingSpeed spreading_;
};

// Delayed growth: for a decay rate mu the edge moves at the c solving
// c mu = D mu^2 + r exp(-mu c tau) (the left side increases in c, the right decreases).
double edge_speed(const FisherKppParams& p, double mu) {
  double lo = 0, hi = p.diffusion * mu + p.rate / mu;  // the right side at c = 0, over mu
  for (int it = 0; it < 200; ++it) {
    const double c = 0.5 * (lo + hi);
    (c * mu < p.diffusion * mu * mu + p.rate * std::exp(-mu * c * p.delay) ? lo : hi) = c;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

FisherKppParams FisherKppParams::from(const ModelContext& ctx) {
  const ParamValues& v = ctx.params;
  FisherKppParams p;
  p.diffusion = v.real("diffusion");
  p.rate = v.real("rate");
  p.delay = v.has("delay") ? v.real("delay") : 0.0;
  if (p.delay > 0) p.form = v.choice("delay_form") == "growth" ? DelayForm::growth : DelayForm::hutchinson;
  p.stencil_order = nf::stencil_order(v);
  p.mesh = ctx.mesh;
  return p;
}

// c* = min over mu > 0 of the edge speed (golden section on log mu; the edge speed is
// convex in mu near its minimum, D mu + r/mu without delay).
SpreadingSpeed fisher_kpp_spreading(const FisherKppParams& p) {
  const double mu0 = std::sqrt(p.rate / p.diffusion);
  if (p.form != DelayForm::growth) return {2 * std::sqrt(p.diffusion * p.rate), mu0};
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = std::log(mu0) - 6, b = std::log(mu0) + 2;
  double x1 = b - g * (b - a), x2 = a + g * (b - a);
  double f1 = edge_speed(p, std::exp(x1)), f2 = edge_speed(p, std::exp(x2));
  for (int it = 0; it < 200 && b - a > 1e-14; ++it) {
    if (f1 < f2) {
      b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a), f1 = edge_speed(p, std::exp(x1));
    } else {
      a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a), f2 = edge_speed(p, std::exp(x2));
    }
  }
  const double mu = std::exp(0.5 * (a + b));
  return {edge_speed(p, mu), mu};
}

double ablowitz_zeppetella_speed(const FisherKppParams& p) { return 5 * std::sqrt(p.diffusion * p.rate / 6); }

double ablowitz_zeppetella_profile(const FisherKppParams& p, double z) {
  const double e = (std::numbers::sqrt2 - 1) * std::exp(z * std::sqrt(p.rate / p.diffusion) / std::sqrt(6.0));
  return 1 / ((1 + e) * (1 + e));
}

ModelType fisher_kpp_type() {
  ModelType t;
  t.name = "fisher_kpp";
  t.doc = "Fisher-KPP: du/dt = D laplacian(u) + r u (1 - u), optionally with a delay in the reaction";
  t.reference = "R. A. Fisher, Ann Eugenics 7:355 (1937); M. Bramson, Mem AMS 285 (1983); "
                "J. Wu & X. Zou, J Dyn Diff Eq 13:651 (2001)";
  t.uses_mesh = true;
  ParamSpec delay = real_param("delay", "s", 0.0, 0, kInf, "reaction delay tau (absent or 0: none)");
  delay.optional = true;
  t.params = {
      diffusion_param("diffusion", 1.0, "diffusion coefficient D"),
      real_param("rate", "1/s", 1.0, 0, kInf, "growth rate r", true),
      delay,
      choice_param("delay_form", {"hutchinson", "growth"}, "hutchinson",
                   "where the delay enters: hutchinson r u (1 - u(t - tau)), growth r u(t - tau) (1 - u)"),
      stencil_order_param(),
  };
  t.make = [](const ModelContext& ctx) { return std::make_unique<FisherKpp>(FisherKppParams::from(ctx)); };
  return t;
}

}  // namespace nf
