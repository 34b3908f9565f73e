#pragma once
// A request to stop a run cleanly, from SIGINT or SIGTERM (Ctrl-C; what SLURM and
// most batch systems send before the wall-time kill). The handler only records the
// signal (async-signal-safe) and restores the default action, so a second signal ends
// the process at once. Runs poll stop_signal() after each accepted step, through the
// reduction they already make (solvers/integrators/delay_run.cpp), so every rank stops
// after the same step.
namespace nf {

// Installs the handler for SIGINT and SIGTERM. Call once, at start-up.
void install_stop_handlers();

// The first stop signal received (SIGINT, SIGTERM), or 0.
int stop_signal();

// "SIGTERM", "SIGINT", or "a signal".
const char* stop_signal_name(int signal);

}  // namespace nf
