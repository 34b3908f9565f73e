#pragma once
// A Problem is a Model placed on its Grid with its drive and initial state: the
// DelaySystem that the integrators see. It maps the model's lags (which may repeat)
// onto distinct lags, so each distinct delayed state is interpolated once.
#include <memory>
#include <vector>

#include "meshes/grid.h"
#include "models/model.h"
#include "problem/initial_state.h"
#include "solvers/convolution/coupling_evaluator.h"
#include "solvers/convolution/wave_coupling.h"
#include "solvers/delay_system.h"

namespace nf {

class Problem final : public DelaySystem {
 public:
  Problem(MPI_Comm comm, std::unique_ptr<Model> model, InitialState initial);

  DM dm() const override { return grid_->dm(); }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double t, Vec u) const override;
  bool history_before_start_is_constant() const override { return true; }  // see InitialState
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;
  bool has_stiff_part() const override { return model_->has_stiff_part() || diffusion_; }
  bool assemble_stiff_jacobian(Mat j) const override;
  std::optional<Discontinuity> next_forcing_discontinuity(double after) const override {
    return model_->next_forcing_discontinuity(after);
  }

  double record_span() const override { return couplings_ ? couplings_->record_span() : 0.0; }
  std::size_t record_size() const override { return couplings_ ? couplings_->record_size() : 0; }
  void make_record(double t, Vec u_local, std::span<double> out) const override;
  void attach_records(const RecordHistory* records) const override {
    if (couplings_) couplings_->attach_records(records);
  }
  // The delay rings of the couplings (none: couplings == 0).
  RingSummary delay_rings() const { return couplings_ ? couplings_->rings() : RingSummary{}; }
  // The largest v / h (1/s) of the wave couplings (0: none): their Courant number is
  // this times the step.
  double wave_courant_rate() const { return waves_ ? waves_->courant_rate() : 0.0; }
  // The bound on that Courant number under an explicit method of `order`.
  double wave_courant_bound(int order) const { return waves_ ? waves_->courant_bound(order) : 0.0; }

  // The model's diffusion operator (none without diffusion).
  const DiffusionOperator* diffusion() const { return diffusion_.get(); }

  const Grid& grid() const { return *grid_; }
  const Model& model() const { return *model_; }

 private:
  void wave_rates(const double* u, double* f, RhsPart part) const;

  std::unique_ptr<Model> model_;
  std::unique_ptr<Grid> grid_;
  InitialState initial_;
  std::vector<double> lags_;                 // distinct, ascending
  std::vector<std::size_t> lag_slot_;        // model lag k -> index into lags_
  mutable std::vector<const double*> delayed_arrays_;   // per model lag; reused every call
  mutable std::vector<const double*> distinct_arrays_;  // per distinct lag
  std::unique_ptr<CouplingEvaluator> couplings_;        // none without FFT couplings
  std::vector<std::size_t> coupling_lag_slot_;          // source lag k of couplings_ -> index into lags_
  mutable std::vector<const double*> coupling_delayed_; // per source lag; reused every call
  // Wave couplings: their fields appended after the model's components; none without.
  std::unique_ptr<WaveCouplings> waves_;
  std::unique_ptr<DiffusionOperator> diffusion_;        // none without diffusion
  mutable std::vector<std::vector<double>> inputs_;     // per input slot, owned cells
  std::vector<double*> input_arrays_;
  std::vector<const double*> input_views_;
};

}  // namespace nf
