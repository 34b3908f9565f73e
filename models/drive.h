#pragma once
// External drive I(t) fed into a model (for the predictive-coding chain: the sensory
// input y_0 at the bottom, or a forcing of the top layer). Evaluated once per
// right-hand side, never per node. Every drive is a deterministic function of t, so
// all ranks and all step sizes see the same signal.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/discontinuity.h"
#include "base/parameters.h"

namespace nf {

class Drive {
 public:
  virtual ~Drive() = default;
  virtual double value(double t) const = 0;  // t in s
  // The first time later than `after` (beyond round-off, see base/time_tolerance.h)
  // where I(t) is not smooth, with the order of the derivative that jumps there; none
  // for a smooth drive. The solvers land steps on these times and on their echoes
  // through the lags (breaking points), so a jump does not cost the method its order.
  virtual std::optional<Discontinuity> next_discontinuity(double /*after*/) const { return std::nullopt; }
};

struct DriveType {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Drive>(const ParamValues&)> make;
};

// The first discontinuity later than `after` of I(t - shift) (a drive entering a
// model `shift` seconds late): I's own, moved by shift; none without a drive.
std::optional<Discontinuity> shifted_discontinuity(const Drive* drive, double after, double shift);

const std::vector<DriveType>& drive_types();
const DriveType* find_drive_type(const std::string& name);

// The counter-based generator of the noise drives: a standard normal value that is a
// pure function of (key, k) (SplitMix64 hashing, Box-Muller), so every rank, every
// step size and every rank count draws the same value for the same counter.
double counter_normal(std::uint64_t key, std::int64_t k);
// A key for stream `stream` (a cell index, say) of seed `seed`.
std::uint64_t counter_stream_key(std::uint64_t seed, std::uint64_t stream);

}  // namespace nf
