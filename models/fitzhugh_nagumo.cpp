#include "models/fitzhugh_nagumo.h"

#include <cmath>
#include <limits>

#include "models/reaction_diffusion.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class FitzhughNagumo final : public Model {
 public:
  explicit FitzhughNagumo(FitzhughNagumoParams p) : p_(std::move(p)), rest_(fitzhugh_nagumo_rest(p_)) {}

  GridSpec grid() const override { return reaction_diffusion_grid(p_.mesh, {"u", "w"}, p_.stencil_order); }
  std::vector<double> lags() const override { return {}; }
  std::optional<DiffusionSpec> diffusion() const override {
    return DiffusionSpec{{p_.diffusion, p_.diffusion_w}, p_.stencil_order};
  }
  std::vector<double> rest_state() const override { return {rest_.first, rest_.second}; }
  std::optional<double> front_level() const override { return 0.0; }
  std::optional<TipLevels> tip_levels() const override { return TipLevels{0.0, p_.current}; }

  // The reaction; the solvers add the diffusion.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool reaction = a.part != RhsPart::stiff;
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          const double u = a.u[p.ghosted(i, j, k, 0)], w = a.u[p.ghosted(i, j, k, 1)];
          a.f[p.owned(i, j, k, 0)] = reaction ? u - u * u * u / 3 - w + p_.current : 0.0;
          a.f[p.owned(i, j, k, 1)] = reaction ? p_.epsilon * (u + p_.beta - p_.gamma * w) : 0.0;
        }
  }

 private:
  FitzhughNagumoParams p_;
  std::pair<double, double> rest_;
};

}  // namespace

FitzhughNagumoParams FitzhughNagumoParams::from(const ModelContext& ctx) {
  const ParamValues& v = ctx.params;
  FitzhughNagumoParams p;
  p.diffusion = v.real("diffusion");
  p.diffusion_w = v.real("diffusion_w");
  p.epsilon = v.real("epsilon");
  p.beta = v.real("beta");
  p.gamma = v.real("gamma");
  p.current = v.real("current");
  p.stencil_order = nf::stencil_order(v);
  p.mesh = ctx.mesh;
  return p;
}

// g(u) = u - u^3/3 - (u + beta)/gamma + I falls monotonically (gamma <= 1) from +inf to
// -inf; its root lies within |u| <= r, r = 3 + |beta|/gamma + |I| (beyond, u^3/3
// dominates). Bisection to round-off.
std::pair<double, double> fitzhugh_nagumo_rest(const FitzhughNagumoParams& p) {
  auto cubic_w = [&p](double u) { return u - u * u * u / 3 + p.current; };
  if (p.gamma == 0) return {-p.beta, cubic_w(-p.beta)};
  auto g = [&](double u) { return cubic_w(u) - (u + p.beta) / p.gamma; };
  const double r = 3 + std::abs(p.beta) / p.gamma + std::abs(p.current);
  double lo = -r, hi = r;
  for (int it = 0; it < 200 && hi - lo > 0; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (g(mid) > 0 ? lo : hi) = mid;
  }
  const double u = 0.5 * (lo + hi);
  return {u, (u + p.beta) / p.gamma};
}

std::complex<double> fitzhugh_nagumo_rest_eigenvalue(const FitzhughNagumoParams& p, double k) {
  const double u = fitzhugh_nagumo_rest(p).first;
  const double a = 1 - u * u - p.diffusion * k * k, d = -p.epsilon * p.gamma - p.diffusion_w * k * k;
  const double tr = a + d, det = a * d + p.epsilon;
  return tr / 2 + std::sqrt(std::complex<double>(tr * tr / 4 - det));
}

ModelType fitzhugh_nagumo_type() {
  ModelType t;
  t.name = "fitzhugh_nagumo";
  t.doc = "excitable FitzHugh-Nagumo medium: du/dt = D_u laplacian(u) + u - u^3/3 - w + I, "
          "dw/dt = D_w laplacian(w) + eps (u + beta - gamma w)";
  t.reference = "R. FitzHugh, Biophys J 1:445 (1961); J. Nagumo et al., Proc IRE 50:2061 (1962); "
                "J. Keener & J. Sneyd, Mathematical Physiology (2009), ch. 6";
  t.uses_mesh = true;
  t.params = {
      diffusion_param("diffusion", 1.0, "diffusion coefficient D_u of the excitation u"),
      diffusion_param("diffusion_w", 0.0, "diffusion coefficient D_w of the recovery w"),
      real_param("epsilon", "1/s", 0.08, 0, kInf, "recovery rate eps", true),
      real_param("beta", "1", 0.7, -kInf, kInf, "recovery offset beta"),
      real_param("gamma", "1", 0.8, 0, 1, "recovery self-decay gamma (<= 1: one rest state)"),
      real_param("current", "1", 0.0, -kInf, kInf, "applied current I"),
      stencil_order_param(),
  };
  t.make = [](const ModelContext& ctx) {
    return std::make_unique<FitzhughNagumo>(FitzhughNagumoParams::from(ctx));
  };
  return t;
}

}  // namespace nf
