#include "problem/output_volume.h"

#include <fmt/format.h>

#include <cmath>

#include "solvers/history/history_memory.h"

namespace nf {
namespace {

// Frames written at interval `every` (0: every step) over [0, t_end], the first at 0.
double frames(double t_end, double dt, double every) {
  return std::floor(t_end / (every > 0 ? std::max(every, dt) : dt)) + 1;
}

double free_space(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path p = dir;
  while (!p.empty() && !std::filesystem::exists(p, ec) && p != p.parent_path()) p = p.parent_path();
  const auto s = std::filesystem::space(p.empty() ? "." : p, ec);
  return ec ? 0.0 : static_cast<double>(s.available);
}

}  // namespace

OutputVolume estimate_output_volume(const Deck& deck, const Grid& grid, std::size_t probes,
                                    const std::filesystem::path& dir) {
  const ParamValues& out = deck.section("output");
  const ParamValues& time = deck.section("time");
  const double t_end = time.real("t_end"), dt = time.real("dt");
  const double values = static_cast<double>(grid.global_size()) * 8;  // B per frame
  OutputVolume v;
  if (out.flag("vtk")) v.vtk_bytes = frames(t_end, dt, out.real("vtk_every")) * values;
  if (out.flag("hdf5")) v.hdf5_bytes = frames(t_end, dt, out.real("hdf5_every")) * values;
  v.probe_bytes = (t_end / dt + 1) * (static_cast<double>(probes) * static_cast<double>(grid.dof()) + 1) * 8;
  v.free_bytes = free_space(dir);
  return v;
}

std::string check_output_volume(const Deck& deck, const OutputVolume& v) {
  const std::string line = fmt::format("output (estimate) {}: VTK {}, HDF5 {}, probes {}; {} free", format_bytes(v.total()),
                                       format_bytes(v.vtk_bytes), format_bytes(v.hdf5_bytes),
                                       format_bytes(v.probe_bytes), format_bytes(v.free_bytes));
  // A file system that reports no space (procfs, an unknown one) is not judged here.
  if (!std::isfinite(v.total()))  // more steps than a double counts: t_end itself is at fault
    throw deck.error_at("time.t_end", line + ": a run of that length never ends",
                        fmt::format("a time.t_end whose output fits the {} free", format_bytes(v.free_bytes)));
  if (v.free_bytes <= 0 || v.total() <= 0.9 * v.free_bytes) return line;
  const double largest = std::max({v.vtk_bytes, v.hdf5_bytes, v.probe_bytes});
  const double factor = v.total() / (0.9 * v.free_bytes);
  if (largest == v.probe_bytes)
    throw deck.error_at("output.probes", line + ": more than the disk holds",
                        "fewer probe cells, or a longer time.dt, or output.dir on a larger disk");
  const std::string key = largest == v.vtk_bytes ? "output.vtk_every" : "output.hdf5_every";
  const double every = deck.section("output").real(largest == v.vtk_bytes ? "vtk_every" : "hdf5_every");
  throw deck.error_at(key, line + ": more than the disk holds",
                      fmt::format("{} >= {:.3g} s, output.{} = false, or output.dir on a larger disk", key,
                                  std::max(every, deck.section("time").real("dt")) * factor,
                                  largest == v.vtk_bytes ? "vtk" : "hdf5"));
}

}  // namespace nf
