#pragma once
// ParaView time series of the grid state, written with VTK's parallel XML image writer
// (vtkXMLPImageDataWriter driven by a vtkMPIController over the grid's communicator).
//
// Layout under run_dir (NNNNNN = StepState::step, zero-padded to 6 digits):
//   series.pvd                        VTKFile type="Collection": one <DataSet> per written
//                                     step, timestep = t (s), file = the step's .pvti
//   vtk/step_NNNNNN/step_NNNNNN.pvti  summary: WholeExtent, Origin, Spacing, one
//                                     PPointData array (Float64) per component
//   vtk/step_NNNNNN/step_NNNNNN_R.vti piece written by rank R (appended, zlib)
//
// Geometry: values are POINT data on the cell centres. Node i of axis a sits at
// (i + 1/2) h_a, so Origin = h/2 and Spacing = h (spec().spacing, m); the axes a 1D or
// 2D grid lacks have extent [0,0], origin 0 and spacing 1. Each piece holds its rank's
// owned cells plus one node towards the next rank, so neighbouring pieces share a face
// and ParaView draws no gaps. A periodic axis is not closed (no wrap-around face).
//
// Crash safety: a step is written into vtk/step_NNNNNN.part/ and the folder is renamed
// once every rank has finished. series.pvd is replaced atomically in batches (see
// series_due) and at the end, so at any time it lists complete steps only; a failed
// run leaves series.pvd.part instead. Before the first step, rank 0 deletes every
// vtk/step_* folder left in run_dir by an earlier run. Files are made durable at the
// run's end (make_durable), not one fsync per file.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "solvers/step_observer.h"

namespace nf {

// Output times t0, t0 + Δ, t0 + 2Δ, ... where t0 is the first observed time (always
// output). A state is due once t reaches the next output time less 1e-9 Δ of round-off;
// if the solver stepped over several output times, the next one is the first after t.
// Δ <= 0 means every state. The integrators land steps on the output times
// (IntegratorSettings::output_every), and time() is then the output time itself,
// t0 + k Δ, not the step's time with its round-off.
class OutputSchedule {
 public:
  explicit OutputSchedule(double every_seconds) : every_(every_seconds) {}
  bool due(double t);
  double time() const { return time_; }  // s: the time to record for the last due state
  // What a checkpoint keeps: the first and the last output time (s); empty before the
  // first. restore() carries on from them, at this schedule's interval (which a
  // restarted run may have changed).
  std::vector<double> saved() const;
  void restore(const std::vector<double>& saved);

 private:
  double every_;  // s
  double t0_ = 0; // s
  double time_ = 0;  // s
  double last_ = 0;  // s: the last output time
  long long next_ = -1;  // index of the next output time; -1 before the first state
};

// A time as written in series.pvd and fields.xdmf: 15 significant digits, so that
// 6 × 0.0015 s reads 0.009, not 0.009000000000000001.
std::string output_time_text(double t);

class VtkSeriesWriter : public StepObserver {
 public:
  VtkSeriesWriter(const Grid& grid, std::filesystem::path run_dir, double every_seconds);
  ~VtkSeriesWriter() override;
  VtkSeriesWriter(const VtkSeriesWriter&) = delete;
  VtkSeriesWriter& operator=(const VtkSeriesWriter&) = delete;

  // Collective over grid.comm().
  void observe(const StepState& state) override;
  void finish() override;
  void abandon() override;
  // "vtk": the schedule and the steps listed in series.pvd. resume() deletes the step
  // folders written after the checkpoint and rewrites series.pvd.
  std::string checkpoint_name() const override { return "vtk"; }
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;
  std::size_t steps_written() const;

 private:
  struct Impl;  // keeps VTK headers out of this one
  std::unique_ptr<Impl> impl_;
};

}  // namespace nf
