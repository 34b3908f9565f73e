#pragma once
// A scalar delay equation for integrator tests, y'(t) = f(t, y(t), y(t - lag)) with
// y = y_before for t <= t0, on a one-cell DMDA of PETSC_COMM_WORLD (field "y"). The
// stiff part is zero: the whole of f is explicit.
#include <functional>
#include <vector>

#include "solvers/delay_system.h"

namespace nf::test {

class ScalarDelaySystem final : public DelaySystem {
 public:
  using Rhs = std::function<double(double t, double y, double y_delayed)>;
  ScalarDelaySystem(double lag, double y_before, Rhs f);
  ~ScalarDelaySystem() override;
  ScalarDelaySystem(const ScalarDelaySystem&) = delete;
  ScalarDelaySystem& operator=(const ScalarDelaySystem&) = delete;

  DM dm() const override { return dm_; }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double t, Vec u) const override;
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;

 private:
  DM dm_ = nullptr;
  std::vector<double> lags_;
  double y_before_;
  Rhs f_;
};

}  // namespace nf::test
