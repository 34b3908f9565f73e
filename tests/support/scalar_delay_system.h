#pragma once
// A scalar delay equation for integrator tests, y'(t) = f(t, y(t), y(t - lag)) with
// y = y_before for t <= t0, on a one-cell DMDA of PETSC_COMM_WORLD (field "y"). The
// stiff part is zero: the whole of f is explicit.
#include <cmath>
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

// The exact solution of y'(t) = -y(t - 1), y = 1 for t <= 0, by the method of steps:
// on [k-1, k], y(t) = sum_{j=0..k} (-1)^j (t - j + 1)^j / j!; the terms with
// j > floor(t) + 1 vanish there, so one formula serves every t >= 0.
inline double negative_feedback_exact(double t) {
  if (t <= 0) return 1;
  double y = 0, factorial = 1;
  for (int j = 0; j <= static_cast<int>(std::floor(t)) + 1; ++j) {
    if (j > 0) factorial *= j;
    y += (j % 2 ? -1 : 1) * std::pow(t - j + 1, j) / factorial;
  }
  return y;
}

}  // namespace nf::test
