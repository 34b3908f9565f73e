// Output writers on a 1D grid of 8 cells and a 2D grid of 6 x 5 cells whose state is an
// analytic function of the global cell index. Every check compares numbers read back
// through the formats' own readers (VTK's XML reader, the HDF5 C API) with that
// function, so 1 and 2 ranks must give identical results.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <petscvec.h>
#include <unistd.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkXMLPImageDataReader.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "io/checkpoint_file.h"
#include "io/deck.h"
#include "io/hdf5_fields.h"
#include "io/probe_recorder.h"
#include "io/vtk_series.h"
#include "meshes/grid.h"

namespace {

namespace fs = std::filesystem;
constexpr double tol = 1e-14;

// Component c of cell (i, j) at step s; every value is exact in binary.
double analytic(PetscInt i, PetscInt j, PetscInt c, PetscInt s) { return 1.0 + i + 10.0 * j + 1000.0 * c + 0.5 * s; }

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  return rank;
}

nf::GridSpec spec_1d() { return {{8}, {nf::Boundary::bounded}, {0.5}, {"y"}, 1}; }
nf::GridSpec spec_2d() {
  return {{6, 5}, {nf::Boundary::bounded, nf::Boundary::periodic}, {0.25, 2.0}, {"u", "v"}, 1};
}

// A fresh directory named by rank 0, shared by all ranks, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    std::string name;
    if (world_rank() == 0) {
      const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
      name = (fs::temp_directory_path() /
              ("nf_output_writers_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + test->name()))
                 .string();
      fs::remove_all(name);
      fs::create_directories(name);
    }
    int n = static_cast<int>(name.size());
    MPI_Bcast(&n, 1, MPI_INT, 0, PETSC_COMM_WORLD);
    name.resize(n);
    MPI_Bcast(name.data(), n, MPI_CHAR, 0, PETSC_COMM_WORLD);
    path_ = name;
  }
  ~TempDir() {
    MPI_Barrier(PETSC_COMM_WORLD);
    if (world_rank() == 0) fs::remove_all(path_);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A grid with a state vector that holds analytic(…, step) after fill(step).
struct Field {
  nf::Grid grid;
  Vec u = nullptr;
  explicit Field(const nf::GridSpec& spec) : grid(PETSC_COMM_WORLD, spec) { DMCreateGlobalVector(grid.dm(), &u); }
  ~Field() { VecDestroy(&u); }

  void fill(PetscInt step) {
    const nf::Patch& p = grid.patch();
    PetscScalar* a = nullptr;
    VecGetArray(u, &a);
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        for (PetscInt c = 0; c < p.dof; ++c) a[p.owned(i, j, 0, c)] = analytic(i, j, c, step);
    VecRestoreArray(u, &a);
  }

  // Steps 0 .. n-1 at t accumulated by += dt (so output times carry round-off).
  std::vector<double> run(const std::vector<nf::StepObserver*>& observers, int n, double dt) {
    std::vector<double> times;
    double t = 0;
    for (PetscInt s = 0; s < n; ++s, t += dt) {
      fill(s);
      for (auto* o : observers) o->observe({t, s, u});
      times.push_back(t);
    }
    return times;
  }
};

// --- VTK -------------------------------------------------------------------------

struct SeriesEntry {
  double time;
  std::string file;
};

std::vector<SeriesEntry> read_pvd(const fs::path& pvd) {
  std::ifstream in(pvd);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  static const std::regex dataset(R"re(<DataSet timestep="([^"]+)"[^>]*file="([^"]+)")re");
  std::vector<SeriesEntry> entries;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), dataset); it != std::sregex_iterator(); ++it)
    entries.push_back({std::stod((*it)[1]), (*it)[2]});
  return entries;
}

