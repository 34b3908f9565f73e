#include "problem/initial_state.h"

#include <algorithm>
#include <array>
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

// u at every owned (cell i, j, k, component c) = value((i, j, k), c).
template <class Value>
void fill_components(const Patch& p, Vec u, Value value) {
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        for (PetscInt c = 0; c < p.dof; ++c) a[p.owned(i, j, k, c)] = value(std::array<PetscInt, 3>{i, j, k}, c);
  check_petsc(VecRestoreArray(u, &a));
}

// u at every owned (cell i, j, k, component c) = value((i, j, k), global index).
template <class Value>
void fill_owned(const Patch& p, Vec u, Value value) {
  fill_components(p, u, [&p, &value](std::array<PetscInt, 3> cell, PetscInt c) {
    const auto global =
        static_cast<std::uint64_t>(((cell[2] * p.global[1] + cell[1]) * p.global[0] + cell[0]) * p.dof + c);
    return value(cell, global);
  });
}

}  // namespace

void InitialState::fill(const Patch& p, Vec u) const {
  fill_perturbation(p, u);
  add_rest(p, u);
}

void InitialState::add_rest(const Patch& p, Vec u) const {
  if (rest.empty()) return;
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  const PetscInt n = std::min<PetscInt>(p.dof, static_cast<PetscInt>(rest.size()));
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        for (PetscInt c = 0; c < n; ++c) a[p.owned(i, j, k, c)] += rest[c];
  check_petsc(VecRestoreArray(u, &a));
}

void InitialState::fill_perturbation(const Patch& p, Vec u) const {
  if (type == "mode")
    fill_owned(p, u, [this](std::array<PetscInt, 3> c, std::uint64_t) {
      return amplitude * std::cos(wavenumber * static_cast<double>(c[0]) * spacing[0]);
    });
  else if (type == "random")
    fill_owned(p, u, [this](std::array<PetscInt, 3>, std::uint64_t global) { return amplitude * hashed_uniform(seed, global); });
  else if (type == "front")
    fill_owned(p, u, [this](std::array<PetscInt, 3> c, std::uint64_t) {
      return (static_cast<double>(c[0]) + 0.5) * spacing.at(0) < position ? amplitude : 0.0;
    });
  else if (type == "bump")
    fill_owned(p, u, [this, &p](std::array<PetscInt, 3> c, std::uint64_t) {
      double r2 = 0;
      for (std::size_t a = 0; a < spacing.size(); ++a) {
        const double d = (static_cast<double>(c[a]) + 0.5 - 0.5 * static_cast<double>(p.global[a])) * spacing[a];
        r2 += d * d;
      }
      return r2 < 0.25 * width * width ? amplitude : 0.0;
    });
  else if (type == "travelling_wave")
    fill_owned(p, u, [this](std::array<PetscInt, 3> c, std::uint64_t) {
      return profile((static_cast<double>(c[0]) + 0.5) * spacing.at(0) - position);
    });
  else if (type == "half_plane")
    fill_components(p, u, [this](std::array<PetscInt, 3> cell, PetscInt c) {
      if (static_cast<std::size_t>(c) >= amplitudes.size()) return 0.0;
      const auto axis = static_cast<std::size_t>(axes.at(c));
      const double x = (static_cast<double>(cell[axis]) + 0.5) * spacing.at(axis);
      return x < positions.at(c) ? amplitudes[c] : 0.0;
    });
  else if (type == "rest")
    check_petsc(VecSet(u, 0.0));
  else
    throw std::invalid_argument("initial.type = " + type +
                                " is not rest, mode, random, front, bump, half_plane or travelling_wave");
}

}  // namespace nf
