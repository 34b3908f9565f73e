#include "problem/problem.h"

#include <algorithm>

#include "solvers/petsc_error.h"

namespace nf {

Problem::Problem(MPI_Comm comm, std::unique_ptr<Model> model, InitialState initial)
    : model_(std::move(model)), grid_(std::make_unique<Grid>(comm, model_->grid())), initial_(std::move(initial)) {
  const std::vector<double> model_lags = model_->lags();
  lags_ = model_lags;
  std::sort(lags_.begin(), lags_.end());
  lags_.erase(std::unique(lags_.begin(), lags_.end()), lags_.end());
  for (double l : model_lags)
    lag_slot_.push_back(static_cast<std::size_t>(std::lower_bound(lags_.begin(), lags_.end(), l) - lags_.begin()));
  delayed_arrays_.resize(model_lags.size());
  distinct_arrays_.resize(lags_.size());
}

void Problem::history_before_start(double, Vec u) const { initial_.fill(grid_->patch(), u); }

PetscErrorCode Problem::rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const {
  PetscFunctionBeginUser;
  const PetscScalar* u = nullptr;
  PetscScalar* out = nullptr;
  auto& distinct = distinct_arrays_;
  PetscCall(VecGetArrayRead(u_local, &u));
  for (std::size_t k = 0; k < delayed_local.size(); ++k) PetscCall(VecGetArrayRead(delayed_local[k], &distinct[k]));
  for (std::size_t k = 0; k < lag_slot_.size(); ++k)
    delayed_arrays_[k] = part == RhsPart::stiff ? nullptr : distinct[lag_slot_[k]];
  PetscCall(VecGetArray(f, &out));
  RhsArgs args{t, &grid_->patch(), u, delayed_arrays_, out, part};
  PetscCallCXX(model_->rhs(args));
  PetscCall(VecRestoreArray(f, &out));
  for (std::size_t k = 0; k < delayed_local.size(); ++k) PetscCall(VecRestoreArrayRead(delayed_local[k], &distinct[k]));
  PetscCall(VecRestoreArrayRead(u_local, &u));
  PetscFunctionReturn(0);
}

}  // namespace nf
