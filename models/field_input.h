#pragma once
// External inputs I(x, t) of field models (models with a mesh), registered by name:
//   constant  I = value
//   pulse     I = A g(x - c)                      for onset <= t < onset + duration
//   moving    I = A g(x - c0 - v (t - onset))     for t >= onset
//   noise     I = std * xi(cell, t): independent N(0, 1) knots per cell every knot
//             spacing tc, joined linearly or by Catmull-Rom cubics
// with g(r) = exp(-|r|^2 / (2 w^2)) a Gaussian of width w (m); on a periodic axis r is
// the nearest image. x is a cell centre, (i + 1/2) h per axis (meshes/grid.h).
// A deck gives one as a mapping like model.kernel, e.g.
//   input: {type: pulse, amplitude: 1, centre: [25, 25], width: 2, onset: 1, duration: 0.5}
// or a plain number for a constant (input: 0.2).
//
// A model holds a FieldInputArray and adds its values in rhs: the input is evaluated
// once per rhs call for the whole patch, into an array the model owns.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/discontinuity.h"
#include "base/parameters.h"
#include "meshes/grid.h"

namespace nf {

class FieldInput {
 public:
  virtual ~FieldInput() = default;
  // I(x_c, t) at every owned cell c of `patch`, in the patch's owned order, one value
  // per cell. May keep caches between calls (per-axis factors, noise knots).
  virtual void evaluate(const Patch& patch, double t, double* out) = 0;
  // I does not depend on t: evaluated once.
  virtual bool time_independent() const { return false; }
  // The same value everywhere at all times (a constant), if so.
  virtual std::optional<double> uniform_value() const { return std::nullopt; }
  // The first time later than `after` where I is not smooth in t, and the order of the
  // derivative that jumps there (a pulse's on and off: 0; a linear noise knot: 1).
  virtual std::optional<Discontinuity> next_discontinuity(double /*after*/) const { return std::nullopt; }
};

struct FieldInputType {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<FieldInput>(const ParamValues&, const GridSpec& mesh)> make;
};

const std::vector<FieldInputType>& field_input_types();
const FieldInputType* find_field_input_type(const std::string& name);

// A model key holding a field input: a mapping {type: <registered input>, ...}; a plain
// number x reads as {type: constant, value: x}.
ParamSpec field_input_param(std::string name, std::string doc);
// The input read with field_input_param (values from ParamValues::nested). Throws
// ParamError with key "<name>.<parameter>" for a value the mesh rejects.
std::unique_ptr<FieldInput> make_field_input(const std::string& name, const ParamValues& values,
                                             const GridSpec& mesh);

// I = value everywhere (a model's input when none is given).
std::shared_ptr<FieldInput> constant_field_input(double value);

// The owned array a model adds in rhs: I on the patch at the latest t asked for. Sized
// at the first call (one allocation per run).
class FieldInputArray {
 public:
  explicit FieldInputArray(std::shared_ptr<FieldInput> input) : input_(std::move(input)) {}
  const double* at(const Patch& patch, double t);
  const FieldInput& input() const { return *input_; }

 private:
  std::shared_ptr<FieldInput> input_;
  std::vector<double> values_;
  std::array<PetscInt, 3> start_{-1, -1, -1}, count_{0, 0, 0};
  bool evaluated_ = false;
};

}  // namespace nf
