#include "io/vtk_series.h"

#include <fmt/format.h>
#include <petscdmda.h>
#include <vtkDoubleArray.h>
#include <vtkErrorCode.h>
#include <vtkImageData.h>
#include <vtkMPI.h>
#include <vtkMPICommunicator.h>
#include <vtkMPIController.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkTrivialProducer.h>
#include <vtkXMLPImageDataWriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "base/petsc_handles.h"
#include "io/atomic_file.h"
#include "base/petsc_error.h"

namespace nf {

bool OutputSchedule::due(double t) {
  time_ = t;
  if (next_ < 0) {
    last_ = t0_ = t;
    next_ = 1;
    return true;
  }
  if (every_ <= 0) {
    last_ = t;
    return true;
  }
  const double slack = 1e-9;
  const double k = (t - t0_) / every_;
  if (k < static_cast<double>(next_) - slack) return false;
  const double landed = std::floor(k + slack);
  next_ = static_cast<long long>(landed) + 1;
  if (std::abs(k - landed) <= slack) time_ = t0_ + landed * every_;
  last_ = time_;
  return true;
}

std::vector<double> OutputSchedule::saved() const {
  if (next_ < 0) return {};
  return {t0_, last_};
}

void OutputSchedule::restore(const std::vector<double>& saved) {
  if (saved.empty()) return;
  t0_ = saved.at(0);
  last_ = time_ = saved.at(1);
  next_ = every_ > 0 ? static_cast<long long>(std::floor((last_ - t0_) / every_ + 1e-9)) + 1 : 1;
}

std::string output_time_text(double t) { return fmt::format("{:.15g}", t); }

namespace {

namespace fs = std::filesystem;

// A DMDA with the grid's layout (same process grid and ownership ranges, hence the
// same global-vector layout) but a BOX stencil of width 1, so a local vector carries
// the diagonal neighbour a piece's corner node needs.
OwnedDM make_box_dm(DM dm) {
  PetscInt dim, M, N, P, m, n, p, dof, s;
  DMBoundaryType bx, by, bz;
  DMDAStencilType st;
  check_petsc(DMDAGetInfo(dm, &dim, &M, &N, &P, &m, &n, &p, &dof, &s, &bx, &by, &bz, &st));
  const PetscInt *lx, *ly, *lz;
  check_petsc(DMDAGetOwnershipRanges(dm, &lx, &ly, &lz));
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(dm));
  OwnedDM box;
  if (dim == 1) check_petsc(DMDACreate1d(comm, bx, M, dof, 1, lx, box.out()));
  if (dim == 2)
    check_petsc(DMDACreate2d(comm, bx, by, DMDA_STENCIL_BOX, M, N, m, n, dof, 1, lx, ly, box.out()));
  if (dim == 3)
    check_petsc(DMDACreate3d(comm, bx, by, bz, DMDA_STENCIL_BOX, M, N, P, m, n, p, dof, 1, lx, ly,
                             lz, box.out()));
  check_petsc(DMSetUp(box));
  return box;
}

// Node extent of this rank's piece: owned cells plus one node towards the next rank.
std::array<int, 6> piece_extent(const Grid& grid) {
  const Patch& p = grid.patch();
  std::array<int, 6> e{0, 0, 0, 0, 0, 0};
  for (int a = 0; a < grid.dimension(); ++a) {
    const PetscInt end = p.start[a] + p.count[a];
    e[2 * a] = static_cast<int>(p.start[a]);
    e[2 * a + 1] = static_cast<int>(end < p.global[a] ? end : end - 1);
  }
  return e;
}

std::array<int, 6> whole_extent(const Grid& grid) {
  std::array<int, 6> e{0, 0, 0, 0, 0, 0};
  for (int a = 0; a < grid.dimension(); ++a) e[2 * a + 1] = static_cast<int>(grid.patch().global[a] - 1);
  return e;
}

// Why VTK's writer failed: its error code is errno when the system refused a write
// (EFBIG, ENOSPC: vtkErrorCode::GetLastSystemError), else one of VTK's own codes.
std::string vtk_failure_text(unsigned long code) {
  if (code > 0 && code < vtkErrorCode::FirstVTKErrorCode) return std::strerror(static_cast<int>(code));
  if (code == vtkErrorCode::OutOfDiskSpaceError) return "a write failed (VTK: out of disk space)";
  if (code == vtkErrorCode::CannotOpenFileError) return "VTK cannot open the file";
  return errno != 0 ? std::strerror(errno) : fmt::format("VTK error code {}", code);
}

std::string step_name(PetscInt step) { return fmt::format("step_{:06d}", static_cast<long long>(step)); }

}  // namespace

