// The predicted dominant mode is shared out over the ranks: each member's root search
// runs on exactly one rank, every rank gets the same winner, and beyond the per-rank
// limit no search runs and a note says why. A model with a known family of members
// stands in for a characteristic equation.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

#include "problem/predicted_mode.h"

namespace nf {
namespace {

// Member k has rate -(k - peak)^2 + i k: the rightmost is k = peak.
class KnownFamily final : public Model {
 public:
  KnownFamily(std::size_t members, std::size_t peak) : members_(members), peak_(peak) {}
  GridSpec grid() const override { return {}; }
  std::vector<double> lags() const override { return {}; }
  void rhs(const RhsArgs&) const override {}
  std::size_t predicted_mode_count() const override { return members_; }
  PredictedMode predicted_mode(std::size_t k) const override {
    ++searches;
    const double d = static_cast<double>(k) - static_cast<double>(peak_);
    return {{-d * d, static_cast<double>(k)}, fmt::format("member {}", k)};
  }
  mutable std::size_t searches = 0;

 private:
  std::size_t members_, peak_;
};

long total(std::size_t local) {
  long sum = static_cast<long>(local);
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_LONG, MPI_SUM, PETSC_COMM_WORLD);
  return sum;
}

TEST(PredictedMode, EachMemberSearchedOnceAndTheWinnerIsEverywhere) {
  int ranks = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  for (std::size_t peak : {0, 17, 40}) {
    const KnownFamily model(41, peak);
    const ModePrediction p = predict_dominant_mode(model, PETSC_COMM_WORLD, 41);
    ASSERT_TRUE(p.mode.has_value());
    EXPECT_EQ(p.mode->rate, std::complex<double>(0.0, static_cast<double>(peak)));
    EXPECT_EQ(p.mode->label, fmt::format("member {}", peak));
    EXPECT_TRUE(p.note.empty());
    EXPECT_EQ(total(model.searches), 41);
    EXPECT_LE(model.searches, (41 + static_cast<std::size_t>(ranks) - 1) / static_cast<std::size_t>(ranks));
  }
}

TEST(PredictedMode, BeyondTheLimitNothingRunsAndTheNoteSaysWhy) {
  int ranks = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  const std::size_t members = 100, limit = 49;  // 1 rank: 100 > 49; 2 ranks: 50 > 49
  const KnownFamily model(members, 3);
  const ModePrediction p = predict_dominant_mode(model, PETSC_COMM_WORLD, limit);
  EXPECT_FALSE(p.mode.has_value());
  EXPECT_EQ(total(model.searches), 0);
  EXPECT_NE(p.note.find("analysis.predicted_mode_limit = 49"), std::string::npos) << p.note;
  EXPECT_NE(p.note.find("run on 3 ranks"), std::string::npos) << p.note;
  // At the limit exactly it runs.
  const ModePrediction q = predict_dominant_mode(model, PETSC_COMM_WORLD, (members + ranks - 1) / ranks);
  ASSERT_TRUE(q.mode.has_value());
  EXPECT_EQ(q.mode->label, "member 3");
}

}  // namespace
}  // namespace nf
