"""A run stopped by SIGTERM or SIGINT, and one stopped twice.

One signal: the run finishes its step and exits 4, saying so once; log.txt ends in
STOPPED; nothing is published under a final name (summary.json, probes.h5, fields.h5,
series.pvd); the steps so far are in probes.h5.part and fields.h5.part, which open,
and fields.h5.part holds a /time row for every field row. Two signals: the process
ends at once, and every file under a final name opens.

usage: check_stop_signal.py NEUROFIELD DECK WORK_DIR SIGNAL COUNT [LAUNCHER WORDS ...]
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import h5py


def start(command, work):
    out = work / "out"
    proc = subprocess.Popen(command + ["time.t_end=1e5", "output.vtk_every=0.5", f"output.dir={out}"],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Running once the first VTK step is written; then a second of steps.
    deadline = time.monotonic() + 60
    while not (out / "vtk").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the run did not start: rc {proc.poll()}\n{proc.communicate()[1]}")
        time.sleep(0.05)
    time.sleep(1.0)
    return proc, out


def check_one_signal(proc, out, name):
    _, err = proc.communicate(timeout=60)
    problems = []
    if proc.returncode != 4:
        problems.append(f"exit code {proc.returncode}, expected 4")
    if err.count(f"stopped by {name} after the step to t = ") != 1:
        problems.append("stderr does not say once that the run stopped")
    log = (out / "log.txt").read_text() if (out / "log.txt").exists() else ""
    if "\nSTOPPED: stopped by " not in log:
        problems.append("log.txt does not end in STOPPED")
    for final in ["summary.json", "probes.h5", "fields.h5", "series.pvd"]:
        if (out / final).exists():
            problems.append(f"{final} was published for a stopped run")
    with h5py.File(out / "probes.h5.part", "r") as f:
        if f["time"].shape[0] < 100:
            problems.append(f"probes.h5.part holds {f['time'].shape[0]} steps")
    with h5py.File(out / "fields.h5.part", "r") as f:
        rows, times = f["fields/y"].shape[0], f["time"].shape[0]
        if times != rows or rows < 2:
            problems.append(f"fields.h5.part: {rows} field rows, {times} times")
    if not (out / "series.pvd.part").exists():
        problems.append("no series.pvd.part")
    return problems, err


def check_two_signals(proc, out):
    _, err = proc.communicate(timeout=60)
    problems = []
    if proc.returncode == 0:
        problems.append("the run went on to succeed")
    for path in out.rglob("*"):
        if path.suffix == ".h5":
            try:
                h5py.File(path, "r").close()
            except OSError as e:
                problems.append(f"{path} is under its final name but does not open: {e}")
    return problems, err


def rank_processes(parent, name):
    """The processes named `name` below `parent` (children and grandchildren)."""
    children = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid, rest = text.split(" (", 1)
        comm, fields = rest.rsplit(") ", 1)
        children.setdefault(int(fields.split()[1]), []).append((int(pid), comm))
    found, todo = [], [parent]
    while todo:
        for pid, comm in children.get(todo.pop(), []):
            todo.append(pid)
            if comm == name[:15]:
                found.append(pid)
    return found


def main():
    neurofield, deck, work, sig_name, count = sys.argv[1:6]
    launcher = sys.argv[6:]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    command = launcher + [neurofield, "run", deck]
    proc, out = start(command, work)
    sig = getattr(signal, sig_name)
    # Under a launcher, every rank is signalled, as a batch system signals each task
    # at its time limit (mpiexec itself, signalled, exits with its own code).
    targets = rank_processes(proc.pid, os.path.basename(neurofield)) if launcher else [proc.pid]
    if not targets:
        sys.exit("no rank process found under the launcher")
    for _ in range(int(count)):
        for pid in targets:
            os.kill(pid, sig)
    problems, err = check_one_signal(proc, out, sig_name) if count == "1" else check_two_signals(proc, out)
    if problems:
        sys.exit("the stopped run is wrong:\n  - " + "\n  - ".join(problems) + f"\n---- stderr ----\n{err}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
