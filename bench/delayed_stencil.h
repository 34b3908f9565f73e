#pragma once
// Benchmark problem: the explicit diffusion stencil with one delayed term,
//   u_t = D lap_h u - a S(u(x, t - tau))     on a 1D line or a 2D rectangle,
// with S(v) = v (linear: the cheapest right-hand side there is, memory-bound) or the
// firing-rate sigmoid S(v) = 1/(1 + exp(-v)) of Amari and Wilson-Cowan fields (one
// exp per cell and evaluation, the cost of a typical neural-field right-hand side),
// u = 0 beyond every wall (odd reflection: the ghost is -u), lap_h the 3-point
// (1D) or 5-point (2D) Laplacian. With tau = 0 ("no lag") the same stencil reads
// u(x, t) instead, lags() is empty and the flops per cell are identical, so the
// difference between the two runs is the cost of the delay machinery alone.
// Explicit stability: D dt sum_d 1/h_d^2 <= 0.5 covers rk2 (0.5) and rk4 (0.69).
// History for t <= 0: the constant profile u0 = prod_d sin(pi (i_d + 1/2) / n_d).
#include <vector>

#include "meshes/grid.h"
#include "solvers/delay_system.h"

namespace nf::bench {

enum class Response { linear, sigmoid };

struct StencilParams {
  double diffusivity = 1;  // m^2/s: D
  double coupling = 1;     // 1/s: a, the rate of the delayed decay term
  double lag = 0;          // s: tau; 0 reads u(t) and declares no lag
  Response response = Response::linear;  // S
};

class DelayedStencil final : public DelaySystem {
 public:
  // grid: 1D or 2D, bounded, one component, stencil width >= 1; must outlive this.
  DelayedStencil(const Grid& grid, const StencilParams& params);
  ~DelayedStencil() override;
  DelayedStencil(const DelayedStencil&) = delete;
  DelayedStencil& operator=(const DelayedStencil&) = delete;

  DM dm() const override { return grid_.dm(); }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double t, Vec u) const override;
  bool history_before_start_is_constant() const override { return true; }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                     RhsPart part) const override;

 private:
  const Grid& grid_;
  StencilParams params_;
  std::vector<double> lags_;
  Vec u0_ = nullptr;
};

}  // namespace nf::bench