struct VtkSeriesWriter::Impl {
  const Grid& grid;
  fs::path run_dir;
  OutputSchedule schedule;
  // Members are released in reverse order: the VTK objects (the controller holds
  // the communicator's handle), then the PETSc ones, then the communicator.
  OwnedComm comm;  // duplicate of grid.comm() reserved for VTK
  int rank = 0;

  OwnedDM box_dm;
  OwnedVec global, local;  // on box_dm; reused every output
  std::array<PetscInt, 3> ghost_start{}, ghost_count{};

  std::array<int, 6> extent{}, whole{};
  vtkSmartPointer<vtkImageData> image;
  std::vector<vtkSmartPointer<vtkDoubleArray>> arrays;  // one per component
  vtkSmartPointer<vtkTrivialProducer> producer;
  vtkSmartPointer<vtkMPIController> controller;
  vtkSmartPointer<vtkXMLPImageDataWriter> writer;

  std::size_t written = 0;
  std::string pvd_entries;  // rank 0: the <DataSet> lines of every step written so far
  std::vector<double> steps, times;  // every step written so far and its output time (s)
  std::size_t listed = 0;   // steps that the series.pvd on disk lists
  std::chrono::steady_clock::time_point listed_at = std::chrono::steady_clock::now();

  Impl(const Grid& g, fs::path dir, double every);
  void setup_petsc();
  void setup_image();
  void setup_writer();
  void fill_image(Vec u);
  void remove_stale_steps();
  void write_step(PetscInt step, double t);
  void append_to_series(const std::string& name, double t);
  bool series_due() const;
  std::string series_text() const;
  void write_series(const fs::path& path);
};

VtkSeriesWriter::Impl::Impl(const Grid& g, fs::path dir, double every)
    : grid(g), run_dir(std::move(dir)), schedule(every) {
  MPI_Comm_dup(grid.comm(), comm.out());
  MPI_Comm_rank(comm, &rank);
  extent = piece_extent(grid);
  whole = whole_extent(grid);
  setup_petsc();
  setup_image();
  setup_writer();
}

void VtkSeriesWriter::Impl::setup_petsc() {
  box_dm = make_box_dm(grid.dm());
  check_petsc(DMCreateGlobalVector(box_dm, global.out()));
  check_petsc(DMCreateLocalVector(box_dm, local.out()));
  PetscInt x, y, z, m, n, p;
  check_petsc(DMDAGetGhostCorners(box_dm, &x, &y, &z, &m, &n, &p));
  ghost_start = {x, y, z};
  ghost_count = {m, n, p};
}

void VtkSeriesWriter::Impl::setup_image() {
  const auto& spec = grid.spec();
  image = vtkSmartPointer<vtkImageData>::New();
  image->SetExtent(extent.data());
  double origin[3] = {0, 0, 0}, spacing[3] = {1, 1, 1};
  for (int a = 0; a < grid.dimension(); ++a) {
    spacing[a] = spec.spacing[a];
    origin[a] = 0.5 * spec.spacing[a];
  }
  image->SetOrigin(origin);
  image->SetSpacing(spacing);
  const vtkIdType points = image->GetNumberOfPoints();
  for (const auto& name : spec.component_names) {
    auto array = vtkSmartPointer<vtkDoubleArray>::New();
    array->SetName(name.c_str());
    array->SetNumberOfComponents(1);
    array->SetNumberOfTuples(points);
    image->GetPointData()->AddArray(array);
    arrays.push_back(array);
  }
}

