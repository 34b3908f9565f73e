"""Checks of `neurofield sweep` (docs/sweeps.md) against the theory and against itself.

usage: check_sweep.py CASE NEUROFIELD DECK WORK_DIR [LAUNCHER WORDS ...]
  ranks    the sweep on 1 rank and under LAUNCHER (2 ranks) gives the same table: the
           same rows, every value within 1e-12 (relative); each row's frequency and
           growth rate are the chain's characteristic root for its (dT, tau) (the
           run's `predicted`, models/predictive_coding.h) within the run's own
           tolerance (comparison.*_tolerance: fit spread and step error), and the
           root moves as theory says: lower frequency for longer delays.
  kill     SIGKILL (every rank and the launcher) three times, each a seeded random
           moment after a few more rows (NF_SWEEP_SEED replays): after each the table
           under the final names is complete and keeps every row recorded before; the
           same command then runs only the missing points, each once; a changed
           command line is then refused (exit 2) and the table is left as it was.
  term     SIGTERM to every rank mid-sweep: exit 4, the message once with the number of
           recorded points, a complete table; the same command runs the others.
  failing  a deck whose zip holds a step above the delay and a negative tau: those two
           rows are failed with the run's own message, the others complete and agree
           with their predicted root.
"""
import csv
import math
import os
import random
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import h5py

from check_stop_signal import rank_processes

TIMEOUT = 120


def sweep(neurofield, deck, out_dir, extra=(), launcher=(), check=True):
    command = list(launcher) + [neurofield, "sweep", str(deck), f"output.dir={out_dir}"] + list(extra)
    proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if check and proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(command)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def read_h5(path):
    """The table of sweep.h5 as {point: row dict}; raises if the file is incomplete."""
    with h5py.File(path, "r") as f:
        points = f["point"][()]
        n = len(points)
        columns = {"status": [s.decode() for s in f["status"][()]], "error": [s.decode() for s in f["error"][()]],
                   "wall_seconds": f["wall_seconds"][()], "ranks": f["ranks"][()], "leader": f["leader"][()]}
        for key in f.attrs["parameter_keys"]:
            key = key.decode() if isinstance(key, bytes) else key
            columns[key] = f["parameters"][key][()]
        for name in f.attrs["metric_names"]:
            name = name.decode() if isinstance(name, bytes) else name
            columns[name] = f["metrics"][name][()]
        for name, values in columns.items():
            assert len(values) == n, f"{path}: column {name} has {len(values)} rows, /point {n}"
        total = int(f.attrs["points_total"][0])
        assert len(set(points.tolist())) == n, f"{path}: a point appears twice"
        return {int(p): {k: v[i] for k, v in columns.items()} for i, p in enumerate(points)}, total


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {int(r["point"]): r for r in rows}


def check_table_files(out_dir):
    """sweep.h5 and sweep.csv under their final names hold the same rows."""
    h5_rows, total = read_h5(out_dir / "sweep.h5")
    csv_rows = read_csv(out_dir / "sweep.csv")
    assert set(h5_rows) <= set(csv_rows) or set(csv_rows) <= set(h5_rows), "sweep.csv and sweep.h5 disagree"
    return h5_rows, csv_rows, total


def close(a, b, rel=1e-12):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def check_theory(rows, problems):
    """Measured frequency and growth against the predicted root, within the run's tolerance."""
    for p, r in sorted(rows.items()):
        if r["status"] != "ok":
            continue
        df = abs(r["frequency_hz"] - r["predicted.frequency_hz"])
        dg = abs(r["growth_rate_per_s"] - r["predicted.growth_rate_per_s"])
        tf, tg = r["comparison.frequency_tolerance_hz"], r["comparison.growth_tolerance_per_s"]
        if not (df <= tf and dg <= tg):
            problems.append(f"point {p}: measured - predicted = {df:.3g} Hz, {dg:.3g} /s; tolerance {tf:.3g}, {tg:.3g}")
        # The tolerance itself is tight: a fit that is right to a part in 1e4.
        if not (tf < 1e-4 * r["predicted.frequency_hz"] + 1e-3):
            problems.append(f"point {p}: frequency tolerance {tf:.3g} Hz is not tight")
    print(f"  {len(rows)} rows: every measured root within its tolerance of the predicted one")


