#pragma once
// Time series of every component at a few probe cells, recorded at every observed step
// and streamed to an HDF5 file as the run goes.
//
// Each probe value lives on the rank owning the cell. Every rank copies the values of
// its own probes into a fixed buffer of chunk_steps() steps; when the buffer is full
// (and at save(), finish() and abandon()) one MPI_Gatherv brings the chunk to rank 0,
// which appends it to the file. So a step costs no communication and no allocation,
// and memory is bounded by the chunk buffers (at most kChunkBytes on rank 0, twice:
// gathered and reordered) plus HDF5's chunk cache of the open file (1 MiB per dataset
// by default), whatever t_end. Nothing of the series is held in memory.
//
// File (HDF5, serial C API, written by rank 0 only): `<file>.part`, created at the first
// gathered chunk (or save(), finish(), abandon()) and renamed to `<file>` by finish(),
// so the final name appears only complete:
//   /time    float64 [n_steps]                          simulated time (s)
//   /values  float64 [n_steps, n_probes, n_components]  state values at the probes
//   /cells   int64   [n_probes, 3]                      global cell (i, j, k); unused axes 0
//   attribute of / : components  string[n_components] (UTF-8, variable length)
// /time and /values are chunked and extendible along n_steps; after each gathered chunk
// both hold the same number of rows. abandon() closes `<file>.part` and leaves it
// (readable, with every step observed), so a failed run leaves nothing under the final
// name.
//
// Checkpoints: save() makes the file durable up to the current step and records its
// row count; resume() reopens the file (`<file>.part`, or a finished `<file>`, which is
// renamed back to `<file>.part`), cuts /time and /values to that row count and
// appends from there.
#include <hdf5.h>
#include <petscsys.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "postprocess/oscillation_fit.h"
#include "solvers/step_observer.h"

namespace nf {

class ProbeRecorder : public StepObserver {
 public:
  // cells: global indices (i, j, k); axes the grid lacks must be 0. Throws
  // std::invalid_argument naming the probe index and the allowed range otherwise.
  // chunk_steps: steps buffered per gather (0: as many as fit kChunkBytes on rank 0).
  // Creates the file's folder. Collective over grid.comm().
  ProbeRecorder(const Grid& grid, std::vector<std::array<PetscInt, 3>> cells, std::filesystem::path file,
                std::size_t chunk_steps = 0);
  ~ProbeRecorder() override;
  ProbeRecorder(const ProbeRecorder&) = delete;
  ProbeRecorder& operator=(const ProbeRecorder&) = delete;

  // Rank 0's gather buffer per chunk is at most this (or one step, if a step is larger).
  static constexpr std::size_t kChunkBytes = 1 << 20;

  // Collective over grid.comm().
  void observe(const StepState& state) override;
  void finish() override;
  void abandon() override;
  std::string checkpoint_name() const override { return "probes"; }
  // state.values["rows"] = {rows in the file} (rank 0's).
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;

  std::size_t probe_count() const { return cells_.size(); }
  std::size_t chunk_steps() const { return chunk_; }
  PetscInt component_count() const { return dof_; }
  // Rank 0: the file as written so far (`<file>` after finish(), `<file>.part` before).
  std::filesystem::path current_file() const;

  // Rank 0, after finish() or abandon(): read back from the file, O(n_steps) memory, for
  // tests and small runs. Other ranks: empty.
  std::vector<double> times() const;
  // Throws std::out_of_range for a bad probe or component index.
  std::vector<double> signal(std::size_t probe, PetscInt component) const;

 private:
  void gather_owners();
  void flush();
  void create_file();
  void open_for_append(std::size_t rows);
  void append(std::size_t steps);
  void close_file();
  void close(bool commit);

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
  std::vector<double> gathered_;         // rank 0, [chunk * n_probes * dof], rank order
  std::vector<double> rows_;             // rank 0, [chunk][n_probes][dof], probe order
  // Rank 0: the open `<file>.part` and its extendible datasets.
  hid_t h5file_ = -1, time_set_ = -1, value_set_ = -1;
  std::size_t rows_written_ = 0;         // rank 0
  bool closed_ = false;
  bool committed_ = false;
};

// One component at every probe of a probes.h5 file (or its .part), read in blocks:
// the series measure_oscillation reads without holding it. Rank 0 / serial.
// Throws std::runtime_error naming the file if it cannot be opened or read.
class ProbeFileSeries : public SampledSeries {
 public:
  ProbeFileSeries(const std::filesystem::path& file, PetscInt component);
  ~ProbeFileSeries() override;
  ProbeFileSeries(const ProbeFileSeries&) = delete;
  ProbeFileSeries& operator=(const ProbeFileSeries&) = delete;
  std::size_t rows() const override { return rows_; }
  std::size_t channels() const override { return probes_; }
  void read_times(std::size_t first, std::size_t count, double* times) const override;
  void read_values(std::size_t first, std::size_t count, double* values) const override;

 private:
  void release();
  std::string where_;
  PetscInt component_;
  hid_t file_ = -1, time_set_ = -1, value_set_ = -1;
  std::size_t rows_ = 0, probes_ = 0, dof_ = 0;
};

// The whole series of one component: times [n_steps] and signals [n_probes][n_steps].
// O(n_steps) memory: for tests and small runs. Throws std::runtime_error naming the file.
struct ProbeSeries {
  std::vector<double> times;
  std::vector<std::vector<double>> signals;
};
ProbeSeries read_probe_series(const std::filesystem::path& file, PetscInt component);

}  // namespace nf
