// The telegraph single mode by the wave method's transport fields
// (tests/support/telegraph_mode.h; VERIFICATION §5): NFTsim's gamma = 116 /s,
// v = 9.976 m/s on a 0.5 m periodic line, phi(x, 0) = cos kx, phi_t = 0. At
// t = 0.02 s the exact factor is -0.0252624262; the wave method's point values of phi
// match it within 1e-4 relative at 256 cells (measured 3.2e-6; rk4, Courant number
// v dt/h = 0.8), on 1 and 2 ranks. The scheme is third order on smooth fields: under
// joint refinement of h and dt (64, 128, 256 cells; relative errors 2.2e-4, 2.6e-5,
// 3.2e-6), p = log2(E_h / E_{h/2}) must be 3 within 0.15. In 2D (a periodic plane
// 4 cells across, the fields phi and chi = phi_t of the telegraph equation, the 5-point
// Laplacian) the same phi is exact; its dispersion error is second order (relative
// 3.8e-4, 9.5e-5, 2.4e-5 at 256, 512, 1024 cells, Courant number 0.5): order 2 within
// 0.15, and within 1e-4 at 1024 cells.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "base/petsc_error.h"
#include "solvers/integrators/integrator.h"
#include "tests/support/telegraph_mode.h"

namespace nf {
namespace {

constexpr double kEnd = 0.02;  // s

class FinalError final : public StepObserver {
 public:
  explicit FinalError(const test::TelegraphMode& system) : system_(system) {}
  void observe(const StepState& s) override {
    if (std::abs(s.t - kEnd) < 1e-12) error_ = system_.max_error(s.t, s.u);
  }
  double value() const { return error_; }

 private:
  const test::TelegraphMode& system_;
  double error_ = -1;
};

// max_i |phi_i - phi(x_i, t_end)| / |factor(t_end)|.
double relative_error(PetscInt cells, PetscInt rows, double courant) {
  test::TelegraphMode system(PETSC_COMM_WORLD, cells, rows);
  IntegratorSettings s;
  s.t_end = kEnd;
  s.dt = courant * (0.5 / static_cast<double>(cells)) / (116 * 0.086);  // s: v dt / h = courant
  s.dt = kEnd / std::ceil(kEnd / s.dt);                               // lands on t_end
  s.method = "rk4";
  auto integrator = find_integrator_backend("petsc")->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  FinalError error(system);
  StepObserver* observers[] = {&error};
  integrator->run(u, observers);
  VecDestroy(&u);
  EXPECT_GE(error.value(), 0) << "no step landed on t_end";
  return error.value() / std::abs(test::TelegraphMode::factor(kEnd));
}

TEST(WaveTelegraphMode, FactorIsNftsims) {
  EXPECT_NEAR(test::TelegraphMode::factor(kEnd), -0.0252624262, 1e-10);
}

TEST(WaveTelegraphMode, MatchesExactModeAndConvergesAtThirdOrder) {
  std::vector<double> e;
  for (PetscInt cells : {64, 128, 256}) e.push_back(relative_error(cells, 0, 0.8));
  for (std::size_t r = 0; r + 1 < e.size(); ++r) {
    const double order = std::log2(e[r] / e[r + 1]);
    std::printf("telegraph mode: relative error %.3e -> %.3e, order %.3f\n", e[r], e[r + 1], order);
    EXPECT_NEAR(order, 3.0, 0.15);
  }
  EXPECT_LT(e.back(), 1e-4);
}

TEST(WaveTelegraphMode, PlaneMatchesExactModeAndConvergesAtSecondOrder) {
  std::vector<double> e;
  for (PetscInt cells : {256, 512, 1024}) e.push_back(relative_error(cells, 4, 0.5));
  for (std::size_t r = 0; r + 1 < e.size(); ++r) {
    const double order = std::log2(e[r] / e[r + 1]);
    std::printf("telegraph mode, plane: relative error %.3e -> %.3e, order %.3f\n", e[r], e[r + 1], order);
    EXPECT_NEAR(order, 2.0, 0.15);
  }
  EXPECT_LT(e.back(), 1e-4);
}

}  // namespace
}  // namespace nf