def case_ranks(neurofield, deck, work, launcher):
    one, two = work / "one", work / "two"
    t0 = time.time()
    sweep(neurofield, deck, one)
    t1 = time.time()
    sweep(neurofield, deck, two, launcher=launcher)
    t2 = time.time()
    rows1, _, total = check_table_files(one)
    rows2, _, _ = check_table_files(two)
    problems = []
    if set(rows1) != set(rows2) or len(rows1) != total:
        problems.append(f"row sets differ: {sorted(rows1)} vs {sorted(rows2)} (of {total})")
    # Both ranks computed (no rank only dispatches), and the points were shared out.
    share = {r: sum(1 for row in rows2.values() if row["leader"] == r) for r in (0, 1)}
    if min(share.values()) < total // 4:
        problems.append(f"points per rank on 2 ranks: {share}; expected both to run at least {total // 4}")
    print(f"  points per rank on 2 ranks: {share}")
    for p in rows1:
        for k, v in rows1[p].items():
            if k in ("wall_seconds", "leader"):
                continue
            if p in rows2 and not close(v, rows2[p][k]):
                problems.append(f"point {p} {k}: {v!r} on 1 rank, {rows2[p][k]!r} on 2")
    check_theory(rows1, problems)
    # Theory's trend: at fixed tau, a longer delay rings at a lower frequency.
    by_tau = {}
    for r in rows1.values():
        by_tau.setdefault(float(r["model.tau"]), []).append((float(r["model.delay"]), r["frequency_hz"]))
    for tau, line in by_tau.items():
        f = [x for _, x in sorted(line)]
        if any(b >= a for a, b in zip(f, f[1:])):
            problems.append(f"tau = {tau}: frequency does not fall with the delay: {f}")
    print(f"  1 rank {t1 - t0:.1f} s, 2 ranks {t2 - t1:.1f} s for {total} points")
    return problems