void VtkSeriesWriter::Impl::setup_writer() {
  auto communicator = vtkSmartPointer<vtkMPICommunicator>::New();
  MPI_Comm handle = comm;  // VTK copies the handle
  vtkMPICommunicatorOpaqueComm opaque(&handle);
  communicator->InitializeExternal(&opaque);
  controller = vtkSmartPointer<vtkMPIController>::New();
  controller->SetCommunicator(communicator);

  // The producer announces the global extent; each rank's image holds only its piece.
  producer = vtkSmartPointer<vtkTrivialProducer>::New();
  producer->SetOutput(image);
  producer->SetWholeExtent(whole.data());

  writer = vtkSmartPointer<vtkXMLPImageDataWriter>::New();
  writer->SetInputConnection(producer->GetOutputPort());
  writer->SetController(controller);
  writer->SetNumberOfPieces(controller->GetNumberOfProcesses());
  writer->SetStartPiece(rank);
  writer->SetEndPiece(rank);
  writer->SetGhostLevel(0);
  writer->SetDataModeToAppended();
  writer->EncodeAppendedDataOff();
  // VTK's own error text (a pipeline dump, once per failing piece) stays off stderr:
  // write_step reports a failed write once, naming the file and the reason.
  vtkObject::GlobalWarningDisplayOff();
}

void VtkSeriesWriter::Impl::fill_image(Vec u) {
  check_petsc(VecCopy(u, global));
  check_petsc(DMGlobalToLocalBegin(box_dm, global, INSERT_VALUES, local));
  check_petsc(DMGlobalToLocalEnd(box_dm, global, INSERT_VALUES, local));
  const PetscScalar* v = nullptr;
  check_petsc(VecGetArrayRead(local, &v));
  const auto dof = static_cast<PetscInt>(arrays.size());
  vtkIdType id = 0;
  for (int k = extent[4]; k <= extent[5]; ++k)
    for (int j = extent[2]; j <= extent[3]; ++j)
      for (int i = extent[0]; i <= extent[1]; ++i, ++id) {
        const PetscInt base =
            (((k - ghost_start[2]) * ghost_count[1] + (j - ghost_start[1])) * ghost_count[0] +
             (i - ghost_start[0])) * dof;
        for (PetscInt c = 0; c < dof; ++c) arrays[c]->SetValue(id, PetscRealPart(v[base + c]));
      }
  check_petsc(VecRestoreArrayRead(local, &v));
  for (auto& a : arrays) a->Modified();
  image->Modified();
}

void VtkSeriesWriter::Impl::remove_stale_steps() {
  on_root(comm, "removing stale VTK steps in " + run_dir.string(), [&] {
    const fs::path vtk_dir = run_dir / "vtk";
    fs::create_directories(vtk_dir);
    for (const auto& entry : fs::directory_iterator(vtk_dir))
      if (entry.is_directory() && entry.path().filename().string().rfind("step_", 0) == 0)
        fs::remove_all(entry.path());
  });
}

void VtkSeriesWriter::Impl::write_step(PetscInt step, double t) {
  const std::string name = step_name(step);
  const fs::path final_dir = run_dir / "vtk" / name;
  const fs::path part_dir = part_path(final_dir);
  on_root(comm, "creating " + part_dir.string(), [&] {
    fs::remove_all(part_dir);
    fs::create_directories(part_dir);
  });
  const std::string file = (part_dir / (name + ".pvti")).string();
  writer->SetFileName(file.c_str());
  errno = 0;
  const bool ok = writer->Write() == 1 && writer->GetErrorCode() == 0;
  std::string failure = "cannot write " + file + ": a piece on another rank failed";
  if (!ok) failure = "cannot write " + file + ": " + vtk_failure_text(writer->GetErrorCode());
  agree_or_throw(comm, ok, failure);
  ++written;  // every piece is written; a failed commit below fails every rank
  steps.push_back(static_cast<double>(step));
  times.push_back(t);
  on_root(comm, "committing " + final_dir.string(), [&] {
    fs::remove_all(final_dir);
    commit_file(part_dir, final_dir);
    append_to_series(name, t);
    if (series_due()) write_series(run_dir / "series.pvd");
  });
}

