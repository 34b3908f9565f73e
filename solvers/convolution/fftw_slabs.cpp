#include "solvers/convolution/fftw_slabs.h"

#include <algorithm>
#include <stdexcept>

namespace nf {
namespace {

void init_fftw_mpi_once() {
  static const bool initialised = [] {
    fftw_mpi_init();
    return true;
  }();
  (void)initialised;
}

bool all_true(MPI_Comm comm, bool mine) {
  int local = mine ? 1 : 0, all = 0;
  MPI_Allreduce(&local, &all, 1, MPI_INT, MPI_MIN, comm);
  return all == 1;
}

}  // namespace

long nice_fft_size(long n) {
  for (long m = std::max(1L, n);; ++m) {
    long r = m;
    for (long p : {2, 3, 5, 7})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

FftwSlabs::FftwSlabs(MPI_Comm comm, int dimension, const std::array<long, 3>& size)
    : dimension_(dimension), size_(size) {
  init_fftw_mpi_once();
  if (dimension == 1) {
    if (!plan_1d_scrambled(comm)) plan_1d_on_rank0(comm);
  } else {
    plan_r2c(comm);
  }
}

FftwSlabs::~FftwSlabs() { release(); }

void FftwSlabs::release() {
  if (forward_) fftw_destroy_plan(forward_);
  if (backward_) fftw_destroy_plan(backward_);
  fftw_free(real_);
  fftw_free(spectrum_);
  forward_ = backward_ = nullptr;
  real_ = nullptr;
  spectrum_ = nullptr;
}

void FftwSlabs::allocate(std::ptrdiff_t complex_count) {
  const std::ptrdiff_t n = std::max<std::ptrdiff_t>(complex_count, 1);
  real_ = fftw_alloc_real(2 * n);
  spectrum_ = fftw_alloc_complex(n);
  if (!real_ || !spectrum_) throw std::bad_alloc();
  std::fill(real_, real_ + 2 * n, 0.0);
}

bool FftwSlabs::plan_1d_scrambled(MPI_Comm comm) {
  const std::ptrdiff_t n = size_[0];
  std::ptrdiff_t in_n, in_start, out_n, out_start, back_in_n, back_in_start, back_out_n, back_out_start;
  const std::ptrdiff_t count =
      fftw_mpi_local_size_1d(n, comm, FFTW_FORWARD, FFTW_MPI_SCRAMBLED_OUT, &in_n, &in_start, &out_n, &out_start);
  fftw_mpi_local_size_1d(n, comm, FFTW_BACKWARD, FFTW_MPI_SCRAMBLED_IN, &back_in_n, &back_in_start, &back_out_n,
                         &back_out_start);
  // The backward transform must read the forward's spectrum and write its input layout.
  if (!all_true(comm, back_in_n == out_n && back_in_start == out_start && back_out_n == in_n &&
                          back_out_start == in_start))
    return false;
  allocate(count);
  auto* in = reinterpret_cast<fftw_complex*>(real_);
  forward_ = fftw_mpi_plan_dft_1d(n, in, spectrum_, comm, FFTW_FORWARD, FFTW_ESTIMATE | FFTW_MPI_SCRAMBLED_OUT);
  backward_ = fftw_mpi_plan_dft_1d(n, spectrum_, in, comm, FFTW_BACKWARD, FFTW_ESTIMATE | FFTW_MPI_SCRAMBLED_IN);
  if (!all_true(comm, forward_ && backward_)) {
    release();
    return false;
  }
  slab_start_ = in_start;
  slab_count_ = in_n;
  row_ = 2;
  input_size_ = 2 * in_n;
  spectrum_size_ = out_n;
  return true;
}

void FftwSlabs::plan_1d_on_rank0(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const long n = rank == 0 ? size_[0] : 0;
  allocate(n);
  if (rank == 0) {
    auto* in = reinterpret_cast<fftw_complex*>(real_);
    forward_ = fftw_plan_dft_1d(static_cast<int>(n), in, spectrum_, FFTW_FORWARD, FFTW_ESTIMATE);
    backward_ = fftw_plan_dft_1d(static_cast<int>(n), spectrum_, in, FFTW_BACKWARD, FFTW_ESTIMATE);
    if (!forward_ || !backward_) throw std::runtime_error("FFTW made no plan for a 1D transform");
  }
  slab_start_ = 0;
  slab_count_ = n;
  row_ = 2;
  input_size_ = 2 * n;
  spectrum_size_ = n;
}

void FftwSlabs::plan_r2c(MPI_Comm comm) {
  const std::ptrdiff_t nx = size_[0], ny = size_[1], nz = size_[2], half = nx / 2 + 1;
  std::ptrdiff_t local_n0, start0, local_n1, start1;
  row_ = 2 * half;
  const unsigned out = FFTW_ESTIMATE | FFTW_MPI_TRANSPOSED_OUT, in = FFTW_ESTIMATE | FFTW_MPI_TRANSPOSED_IN;
  if (dimension_ == 2) {
    allocate(fftw_mpi_local_size_2d_transposed(ny, half, comm, &local_n0, &start0, &local_n1, &start1));
    forward_ = fftw_mpi_plan_dft_r2c_2d(ny, nx, real_, spectrum_, comm, out);
    backward_ = fftw_mpi_plan_dft_c2r_2d(ny, nx, spectrum_, real_, comm, in);
    input_size_ = local_n0 * row_;
    spectrum_size_ = local_n1 * ny;
  } else {
    allocate(fftw_mpi_local_size_3d_transposed(nz, ny, half, comm, &local_n0, &start0, &local_n1, &start1));
    forward_ = fftw_mpi_plan_dft_r2c_3d(nz, ny, nx, real_, spectrum_, comm, out);
    backward_ = fftw_mpi_plan_dft_c2r_3d(nz, ny, nx, spectrum_, real_, comm, in);
    input_size_ = local_n0 * ny * row_;
    spectrum_size_ = local_n1 * nz * half;
  }
  if (!forward_ || !backward_) throw std::runtime_error("FFTW-MPI made no r2c/c2r plan");
  slab_start_ = start0;
  slab_count_ = local_n0;
}

long FftwSlabs::input_position(long x, long y, long z, long start) const {
  switch (dimension_) {
    case 1:
      return 2 * (x - start);
    case 2:
      return (y - start) * row_ + x;
    default:
      return ((z - start) * size_[1] + y) * row_ + x;
  }
}

}  // namespace nf
