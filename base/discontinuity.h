#pragma once
// A time where a function of t stops being smooth: its derivative of order `order`
// jumps there (0: the value itself, as at a switch-on; 1: the slope, as at a kink).
namespace nf {

struct Discontinuity {
  double t;   // s
  int order;  // >= 0
};

}  // namespace nf