void VtkSeriesWriter::Impl::append_to_series(const std::string& name, double t) {
  pvd_entries += fmt::format("    <DataSet timestep=\"{}\" part=\"0\" file=\"vtk/{}/{}.pvti\"/>\n",
                             output_time_text(t), name, name);
}

// series.pvd is rewritten whole, so rewriting it at every step would cost O(steps²)
// bytes: it is rewritten once the unlisted steps reach 1/8 of the listed ones (O(steps)
// bytes in all), and at least every 2 s of wall time, so a live run shows in ParaView
// with its latest steps. Rank 0.
bool VtkSeriesWriter::Impl::series_due() const {
  const std::size_t unlisted = written - listed;
  const auto age = std::chrono::steady_clock::now() - listed_at;
  return unlisted >= std::max<std::size_t>(1, listed / 8) || age >= std::chrono::seconds(2);
}

std::string VtkSeriesWriter::Impl::series_text() const {
  return "<?xml version=\"1.0\"?>\n"
         "<VTKFile type=\"Collection\" version=\"1.0\" byte_order=\"LittleEndian\">\n"
         "  <Collection>\n" +
         pvd_entries +
         "  </Collection>\n"
         "</VTKFile>\n";
}

// Rank 0. Made durable with the run folder at its end (make_durable), not per file.
void VtkSeriesWriter::Impl::write_series(const fs::path& path) {
  write_text_atomically(path, series_text(), Durability::in_batch);
  listed = written;
  listed_at = std::chrono::steady_clock::now();
}

VtkSeriesWriter::VtkSeriesWriter(const Grid& grid, std::filesystem::path run_dir, double every_seconds)
    : impl_(std::make_unique<Impl>(grid, std::move(run_dir), every_seconds)) {}

VtkSeriesWriter::~VtkSeriesWriter() = default;

void VtkSeriesWriter::observe(const StepState& state) {
  if (!impl_->schedule.due(state.t)) return;
  if (impl_->written == 0) impl_->remove_stale_steps();
  impl_->fill_image(state.u);
  impl_->write_step(state.step, impl_->schedule.time());
}

void VtkSeriesWriter::finish() {
  on_root(impl_->comm, "writing series.pvd", [&] { impl_->write_series(impl_->run_dir / "series.pvd"); });
}

// A failed run publishes no series: the steps it completed are listed in
// series.pvd.part (ParaView opens it by that name), and series.pvd goes.
void VtkSeriesWriter::abandon() {
  on_root(impl_->comm, "writing series.pvd.part", [&] {
    impl_->write_series(part_path(impl_->run_dir / "series.pvd"));
    fs::remove(impl_->run_dir / "series.pvd");
  });
}

std::size_t VtkSeriesWriter::steps_written() const { return impl_->written; }

void VtkSeriesWriter::save(ObserverState& state) {
  state.values["schedule"] = impl_->schedule.saved();
  state.values["steps"] = impl_->steps;
  state.values["times"] = impl_->times;
}

void VtkSeriesWriter::resume(const ObserverState& state) {
  Impl& m = *impl_;
  m.schedule.restore(state.values.at("schedule"));
  m.steps = state.values.at("steps");
  m.times = state.values.at("times");
  m.written = m.steps.size();
  on_root(m.comm, "resuming the VTK series in " + m.run_dir.string(), [&] {
    m.pvd_entries.clear();
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < m.steps.size(); ++i) {
      const std::string name = step_name(static_cast<PetscInt>(m.steps[i]));
      m.append_to_series(name, m.times[i]);
      kept.push_back(name);
    }
    // series.pvd first: it must never list a step folder that is gone.
    m.write_series(m.run_dir / "series.pvd");
    const fs::path vtk_dir = m.run_dir / "vtk";
    fs::create_directories(vtk_dir);
    for (const auto& entry : fs::directory_iterator(vtk_dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory() && name.rfind("step_", 0) == 0 &&
          std::find(kept.begin(), kept.end(), name) == kept.end())
        fs::remove_all(entry.path());
    }
  });
}

}  // namespace nf
