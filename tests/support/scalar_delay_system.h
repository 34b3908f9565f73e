#pragma once
// A scalar delay equation for integrator tests, y'(t) = f(t, y(t), y(t - lag)) with
// y = y_before for t <= t0, on a one-cell DMDA of PETSC_COMM_WORLD (field "y"). The
// stiff part is zero: the whole of f is explicit.
#include <functional>
#include <utility>
#include <vector>

#include "solvers/delay_system.h"

namespace nf::test {

class ScalarDelaySystem final : public DelaySystem {
 public:
  using Rhs = std::function<double(double t, double y, double y_delayed)>;
  // Whether the model is undefined at (t, y): rhs() then returns kRhsOutsideDomain.
  using OutsideDomain = std::function<bool(double t, double y)>;
  ScalarDelaySystem(double lag, double y_before, Rhs f);
  ~ScalarDelaySystem() override;
  ScalarDelaySystem(const ScalarDelaySystem&) = delete;
  ScalarDelaySystem& operator=(const ScalarDelaySystem&) = delete;

  DM dm() const override { return dm_; }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double t, Vec u) const override;
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;

  void set_domain(OutsideDomain outside) { outside_ = std::move(outside); }
  // How many evaluations were refused as outside the domain.
  long domain_errors() const { return domain_errors_; }
  // How many times rhs() was called (any part but the zero stiff one).
  long evaluations() const { return evaluations_; }

 private:
  DM dm_ = nullptr;
  std::vector<double> lags_;
  double y_before_;
  Rhs f_;
  OutsideDomain outside_;
  mutable long domain_errors_ = 0;
  mutable long evaluations_ = 0;
};

}  // namespace nf::test
