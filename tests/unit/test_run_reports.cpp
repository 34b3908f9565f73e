// summary.json, log.txt and deck.used.yaml say what ran, read back from the solver
// objects: PETSc options that change the method or stop the run early, and a method
// name of another backend (rk4 on CVODE runs adams).
#include <gtest/gtest.h>
#include <petscsys.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

using PetscOption = std::pair<std::string, std::string>;

struct Ran {
  SimulationResult result;
  std::string log, used;
};

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Ran run_chain(std::vector<std::string> overrides, const std::vector<PetscOption>& petsc, const std::string& tag) {
  test::TempDir dir(PETSC_COMM_WORLD, tag);
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false", "output.dir=" + dir.path().string()});
  for (const auto& [name, value] : petsc) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
  Ran ran;
  overrides = test::shortened_run_overrides(test::deck_text("pc_chain.yaml"), std::move(overrides), tag);
  const Deck deck = Deck::parse(test::deck_text("pc_chain.yaml"), "pc_chain.yaml", overrides);
  try {
    ran.result = run_simulation(deck, PETSC_COMM_WORLD, tag);
  } catch (...) {
    for (const auto& [name, value] : petsc) PetscOptionsClearValue(nullptr, name.c_str());
    throw;
  }
  for (const auto& [name, value] : petsc) PetscOptionsClearValue(nullptr, name.c_str());
  ran.log = read(dir.path() / "log.txt");
  ran.used = read(dir.path() / "deck.used.yaml");
  return ran;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A run that reaches t_end reports it as the final time, to round-off of the sum of
// its steps, and no early stop.
TEST(RunReports, FinalTimeIsTEndWhenReached) {
  const Ran r = run_chain({"time.t_end=0.05"}, {}, "reports_full");
  EXPECT_TRUE(r.result.stats.stopped_early.empty()) << r.result.stats.stopped_early;
  EXPECT_NEAR(r.result.summary["t_end"].get<double>(), 0.05, 1e-14);
  EXPECT_EQ(r.result.summary["t_end_requested"].get<double>(), 0.05);
  EXPECT_EQ(r.result.stats.steps, 50);  // dt = 1e-3
  EXPECT_FALSE(has(r.log, "WARNING"));
}

// -ts_max_steps 100 with dt = 1 ms stops at t = 0.1 s: summary.json's t_end is that
// time, the request stays in t_end_requested, and log.txt says why it stopped.
TEST(RunReports, StepLimitStopsEarlyAndSaysSo) {
  const Ran r = run_chain({"time.t_end=1"}, {{"-ts_max_steps", "100"}}, "reports_max_steps");
  EXPECT_EQ(r.result.stats.steps, 100);
  EXPECT_NEAR(r.result.summary["t_end"].get<double>(), 0.1, 1e-13);
  EXPECT_EQ(r.result.summary["t_end_requested"].get<double>(), 1.0);
  EXPECT_EQ(r.result.summary["steps"].get<int>(), 100);
  EXPECT_TRUE(has(r.result.stats.stopped_early, "-ts_max_steps")) << r.result.stats.stopped_early;
  EXPECT_TRUE(has(r.log, "WARNING: stopped at t = 0.1 s, before time.t_end = 1 s")) << r.log;
}

// -ts_rk_type 5dp runs Dormand-Prince although the deck says rk4.
TEST(RunReports, PetscOptionThatChangesTheMethod) {
  const Ran r = run_chain({"time.t_end=0.05"}, {{"-ts_rk_type", "5dp"}}, "reports_rk_type");
  EXPECT_EQ(r.result.method.backend, "petsc");
  EXPECT_EQ(r.result.method.method, "rk5dp");
  EXPECT_EQ(r.result.method.order, 5);
  EXPECT_FALSE(r.result.method.adaptive);
  EXPECT_EQ(r.result.summary["method"]["name"], "rk5dp");
  EXPECT_EQ(r.result.summary["method"]["order"], 5);
  EXPECT_TRUE(has(r.used, "  method: rk5dp\n")) << r.used;
  EXPECT_TRUE(has(r.log, "method petsc rk5dp (TS rk 5dp), order 5, fixed steps")) << r.log;
}

// rk4 on CVODE runs Adams-Moulton (orders 1-12, always adaptive).
TEST(RunReports, CvodeRunsAdamsForRk4) {
  const Ran r = run_chain({"time.t_end=0.05", "time.integrator=cvode", "time.method=rk4"}, {}, "reports_cvode");
  EXPECT_EQ(r.result.method.method, "adams");
  EXPECT_EQ(r.result.method.order, 12);
  EXPECT_TRUE(r.result.method.adaptive);
  EXPECT_EQ(r.result.summary["method"]["name"], "adams");
  EXPECT_TRUE(has(r.used, "  method: adams\n")) << r.used;
  EXPECT_FALSE(has(r.used, "  method: rk4\n")) << r.used;
}

// ARKODE's table is read back: Dormand-Prince has 7 stages, order 5, embedded 4.
TEST(RunReports, ArkodeTableReadBack) {
  const Ran r = run_chain({"time.t_end=0.05", "time.integrator=arkode", "time.method=rk5dp", "time.adaptive=true"}, {},
                          "reports_arkode");
  EXPECT_EQ(r.result.method.order, 5);
  EXPECT_TRUE(has(r.result.method.library, "7 stages, order 5, embedded order 4")) << r.result.method.library;
  EXPECT_TRUE(r.result.method.adaptive);
}

}  // namespace
}  // namespace nf
