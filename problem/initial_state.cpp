#include "problem/initial_state.h"

#include <cmath>
#include <stdexcept>

#include "base/petsc_error.h"

namespace nf {
namespace {

double hashed_uniform(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + index + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return 2.0 * ((static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53) - 1.0;
}

// u at every owned (cell i, j, k, component c) = value(i, global index).
template <class Value>
void fill_owned(const Patch& p, Vec u, Value value) {
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        for (PetscInt c = 0; c < p.dof; ++c) {
          const auto global = static_cast<std::uint64_t>(((k * p.global[1] + j) * p.global[0] + i) * p.dof + c);
          a[p.owned(i, j, k, c)] = value(i, global);
        }
  check_petsc(VecRestoreArray(u, &a));
}

}  // namespace

void InitialState::fill(const Patch& p, Vec u) const {
  if (type == "mode")
    fill_owned(p, u, [this](PetscInt i, std::uint64_t) { return amplitude * std::cos(wavenumber * static_cast<double>(i)); });
  else if (type == "random")
    fill_owned(p, u, [this](PetscInt, std::uint64_t global) { return amplitude * hashed_uniform(seed, global); });
  else if (type == "rest")
    check_petsc(VecSet(u, 0.0));
  else
    throw std::invalid_argument("initial.type = " + type + " is not rest, mode or random");
}

}  // namespace nf