// Reads a .pvti with VTK's own reader and compares every point with analytic(…, step).
void expect_image(const fs::path& pvti, const nf::GridSpec& spec, PetscInt step) {
  auto reader = vtkSmartPointer<vtkXMLPImageDataReader>::New();
  reader->SetFileName(pvti.c_str());
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  const PetscInt nx = spec.cells[0], ny = spec.cells.size() > 1 ? spec.cells[1] : 1;
  int dims[3];
  image->GetDimensions(dims);
  ASSERT_EQ(dims[0], nx) << pvti;
  ASSERT_EQ(dims[1], ny) << pvti;
  ASSERT_EQ(dims[2], 1) << pvti;
  for (std::size_t a = 0; a < spec.cells.size(); ++a) {
    EXPECT_NEAR(image->GetSpacing()[a], spec.spacing[a], tol);
    EXPECT_NEAR(image->GetOrigin()[a], 0.5 * spec.spacing[a], tol);
  }
  for (std::size_t c = 0; c < spec.component_names.size(); ++c) {
    vtkDataArray* array = image->GetPointData()->GetArray(spec.component_names[c].c_str());
    ASSERT_NE(array, nullptr) << spec.component_names[c] << " in " << pvti;
    ASSERT_EQ(array->GetNumberOfTuples(), nx * ny);
    for (PetscInt j = 0; j < ny; ++j)
      for (PetscInt i = 0; i < nx; ++i) {
        int ijk[3] = {static_cast<int>(i), static_cast<int>(j), 0};
        EXPECT_NEAR(array->GetComponent(image->ComputePointId(ijk), 0), analytic(i, j, c, step), tol)
            << spec.component_names[c] << " at (" << i << ", " << j << ") step " << step;
      }
  }
}

// Every written step is listed in series.pvd with its time, and its .pvti matches.
void expect_series(const fs::path& run, const nf::GridSpec& spec, const std::vector<PetscInt>& steps,
                   const std::vector<double>& times) {
  const auto entries = read_pvd(run / "series.pvd");
  ASSERT_EQ(entries.size(), steps.size());
  for (std::size_t n = 0; n < steps.size(); ++n) {
    char name[32];
    std::snprintf(name, sizeof name, "step_%06d", static_cast<int>(steps[n]));
    EXPECT_EQ(entries[n].file, std::string("vtk/") + name + "/" + name + ".pvti");
    EXPECT_NEAR(entries[n].time, times[steps[n]], tol);
    expect_image(run / entries[n].file, spec, steps[n]);
  }
  for (const auto& entry : fs::directory_iterator(run / "vtk"))
    EXPECT_EQ(entry.path().extension(), "") << "leftover " << entry.path();
}

