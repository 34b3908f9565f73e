#pragma once
// Manufactured neural field with a distance-dependent delay (docs/verification.md, §7
// of the verification cases): on a periodic line of length L = 12 pi m,
//   u_t = -u + int w(x - y) u(y, t - |x - y|/v) dy + f(x, t),   w = (1/2s) e^{-|x|/s},
// with linear firing, the coupling evaluated by delay rings (solvers/convolution).
// u* = cos(k x) e^{g t} solves it with
//   f = cos(k x) e^{g t} [1 + g - K],  K = (1/s) b (1 - (-1)^m e^{-b L/2}) / (b^2 + k^2),
//   b = 1/s + g/v, k L/2 = m pi (the kernel truncated at |z| <= L/2 by the period).
// History for t <= 0: u* itself (consistent), so the records before the start vary.
// Units: x in m, t in s, s = 1 m, v in m/s, k = 1 rad/m, g = -0.2 /s.
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/coupling_evaluator.h"
#include "solvers/delay_system.h"

namespace nf::test {

class DelayedField final : public DelaySystem {
 public:
  // rings: the ring count (0: automatic).
  DelayedField(MPI_Comm comm, PetscInt cells, double velocity, int rings = 0);

  DM dm() const override { return grid_.dm(); }
  const std::vector<double>& lags() const override { return no_lags_; }
  void history_before_start(double t, Vec u) const override { exact(t, u); }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;
  double record_span() const override { return couplings_.record_span(); }
  std::size_t record_size() const override { return couplings_.record_size(); }
  void make_record(double t, Vec u_local, std::span<double> out) const override;
  void attach_records(const RecordHistory* records) const override { couplings_.attach_records(records); }

  void exact(double t, Vec u) const;
  double max_error(double t, Vec u) const;  // max_i |u_i - u*(x_i, t)| over all ranks
  const RingSummary& rings() const { return couplings_.rings(); }

 private:
  Grid grid_;
  double forcing_factor_;  // 1 + g - K
  std::vector<double> no_lags_;
  mutable CouplingEvaluator couplings_;
  mutable std::vector<double> input_;
};

}  // namespace nf::test
