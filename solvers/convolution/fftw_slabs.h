#pragma once
// FFTW-MPI's side of the convolution: transform sizes, the slab of the transform's
// input this rank holds, its buffers and plans. FFTW is row-major, so its first
// (slab-distributed) index is the grid's last axis and its last (contiguous) index is
// x. 2D and 3D are r2c/c2r with transposed spectra (the r2c input rows padded to
// 2 (M_x/2 + 1) reals); 1D is a complex transform of real data (FFTW-MPI has no 1D
// r2c) with a scrambled spectrum or, for sizes its 1D algorithm refuses (primes and
// other sizes without a factorisation that suits the ranks), a serial transform on rank
// 0, which then holds the whole input and spectrum (1D grids are small). Every plan is FFTW_ESTIMATE: the
// same plan on every run, so results repeat bit for bit (FFTW_MEASURE picks plans by
// timing).
#include <fftw3-mpi.h>
#include <mpi.h>

#include <array>
#include <complex>
#include <cstddef>
#include <vector>

namespace nf {

// The smallest n' >= n whose prime factors are 2, 3, 5 and 7.
long nice_fft_size(long n);

class FftwSlabs {
 public:
  // `size` per grid axis (x, y, z; 1 for absent axes), `dimension` 1 to 3.
  FftwSlabs(MPI_Comm comm, int dimension, const std::array<long, 3>& size);
  ~FftwSlabs();
  FftwSlabs(const FftwSlabs&) = delete;
  FftwSlabs& operator=(const FftwSlabs&) = delete;

  const std::array<long, 3>& size() const { return size_; }
  // This rank's slab along the grid's last axis: [slab_start, slab_start + slab_count).
  long slab_start() const { return slab_start_; }
  long slab_count() const { return slab_count_; }
  // Reals in this rank's input (padding included).
  std::size_t input_size() const { return input_size_; }
  // Position in this rank's input of the real value at global index (x, y, z), the
  // grid's last axis inside a slab starting at `start` (this rank's or another's).
  long input_position(long x, long y, long z, long start) const;
  std::size_t spectrum_size() const { return spectrum_size_; }
  double* input() { return real_; }
  std::complex<double>* spectrum() { return reinterpret_cast<std::complex<double>*>(spectrum_); }
  // input -> spectrum (the input is not preserved) and spectrum -> input, unnormalised.
  void forward() {
    if (forward_) fftw_execute(forward_);
  }
  void backward() {
    if (backward_) fftw_execute(backward_);
  }

 private:
  bool plan_1d_scrambled(MPI_Comm comm);
  void plan_1d_on_rank0(MPI_Comm comm);
  void plan_r2c(MPI_Comm comm);
  void allocate(std::ptrdiff_t complex_count);
  void release();

  int dimension_;
  std::array<long, 3> size_;
  long slab_start_ = 0, slab_count_ = 0, row_ = 0;  // row_: reals per x row
  std::size_t input_size_ = 0, spectrum_size_ = 0;
  double* real_ = nullptr;
  fftw_complex* spectrum_ = nullptr;
  fftw_plan forward_ = nullptr, backward_ = nullptr;
};

}  // namespace nf
