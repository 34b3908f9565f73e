#include "solvers/convolution/fft_convolution.h"

#include <algorithm>
#include <stdexcept>

#include "base/petsc_error.h"
#include "solvers/convolution/fftw_slabs.h"
#include "solvers/convolution/offset_weights.h"

namespace nf {
namespace {

static_assert(sizeof(PetscScalar) == sizeof(double), "the convolution needs PETSc built with real doubles");

// Transform size per axis: the period, or zero padding to a nice size >= 2N - 1.
std::array<long, 3> transform_size(const GridSpec& g) {
  std::array<long, 3> m{1, 1, 1};
  for (std::size_t a = 0; a < g.cells.size(); ++a)
    m[a] = g.boundary[a] == Boundary::periodic ? g.cells[a] : nice_fft_size(2 * g.cells[a] - 1);
  return m;
}

}  // namespace

struct FftConvolution::Impl {
  Impl(const Grid& grid) : spec(grid.spec()), patch(grid.patch()), fftw(grid.comm(), grid.dimension(), transform_size(spec)) {
    make_scatter(grid.comm());
  }

  void make_scatter(MPI_Comm comm);
  // source (owned cells) -> fftw.spectrum()
  void transform(const double* source);
  // fftw.spectrum() -> out (owned cells)
  void transform_back(double* out);
  void check_span(std::size_t n) const {
    if (n < fftw.spectrum_size()) throw std::invalid_argument("a spectrum span is shorter than spectrum_size()");
  }

