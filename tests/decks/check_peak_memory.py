"""Peak memory of a run does not depend on its length.

Runs DECK twice, for T_SHORT and T_LONG simulated seconds (every other setting as
given), each in its own process, and reads each process's peak resident set size from
wait4(2)'s rusage (ru_maxrss, KiB on Linux). The longer run takes many more steps, so
anything kept per step (probe series, per-output lists) shows up as a difference; what
a run holds for its whole length (grid, delay history, chunk buffers, libraries) is the
same in both. Fails if the long run's peak exceeds the short run's by more than
TOLERANCE_MB.

usage: check_peak_memory.py NEUROFIELD DECK WORK_DIR T_SHORT T_LONG TOLERANCE_MB [KEY=VALUE ...]
"""
import os
import shutil
import subprocess
import sys
import pathlib


def peak_rss_mb(command, cwd):
    """Runs command; returns (exit code, peak RSS in MB, stderr)."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0, err


def main():
    neurofield, deck, work, t_short, t_long, tolerance = sys.argv[1:7]
    extra = sys.argv[7:]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    peaks = {}
    for t_end in (t_short, t_long):
        out = work / f"t_end_{t_end}"
        command = [neurofield, "run", deck, f"time.t_end={t_end}", f"output.dir={out}"] + extra
        rc, peak, err = peak_rss_mb(command, work)
        if rc != 0:
            sys.exit(f"{' '.join(command)}: exit code {rc}\n---- stderr ----\n{err}")
        peaks[t_end] = peak
        print(f"t_end = {t_end} s: peak RSS {peak:.1f} MB")
    growth = peaks[t_long] - peaks[t_short]
    print(f"growth {growth:.1f} MB (tolerance {tolerance} MB)")
    if growth > float(tolerance):
        sys.exit(f"peak RSS grows with t_end: {peaks[t_short]:.1f} MB at t_end = {t_short} s, "
                 f"{peaks[t_long]:.1f} MB at t_end = {t_long} s (+{growth:.1f} MB > {tolerance} MB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
