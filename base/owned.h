#pragma once
// Sole ownership of a C library handle (PETSc Vec, Mat, DM, TS, KSP, PetscViewer,
// VecScatter, MPI_Comm, SUNDIALS objects, ...): the handle is released exactly once, by
// its library's own destroy function, when the owner goes out of scope, also when a
// constructor throws after creating it. Create into it with `Create(..., x.out())`.
#include <utility>

namespace nf {

// Release is called as Release(&handle) and only for a handle that is set; it resets
// the handle (as PETSc's XxxDestroy do) or the owner does.
template <class Handle, auto Release>
class Owned {
 public:
  Owned() = default;
  explicit Owned(Handle h) : h_(h) {}
  ~Owned() { reset(); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& other) noexcept : h_(std::exchange(other.h_, Handle{})) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = std::exchange(other.h_, Handle{});
    }
    return *this;
  }

  Handle get() const { return h_; }
  operator Handle() const { return h_; }  // NOLINT: passes straight to the C API
  explicit operator bool() const { return h_ != Handle{}; }
  // The address to create into; releases what was held.
  Handle* out() {
    reset();
    return &h_;
  }
  Handle release() { return std::exchange(h_, Handle{}); }
  void reset() {
    if (h_ != Handle{}) Release(&h_);
    h_ = Handle{};
  }

 private:
  Handle h_{};
};

}  // namespace nf
