#include "base/stop_request.h"

#include <csignal>

namespace nf {
namespace {

volatile std::sig_atomic_t received = 0;

extern "C" void record_stop_signal(int signal) {
  if (received == 0) received = signal;
  std::signal(signal, SIG_DFL);  // a second one ends the process at once
}

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = record_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // interrupted reads and writes resume
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A write past the file-size limit (ulimit -f) raises SIGXFSZ, whose default action
  // kills the process with a core dump and no message. Ignored, the write fails with
  // EFBIG instead, and the writer reports it as an error naming the file.
  std::signal(SIGXFSZ, SIG_IGN);
}

int stop_signal() { return received; }

const char* stop_signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
  }
}

}  // namespace nf
