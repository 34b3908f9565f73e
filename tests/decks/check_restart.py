"""Checkpoint and restart: a run of T against the same run stopped at T/2 and continued.

Stopped at T/2 means a run with time.t_end = T/2 (its last checkpoint is at its end),
continued with `--restart DIR time.t_end=T`. Fixed steps reproduce the uninterrupted
run bit for bit: the checkpoint holds the state, every stored step of the delay
history with its derivative (and the records of delayed couplings), and the steps
land on the same grid t0 + k dt. So fields.h5, probes.h5 and every figure of
summary.json but wall_seconds must be identical, on 1 rank, on 2, and from 2 ranks
to 1 (natural-order vectors; round-off only where a reduction's order changes, and
the chain has none). Adaptive methods restart their controller (PETSc rk5dp's FSAL
stage is evaluated afresh; CVODE restarts its multistep method at order 1), so they
agree to the tolerance: |difference| <= 10 rtol max|u| (the two runs' own global
errors are of order rtol max|u| each).

Cases: chain, chain_mpi2, chain_mpi2_to_1, arkode, rings_mpi2 (a 2D field with
distance-delayed couplings: FFT-slab records, same rank count), continuum_mpi2 (the
predictive-coding continuum x a lateral axis: couplings that read the history at
constant lags), front (the front
observer's series), petsc_adaptive, cvode, sigterm (a run stopped by SIGTERM at a
random step and continued must still equal the uninterrupted run), sigkill (the same
for a run killed between checkpoints: its files hold steps the restart discards),
refusals (a
changed deck key, a t_end not after the checkpoint, a folder without a checkpoint).

usage: check_restart.py NEUROFIELD DECKS_DIR WORK_DIR CASE [MPI LAUNCHER WORDS ...]
"""
import json
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np

EXE, DECKS, WORK, CASE = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
MPI = sys.argv[5:]

CHAIN = (DECKS / "pc_chain.yaml", ["analysis.t_start=0.2", "output.vtk_every=0.1", "output.hdf5_every=0.05"], 2.0)
RINGS = (DECKS / "amari_rings_2d.yaml", ["mesh.cells=[32,32]", "output.vtk=false", "analysis.t_start=1"], 8.0)
FRONT = (DECKS / "amari_front_1d.yaml", ["mesh.cells=[400]", "output.vtk_every=1", "analysis.t_start=1"], 10.0)
CONTINUUM = (DECKS / "pc_continuum_2d.yaml", ["output.vtk_every=0.05", "analysis.t_start=0.2"],
             1.0)


def run(words, launcher=(), expect=0):
    proc = subprocess.run(list(launcher) + [EXE, "run"] + words, capture_output=True, text=True, timeout=300)
    if proc.returncode != expect:
        sys.exit(f"{' '.join(words)}: exit {proc.returncode}, expected {expect}\n{proc.stdout}\n{proc.stderr}")
    return proc


def folders(name):
    whole, halves = WORK / f"{name}_whole", WORK / f"{name}_halves"
    for d in (whole, halves):
        shutil.rmtree(d, ignore_errors=True)
    return whole, halves


def whole_and_halves(setup, extra, first=(), second=()):
    deck, keys, t_end = setup
    keys = keys + extra + [f"output.checkpoint_every={t_end / 4:g}"]
    whole, halves = folders(CASE)
    run([str(deck)] + keys + [f"time.t_end={t_end:g}", f"output.dir={whole}"], first)
    run([str(deck)] + keys + [f"time.t_end={t_end / 2:g}", f"output.dir={halves}"], first)
    run([str(deck)] + keys + [f"time.t_end={t_end:g}", "--restart", str(halves)], second)
    return whole, halves


def arrays(folder):
    out = {}
    for name in ("fields.h5", "probes.h5"):
        with h5py.File(folder / name, "r") as f:
            f.visititems(lambda key, obj: out.__setitem__(f"{name}:{key}", obj[()])
                         if isinstance(obj, h5py.Dataset) else None)
    return out


def figures(folder):
    s = json.loads((folder / "summary.json").read_text())
    s.pop("wall_seconds", None)
    s.pop("ranks", None)  # the run, not a figure: a restart may change it
    return s


def compare_bitwise(whole, halves):
    a, b = arrays(whole), arrays(halves)
    problems = [f"{k}: only in one run" for k in set(a) ^ set(b)]
    for k in sorted(set(a) & set(b)):
        if a[k].shape != b[k].shape:
            problems.append(f"{k}: shape {a[k].shape} against {b[k].shape}")
        elif not np.array_equal(a[k], b[k]):
            problems.append(f"{k}: differs by up to {np.nanmax(np.abs(a[k] - b[k])):.3g}")
    fa, fb = figures(whole), figures(halves)
    for k in sorted(set(fa) | set(fb)):
        if fa.get(k) != fb.get(k):
            problems.append(f"summary.json {k}: {fa.get(k)} against {fb.get(k)}")
    with h5py.File(halves / "probes.h5", "r") as f:
        n = f["time"].shape[0]
    print(f"{CASE}: {len(a)} datasets and {len(fa)} figures compared; probes hold {n} steps")
    return problems


