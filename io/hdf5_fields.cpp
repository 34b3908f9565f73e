#include "io/hdf5_fields.h"

#include <fmt/format.h>
#include <petscdmda.h>
#include <petscviewerhdf5.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "io/atomic_file.h"
#include "base/petsc_error.h"

namespace nf {
namespace h5 {
namespace {

// Before any other HDF5 call (static initialisation): HDF5 prints no error stack of
// its own (the program reports each failure once, naming the file and the reason), and
// registers no exit handler: after a failed write a file can stay open with dirty
// metadata that HDF5 1.10's exit-time close would flush again and crash on.
const bool kQuiet = [] {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return true;
}();

// The system's reason in HDF5's error stack: the sec2 and MPI-IO drivers put
// "error message = '...'" or "MPI error string is '...'" in the description.
herr_t find_reason(unsigned, const H5E_error2_t* e, void* data) {
  auto* reason = static_cast<std::string*>(data);
  if (!reason->empty() || !e->desc) return 0;
  const std::string_view desc(e->desc);
  for (const std::string_view key : {"error message = '", "MPI error string is '"}) {
    const auto at = desc.find(key);
    if (at == std::string_view::npos) continue;
    const auto begin = at + key.size();
    *reason = std::string(desc.substr(begin, desc.find('\'', begin) - begin));
    return 0;
  }
  return 0;
}

}  // namespace

// The system's reason for the last HDF5 failure ("File too large"), or empty; clears
// HDF5's error stack.
std::string failure_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_reason, &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason;
}

namespace {

std::string with_reason(const std::string& text) {
  const std::string reason = failure_reason();
  return reason.empty() ? text : text + ": " + reason;
}

}  // namespace

Handle::Handle(hid_t id, Closer close, const std::string& what, const std::string& where)
    : id_(id), close_(close) {
  if (id_ < 0) throw std::runtime_error(with_reason("HDF5: cannot " + what + " in " + where));
}

Handle::~Handle() {
  if (id_ >= 0) close_(id_);
}

void check(herr_t status, const std::string& what, const std::string& where) {
  if (status < 0) throw std::runtime_error(with_reason("HDF5: cannot " + what + " in " + where));
}

namespace {

Handle utf8_string_type(std::size_t size, const std::string& where) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type", where);
  check(H5Tset_size(type.get(), size), "size a string type", where);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set a string encoding", where);
  return type;
}

template <class T>
void write_attribute(hid_t object, const char* name, hid_t type, const std::vector<T>& values,
                     const std::string& where) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "create a dataspace", where);
  Handle attr(H5Acreate2(object, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              std::string("create attribute ") + name, where);
  check(H5Awrite(attr.get(), type, values.data()), std::string("write attribute ") + name, where);
}

}  // namespace

void write_string_attribute(hid_t object, const char* name, std::string_view value, const std::string& where) {
  const std::string text(value);
  const char* data = text.c_str();
  Handle type = utf8_string_type(H5T_VARIABLE, where);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace", where);
  Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              std::string("create attribute ") + name, where);
  check(H5Awrite(attr.get(), type.get(), &data), std::string("write attribute ") + name, where);
}

void write_string_array_attribute(hid_t object, const char* name, const std::vector<std::string>& values,
                                  const std::string& where) {
  std::vector<const char*> data;
  for (const auto& v : values) data.push_back(v.c_str());
  Handle type = utf8_string_type(H5T_VARIABLE, where);
  write_attribute(object, name, type.get(), data, where);
}

void write_int64_attribute(hid_t object, const char* name, const std::vector<long long>& values,
                           const std::string& where) {
  write_attribute(object, name, H5T_NATIVE_LLONG, values, where);
}

void write_double_attribute(hid_t object, const char* name, const std::vector<double>& values,
                            const std::string& where) {
  write_attribute(object, name, H5T_NATIVE_DOUBLE, values, where);
}

}  // namespace h5

