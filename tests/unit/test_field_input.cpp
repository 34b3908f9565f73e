// Field inputs I(x, t) (models/field_input.h) against their formulas, to 1e-12, on a
// 2D mesh with one periodic axis (the nearest image), on the whole grid and on a
// sub-patch (what one rank of several owns); their discontinuities in t; the noise's
// knots against the counter-based generator and their moments; the deck's plain
// number for a constant.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "io/deck.h"
#include "models/drive.h"
#include "models/field_input.h"

namespace nf {
namespace {

constexpr double kTol = 1e-12;

// 10 x 6 cells of 0.5 m x 0.25 m; x bounded, y periodic (length 1.5 m).
GridSpec mesh() {
  GridSpec g;
  g.cells = {10, 6};
  g.spacing = {0.5, 0.25};
  g.boundary = {Boundary::bounded, Boundary::periodic};
  return g;
}

Patch patch(std::array<PetscInt, 3> start, std::array<PetscInt, 3> count) {
  Patch p;
  p.start = start;
  p.count = count;
  p.global = {10, 6, 1};
  return p;
}

Patch whole() { return patch({0, 0, 0}, {10, 6, 1}); }

std::unique_ptr<FieldInput> make(const std::string& type, const ParamValues& v) {
  return find_field_input_type(type)->make(v, mesh());
}

ParamValues values(const std::string& type, std::map<std::string, double> reals,
                   std::map<std::string, std::vector<double>> lists = {}) {
  ParamValues v = defaults_of(find_field_input_type(type)->params);
  for (const auto& [k, x] : reals) v.set(k, x);
  for (const auto& [k, x] : lists) v.set(k, x);
  return v;
}

// exp(-|x - c|^2/(2 w^2)) at cell (i, j), y periodic with length 1.5 m.
double gaussian(PetscInt i, PetscInt j, double cx, double cy, double w) {
  const double dx = (i + 0.5) * 0.5 - cx;
  double dy = (j + 0.5) * 0.25 - cy;
  dy -= 1.5 * std::round(dy / 1.5);
  return std::exp(-(dx * dx + dy * dy) / (2 * w * w));
}

std::vector<double> eval(FieldInput& in, const Patch& p, double t) {
  std::vector<double> out(static_cast<std::size_t>(p.count[0] * p.count[1]));
  in.evaluate(p, t, out.data());
  return out;
}

TEST(FieldInput, ConstantIsItsValue) {
  auto in = make("constant", values("constant", {{"value", 0.2}}));
  for (double v : eval(*in, whole(), 3.0)) EXPECT_EQ(v, 0.2);
  EXPECT_TRUE(in->time_independent());
  EXPECT_EQ(in->uniform_value().value(), 0.2);
  EXPECT_FALSE(in->next_discontinuity(0).has_value());
}

TEST(FieldInput, PulseIsAGaussianSwitchedOnAndOff) {
  auto in = make("pulse", values("pulse", {{"amplitude", 1.7}, {"width", 0.4}, {"onset", 0.5}, {"duration", 0.25}},
                                 {{"centre", {2.1, 0.1}}}));
  for (double t : {0.0, 0.49, 0.75, 1.0})
    for (double v : eval(*in, whole(), t)) EXPECT_EQ(v, 0.0) << "t = " << t;
  for (double t : {0.5, 0.6, 0.7499}) {
    const auto v = eval(*in, whole(), t);
    for (PetscInt j = 0; j < 6; ++j)
      for (PetscInt i = 0; i < 10; ++i) EXPECT_NEAR(v[j * 10 + i], 1.7 * gaussian(i, j, 2.1, 0.1, 0.4), kTol);
  }
  EXPECT_EQ(in->next_discontinuity(0)->t, 0.5);
  EXPECT_EQ(in->next_discontinuity(0)->order, 0);
  EXPECT_EQ(in->next_discontinuity(0.5)->t, 0.75);
  EXPECT_FALSE(in->next_discontinuity(0.75).has_value());
}

TEST(FieldInput, PulseCentreDefaultsToTheDomainCentre) {
  auto in = make("pulse", values("pulse", {{"width", 0.6}, {"onset", 0}}));
  const auto v = eval(*in, whole(), 0.1);
  for (PetscInt j = 0; j < 6; ++j)
    for (PetscInt i = 0; i < 10; ++i) EXPECT_NEAR(v[j * 10 + i], gaussian(i, j, 2.5, 0.75, 0.6), kTol);
}

TEST(FieldInput, MovingGaussianTravelsWithItsVelocity) {
  auto in = make("moving", values("moving", {{"amplitude", -0.8}, {"width", 0.3}, {"onset", 0.2}},
                                  {{"centre", {0.5, 1.4}}, {"velocity", {2.0, 0.7}}}));
  for (double v : eval(*in, whole(), 0.1)) EXPECT_EQ(v, 0.0);
  for (double t : {0.2, 0.9, 1.6}) {
    const auto v = eval(*in, whole(), t);
    const double cx = 0.5 + 2.0 * (t - 0.2), cy = 1.4 + 0.7 * (t - 0.2);
    for (PetscInt j = 0; j < 6; ++j)
      for (PetscInt i = 0; i < 10; ++i) EXPECT_NEAR(v[j * 10 + i], -0.8 * gaussian(i, j, cx, cy, 0.3), kTol);
  }
  EXPECT_EQ(in->next_discontinuity(0)->t, 0.2);
  EXPECT_FALSE(in->next_discontinuity(0.2).has_value());
}

TEST(FieldInput, MovingNeedsAVelocityPerAxis) {
  EXPECT_THROW(make("moving", values("moving", {{"amplitude", 1}}, {{"velocity", {1.0}}})), ParamError);
}

// xi(c, k) for cell c = j * 10 + i.
double knot(std::uint64_t seed, PetscInt cell, std::int64_t k) {
  return counter_normal(counter_stream_key(seed, static_cast<std::uint64_t>(cell)), k);
}

TEST(FieldInput, LinearNoiseJoinsTheGeneratorsKnots) {
  ParamValues v = values("noise", {{"std", 0.3}, {"seed", 11}, {"knot_spacing", 0.02}});
  auto in = make("noise", v);
  for (double t : {0.0, 0.013, 0.02, 0.047, 0.31}) {
    const auto out = eval(*in, whole(), t);
    const double x = t / 0.02, k = std::floor(x), s = x - k;
    for (PetscInt c = 0; c < 60; ++c)
      EXPECT_NEAR(out[c], 0.3 * ((1 - s) * knot(11, c, std::int64_t(k)) + s * knot(11, c, std::int64_t(k) + 1)),
                  kTol);
  }
  const auto d = in->next_discontinuity(0.03);
  EXPECT_NEAR(d->t, 0.04, 1e-15);
  EXPECT_EQ(d->order, 1);
}

TEST(FieldInput, CubicNoiseIsCatmullRomThroughTheKnots) {
  ParamValues v = values("noise", {{"std", 1.0}, {"seed", 5}, {"knot_spacing", 0.1}});
  v.set("interpolation", std::string("cubic"));
  auto in = make("noise", v);
  for (double t : {0.3, 0.325, 0.37, 0.4}) {
    const auto out = eval(*in, whole(), t);
    const double x = t / 0.1, kf = std::floor(x), s = x - kf;
    const auto k = static_cast<std::int64_t>(kf);
    for (PetscInt c = 0; c < 60; ++c) {
      const double p0 = knot(5, c, k - 1), p1 = knot(5, c, k), p2 = knot(5, c, k + 1), p3 = knot(5, c, k + 2);
      const double cr = 0.5 * (2 * p1 + (-p0 + p2) * s + (2 * p0 - 5 * p1 + 4 * p2 - p3) * s * s +
                               (-p0 + 3 * p1 - 3 * p2 + p3) * s * s * s);
      EXPECT_NEAR(out[c], cr, kTol);
    }
  }
  EXPECT_EQ(in->next_discontinuity(0.3)->order, 2);
}

// One rank of several owns a sub-patch: the same cells get the same values.
TEST(FieldInput, NoiseOnASubPatchMatchesTheWholeGrid) {
  ParamValues v = values("noise", {{"std", 1.0}, {"seed", 3}, {"knot_spacing", 0.01}});
  auto all = make("noise", v), part = make("noise", v);
  const Patch sub = patch({4, 2, 0}, {5, 3, 1});
  for (double t : {0.0, 0.004, 0.011, 0.05}) {
    const auto a = eval(*all, whole(), t), b = eval(*part, sub, t);
    for (PetscInt j = 0; j < 3; ++j)
      for (PetscInt i = 0; i < 5; ++i) EXPECT_EQ(b[j * 5 + i], a[(j + 2) * 10 + (i + 4)]);
  }
}

// 60 cells x 200 knots = 12000 N(0, 1) draws: mean within 4 sigma/sqrt(n), variance
// within 4 sqrt(2/n) of 1.
TEST(FieldInput, NoiseKnotsAreStandardNormal) {
  auto in = make("noise", values("noise", {{"std", 1.0}, {"seed", 9}, {"knot_spacing", 1.0}}));
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int k = 0; k < 200; ++k)
    for (double x : eval(*in, whole(), k)) sum += x, sum2 += x * x, ++n;
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(var, 1.0, 4 * std::sqrt(2.0 / n));
}

TEST(FieldInputDeck, APlainNumberIsAConstant) {
  const std::string text = "model: {type: amari, input: 0.2}\nmesh: {cells: [8], length: [4]}\n";
  const Deck deck = Deck::parse(text, "inline.yaml", {});
  const ParamValues v = deck.section("model").nested("input");
  EXPECT_EQ(v.choice("type"), "constant");
  EXPECT_EQ(v.real("value"), 0.2);
  const Deck again = Deck::parse(deck.effective_yaml(), "used.yaml", {});
  EXPECT_EQ(again.section("model").nested("input").real("value"), 0.2);
  const Deck pulse = Deck::parse(text, "inline.yaml", {"model.input={type: pulse, centre: [1.5], width: 0.5}"});
  const ParamValues p = pulse.section("model").nested("input");
  EXPECT_EQ(p.reals("centre"), std::vector<double>{1.5});
  EXPECT_EQ(p.real("duration"), 1.0);
  const Deck used = Deck::parse(pulse.effective_yaml(), "used.yaml", {});
  EXPECT_EQ(used.section("model").nested("input").reals("centre"), std::vector<double>{1.5});
}

}  // namespace
}  // namespace nf
