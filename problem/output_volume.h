#pragma once
// What a run will write, estimated before it starts: VTK frames (raw appended float64,
// one piece per rank), HDF5 frames and the probe series, against the free space where
// the run folder goes. A run that would fill the disk is refused at the key that
// decides most of it, not found out when a write fails halfway.
#include <filesystem>
#include <string>

#include "io/deck.h"
#include "meshes/grid.h"

namespace nf {

struct OutputVolume {
  double vtk_bytes = 0, hdf5_bytes = 0, probe_bytes = 0;  // B
  double free_bytes = 0;  // B available at the run folder's file system (0: unknown)
  double total() const { return vtk_bytes + hdf5_bytes + probe_bytes; }
};

OutputVolume estimate_output_volume(const Deck& deck, const Grid& grid, std::size_t probes,
                                    const std::filesystem::path& dir);
// One line for the log. Throws a DeckError (output.vtk_every, output.hdf5_every or
// output.probes) when the estimate exceeds 90 % of the free space.
std::string check_output_volume(const Deck& deck, const OutputVolume& v);

}  // namespace nf