namespace {

namespace fs = std::filesystem;

// Points per axis, slowest first (z, y, x); the axes a 1D or 2D grid lacks have 1.
std::vector<PetscInt> xdmf_dims(const Grid& grid) {
  std::vector<PetscInt> dims;
  for (int a = 2; a >= 0; --a) dims.push_back(a < grid.dimension() ? grid.spec().cells[a] : 1);
  return dims;
}

// Origin (centre of cell 0) and spacing in XDMF's z, y, x order; missing axes 0 and 1.
std::pair<std::vector<double>, std::vector<double>> xdmf_geometry(const Grid& grid) {
  std::vector<double> origin, spacing;
  for (int a = 2; a >= 0; --a) {
    const bool present = a < grid.dimension();
    origin.push_back(present ? 0.5 * grid.spec().spacing[a] : 0.0);
    spacing.push_back(present ? grid.spec().spacing[a] : 1.0);
  }
  return {origin, spacing};
}

// Dimensions of the /fields/<name> dataset after n_steps outputs.
std::vector<std::size_t> dataset_dims(const Grid& grid, std::size_t n_steps) {
  std::vector<std::size_t> dims{n_steps};
  const auto& c = grid.spec().cells;
  for (auto a = c.size(); a-- > 0;) dims.push_back(static_cast<std::size_t>(c[a]));
  return dims;
}

std::string xdmf_attribute(const std::string& name, const std::string& h5name, std::size_t step,
                           const std::vector<PetscInt>& dims, const std::vector<std::size_t>& h5dims) {
  const std::size_t rank = h5dims.size();
  std::string start = fmt::format("{}", step), stride = "1", count = "1";
  for (std::size_t r = 1; r < rank; ++r) {
    start += " 0";
    stride += " 1";
    count += fmt::format(" {}", h5dims[r]);
  }
  return fmt::format(
      "        <Attribute Name=\"{0}\" AttributeType=\"Scalar\" Center=\"Node\">\n"
      "          <DataItem ItemType=\"HyperSlab\" Dimensions=\"{1}\" Type=\"HyperSlab\">\n"
      "            <DataItem Dimensions=\"3 {2}\" Format=\"XML\">{3} {4} {5}</DataItem>\n"
      "            <DataItem Dimensions=\"{6}\" NumberType=\"Float\" Precision=\"8\" "
      "Format=\"HDF\">{7}:/fields/{0}</DataItem>\n"
      "          </DataItem>\n"
      "        </Attribute>\n",
      name, fmt::join(dims, " "), rank, start, stride, count, fmt::join(h5dims, " "), h5name);
}

}  // namespace

Hdf5FieldWriter::Hdf5FieldWriter(const Grid& grid, std::filesystem::path file, double every_seconds,
                                 std::string deck_text)
    : grid_(grid), file_(std::move(file)), schedule_(every_seconds), deck_(std::move(deck_text)) {
  check_petsc(DMDACreateCompatibleDMDA(grid_.dm(), 1, component_dm_.out()));
  check_petsc(DMCreateGlobalVector(component_dm_, component_.out()));
}

void Hdf5FieldWriter::open_new() {
  const fs::path part = part_path(file_);
  on_root(grid_.comm(), "creating the folder of " + file_.string(), [&] {
    if (file_.has_parent_path()) fs::create_directories(file_.parent_path());
  });
  check_petsc(PetscViewerHDF5Open(grid_.comm(), part.c_str(), FILE_MODE_WRITE, viewer_.out()), part.c_str());
  check_petsc(PetscViewerHDF5PushTimestepping(viewer_));
  write_root_attributes();
  create_time_dataset();
}

void Hdf5FieldWriter::save(ObserverState& state) {
  state.values["schedule"] = schedule_.saved();
  state.values["times"] = times_;
  if (!viewer_) return;
  hid_t file = -1;
  check_petsc(PetscViewerHDF5GetFileId(viewer_, &file));
  h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush", part_path(file_).string());
}

namespace {

// Cuts an extendible dataset to `rows` along its first axis.
void cut_rows(hid_t file, const std::string& name, hsize_t rows, const std::string& where) {
  h5::Handle set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name, where);
  h5::Handle space(H5Dget_space(set.get()), H5Sclose, "get the space of " + name, where);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  if (dims.empty() || dims[0] < rows)
    throw std::runtime_error(fmt::format("{}: {} holds {} rows, fewer than the checkpoint's {}", where, name,
                                         dims.empty() ? 0 : dims[0], rows));
  dims[0] = rows;
  h5::check(H5Dset_extent(set.get(), dims.data()), "cut " + name, where);
}

}  // namespace

