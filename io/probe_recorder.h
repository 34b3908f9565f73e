#pragma once
// Time series of every component at a few probe cells, recorded at every observed step.
//
// Each probe value lives on the rank owning the cell. Every rank copies the values of
// its own probes into a fixed buffer of chunk_steps() steps; when the buffer is full
// (and at finish() or abandon()) one MPI_Gatherv brings the chunk to rank 0, which
// appends it to its in-memory series. So a step costs no communication, and the
// buffers hold at most chunk_steps() steps, whatever t_end (no per-step allocation
// beyond the amortised growth of rank 0's series). Query functions are meaningful on
// rank 0 only, and complete after finish() or abandon().
//
// File written by rank 0 at finish() (HDF5, serial C API; `<file>.part`, then renamed):
//   /time    float64 [n_steps]                          simulated time (s)
//   /values  float64 [n_steps, n_probes, n_components]  state values at the probes
//   /cells   int64   [n_probes, 3]                      global cell (i, j, k); unused axes 0
//   attribute of / : components  string[n_components] (UTF-8, variable length)
// abandon() writes the series so far to `<file>.part` only (for post-mortems), so a
// failed run leaves nothing under the final name.
#include <petscsys.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <vector>

#include "meshes/grid.h"
#include "solvers/step_observer.h"

namespace nf {

class ProbeRecorder : public StepObserver {
 public:
  // cells: global indices (i, j, k); axes the grid lacks must be 0. Throws
  // std::invalid_argument naming the probe index and the allowed range otherwise.
  // chunk_steps: steps buffered per gather (0: as many as fit kChunkBytes on rank 0).
  // Collective over grid.comm().
  ProbeRecorder(const Grid& grid, std::vector<std::array<PetscInt, 3>> cells, std::filesystem::path file,
                std::size_t chunk_steps = 0);

  // Rank 0's gather buffer per chunk is at most this (or one step, if a step is larger).
  static constexpr std::size_t kChunkBytes = 1 << 20;

  // Collective over grid.comm().
  void observe(const StepState& state) override;
  void finish() override;
  void abandon() override;
  // "probes": the series so far (rank 0's), which resume() takes back.
  std::string checkpoint_name() const override { return "probes"; }
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;

  std::size_t probe_count() const { return cells_.size(); }
  std::size_t chunk_steps() const { return chunk_; }
  PetscInt component_count() const { return dof_; }
  // Rank 0: one entry per observed step (s). Other ranks: empty.
  const std::vector<double>& times() const { return times_; }
  // Rank 0: the series of one component at one probe. Other ranks: empty.
  // Throws std::out_of_range for a bad probe or component index.
  std::vector<double> signal(std::size_t probe, PetscInt component) const;

 private:
  void write(const std::filesystem::path& path) const;
  void write_on_root(const std::filesystem::path& path, bool commit);
  void gather_owners();
  void flush();

  const Grid& grid_;
  std::vector<std::array<PetscInt, 3>> cells_;
  std::filesystem::path file_;
  PetscInt dof_;
  int rank_ = 0;
  // (probe, offset of component 0 in the owned array) for the probes this rank owns.
  std::vector<std::pair<std::size_t, PetscInt>> owned_;
  std::size_t chunk_ = 1;
  std::size_t pending_ = 0;              // steps in the buffers
  std::vector<double> buffer_;           // [chunk][owned probes][dof]
  std::vector<double> pending_times_;    // rank 0, [chunk]
  // Rank 0: per rank, the probes it owns in its buffer's order, and the gather layout.
  std::vector<std::vector<std::size_t>> owners_;
  std::vector<int> counts_, displacements_;
  std::vector<double> gathered_;         // rank 0, [chunk * n_probes * dof]
  std::vector<double> times_;            // rank 0
  std::vector<double> values_;           // rank 0, [n_steps][n_probes][dof]
  bool closed_ = false;
};

}  // namespace nf