def wait_for_rows(out_dir, count, proc, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with open(out_dir / "sweep.csv") as f:
                if sum(1 for _ in f) - 1 >= count:
                    return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


def status_of(pid):
    try:
        return pathlib.Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def kill_sweep(command, out, rows, extra_delay, launched):
    """Starts the sweep, SIGKILLs it `extra_delay` s after `rows` new rows are in the
    table (mid-point, mid-rewrite or between points), and waits until every process is
    gone. Returns a problem, or None."""
    recorded = len(read_csv(out / "sweep.csv")) if (out / "sweep.csv").exists() else 0
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if not wait_for_rows(out, recorded + rows, proc):
        proc.kill()
        return f"the sweep ended or stalled before {recorded + rows} rows were recorded: no kill in the middle"
    time.sleep(extra_delay)
    # The rank processes first (mpiexec puts them in their own process groups), then
    # the launcher: no rank lives on to write another row.
    ranks = rank_processes(proc.pid, "neurofield") if launched else []
    for pid in ranks:
        os.kill(pid, signal.SIGKILL)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while any(pathlib.Path(f"/proc/{pid}").exists() and "zombie" not in status_of(pid) for pid in ranks):
        if time.time() > deadline:
            return f"rank processes {ranks} outlived SIGKILL"
        time.sleep(0.05)
    return None


def case_kill(neurofield, deck, work, launcher):
    """Three SIGKILLs into the same folder, each after 1 to 4 more rows and a random
    0 to 0.4 s (seeded: NF_SWEEP_SEED replays), then a rerun to the end."""
    out = work / "out"
    command = list(launcher) + [neurofield, "sweep", str(deck), f"output.dir={out}"]
    seed = int(os.environ.get("NF_SWEEP_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"  seed {seed}")
    problems, recorded = [], {}
    for _ in range(3):
        rows, delay = rng.randint(1, 4), rng.uniform(0, 0.4)
        problem = kill_sweep(command, out, rows, delay, bool(launcher))
        if problem:
            return problems + [problem]
        table, _, total = check_table_files(out)  # complete under the final names
        for p, r in recorded.items():
            if p not in table or table[p]["wall_seconds"] != r["wall_seconds"]:
                problems.append(f"point {p}, recorded before a kill, was lost or run again")
        recorded = table
        print(f"  killed {delay:.2f} s after {rows} more rows: {len(table)} of {total} recorded")
    if not len(recorded) < total:
        problems.append(f"after the kills {len(recorded)} rows of {total}: not in the middle")
    before = recorded
    again = sweep(neurofield, deck, out, launcher=launcher)
    after, csv_after, _ = check_table_files(out)
    if sorted(after) != list(range(total)) or sorted(csv_after) != list(range(total)):
        problems.append(f"after the rerun the points are {sorted(after)}, not each of 0..{total - 1} once")
    for p, r in before.items():
        if r["wall_seconds"] != after[p]["wall_seconds"]:
            problems.append(f"point {p} was run again (its wall time changed)")
    expect = f"{total - len(before)} run now"
    if expect not in again.stdout:
        problems.append(f"the rerun did not say '{expect}': {again.stdout}")
    h5_before = (out / "sweep.h5").read_bytes()
    changed = sweep(neurofield, deck, out, extra=["time.t_end=3"], launcher=launcher, check=False)
    if changed.returncode != 2 or "holds a sweep of another deck" not in changed.stderr:
        problems.append(f"a changed command line was not refused: exit {changed.returncode}\n{changed.stderr}")
    if (out / "sweep.h5").read_bytes() != h5_before:
        problems.append("the refused rerun changed sweep.h5")
    leftovers = [p.name for p in out.iterdir() if p.name not in ("sweep.h5", "sweep.csv")]
    if leftovers:
        problems.append(f"the sweep folder holds more than the table: {leftovers}")
    return problems


def case_term(neurofield, deck, work, launcher):
    """SIGTERM to every rank (a batch system's time limit) once a few rows are recorded:
    exit 4 with the count of recorded points, the table complete; the same command
    then runs the others."""
    out = work / "out"
    command = list(launcher) + [neurofield, "sweep", str(deck), f"output.dir={out}"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if not wait_for_rows(out, 3, proc):
        proc.kill()
        return ["the sweep ended or stalled before 3 rows were recorded"]
    for pid in (rank_processes(proc.pid, "neurofield") if launcher else [proc.pid]):
        os.kill(pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=TIMEOUT)
    problems = []
    if proc.returncode != 4 or "the sweep stopped on a signal" not in err:
        problems.append(f"SIGTERM: exit {proc.returncode}, expected 4 with the sweep's message\n{err}")
    if err.count("the sweep stopped on a signal") > 1:
        problems.append("the stop message was printed more than once")
    before, _, total = check_table_files(out)
    print(f"  stopped with {len(before)} of {total} rows recorded")
    if f"{len(before)} of {total} points are recorded" not in err:
        problems.append(f"the message does not give the {len(before)} recorded points: {err}")
    again = sweep(neurofield, deck, out, launcher=launcher)
    after, _, _ = check_table_files(out)
    if sorted(after) != list(range(total)) or f"{total - len(before)} run now" not in again.stdout:
        problems.append(f"the continued sweep has points {sorted(after)}: {again.stdout}")
    return problems


def case_failing(neurofield, deck, work, launcher):
    out = work / "out"
    sweep(neurofield, deck, out, launcher=launcher)
    rows, csv_rows, total = check_table_files(out)
    problems = []
    failed = {p: r for p, r in rows.items() if r["status"] != "ok"}
    messages = {p: r["error"] for p, r in failed.items()}
    dt = [p for p, m in messages.items() if "is longer than the shortest lag" in m]
    tau = [p for p, m in messages.items() if "model.tau = -1 is out of range" in m]
    if len(failed) != 2 or len(dt) != 1 or len(tau) != 1:
        problems.append(f"expected 2 failed rows (dt above the delay, tau < 0), got {messages}")
    for p in failed:
        if csv_rows[p]["status"] != "failed" or csv_rows[p]["error"] != messages[p]:
            problems.append(f"point {p}: sweep.csv does not hold the failure as sweep.h5 does")
        if not math.isnan(rows[p]["frequency_hz"]):
            problems.append(f"point {p} failed but has a frequency")
    ok = {p: r for p, r in rows.items() if r["status"] == "ok"}
    if len(ok) != total - 2:
        problems.append(f"{len(ok)} rows ok of {total}")
    check_theory(ok, problems)
    # The heatmap script draws the table, the failed points marked.
    plot = pathlib.Path(__file__).resolve().parents[2] / "postprocess" / "plot_sweep.py"
    png = work / "frequency.png"
    drawn = subprocess.run([sys.executable, str(plot), str(out), "frequency_hz", "--output", str(png)],
                           capture_output=True, text=True, timeout=TIMEOUT)
    if drawn.returncode != 0 or not png.exists() or png.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        problems.append(f"plot_sweep.py did not draw {png}: {drawn.stderr}")
    return problems


def main():
    case, neurofield, deck, work = sys.argv[1:5]
    launcher = sys.argv[5:]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    problems = {"ranks": case_ranks, "kill": case_kill, "term": case_term, "failing": case_failing}[case](
        neurofield, pathlib.Path(deck).resolve(), work, launcher)
    if problems:
        sys.exit("FAIL:\n  " + "\n  ".join(problems))
    print(f"sweep {case}: ok")


if __name__ == "__main__":
    main()