  GridSpec spec;
  Patch patch;
  FftwSlabs fftw;
  OwnedVec field;  // one value per owned cell, placed on the caller's arrays
  OwnedVec slab;   // FFTW's input on this rank
  OwnedScatter scatter;  // field -> slab; reverse: slab -> field
};

// Owned cell (i, j, k) goes to FFTW's input at the same global index, in the slab of
// the rank that holds index k (3D), j (2D) or i (1D) of the grid's last axis.
void FftConvolution::Impl::make_scatter(MPI_Comm comm) {
  const PetscInt owned = patch.count[0] * patch.count[1] * patch.count[2];
  check_petsc(VecCreateMPIWithArray(comm, 1, owned, PETSC_DECIDE, nullptr, field.out()));
  check_petsc(VecCreateMPIWithArray(comm, 1, static_cast<PetscInt>(fftw.input_size()), PETSC_DECIDE, fftw.input(),
                                    slab.out()));
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  PetscInt slab_offset = 0, field_offset = 0;
  check_petsc(VecGetOwnershipRange(slab, &slab_offset, nullptr));
  check_petsc(VecGetOwnershipRange(field, &field_offset, nullptr));
  const long mine[3] = {fftw.slab_start(), fftw.slab_count(), slab_offset};
  std::vector<long> slabs(3 * ranks);
  MPI_Allgather(mine, 3, MPI_LONG, slabs.data(), 3, MPI_LONG, comm);
  const int last = static_cast<int>(spec.cells.size()) - 1;
  auto slab_of = [&](long index) {
    for (int r = 0; r < ranks; ++r)
      if (index >= slabs[3 * r] && index < slabs[3 * r] + slabs[3 * r + 1]) return r;
    throw std::logic_error("no FFTW slab holds a grid cell");
  };
  std::vector<PetscInt> to;
  to.reserve(owned);
  for (PetscInt k = patch.start[2]; k < patch.start[2] + patch.count[2]; ++k)
    for (PetscInt j = patch.start[1]; j < patch.start[1] + patch.count[1]; ++j)
      for (PetscInt i = patch.start[0]; i < patch.start[0] + patch.count[0]; ++i) {
        const long along_last = last == 0 ? i : last == 1 ? j : k;
        const int r = slab_of(along_last);
        to.push_back(static_cast<PetscInt>(slabs[3 * r + 2] + fftw.input_position(i, j, k, slabs[3 * r])));
      }
  OwnedIS from_is, to_is;
  check_petsc(ISCreateStride(comm, owned, field_offset, 1, from_is.out()));
  check_petsc(ISCreateGeneral(comm, owned, to.data(), PETSC_COPY_VALUES, to_is.out()));
  check_petsc(VecScatterCreate(field, from_is, slab, to_is, scatter.out()));
}

void FftConvolution::Impl::transform(const double* source) {
  std::fill(fftw.input(), fftw.input() + fftw.input_size(), 0.0);
  check_petsc(VecPlaceArray(field, const_cast<double*>(source)));  // read only
  check_petsc(VecScatterBegin(scatter, field, slab, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecScatterEnd(scatter, field, slab, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecResetArray(field));
  fftw.forward();
}

void FftConvolution::Impl::transform_back(double* out) {
  PetscScalar* written = nullptr;  // FFTW writes the slab's array: PETSc learns it changed
  check_petsc(VecGetArray(slab, &written));
  fftw.backward();
  check_petsc(VecRestoreArray(slab, &written));
  check_petsc(VecPlaceArray(field, out));
  check_petsc(VecScatterBegin(scatter, slab, field, INSERT_VALUES, SCATTER_REVERSE));
  check_petsc(VecScatterEnd(scatter, slab, field, INSERT_VALUES, SCATTER_REVERSE));
  check_petsc(VecResetArray(field));
}

FftConvolution::FftConvolution(const Grid& grid) : impl_(std::make_unique<Impl>(grid)) {}
FftConvolution::~FftConvolution() = default;

std::size_t FftConvolution::spectrum_size() const { return impl_->fftw.spectrum_size(); }

std::array<long, 3> FftConvolution::max_offsets() const {
  const Impl& m = *impl_;
  std::array<long, 3> max_offset{0, 0, 0};
  for (std::size_t a = 0; a < m.spec.cells.size(); ++a)
    max_offset[a] = m.spec.boundary[a] == Boundary::periodic ? m.spec.cells[a] / 2 : m.spec.cells[a] - 1;
  return max_offset;
}

std::vector<FftConvolution::Complex> FftConvolution::kernel_spectrum(const Kernel& w) const {
  OffsetWeights weight(w, impl_->spec, max_offsets());
  return weights_spectrum([&weight](long ox, long oy, long oz) { return weight(ox, oy, oz); });
}

std::vector<FftConvolution::Complex> FftConvolution::weights_spectrum(
    const std::function<double(long, long, long)>& weight) const {
  Impl& m = *impl_;
  const std::array<long, 3>& size = m.fftw.size();
  std::array<std::vector<long>, 3> offset;  // per axis, the cell offset of each transform index
  for (int a = 0; a < 3; ++a) {
    const bool present = a < static_cast<int>(m.spec.cells.size());
    const long cells = present ? m.spec.cells[a] : 1;
    const bool periodic = present && m.spec.boundary[a] == Boundary::periodic;
    for (long i = 0; i < size[a]; ++i) offset[a].push_back(axis_offset(i, size[a], cells, periodic));
  }
  // The slab of the last axis is this rank's; the other axes are whole.
  const int last = static_cast<int>(m.spec.cells.size()) - 1;
  std::array<long, 3> lo{0, 0, 0}, hi = size;
  lo[last] = m.fftw.slab_start();
  hi[last] = m.fftw.slab_start() + m.fftw.slab_count();
  double* input = m.fftw.input();
  std::fill(input, input + m.fftw.input_size(), 0.0);
  for (long k = lo[2]; k < hi[2]; ++k)
    for (long j = lo[1]; j < hi[1]; ++j)
      for (long i = lo[0]; i < hi[0]; ++i) {
        const long ox = offset[0][i], oy = offset[1][j], oz = offset[2][k];
        if (ox == kNoOffset || oy == kNoOffset || oz == kNoOffset) continue;
        input[m.fftw.input_position(i, j, k, m.fftw.slab_start())] = weight(ox, oy, oz);
      }
  m.fftw.forward();
  const double scale = 1.0 / static_cast<double>(size[0] * size[1] * size[2]);
  std::vector<Complex> spectrum(m.fftw.spectrum(), m.fftw.spectrum() + m.fftw.spectrum_size());
  for (Complex& c : spectrum) c *= scale;
  return spectrum;
}

void FftConvolution::inverse(std::span<const Complex> spectrum, double* out) {
  impl_->check_span(spectrum.size());
  std::copy(spectrum.begin(), spectrum.end(), impl_->fftw.spectrum());
  impl_->transform_back(out);
}

void FftConvolution::forward(const double* source, std::span<Complex> out) {
  impl_->check_span(out.size());
  impl_->transform(source);
  std::copy_n(impl_->fftw.spectrum(), impl_->fftw.spectrum_size(), out.begin());
}

void FftConvolution::inverse_of_sum(std::span<const Product> products, std::span<const Complex> added,
                                   double* out) {
  Complex* spectrum = impl_->fftw.spectrum();
  const std::size_t n = impl_->fftw.spectrum_size();
  if (!added.empty()) impl_->check_span(added.size());
  for (const Product& p : products) {
    impl_->check_span(p.factor.size());
    impl_->check_span(p.spectrum.size());
  }
  // One pass over the spectrum; the terms are added in the products' order, from 0
  // (or from `added`).
  for (std::size_t i = 0; i < n; ++i) {
    Complex sum = added.empty() ? Complex(0, 0) : added[i];
    for (const Product& p : products) sum += p.factor[i] * p.spectrum[i];
    spectrum[i] = sum;
  }
  impl_->transform_back(out);
}

void FftConvolution::convolve(std::span<const Complex> kernel_spectrum, const double* source, double* out) {
  impl_->check_span(kernel_spectrum.size());
  impl_->transform(source);
  Complex* spectrum = impl_->fftw.spectrum();
  for (std::size_t i = 0; i < impl_->fftw.spectrum_size(); ++i) spectrum[i] *= kernel_spectrum[i];
  impl_->transform_back(out);
}

}  // namespace nf
