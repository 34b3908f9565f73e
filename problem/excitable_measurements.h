#pragma once
// summary.json's measurements of excitable media (models with TipLevels):
//   1D: pulse_speed (m/s), fit_front_speed of the leading edge (the last falling
//       crossing of front_level(), FrontObserver) over t >= t_start; pulse_width (m),
//       the mean over the same steps of the leading minus the trailing (first rising)
//       crossing.
//   2D, 3D: spiral_period (s), the rotation period of the tip trajectory
//       (SpiralTipObserver, fit_rotation_period: the least-squares slope of the tip's
//       unwrapped angle about its mean position) over t >= t_start, with the turns
//       fitted, the centre and the sense; the trajectory itself in tip_trajectory.csv.
// null where the run shows none. Rank 0 only.
#include <nlohmann/json.hpp>

#include <filesystem>

#include "models/model.h"
#include "postprocess/front_observer.h"
#include "postprocess/spiral_tip_observer.h"

namespace nf {

void add_pulse_measurements(const FrontObserver& fronts, double t_start, nlohmann::json& summary);
void add_spiral_measurements(const SpiralTipObserver& tips, double t_start, nlohmann::json& summary);

// tip_trajectory.csv in `dir`, written under a .part name and renamed: a comment line
// with the levels, then "t_s,x_m,y_m,candidates" and one row per observed step (x, y
// empty where no tip was found).
void write_tip_trajectory(const SpiralTipObserver& tips, TipLevels levels, const std::filesystem::path& dir);

}  // namespace nf