namespace {

// Rank 0, serial HDF5: cuts every dataset of a .part file to `rows` in place. False if
// the file cannot be cut: a write that failed (a full disk, a file-size limit) can
// leave a chunk index that points past the file's end.
bool cut_in_place(const fs::path& part, const std::vector<std::string>& names, hsize_t rows) {
  const std::string where = part.string();
  const hid_t file = H5Fopen(part.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) return false;
  bool ok = true;
  try {
    for (const auto& name : names) cut_rows(file, "/fields/" + name, rows, where);
    cut_rows(file, "/time", rows, where);
  } catch (const std::runtime_error&) {
    ok = false;
  }
  return H5Fclose(file) >= 0 && ok;
}

// Rank 0, serial HDF5: a new file at `to` with the first `rows` rows of every
// /fields/<name> of `from` (in the layout the PETSc viewer writes: chunks of one row,
// attribute timestepping = 1). The caller adds /time and the root attributes.
void copy_rows(const fs::path& from, const fs::path& to, const std::vector<std::string>& names, hsize_t rows) {
  const std::string where = from.string() + " -> " + to.string();
  h5::Handle in(H5Fopen(from.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open", from.string());
  h5::Handle out(H5Fcreate(to.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create", to.string());
  h5::Handle group(H5Gcreate2(out.get(), "/fields", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                   "create /fields", where);
  for (const auto& name : names) {
    const std::string path = "/fields/" + name;
    h5::Handle source(H5Dopen2(in.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path, where);
    h5::Handle space(H5Dget_space(source.get()), H5Sclose, "get the space of " + path, where);
    std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<hsize_t> row = dims, max = dims;
    row[0] = 1;
    max[0] = H5S_UNLIMITED;
    dims[0] = rows;
    const auto rank = static_cast<int>(dims.size());
    h5::Handle target_space(H5Screate_simple(rank, dims.data(), max.data()), H5Sclose, "create a dataspace", where);
    h5::Handle layout(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a property list", where);
    h5::check(H5Pset_chunk(layout.get(), rank, row.data()), "chunk " + path, where);
    h5::Handle target(H5Dcreate2(out.get(), path.c_str(), H5T_NATIVE_DOUBLE, target_space.get(), H5P_DEFAULT,
                                 layout.get(), H5P_DEFAULT),
                      H5Dclose, "create " + path, where);
    h5::Handle memory(H5Screate_simple(rank, row.data(), nullptr), H5Sclose, "create a dataspace", where);
    std::size_t per_row = 1;
    for (std::size_t a = 1; a < row.size(); ++a) per_row *= row[a];
    std::vector<double> values(per_row);
    std::vector<hsize_t> start(row.size(), 0);
    for (hsize_t r = 0; r < rows; ++r) {
      start[0] = r;
      h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, row.data(), nullptr),
                "select", where);
      h5::check(H5Dread(source.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, values.data()),
                "read " + path, where);
      h5::check(H5Sselect_hyperslab(target_space.get(), H5S_SELECT_SET, start.data(), nullptr, row.data(), nullptr),
                "select", where);
      h5::check(H5Dwrite(target.get(), H5T_NATIVE_DOUBLE, memory.get(), target_space.get(), H5P_DEFAULT,
                         values.data()),
                "write " + path, where);
    }
    const int one = 1;
    h5::Handle scalar(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace", where);
    h5::Handle flag(H5Acreate2(target.get(), "timestepping", H5T_NATIVE_INT, scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose, "create timestepping", where);
    h5::check(H5Awrite(flag.get(), H5T_NATIVE_INT, &one), "write timestepping", where);
  }
}

}  // namespace

void Hdf5FieldWriter::resume(const ObserverState& state) {
  schedule_.restore(state.values.at("schedule"));
  times_ = state.values.at("times");
  const fs::path part = part_path(file_);
  if (times_.empty()) return;  // nothing written yet: created at the first output
  const auto& names = grid_.spec().component_names;
  const hsize_t rows = times_.size();
  int rebuilt = 0;
  on_root(grid_.comm(), "reopening " + file_.string(), [&] {
    if (!fs::exists(part) && fs::exists(file_)) commit_file(file_, part);
    if (!fs::exists(part))
      throw std::runtime_error(fmt::format("cannot continue {}: neither it nor {} exists", file_.string(), part.string()));
    fs::remove(xdmf_file());
    if (cut_in_place(part, names, rows)) return;
    const fs::path copy = part.string() + ".rebuilt";
    copy_rows(part, copy, names, rows);
    commit_file(copy, part);
    rebuilt = 1;
  });
  MPI_Bcast(&rebuilt, 1, MPI_INT, 0, grid_.comm());
  check_petsc(PetscViewerHDF5Open(grid_.comm(), part.c_str(), FILE_MODE_APPEND, viewer_.out()), part.c_str());
  check_petsc(PetscViewerHDF5PushTimestepping(viewer_));
  if (rebuilt) {
    write_root_attributes();
    create_time_dataset();
    const std::vector<double> times = std::exchange(times_, {});
    for (const double t : times) append_time(t);
    return;
  }
  hid_t file = -1;
  check_petsc(PetscViewerHDF5GetFileId(viewer_, &file));
  time_set_ = H5Dopen2(file, "/time", H5P_DEFAULT);
  if (time_set_ < 0) throw std::runtime_error("HDF5: cannot open /time in " + part.string());
}

Hdf5FieldWriter::~Hdf5FieldWriter() {
  if (time_set_ >= 0) H5Dclose(time_set_);  // before the viewer closes the file
}

fs::path Hdf5FieldWriter::xdmf_file() const {
  auto p = file_;
  p.replace_extension(".xdmf");
  return p;
}

void Hdf5FieldWriter::write_root_attributes() {
  hid_t file = -1;
  check_petsc(PetscViewerHDF5GetFileId(viewer_, &file));
  const auto& spec = grid_.spec();
  const std::string where = part_path(file_).string();
  std::vector<long long> cells(spec.cells.begin(), spec.cells.end());
  h5::write_string_attribute(file, "deck", deck_, where);
  h5::write_string_array_attribute(file, "components", spec.component_names, where);
  h5::write_int64_attribute(file, "cells", cells, where);
  h5::write_double_attribute(file, "spacing", spec.spacing, where);
}

namespace {

// A PETSc call that writes fields.h5.part: a failure becomes "cannot write <file>:
// <reason>; <PETSc's message>", the reason from HDF5's error stack or, when the
// driver put none there (MPI-IO), errno (cleared before the call).
void check_write(PetscErrorCode ierr, const fs::path& file) {
  if (ierr == 0) {
    H5Eclear2(H5E_DEFAULT);
    return;
  }
  const int err = errno;
  std::string reason = h5::failure_reason();
  // MPI-IO's error class says less than the errno its write left ("MPI_ERR_OTHER").
  if ((reason.empty() || reason.rfind("MPI_ERR", 0) == 0) && err != 0) reason = std::strerror(err);
  try {
    check_petsc(ierr, file.c_str());
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write " + file.string() + ": " + (reason.empty() ? "" : reason + "; ") +
                             e.what());
  }
}

}  // namespace

void Hdf5FieldWriter::observe(const StepState& state) {
  if (closed_) throw std::logic_error("Hdf5FieldWriter::observe after finish/abandon of " + file_.string());
  if (!schedule_.due(state.t)) return;
  if (!viewer_) open_new();
  errno = 0;
  const auto& names = grid_.spec().component_names;
  check_petsc(PetscViewerHDF5SetTimestep(viewer_, static_cast<PetscInt>(times_.size())));
  check_petsc(PetscViewerHDF5PushGroup(viewer_, "/fields"));
  for (std::size_t c = 0; c < names.size(); ++c) {
    check_petsc(VecStrideGather(state.u, static_cast<PetscInt>(c), component_, INSERT_VALUES));
    check_petsc(PetscObjectSetName(reinterpret_cast<PetscObject>(component_.get()), names[c].c_str()));
    check_write(VecView(component_, viewer_), part_path(file_));
  }
  check_petsc(PetscViewerHDF5PopGroup(viewer_));
  append_time(schedule_.time());
}

// /time [n_steps], extendible, grown by one row after each written step, so that a
// run that fails or is stopped leaves fields.h5.part with the times of every step it
// holds. Created and extended by all ranks (collective metadata), written by rank 0.
void Hdf5FieldWriter::create_time_dataset() {
  hid_t file = -1;
  check_petsc(PetscViewerHDF5GetFileId(viewer_, &file));
  const std::string where = part_path(file_).string();
  const hsize_t none = 0, unlimited = H5S_UNLIMITED, chunk = 1024;
  h5::Handle space(H5Screate_simple(1, &none, &unlimited), H5Sclose, "create a dataspace", where);
  h5::Handle layout(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a property list", where);
  h5::check(H5Pset_chunk(layout.get(), 1, &chunk), "chunk /time", where);
  time_set_ = H5Dcreate2(file, "/time", H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, layout.get(), H5P_DEFAULT);
  if (time_set_ < 0) throw std::runtime_error("HDF5: cannot create /time in " + where);
}

void Hdf5FieldWriter::append_time(double t) {
  const std::string where = part_path(file_).string();
  const hsize_t row = times_.size(), size = row + 1, one = 1;
  h5::check(H5Dset_extent(time_set_, &size), "extend /time", where);
  h5::Handle space(H5Dget_space(time_set_), H5Sclose, "get the space of /time", where);
  h5::Handle memory(H5Screate_simple(1, &one, nullptr), H5Sclose, "create a dataspace", where);
  int rank = 0;
  MPI_Comm_rank(grid_.comm(), &rank);
  if (rank == 0) {
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &row, nullptr, &one, nullptr), "select", where);
  } else {
    h5::check(H5Sselect_none(memory.get()), "select", where);
    h5::check(H5Sselect_none(space.get()), "select", where);
  }
  h5::check(H5Dwrite(time_set_, H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, &t), "write /time",
            where);
  times_.push_back(t);
}

void Hdf5FieldWriter::close() {
  closed_ = true;
  if (time_set_ >= 0) H5Dclose(std::exchange(time_set_, -1));
  PetscViewer viewer = viewer_.release();
  errno = 0;
  check_write(PetscViewerDestroy(&viewer), part_path(file_));
}

void Hdf5FieldWriter::finish() {
  closed_ = true;
  if (!viewer_) return;
  close();
  on_root(grid_.comm(), "committing " + file_.string(), [&] {
    commit_file(part_path(file_), file_);
    write_xdmf();
  });
}

void Hdf5FieldWriter::abandon() {
  closed_ = true;
  if (viewer_) close();
}

void Hdf5FieldWriter::write_xdmf() const {
  const auto dims = xdmf_dims(grid_);
  const auto [origin, spacing] = xdmf_geometry(grid_);
  const auto h5dims = dataset_dims(grid_, times_.size());
  const std::string h5name = file_.filename().string();
  AtomicTextFile out(xdmf_file());
  std::string text =
      "<?xml version=\"1.0\" ?>\n"
      "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
      "<Xdmf Version=\"2.0\">\n"
      "  <Domain>\n"
      "    <Grid Name=\"fields\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::size_t s = 0; s < times_.size(); ++s) {
    out.append(text);
    text = fmt::format(
        "      <Grid Name=\"step_{0}\" GridType=\"Uniform\">\n"
        "        <Time Value=\"{1}\"/>\n"
        "        <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"{2}\"/>\n"
        "        <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n"
        "          <DataItem Dimensions=\"3\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">{3}</DataItem>\n"
        "          <DataItem Dimensions=\"3\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">{4}</DataItem>\n"
        "        </Geometry>\n",
        s, output_time_text(times_[s]), fmt::join(dims, " "), fmt::join(origin, " "), fmt::join(spacing, " "));
    for (const auto& name : grid_.spec().component_names) text += xdmf_attribute(name, h5name, s, dims, h5dims);
    text += "      </Grid>\n";
  }
  text +=
      "    </Grid>\n"
      "  </Domain>\n"
      "</Xdmf>\n";
  out.append(text);
  out.commit();
}

}  // namespace nf