TEST(VtkSeriesWriter, OneDimensionalEveryTenthSecondWithStaleStepsRemoved) {
  TempDir dir;
  const fs::path run = dir.path() / "run";
  if (world_rank() == 0) {
    fs::create_directories(run / "vtk" / "step_000099");  // from an older, longer run
    fs::create_directories(run / "vtk" / "step_000003.part");
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  Field field(spec_1d());
  nf::VtkSeriesWriter writer(field.grid, run, 0.1);
  const auto times = field.run({&writer}, 8, 0.05);  // t = 0, 0.05, ..., 0.35
  EXPECT_EQ(writer.steps_written(), 4u);
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  EXPECT_FALSE(fs::exists(run / "vtk" / "step_000099"));
  EXPECT_FALSE(fs::exists(run / "vtk" / "step_000003.part"));
  expect_series(run, field.grid.spec(), {0, 2, 4, 6}, times);
}

TEST(VtkSeriesWriter, TwoDimensionalEveryStepJoinsPiecesWithoutGaps) {
  TempDir dir;
  Field field(spec_2d());
  nf::VtkSeriesWriter writer(field.grid, dir.path(), 0.0);
  const auto times = field.run({&writer}, 3, 1e-3);
  EXPECT_EQ(writer.steps_written(), 3u);
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  expect_series(dir.path(), field.grid.spec(), {0, 1, 2}, times);
}

// --- HDF5 ------------------------------------------------------------------------

std::vector<hsize_t> dataset_dims(hid_t file, const char* name) {
  nf::h5::Handle set(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, "open", name);
  nf::h5::Handle space(H5Dget_space(set.get()), H5Sclose, "get space", name);
  std::vector<hsize_t> dims(H5Sget_simple_extent_ndims(space.get()));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

template <class T>
std::vector<T> read_dataset(hid_t file, const char* name, hid_t type) {
  std::size_t n = 1;
  for (auto d : dataset_dims(file, name)) n *= d;
  std::vector<T> data(n);
  nf::h5::Handle set(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, "open", name);
  nf::h5::check(H5Dread(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "read", name);
  return data;
}

std::string read_string_attribute(hid_t file, const char* name) {
  nf::h5::Handle attr(H5Aopen(file, name, H5P_DEFAULT), H5Aclose, "open", name);
  nf::h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy", name);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  char* text = nullptr;
  nf::h5::check(H5Aread(attr.get(), type.get(), &text), "read", name);
  std::string s = text ? text : "";
  H5free_memory(text);
  return s;
}

template <class T>
std::vector<T> read_attribute(hid_t file, const char* name, hid_t type) {
  nf::h5::Handle attr(H5Aopen(file, name, H5P_DEFAULT), H5Aclose, "open", name);
  nf::h5::Handle space(H5Aget_space(attr.get()), H5Sclose, "get space", name);
  std::vector<T> data(H5Sget_simple_extent_npoints(space.get()));
  nf::h5::check(H5Aread(attr.get(), type, data.data()), "read", name);
  return data;
}

// Reads fields.h5 back: steps[s] of the run is row s of every /fields/<name>.
void expect_fields_file(const fs::path& file, const nf::GridSpec& spec, const std::vector<PetscInt>& steps,
                        const std::vector<double>& times, const std::string& deck) {
  nf::h5::Handle h5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open", file.string());
  const PetscInt nx = spec.cells[0], ny = spec.cells.size() > 1 ? spec.cells[1] : 1;
  std::vector<hsize_t> expected_dims{steps.size()};
  if (spec.cells.size() > 1) expected_dims.push_back(ny);
  expected_dims.push_back(nx);
  for (std::size_t c = 0; c < spec.component_names.size(); ++c) {
    const std::string name = "/fields/" + spec.component_names[c];
    ASSERT_EQ(dataset_dims(h5.get(), name.c_str()), expected_dims) << name;
    const auto data = read_dataset<double>(h5.get(), name.c_str(), H5T_NATIVE_DOUBLE);
    for (std::size_t s = 0; s < steps.size(); ++s)
      for (PetscInt j = 0; j < ny; ++j)
        for (PetscInt i = 0; i < nx; ++i)
          EXPECT_NEAR(data[(s * ny + j) * nx + i], analytic(i, j, c, steps[s]), tol)
              << name << " row " << s << " cell (" << i << ", " << j << ")";
  }
  const auto written_times = read_dataset<double>(h5.get(), "/time", H5T_NATIVE_DOUBLE);
  ASSERT_EQ(written_times.size(), steps.size());
  for (std::size_t s = 0; s < steps.size(); ++s) EXPECT_NEAR(written_times[s], times[steps[s]], tol);
  EXPECT_EQ(read_string_attribute(h5.get(), "deck"), deck);
  const auto cells = read_attribute<long long>(h5.get(), "cells", H5T_NATIVE_LLONG);
  EXPECT_EQ(cells, std::vector<long long>(spec.cells.begin(), spec.cells.end()));
  const auto spacing = read_attribute<double>(h5.get(), "spacing", H5T_NATIVE_DOUBLE);
  EXPECT_EQ(spacing, spec.spacing);
}

std::size_t count_occurrences(const fs::path& file, const std::string& what) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

TEST(Hdf5FieldWriter, TwoDimensionalAppearsOnlyAtFinish) {
  TempDir dir;
  const fs::path file = dir.path() / "fields.h5";
  const std::string deck = "model = wave\n# ünïcode comment\n";
  Field field(spec_2d());
  nf::Hdf5FieldWriter writer(field.grid, file, 0.1, deck);
  const auto times = field.run({&writer}, 5, 0.05);  // outputs at t = 0, 0.1, 0.2
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(nf::part_path(file)));
  EXPECT_FALSE(fs::exists(dir.path() / "fields.xdmf"));
  writer.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_EQ(writer.steps_written(), 3u);
  if (world_rank() != 0) return;
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  expect_fields_file(file, field.grid.spec(), {0, 2, 4}, times, deck);
  const fs::path xdmf = dir.path() / "fields.xdmf";
  ASSERT_TRUE(fs::exists(xdmf));
  EXPECT_EQ(count_occurrences(xdmf, "<Time Value="), 3u);
  EXPECT_EQ(count_occurrences(xdmf, "3DCoRectMesh\" Dimensions=\"1 5 6\""), 3u);
  EXPECT_EQ(count_occurrences(xdmf, ">1 2 0.25<"), 3u);     // spacing z, y, x (m)
  EXPECT_EQ(count_occurrences(xdmf, ">0 1 0.125<"), 3u);  // origin z, y, x (m)
  EXPECT_EQ(count_occurrences(xdmf, "fields.h5:/fields/v"), 3u);
}

TEST(Hdf5FieldWriter, OneDimensionalEveryStep) {
  TempDir dir;
  const fs::path file = dir.path() / "out" / "fields.h5";
  Field field(spec_1d());
  nf::Hdf5FieldWriter writer(field.grid, file, 0.0, "");
  const auto times = field.run({&writer}, 3, 0.25);
  writer.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  expect_fields_file(file, field.grid.spec(), {0, 1, 2}, times, "");
  EXPECT_EQ(count_occurrences(dir.path() / "out" / "fields.xdmf", "3DCoRectMesh\" Dimensions=\"1 1 8\""), 3u);
}

TEST(Hdf5FieldWriter, AbandonLeavesOnlyThePartFile) {
  TempDir dir;
  const fs::path file = dir.path() / "fields.h5";
  Field field(spec_2d());
  nf::Hdf5FieldWriter writer(field.grid, file, 0.0, "deck");
  field.run({&writer}, 2, 0.1);
  writer.abandon();
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(nf::part_path(file)));
  EXPECT_FALSE(fs::exists(dir.path() / "fields.xdmf"));
}

// The times are written with each step: the .part file of a failed run has them.
TEST(Hdf5FieldWriter, AbandonedPartFileHasTheTimesOfItsSteps) {
  TempDir dir;
  const fs::path file = dir.path() / "fields.h5";
  Field field(spec_1d());
  nf::Hdf5FieldWriter writer(field.grid, file, 0.0, "deck");
  const auto times = field.run({&writer}, 3, 0.25);
  writer.abandon();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  const fs::path part = nf::part_path(file);
  nf::h5::Handle h5(H5Fopen(part.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open", part.string());
  EXPECT_EQ(read_dataset<double>(h5.get(), "/time", H5T_NATIVE_DOUBLE), times);
}

// A restart: the writer is rebuilt, resumes from a checkpoint after step 2, cuts the
// rows written after it (steps 3 and 4 of the run that stopped) and appends step 5.
TEST(Hdf5FieldWriter, ResumeCutsToTheCheckpointAndAppends) {
  TempDir dir;
  const fs::path file = dir.path() / "fields.h5";
  Field field(spec_2d());
  const std::vector<double> times{0, 0.25, 0.5, 0.75, 1.0, 1.25};
  nf::ObserverState state;
  {
    nf::Hdf5FieldWriter writer(field.grid, file, 0.0, "deck");
    for (PetscInt s = 0; s < 5; ++s) {
      field.fill(s);
      writer.observe({times[s], s, field.u});
      if (s == 2) writer.save(state);
    }
    writer.abandon();
  }
  nf::Hdf5FieldWriter writer(field.grid, file, 0.0, "deck");
  writer.resume(state);
  field.fill(5);
  writer.observe({times[5], 5, field.u});
  writer.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_EQ(writer.steps_written(), 4u);
  if (world_rank() != 0) return;
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  expect_fields_file(file, field.grid.spec(), {0, 1, 2, 5}, times, "deck");
  EXPECT_EQ(count_occurrences(dir.path() / "fields.xdmf", "<Time Value="), 4u);
}

// The same, for the VTK series: step folders after the checkpoint go, and
// series.pvd lists the steps before it and the new one.
TEST(VtkSeriesWriter, ResumeDropsStepsAfterTheCheckpoint) {
  TempDir dir;
  Field field(spec_2d());
  nf::ObserverState state;
  {
    nf::VtkSeriesWriter writer(field.grid, dir.path(), 0.0);
    for (PetscInt s = 0; s < 5; ++s) {
      field.fill(s);
      writer.observe({0.5 * s, s, field.u});
      if (s == 2) writer.save(state);
    }
    writer.abandon();
  }
  nf::VtkSeriesWriter writer(field.grid, dir.path(), 0.0);
  writer.resume(state);
  field.fill(5);
  writer.observe({2.5, 5, field.u});
  writer.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_EQ(writer.steps_written(), 4u);
  if (world_rank() != 0) return;
  const auto entries = read_pvd(dir.path() / "series.pvd");
  ASSERT_EQ(entries.size(), 4u);
  const std::vector<double> expected_times{0, 0.5, 1.0, 2.5};
  for (std::size_t e = 0; e < entries.size(); ++e) {
    EXPECT_EQ(entries[e].time, expected_times[e]);
    EXPECT_TRUE(fs::exists(dir.path() / entries[e].file)) << entries[e].file;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "vtk" / "step_000003"));
  EXPECT_FALSE(fs::exists(dir.path() / "vtk" / "step_000004"));
}

// checkpoint.h5 gives back what was written: a DMDA vector, rank 0's values (also
// none), each rank's values and a text, and appears only when committed.
TEST(CheckpointFile, GivesBackWhatWasWritten) {
  TempDir dir;
  const fs::path file = dir.path() / "checkpoint.h5";
  Field field(spec_2d());
  field.fill(3);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  const std::vector<double> root_values{1.5, -2.25, 1e300}, mine(static_cast<std::size_t>(rank + 2), 7.0 + rank);
  {
    nf::CheckpointFileWriter out(PETSC_COMM_WORLD, file);
    out.vector("engine/u", field.u);
    out.values("a/b", rank == 0 ? root_values : std::vector<double>{});
    out.values("none", {});
    out.rank_values("per_rank", mine);
    out.text("deck", "model: {type: amari}\n");
    MPI_Barrier(PETSC_COMM_WORLD);
    EXPECT_FALSE(fs::exists(file));
    out.commit();
  }
  EXPECT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  nf::CheckpointFileReader in(PETSC_COMM_WORLD, file);
  EXPECT_EQ(in.ranks(), ranks);
  Vec back = nullptr;
  VecDuplicate(field.u, &back);
  in.vector("engine/u", back);
  PetscBool equal = PETSC_FALSE;
  VecEqual(back, field.u, &equal);
  EXPECT_TRUE(equal);
  VecDestroy(&back);
  EXPECT_EQ(in.values("a/b"), root_values);
  EXPECT_TRUE(in.values("none").empty());
  EXPECT_EQ(in.rank_values("per_rank"), mine);
  EXPECT_EQ(in.text("deck"), "model: {type: amari}\n");
  EXPECT_TRUE(in.has("a/b"));
  EXPECT_FALSE(in.has("a/c"));
  EXPECT_THROW(in.values("missing"), std::runtime_error);
}

// An abandoned checkpoint leaves the previous one, and no .part.
TEST(CheckpointFile, UncommittedLeavesThePreviousOne) {
  TempDir dir;
  const fs::path file = dir.path() / "checkpoint.h5";
  {
    nf::CheckpointFileWriter out(PETSC_COMM_WORLD, file);
    out.text("deck", "first");
    out.commit();
  }
  {
    nf::CheckpointFileWriter out(PETSC_COMM_WORLD, file);
    out.text("deck", "second");
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  nf::CheckpointFileReader in(PETSC_COMM_WORLD, file);
  EXPECT_EQ(in.text("deck"), "first");
}

// --- Rank agreement ------------------------------------------------------------

// A failure on rank 0 reaches every rank as the same kind of exception with the same
// message, so every rank takes the same exit path (exit 2 for a DeckError).
TEST(OnRoot, EveryRankThrowsRankZerosKindAndMessage) {
  try {
    nf::on_root(PETSC_COMM_WORLD, "a deck check", [] { throw nf::DeckError("deck.yaml:3:1: error: bad"); });
    ADD_FAILURE() << "no exception on rank " << world_rank();
  } catch (const nf::DeckError& e) {
    EXPECT_STREQ(e.what(), "deck.yaml:3:1: error: bad");
  }
  try {
    nf::on_root(PETSC_COMM_WORLD, "writing", [] { throw std::filesystem::filesystem_error("cannot", std::error_code()); });
    ADD_FAILURE() << "no exception on rank " << world_rank();
  } catch (const nf::DeckError&) {
    ADD_FAILURE() << "a filesystem error became a DeckError";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot"), std::string::npos) << e.what();
  }
  int calls = 0;
  EXPECT_NO_THROW(nf::on_root(PETSC_COMM_WORLD, "nothing", [&] { ++calls; }));
  EXPECT_EQ(calls, world_rank() == 0 ? 1 : 0);
}

// --- Probes ----------------------------------------------------------------------

TEST(ProbeRecorder, HoldsExactValuesOnRootAndWritesTheirShape) {
  TempDir dir;
  const fs::path file = dir.path() / "probes.h5";
  Field field(spec_2d());
  const std::vector<std::array<PetscInt, 3>> cells{{0, 0, 0}, {5, 4, 0}, {2, 3, 0}, {5, 0, 0}};
  nf::ProbeRecorder probes(field.grid, cells, file);
  EXPECT_EQ(probes.probe_count(), 4u);
  const auto times = field.run({&probes}, 6, 0.01);
  probes.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  ASSERT_EQ(probes.times(), times);
  for (std::size_t p = 0; p < cells.size(); ++p)
    for (PetscInt c = 0; c < 2; ++c) {
      const auto s = probes.signal(p, c);
      ASSERT_EQ(s.size(), times.size());
      for (std::size_t n = 0; n < s.size(); ++n)
        EXPECT_EQ(s[n], analytic(cells[p][0], cells[p][1], c, static_cast<PetscInt>(n)))
            << "probe " << p << " component " << c << " step " << n;
    }
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  nf::h5::Handle h5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open", file.string());
  EXPECT_EQ(dataset_dims(h5.get(), "/time"), (std::vector<hsize_t>{6}));
  EXPECT_EQ(dataset_dims(h5.get(), "/values"), (std::vector<hsize_t>{6, 4, 2}));
  EXPECT_EQ(dataset_dims(h5.get(), "/cells"), (std::vector<hsize_t>{4, 3}));
  const auto values = read_dataset<double>(h5.get(), "/values", H5T_NATIVE_DOUBLE);
  EXPECT_EQ(values[(5 * 4 + 2) * 2 + 1], analytic(2, 3, 1, 5));
  const auto stored = read_dataset<long long>(h5.get(), "/cells", H5T_NATIVE_LLONG);
  EXPECT_EQ(stored, (std::vector<long long>{0, 0, 0, 5, 4, 0, 2, 3, 0, 5, 0, 0}));
  EXPECT_EQ(read_dataset<double>(h5.get(), "/time", H5T_NATIVE_DOUBLE), times);
}

// Reads probes.h5 (or its .part) back: /time and /values hold steps 0 .. n-1 exactly.
void expect_probe_file(const fs::path& file, const std::vector<std::array<PetscInt, 3>>& cells, PetscInt dof,
                       const std::vector<double>& times) {
  nf::h5::Handle h5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open", file.string());
  ASSERT_EQ(read_dataset<double>(h5.get(), "/time", H5T_NATIVE_DOUBLE), times);
  ASSERT_EQ(dataset_dims(h5.get(), "/values"), (std::vector<hsize_t>{times.size(), cells.size(), hsize_t(dof)}));
  const auto values = read_dataset<double>(h5.get(), "/values", H5T_NATIVE_DOUBLE);
  for (std::size_t n = 0; n < times.size(); ++n)
    for (std::size_t p = 0; p < cells.size(); ++p)
      for (PetscInt c = 0; c < dof; ++c)
        EXPECT_EQ(values[(n * cells.size() + p) * dof + c],
                  analytic(cells[p][0], cells[p][1], c, static_cast<PetscInt>(n)))
            << "probe " << p << " component " << c << " step " << n;
}

// Probes on both ranks' patches, gathered every 4 steps: 10 steps cross two chunk
// boundaries and end inside a third chunk.
TEST(ProbeRecorder, ChunksOfStepsAcrossBoundariesGiveEveryStep) {
  TempDir dir;
  const fs::path file = dir.path() / "probes.h5";
  Field field(spec_2d());
  const std::vector<std::array<PetscInt, 3>> cells{{5, 4, 0}, {0, 0, 0}, {3, 2, 0}, {2, 1, 0}};
  nf::ProbeRecorder probes(field.grid, cells, file, 4);
  EXPECT_EQ(probes.chunk_steps(), 4u);
  const auto times = field.run({&probes}, 10, 0.01);
  probes.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  ASSERT_EQ(probes.times(), times);
  for (std::size_t p = 0; p < cells.size(); ++p) {
    const auto s = probes.signal(p, 1);
    ASSERT_EQ(s.size(), times.size());
    for (std::size_t n = 0; n < s.size(); ++n)
      EXPECT_EQ(s[n], analytic(cells[p][0], cells[p][1], 1, static_cast<PetscInt>(n))) << "probe " << p;
  }
  expect_probe_file(file, cells, 2, times);
}

// A failed run (abandon) in the middle of a chunk: probes.h5.part holds every step
// observed, and probes.h5 does not appear.
TEST(ProbeRecorder, AbandonInsideAChunkKeepsEveryStepInThePartFile) {
  TempDir dir;
  const fs::path file = dir.path() / "probes.h5";
  Field field(spec_1d());
  const std::vector<std::array<PetscInt, 3>> cells{{7, 0, 0}, {1, 0, 0}};
  nf::ProbeRecorder probes(field.grid, cells, file, 3);
  const auto times = field.run({&probes}, 7, 0.5);  // two full chunks and one step
  probes.abandon();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  EXPECT_FALSE(fs::exists(file));
  ASSERT_TRUE(fs::exists(nf::part_path(file)));
  expect_probe_file(nf::part_path(file), cells, 1, times);
}

// Checkpoints: what rank 0 saved, given to every rank (as a restart does).
nf::ObserverState shared(nf::ObserverState state) {
  double rows = state.values["rows"].at(0);
  MPI_Bcast(&rows, 1, MPI_DOUBLE, 0, PETSC_COMM_WORLD);
  state.values["rows"] = {rows};
  return state;
}

void observe_steps(Field& field, nf::StepObserver& o, PetscInt from, PetscInt to, std::vector<double>& times,
                   PetscInt value_offset = 0) {
  for (PetscInt s = from; s < to; ++s) {
    const double t = 0.01 * static_cast<double>(s);
    field.fill(s + value_offset);
    o.observe({t, s, field.u});
    if (value_offset == 0) times.push_back(t);
  }
}

// save() after 5 steps (inside the second chunk of 4), 3 steps more with other values,
// then a failure (abandon). A new recorder resumes from the checkpoint and observes
// steps 5..9 again: the final file holds steps 0..9, each once, and nothing discarded.
TEST(ProbeRecorder, ResumeCutsTheRowsAfterSaveAndAppends) {
  TempDir dir;
  const fs::path file = dir.path() / "probes.h5";
  Field field(spec_2d());
  const std::vector<std::array<PetscInt, 3>> cells{{5, 4, 0}, {0, 0, 0}, {3, 2, 0}};
  std::vector<double> times, discarded;
  nf::ObserverState state;
  {
    nf::ProbeRecorder probes(field.grid, cells, file, 4);
    EXPECT_EQ(probes.checkpoint_name(), "probes");
    observe_steps(field, probes, 0, 5, times);
    probes.save(state);
    observe_steps(field, probes, 5, 8, discarded, 100);
    probes.abandon();
  }
  if (world_rank() == 0) EXPECT_EQ(state.values.at("rows"), (std::vector<double>{5}));
  nf::ProbeRecorder probes(field.grid, cells, file, 4);
  probes.resume(shared(state));
  observe_steps(field, probes, 5, 10, times);
  probes.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  EXPECT_FALSE(fs::exists(nf::part_path(file)));
  expect_probe_file(file, cells, 2, times);
}

// A finished run continued to a larger t_end: resume renames probes.h5 back to
// probes.h5.part and appends; finish publishes the longer series.
TEST(ProbeRecorder, ResumeContinuesAFinishedFile) {
  TempDir dir;
  const fs::path file = dir.path() / "probes.h5";
  Field field(spec_1d());
  const std::vector<std::array<PetscInt, 3>> cells{{7, 0, 0}, {1, 0, 0}};
  std::vector<double> times;
  nf::ObserverState state;
  {
    nf::ProbeRecorder probes(field.grid, cells, file, 3);
    observe_steps(field, probes, 0, 7, times);
    probes.save(state);
    probes.finish();
  }
  nf::ProbeRecorder probes(field.grid, cells, file, 3);
  probes.resume(shared(state));
  if (world_rank() == 0) {
    EXPECT_FALSE(fs::exists(file));
    EXPECT_TRUE(fs::exists(nf::part_path(file)));
  }
  observe_steps(field, probes, 7, 12, times);
  probes.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  expect_probe_file(file, cells, 1, times);
  EXPECT_EQ(probes.times(), times);
}

// The default chunk is the same on every rank and bounded by kChunkBytes on rank 0.
TEST(ProbeRecorder, DefaultChunkIsBoundedByItsByteBudget) {
  TempDir dir;
  Field field(spec_2d());
  const std::vector<std::array<PetscInt, 3>> cells{{0, 0, 0}, {5, 4, 0}, {2, 3, 0}};
  nf::ProbeRecorder probes(field.grid, cells, dir.path() / "probes.h5");
  EXPECT_EQ(probes.chunk_steps(), nf::ProbeRecorder::kChunkBytes / (3 * 2 * sizeof(double)));
  probes.finish();
}

TEST(ProbeRecorder, SingleProbeOnOneDimensionalGrid) {
  TempDir dir;
  Field field(spec_1d());
  nf::ProbeRecorder probes(field.grid, {{7, 0, 0}}, dir.path() / "probes.h5");
  field.run({&probes}, 3, 0.5);
  probes.finish();
  MPI_Barrier(PETSC_COMM_WORLD);
  if (world_rank() != 0) return;
  EXPECT_EQ(probes.signal(0, 0), (std::vector<double>{analytic(7, 0, 0, 0), analytic(7, 0, 0, 1),
                                                      analytic(7, 0, 0, 2)}));
  EXPECT_THROW(probes.signal(1, 0), std::out_of_range);
  EXPECT_TRUE(fs::exists(dir.path() / "probes.h5"));
}

void expect_bad_probe(const nf::Grid& grid, std::vector<std::array<PetscInt, 3>> cells, const std::string& message) {
  try {
    nf::ProbeRecorder probes(grid, std::move(cells), "unused.h5");
    ADD_FAILURE() << "no exception; expected: " << message;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(ProbeRecorder, CellOutsideTheGridThrowsNamingProbeAndRange) {
  Field line(spec_1d());
  expect_bad_probe(line.grid, {{0, 0, 0}, {8, 0, 0}},
                   "probe 1: cell (8, 0, 0) is outside the grid; axis x allows 0..7");
  expect_bad_probe(line.grid, {{-1, 0, 0}}, "probe 0");
  expect_bad_probe(line.grid, {{3, 1, 0}}, "axis y must be 0 on a 1D grid");
  Field plane(spec_2d());
  expect_bad_probe(plane.grid, {{1, 1, 0}, {2, 2, 0}, {0, 5, 0}},
                   "probe 2: cell (0, 5, 0) is outside the grid; axis y allows 0..4");
  expect_bad_probe(plane.grid, {{1, 1, 2}}, "axis z must be 0 on a 2D grid");
}

}  // namespace
