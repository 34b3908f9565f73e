// Switching time.integrator alone keeps any deck running: every method name of any
// backend is accepted by every backend, and runs a method of the same order where
// the backend has one (an explicit name never becomes an implicit method, nor the
// reverse, except where a backend has no method of that kind).
#include <gtest/gtest.h>

#include <string>

#include "solvers/integrators/integrator.h"

namespace nf {
namespace {

TEST(MethodNames, EveryNameRunsOnEveryBackend) {
  int checked = 0;
  for (const auto& from : integrator_backends())
    for (const auto& asked : from.methods)
      for (const auto& to : integrator_backends()) {
        const MethodInfo* run = nullptr;
        ASSERT_NO_THROW(run = &method_info(to, asked.name)) << asked.name << " on " << to.name;
        if (to.name == from.name) EXPECT_EQ(run->name, asked.name);
        ++checked;
      }
  int names = 0;
  for (const auto& b : integrator_backends()) names += static_cast<int>(b.methods.size());
  EXPECT_EQ(checked, names * static_cast<int>(integrator_backends().size()));
}

// Where the target has the same name, or a method of the same order under another
// name (rk4z and rk4, ark3 and arkimex3), the order is kept.
TEST(MethodNames, OrderKeptBetweenPetscAndArkode) {
  const IntegratorBackend* petsc = find_integrator_backend("petsc");
  const IntegratorBackend* arkode = find_integrator_backend("arkode");
  for (const char* name : {"euler", "rk2", "rk3", "rk3bs", "rk4", "rk5dp", "ssp3", "arkimex3", "arkimex4"})
    EXPECT_EQ(method_info(*arkode, name).order, method_info(*petsc, name).order) << name;
  for (const char* name : {"rk4z", "ark3", "ark4"})
    EXPECT_EQ(method_info(*petsc, name).order, method_info(*arkode, name).order) << name;
}

TEST(MethodNames, CvodeFamilies) {
  const IntegratorBackend* cvode = find_integrator_backend("cvode");
  for (const char* name : {"euler", "rk4", "rk5dp", "ssp3"}) EXPECT_EQ(method_info(*cvode, name).name, "adams");
  for (const char* name : {"beuler", "cn", "bdf2", "arkimex3", "ark4"}) EXPECT_EQ(method_info(*cvode, name).name, "bdf");
  EXPECT_EQ(cvode->default_method, "adams");
}

}  // namespace
}  // namespace nf