def compare_tolerance(whole, halves, rtol):
    problems = []
    with h5py.File(whole / "fields.h5", "r") as fa, h5py.File(halves / "fields.h5", "r") as fb:
        if not np.array_equal(fa["time"][()], fb["time"][()]):
            problems.append("fields.h5 /time differs")
        for name in fa["fields"]:
            x, y = fa["fields"][name][()], fb["fields"][name][()]
            if x.shape != y.shape:
                problems.append(f"fields/{name}: shape {x.shape} against {y.shape}")
                continue
            diff, scale = np.abs(x - y).max(), np.abs(x).max()
            print(f"{CASE}: fields/{name} differs by {diff:.3g} of max |u| {scale:.3g} ({diff / scale:.2g}; "
                  f"allowed {10 * rtol:g})")
            if not diff <= 10 * rtol * scale:
                problems.append(f"fields/{name}: {diff:.3g} > 10 rtol max|u| = {10 * rtol * scale:.3g}")
    return problems


def sigterm(kill=False):
    deck, keys, t_end = CHAIN
    t_end = 40.0
    keys = keys + ["output.vtk=false" if not kill else "output.vtk_every=0.5", "output.checkpoint_every=5"]
    whole, halves = folders(CASE)
    run([str(deck)] + keys + [f"time.t_end={t_end:g}", f"output.dir={whole}"])
    proc = subprocess.Popen([EXE, "run", str(deck)] + keys + [f"time.t_end={t_end:g}", f"output.dir={halves}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not (halves / "checkpoint.h5").exists() and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # past the first checkpoint, at some step between two
    proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if kill:
        # Killed between checkpoints: the files hold steps after the last one, which
        # the restart cuts away.
        if proc.returncode != -signal.SIGKILL:
            return [f"the killed run exited {proc.returncode}"]
        run([str(deck)] + keys + [f"time.t_end={t_end:g}", "--restart", str(halves)])
        return compare_bitwise(whole, halves)
    if proc.returncode != 4:
        return [f"the stopped run exited {proc.returncode}, expected 4: {err}"]
    if "--restart" not in err or "A checkpoint at t = " not in err:
        return [f"the stopped run does not say how to continue: {err}"]
    print(f"{CASE}: {err.splitlines()[0]}")
    run([str(deck)] + keys + [f"time.t_end={t_end:g}", "--restart", str(halves)])
    return compare_bitwise(whole, halves)


def refusals():
    deck, keys, t_end = CHAIN
    keys = keys + ["output.vtk=false", "output.checkpoint_every=0.5"]
    whole, halves = folders(CASE)
    run([str(deck)] + keys + [f"time.t_end={t_end:g}", f"output.dir={halves}"])
    problems = []
    cases = [
        (["model.tau=0.02"], ["model.tau (was", "allowed: changes of time.t_end and output.* only"]),
        ([f"time.t_end={t_end:g}"], ["is not after the checkpoint", "time.t_end"]),
    ]
    for words, expected in cases:
        err = run([str(deck)] + keys + words + ["--restart", str(halves)], expect=2).stderr
        problems += [f"{words}: stderr lacks {e!r}: {err}" for e in expected if e not in err]
    whole.mkdir(parents=True)
    err = run([str(deck)] + keys + ["--restart", str(whole)], expect=2).stderr
    if "checkpoint.h5" not in err or "no such file" not in err:
        problems.append(f"a folder without a checkpoint: {err}")
    if not (halves / "summary.json").exists() or (halves / "summary.json").stat().st_size == 0:
        problems.append("a refused restart touched the run's summary.json")
    return problems


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    if CASE == "chain":
        problems = compare_bitwise(*whole_and_halves(CHAIN, []))
    elif CASE == "chain_mpi2":
        problems = compare_bitwise(*whole_and_halves(CHAIN, [], MPI, MPI))
    elif CASE == "chain_mpi2_to_1":
        problems = compare_bitwise(*whole_and_halves(CHAIN, [], MPI, ()))
    elif CASE == "arkode":
        problems = compare_bitwise(*whole_and_halves(CHAIN, ["time.integrator=arkode"]))
    elif CASE == "rings_mpi2":
        problems = compare_bitwise(*whole_and_halves(RINGS, [], MPI, MPI))
    elif CASE == "continuum_mpi2":
        problems = compare_bitwise(*whole_and_halves(CONTINUUM, [], MPI, MPI))
    elif CASE == "front":
        problems = compare_bitwise(*whole_and_halves(FRONT, []))
    elif CASE == "petsc_adaptive":
        problems = compare_tolerance(*whole_and_halves(CHAIN, ["time.method=rk5dp", "time.adaptive=true"]), 1e-6)
    elif CASE == "cvode":
        problems = compare_tolerance(*whole_and_halves(CHAIN, ["time.integrator=cvode"]), 1e-6)
    elif CASE == "sigterm":
        problems = sigterm()
    elif CASE == "sigkill":
        problems = sigterm(kill=True)
    elif CASE == "refusals":
        problems = refusals()
    else:
        sys.exit(f"unknown case {CASE}")
    if problems:
        sys.exit(f"{CASE}:\n  " + "\n  ".join(problems))
    print(f"{CASE}: passed")


main()
