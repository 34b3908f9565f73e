#pragma once
// Evaluates a model's couplings for one stage: sources from the ghosted state
// (firing.h), one forward transform per source field, the kernel products summed per
// target in Fourier space, one inverse transform per target. Kernel spectra are made
// once; every buffer is allocated at construction.
//
// Couplings with a conduction velocity and DelayMethod::rings (delay_rings.h) read
// their source's past spectra from the records the delay engine keeps (one per
// accepted step, made by make_record), each ring at its own lag, interpolated in time
// by the record history (cubic; the current stage's spectra as the newest point for a
// lag shorter than the stage's offset). The sum over rings runs in blocks of the
// spectrum, so that the records a block needs stay in cache while every ring reads
// them.
#include <complex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/coupling.h"
#include "solvers/convolution/delay_rings.h"
#include "solvers/convolution/fft_convolution.h"
#include "solvers/history/record_history.h"

namespace nf {

// A kernel that is still above kWrapTolerance of its peak at half a periodic axis:
// its periodic images would overlap (wrap-around).
inline constexpr double kWrapTolerance = 1e-4;
class KernelWrapsAround : public std::invalid_argument {
 public:
  KernelWrapsAround(const std::string& what, int axis, double radius, double length)
      : std::invalid_argument(what), axis(axis), radius(radius), length(length) {}
  int axis;       // 0 = x
  double radius;  // m: where |w| falls below kWrapTolerance of its peak
  double length;  // m: the periodic axis
};

// Delay rings whose spectra would not fit in the node's memory (refused before they
// are made).
class RingsTooLarge : public std::invalid_argument {
 public:
  RingsTooLarge(const std::string& what, int rings) : std::invalid_argument(what), rings(rings) {}
  int rings;  // the count asked for
};

// Transforms of the couplings that would not fit in the node's memory (refused before
// they are allocated).
class ConvolutionTooLarge : public std::invalid_argument {
 public:
  ConvolutionTooLarge(const std::string& what, double bytes, double available)
      : std::invalid_argument(what), bytes(bytes), available(available) {}
  double bytes;      // B on the busiest node
  double available;  // B it has
};

// The distance (m) beyond which |w(r)| < relative * max |w|.
double kernel_radius(const Kernel& w, double relative);

// What the delay rings of a set of couplings hold, for the run's log and its guards.
struct RingSummary {
  int couplings = 0;
  int rings = 0;              // over all ring couplings
  double width = 0;           // m: of the first ring coupling
  double velocity = 0;        // m/s: of the first ring coupling
  double min_lag = 0, max_lag = 0;  // s
  double factor_bytes = 0;    // B on this rank: the rings' weight spectra
  double record_bytes = 0;    // B on this rank per stored step
};

class CouplingEvaluator {
 public:
  CouplingEvaluator(const Grid& grid, const std::vector<Coupling>& couplings);

  int input_count() const { return static_cast<int>(targets_.size()); }
  // inputs[t] (owned cells, one value each) = the sum of the couplings with target t
  // at time t (s) and state u (ghosted local array of the grid's DM).
  void evaluate(double t, const double* u_ghosted, std::span<double* const> inputs);
  // The same when couplings have constant lags: delayed[k] is the ghosted local state
  // at t - source_lags()[k].
  void evaluate(double t, const double* u_ghosted, std::span<const double* const> delayed,
                std::span<double* const> inputs);
  // The distinct constant lags (s) of the couplings' sources, in the order evaluate()
  // reads them.
  const std::vector<double>& source_lags() const { return source_lags_; }

  // Records for the ring couplings: the spectra of their sources at one time.
  double record_span() const { return record_span_; }  // s: the longest ring lag (0: no rings)
  std::size_t record_size() const { return record_size_; }
  void make_record(const double* u_ghosted, std::span<double> out);
  // Where the past records come from; without any (before the run starts) every ring
  // reads the current stage.
  void attach_records(const RecordHistory* records) { records_ = records; }
  const RingSummary& rings() const { return ring_summary_; }

 private:
  using Complex = std::complex<double>;
  struct Source {
    int component = 0;
    Firing firing;
    double lag = 0;                               // s: read at t - lag
    std::size_t lag_slot = 0;                     // into source_lags_ (lag > 0)
    std::vector<double> fraction;                 // owned cells
    std::vector<std::vector<double>> moments;     // per axis (sub-cell heaviside only)
    std::vector<double*> moment_arrays;
    std::vector<Complex> spectra;                 // fraction, then the moments: (1 + moments) x n
    bool recorded = false;
    std::size_t record_offset = 0;                // in a record, in complex values
    std::span<const Complex> spectrum(std::size_t m) const;
  };
  struct RingCoupling {
    std::size_t source = 0;
    std::vector<DelayRing> rings;
  };
  struct Target {
    std::vector<std::vector<Complex>> factors;    // kernel (and moment-kernel) spectra
    std::vector<FftConvolution::Product> products;
    std::vector<RingCoupling> ring_couplings;
    std::vector<Complex> ring_sum;                // the rings' summed spectrum
  };
  // The rings of one coupling read at one time: each ring's up to four (point,
  // weight) terms, the points being the source's spectra at past records or now.
  struct RingReads {
    const RingCoupling* coupling;
    std::vector<const Complex*> points;           // distinct, reused every evaluation
    std::vector<std::array<int, 4>> point;        // per ring: its terms' points
    std::vector<std::array<double, 4>> weight;
    std::vector<int> count;
  };
  std::size_t source_of(const Coupling& c);
  void add_instantaneous(Target& t, const Coupling& c, std::size_t source);
  void add_rings(Target& t, const Coupling& c, std::size_t source);
  void fill_spectra(const double* u, Source& s, Complex* out);
  void read_rings(double t, const RingCoupling& rc, RingReads& reads) const;
  void sum_rings(double t, Target& target);

  const Grid& grid_;
  FftConvolution fft_;
  std::vector<Source> sources_;
  std::vector<Target> targets_;
  const RecordHistory* records_ = nullptr;
  std::vector<double> source_lags_;
  double record_span_ = 0;
  std::size_t record_size_ = 0;
  RingSummary ring_summary_;
  std::vector<RingReads> reads_;                  // per ring coupling of a target, reused
  std::vector<double> combined_;                  // per point, a block of summed ring factors
};

}  // namespace nf
