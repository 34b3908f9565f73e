#pragma once
// Parallel HDF5 snapshots of the grid state through PETSc's HDF5 viewer, plus an XDMF
// sidecar so ParaView (Xdmf reader) opens the series directly.
//
// HDF5 layout of <file> (e.g. run/fields.h5), all values float64 unless stated:
//   /fields/<name>  [n_steps, nx]            1D grid    one dataset per component, named
//                   [n_steps, ny, nx]        2D grid    after spec().component_names;
//                   [n_steps, nz, ny, nx]    3D grid    row s = s-th written step, then
//                                                       cells in C order (x fastest);
//                                                       written by VecView in PETSc's
//                                                       timestepping mode (dataset
//                                                       attribute `timestepping` = 1)
//   /time           [n_steps]                simulated time of each written step (s),
//                                            written with the step (a .part file left by
//                                            a failed run has the times of its steps)
//   attributes of / : deck        string (UTF-8, variable length), the effective deck
//                     components  string[n_components], the dataset names in order
//                     cells       int64[dim], cells per axis (x, y, z)
//                     spacing     float64[dim], cell size per axis (x, y, z; m)
// Cell (i, j, k) is centred at ((i + 1/2) hx, (j + 1/2) hy, (k + 1/2) hz).
//
// XDMF sidecar <file with extension .xdmf> (fields.h5 -> fields.xdmf): XDMF 2 temporal
// collection, one uniform grid per written step with <Time Value=t>, topology
// 3DCoRectMesh "nz ny nx" over the cell centres (a 2D grid has nz = 1, a 1D grid
// nz = ny = 1: one row), geometry ORIGIN_DXDYDZ (values listed z, y, x; origin = h/2,
// absent axes origin 0, spacing 1), and one node attribute per component: a HyperSlab
// of /fields/<name> selecting row s, reshaped to the topology's dimensions. A 3D mesh
// with single layers is used rather than 2DCoRectMesh because ParaView's Xdmf reader
// places a 2DCoRectMesh "ny nx" in its y-z plane, whereas this one lands in x-y.
//
// Outputs follow OutputSchedule (first state, then every every_seconds; <= 0: every
// state). The file is created at the first output (or reopened by resume()).
// Crash safety: the HDF5 file is written as <file>.part and renamed by finish(),
// which then writes the sidecar atomically; abandon() closes <file>.part and leaves it,
// so nothing ever appears under the final names for a failed run.
#include <hdf5.h>
#include <petscviewer.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/petsc_handles.h"
#include "io/vtk_series.h"
#include "meshes/grid.h"
#include "solvers/step_observer.h"

namespace nf {

class Hdf5FieldWriter : public StepObserver {
 public:
  Hdf5FieldWriter(const Grid& grid, std::filesystem::path file, double every_seconds, std::string deck_text);
  ~Hdf5FieldWriter() override;
  Hdf5FieldWriter(const Hdf5FieldWriter&) = delete;
  Hdf5FieldWriter& operator=(const Hdf5FieldWriter&) = delete;

  // All collective over grid.comm().
  void observe(const StepState& state) override;
  void finish() override;
  void abandon() override;
  // "fields": the schedule and the times written. save() flushes the file; resume()
  // reopens it (a completed one goes back to its .part name while the run continues),
  // cut to the rows written before the checkpoint.
  std::string checkpoint_name() const override { return "fields"; }
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;

  std::size_t steps_written() const { return times_.size(); }
  const std::filesystem::path& file() const { return file_; }
  std::filesystem::path xdmf_file() const;

 private:
  void open_new();
  void write_root_attributes();
  void create_time_dataset();
  void append_time(double t);
  void close();
  void write_xdmf() const;  // streamed: one step at a time, not the whole text in memory

  const Grid& grid_;
  std::filesystem::path file_;
  OutputSchedule schedule_;
  std::string deck_;
  OwnedDM component_dm_;  // dof-1 DMDA with the grid's layout
  OwnedVec component_;    // one component, renamed before each VecView
  OwnedViewer viewer_;
  std::vector<double> times_;  // s, one per written step
  hid_t time_set_ = -1;        // /time, open while the file is
  bool closed_ = false;        // after finish() or abandon()
};

// Small HDF5 C-API helpers shared by the io writers. They throw std::runtime_error
// naming `where` (the file) if HDF5 fails. In a parallel file every rank must call
// them with identical arguments (attribute writes are collective metadata operations).
namespace h5 {

// Owns an hid_t and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer close, const std::string& what, const std::string& where);
  ~Handle();
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  Closer close_;
};

void check(herr_t status, const std::string& what, const std::string& where);
// The system's reason for the last HDF5 failure ("File too large"), or empty; clears
// HDF5's error stack.
std::string failure_reason();
void write_string_attribute(hid_t object, const char* name, std::string_view value, const std::string& where);
void write_string_array_attribute(hid_t object, const char* name, const std::vector<std::string>& values,
                                  const std::string& where);
void write_int64_attribute(hid_t object, const char* name, const std::vector<long long>& values,
                           const std::string& where);
void write_double_attribute(hid_t object, const char* name, const std::vector<double>& values,
                            const std::string& where);

}  // namespace h5
}  // namespace nf
