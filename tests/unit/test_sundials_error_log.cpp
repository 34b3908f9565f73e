// SUNDIALS' error handler runs inside SUNDIALS' C frames: it collects the messages
// into a fixed buffer (no allocation, nothing that throws) and marks a cut.
#include <gtest/gtest.h>

#include <string>

#include "solvers/integrators/sundials_support.h"

namespace nf {
namespace {

TEST(SundialsErrorLog, CollectsErrorsInOrderAndClears) {
  SundialsErrorLog log;
  char first[] = "At t = 1, mxstep steps taken";
  char second[] = "the right-hand side failed";
  SundialsErrorLog::handler(-1, "ARKODE", "ARKStepEvolve", first, &log);
  SundialsErrorLog::handler(-8, "ARKODE", "ARKODE", second, &log);  // function = module: named once
  EXPECT_EQ(log.take(), "ARKODE ARKStepEvolve: At t = 1, mxstep steps taken; ARKODE: the right-hand side failed");
  EXPECT_EQ(log.take(), "");
}

TEST(SundialsErrorLog, WarningsAreNotErrors) {
  SundialsErrorLog log;
  char warning[] = "t + h = t on the next step";
  SundialsErrorLog::handler(99, "CVODE", "CVode", warning, &log);
  EXPECT_EQ(log.take(), "");
}

TEST(SundialsErrorLog, LongMessagesAreCutAndMarked) {
  SundialsErrorLog log;
  std::string text(5000, 'x');
  for (int i = 0; i < 3; ++i) SundialsErrorLog::handler(-1, "CVODE", "CVode", text.data(), &log);
  const std::string all = log.take();
  EXPECT_EQ(all.size(), 2047u);  // the buffer less its terminating zero
  EXPECT_EQ(all.substr(0, 12), "CVODE CVode:");
  EXPECT_EQ(all.substr(all.size() - 6), " [...]");
}

}  // namespace
}  // namespace nf
