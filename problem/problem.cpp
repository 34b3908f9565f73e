#include "problem/problem.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <iterator>

#include "base/petsc_error.h"

namespace nf {

Problem::Problem(MPI_Comm comm, std::unique_ptr<Model> model, InitialState initial)
    : model_(std::move(model)),
      grid_(std::make_unique<Grid>(comm, with_wave_fields(model_->grid(), model_->couplings()))),
      initial_(std::move(initial)) {
  initial_.rest = model_->rest_state();
  initial_.spacing = grid_->spec().spacing;
  const std::vector<double> model_lags = model_->lags();
  const std::vector<Coupling> couplings = model_->couplings();
  // The couplings' constant lags are lags of the system too: their delayed states
  // come from the same history.
  lags_ = model_lags;
  for (const Coupling& c : couplings)
    if (c.lag > 0) lags_.push_back(c.lag);
  std::sort(lags_.begin(), lags_.end());
  lags_.erase(std::unique(lags_.begin(), lags_.end()), lags_.end());
  const auto slot_of = [this](double l) {
    return static_cast<std::size_t>(std::lower_bound(lags_.begin(), lags_.end(), l) - lags_.begin());
  };
  for (double l : model_lags) lag_slot_.push_back(slot_of(l));
  delayed_arrays_.resize(model_lags.size());
  distinct_arrays_.resize(lags_.size());
  if (const auto d = model_->diffusion()) diffusion_ = std::make_unique<DiffusionOperator>(grid_->spec(), *d);
  if (couplings.empty()) return;
  std::vector<Coupling> convolved;
  std::copy_if(couplings.begin(), couplings.end(), std::back_inserter(convolved),
               [](const Coupling& c) { return !is_wave(c); });
  if (!convolved.empty()) couplings_ = std::make_unique<CouplingEvaluator>(*grid_, convolved);
  if (couplings_)
    for (double l : couplings_->source_lags()) coupling_lag_slot_.push_back(slot_of(l));
  coupling_delayed_.resize(coupling_lag_slot_.size());
  waves_ = std::make_unique<WaveCouplings>(*grid_, couplings, static_cast<int>(model_->grid().component_names.size()));
  if (waves_->empty()) waves_.reset();
  const Patch& p = grid_->patch();
  inputs_.assign(static_cast<std::size_t>(input_count(couplings)),
                 std::vector<double>(static_cast<std::size_t>(p.count[0] * p.count[1] * p.count[2]), 0.0));
  for (auto& in : inputs_) {
    input_arrays_.push_back(in.data());
    input_views_.push_back(in.data());
  }
}

void Problem::history_before_start(double, Vec u) const {
  initial_.fill(grid_->patch(), u);
  if (!waves_) return;
  Vec local = nullptr;
  check_petsc(DMGetLocalVector(grid_->dm(), &local));
  check_petsc(DMGlobalToLocalBegin(grid_->dm(), u, INSERT_VALUES, local));
  check_petsc(DMGlobalToLocalEnd(grid_->dm(), u, INSERT_VALUES, local));
  const PetscScalar* ghosted = nullptr;
  PetscScalar* owned = nullptr;
  check_petsc(VecGetArrayRead(local, &ghosted));
  check_petsc(VecGetArray(u, &owned));
  waves_->initialise(ghosted, owned);
  check_petsc(VecRestoreArray(u, &owned));
  check_petsc(VecRestoreArrayRead(local, &ghosted));
  check_petsc(DMRestoreLocalVector(grid_->dm(), &local));
}

// The stiff part is the diffusion alone when the model has no stiff terms of its own:
// linear, with the matrix L of solvers/diffusion.
bool Problem::assemble_stiff_jacobian(Mat j) const {
  if (!diffusion_ || model_->has_stiff_part()) return false;
  diffusion_->assemble(grid_->dm(), j);
  return true;
}

void Problem::make_record(double, Vec u_local, std::span<double> out) const {
  const PetscScalar* u = nullptr;
  check_petsc(VecGetArrayRead(u_local, &u));
  try {
    couplings_->make_record(u, out);
  } catch (...) {
    VecRestoreArrayRead(u_local, &u);
    throw;
  }
  check_petsc(VecRestoreArrayRead(u_local, &u));
}

// The wave fields' rates (0 in the stiff part) and their share of the inputs, which
// are first cleared where no FFT coupling wrote them.
void Problem::wave_rates(const double* u, double* f, RhsPart part) const {
  if (part == RhsPart::stiff) return waves_->zero_rates(f);
  for (std::size_t k = couplings_ ? static_cast<std::size_t>(couplings_->input_count()) : 0; k < inputs_.size(); ++k)
    std::fill(inputs_[k].begin(), inputs_[k].end(), 0.0);
  waves_->evaluate(u, f, input_arrays_);
}

// Every array borrowed here is given back on every path (a failing borrow, a model
// that throws), before the error is reported; nothing allocates.
PetscErrorCode Problem::rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const {
  PetscFunctionBeginUser;
  const PetscScalar* u = nullptr;
  PetscScalar* out = nullptr;
  auto& distinct = distinct_arrays_;
  std::size_t borrowed = 0;
  PetscErrorCode ierr = VecGetArrayRead(u_local, &u);
  while (!ierr && borrowed < delayed_local.size()) {
    ierr = VecGetArrayRead(delayed_local[borrowed], &distinct[borrowed]);
    if (!ierr) ++borrowed;
  }
  if (!ierr) ierr = VecGetArray(f, &out);
  std::array<char, 256> thrown{};
  if (!ierr) {
    for (std::size_t k = 0; k < lag_slot_.size(); ++k)
      delayed_arrays_[k] = part == RhsPart::stiff ? nullptr : distinct[lag_slot_[k]];
    try {
      if (couplings_ && part != RhsPart::stiff) {
        for (std::size_t k = 0; k < coupling_lag_slot_.size(); ++k) coupling_delayed_[k] = distinct[coupling_lag_slot_[k]];
        couplings_->evaluate(t, u, coupling_delayed_, input_arrays_);
      }
      if (waves_) wave_rates(u, out, part);
      model_->rhs(RhsArgs{t, &grid_->patch(), u, delayed_arrays_, out, part, input_views_});
      if (diffusion_ && part != RhsPart::nonstiff) diffusion_->add_to(grid_->patch(), u, out);
    } catch (const std::exception& e) {
      std::snprintf(thrown.data(), thrown.size(), "%s", e.what());
    } catch (...) {
      std::snprintf(thrown.data(), thrown.size(), "an exception that is not a std::exception");
    }
  }
  const auto keep_first = [&ierr](PetscErrorCode e) {
    if (!ierr) ierr = e;
  };
  if (out) keep_first(VecRestoreArray(f, &out));
  for (std::size_t k = 0; k < borrowed; ++k) keep_first(VecRestoreArrayRead(delayed_local[k], &distinct[k]));
  if (u) keep_first(VecRestoreArrayRead(u_local, &u));
  PetscCall(ierr);
  PetscCheck(thrown[0] == '\0', PETSC_COMM_SELF, PETSC_ERR_LIB, "the model's right-hand side at t = %g s threw: %s", t,
             thrown.data());
  PetscFunctionReturn(0);
}

}  // namespace nf
