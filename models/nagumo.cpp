#include "models/nagumo.h"

#include <cmath>
#include <limits>

#include "models/reaction_diffusion.h"

namespace nf {
namespace {

class Nagumo final : public Model {
 public:
  explicit Nagumo(NagumoParams p) : p_(std::move(p)) {}

  GridSpec grid() const override { return reaction_diffusion_grid(p_.mesh, {"u"}, p_.stencil_order); }
  std::vector<double> lags() const override { return {}; }
  std::optional<DiffusionSpec> diffusion() const override { return DiffusionSpec{{p_.diffusion}, p_.stencil_order}; }
  std::optional<double> front_level() const override { return 0.5; }
  std::optional<double> predicted_front_speed() const override { return nagumo_front_speed(p_); }
  std::optional<TravellingWave> travelling_wave() const override {
    return TravellingWave{[p = p_](double xi) { return nagumo_front_profile(p, xi); }, nagumo_front_speed(p_)};
  }

  // The reaction u (1 - u) (u - a); the solvers add the diffusion.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool reaction = a.part != RhsPart::stiff;
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          const double u = a.u[p.ghosted(i, j, k)];
          a.f[p.owned(i, j, k)] = reaction ? u * (1 - u) * (u - p_.a) : 0.0;
        }
  }

 private:
  NagumoParams p_;
};

}  // namespace

NagumoParams NagumoParams::from(const ModelContext& ctx) {
  NagumoParams p;
  p.diffusion = ctx.params.real("diffusion");
  p.a = ctx.params.real("a");
  p.stencil_order = nf::stencil_order(ctx.params);
  p.mesh = ctx.mesh;
  return p;
}

double nagumo_front_speed(const NagumoParams& p) { return std::sqrt(2 * p.diffusion) * (0.5 - p.a); }

double nagumo_front_profile(const NagumoParams& p, double xi) {
  return 1 / (1 + std::exp(xi / std::sqrt(2 * p.diffusion)));
}

ModelType nagumo_type() {
  ModelType t;
  t.name = "nagumo";
  t.doc = "bistable reaction-diffusion: du/dt = D laplacian(u) + u (1 - u) (u - a)";
  t.reference = "J. Nagumo et al., IEEE Trans Circuit Theory 12:400 (1965); P. Fife & J. McLeod, ARMA 65:335 (1977)";
  t.uses_mesh = true;
  t.params = {
      diffusion_param("diffusion", 1.0, "diffusion coefficient D"),
      real_param("a", "1", 0.25, 0, 1, "threshold a between the stable states 0 and 1 (front speed "
                                       "sqrt(2 D) (1/2 - a))", true),
      stencil_order_param(),
  };
  t.make = [](const ModelContext& ctx) { return std::make_unique<Nagumo>(NagumoParams::from(ctx)); };
  return t;
}

}  // namespace nf
