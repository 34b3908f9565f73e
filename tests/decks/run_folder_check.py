"""Checks that every file of a run folder under its final name is complete and opens.

The contract (io/atomic_file.h): a file appears under its final name only once it is
complete, so whenever a run ends, even by SIGKILL or a failed write, each of these
holds, in the run folder and in its previous_run/:

- summary.json parses as JSON; log.txt, deck.used.yaml and tip_trajectory.csv are
  UTF-8 text ending in a newline, and deck.used.yaml parses as YAML;
- every .h5 file (probes.h5, fields.h5, checkpoint.h5, ...) opens with h5py and each
  of its datasets reads in full; probes.h5 and fields.h5 have one /time row per
  values or field row;
- fields.xdmf and series.pvd parse as XML; every step series.pvd lists exists and
  reads with VTK's reader; fields.xdmf, next to a fields.h5, lists one grid per /time
  row;
- every vtk/step_NNNNNN/ folder (a step being written is vtk/step_NNNNNN.part/)
  holds step_NNNNNN.pvti whose pieces all read, with every point of the step.

Files under a .part name may hold anything. Used by check_kill_anywhere.py and
check_file_size_limit.py: `problems(folder)` returns what is wrong, empty when nothing.
"""
import json
import pathlib
import re
import xml.etree.ElementTree as ET

import h5py
import yaml
from vtkmodules.vtkCommonCore import vtkLogger, vtkOutputWindow, vtkStringOutputWindow
from vtkmodules.vtkIOXML import vtkXMLPImageDataReader

# VTK's readers report errors through the output window (and an ErrorEvent); the
# checker collects them there instead of letting them scroll past on stderr.
_vtk_messages = vtkStringOutputWindow()
vtkOutputWindow.SetInstance(_vtk_messages)
vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_OFF)
_checked_steps = set()  # .pvti files already read (series.pvd and vtk/ name the same ones)

def _read_h5(path, out):
    """Opens path and reads every dataset in full; returns {dataset name: shape}."""
    shapes = {}
    try:
        with h5py.File(path, "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    obj[()]  # the whole dataset: a truncated file fails here
                    shapes[name] = obj.shape
            f.visititems(visit)
            for key in f.attrs:  # attributes too (fields.h5 holds the deck there)
                f.attrs[key]
    except Exception as e:  # h5py raises OSError, KeyError, ValueError...
        out.append(f"{path}: does not open or read with h5py: {type(e).__name__}: {e}")
        return None
    return shapes


def _check_h5(path, out):
    shapes = _read_h5(path, out)
    if shapes is None:
        return None
    name = path.name
    rows = shapes.get("time", (None,))[0]
    if name == "probes.h5":
        for key in ("time", "values", "cells"):
            if key not in shapes:
                out.append(f"{path}: no /{key}")
        if "values" in shapes and rows is not None and shapes["values"][0] != rows:
            out.append(f"{path}: {shapes['values'][0]} value rows, {rows} times")
    elif name == "fields.h5":
        fields = {k: s for k, s in shapes.items() if k.startswith("fields/")}
        if rows is None or not fields:
            out.append(f"{path}: no /time or no /fields/*")
        for key, shape in fields.items():
            if shape[0] != rows:
                out.append(f"{path}: /{key} has {shape[0]} rows, /time {rows}")
    return rows


def _check_text(path, out):
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        out.append(f"{path}: not readable UTF-8 text: {e}")
        return
    if not text.endswith("\n"):
        out.append(f"{path}: does not end with a newline (incomplete?)")
    if path.suffix == ".yaml":
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as e:
            out.append(f"{path}: does not parse as YAML: {e}")


def _check_json(path, out):
    try:
        json.loads(path.read_text())
    except (OSError, ValueError) as e:
        out.append(f"{path}: does not parse as JSON: {e}")


def _parse_xml(path, out):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        out.append(f"{path}: does not parse as XML: {e}")
        return None


def _check_pvti(pvti, out):
    """Reads a step with VTK's parallel reader: no error, every point, every array full."""
    pvti = pathlib.Path(pvti).resolve()
    if pvti in _checked_steps:
        return
    _checked_steps.add(pvti)
    if not pvti.is_file():
        out.append(f"{pvti}: missing")
        return
    root = _parse_xml(pvti, out)
    if root is None:
        return
    for piece in root.iter("Piece"):
        if not (pvti.parent / piece.get("Source", "")).is_file():
            out.append(f"{pvti}: piece {piece.get('Source')} missing")
            return
    extent = [int(v) for v in root.find("PImageData").get("WholeExtent").split()]
    expected = 1
    for a in range(3):
        expected *= extent[2 * a + 1] - extent[2 * a] + 1
    errors = []
    reader = vtkXMLPImageDataReader()
    reader.AddObserver("ErrorEvent", lambda obj, event: errors.append(event))
    reader.SetFileName(str(pvti))
    seen = len(_vtk_messages.GetOutput())
    reader.Update()
    messages = _vtk_messages.GetOutput()[seen:].strip()
    image = reader.GetOutput()
    points = image.GetNumberOfPoints()
    if errors or messages or reader.GetErrorCode() != 0:
        first = [line for line in messages.splitlines() if line.strip() and not line.startswith("ERROR: In")][:1]
        out.append(f"{pvti}: VTK's reader reports errors: {first or errors or reader.GetErrorCode()}")
    elif points != expected or points == 0:
        out.append(f"{pvti}: {points} points read, {expected} in the whole extent")
    else:
        data = image.GetPointData()
        if data.GetNumberOfArrays() == 0:
            out.append(f"{pvti}: no point arrays")
        for i in range(data.GetNumberOfArrays()):
            if data.GetArray(i).GetNumberOfTuples() != points:
                out.append(f"{pvti}: array {data.GetArrayName(i)} has {data.GetArray(i).GetNumberOfTuples()} "
                           f"values for {points} points")


def _check_series(path, out):
    root = _parse_xml(path, out)
    if root is None:
        return
    for data_set in root.iter("DataSet"):
        _check_pvti(path.parent / data_set.get("file"), out)


def _check_xdmf(path, h5_rows, out):
    root = _parse_xml(path, out)
    if root is None or h5_rows is None:
        return
    grids = sum(1 for g in root.iter("Grid") if g.get("GridType") == "Uniform")
    if grids != h5_rows:
        out.append(f"{path}: lists {grids} steps, fields.h5 holds {h5_rows}")


def _check_vtk_steps(vtk_dir, out):
    for step in sorted(vtk_dir.iterdir()):
        if step.name.endswith(".part"):
            continue  # a step being written
        if not (step.is_dir() and re.fullmatch(r"step_\d{6}", step.name)):
            out.append(f"{step}: not a step folder")
            continue
        _check_pvti(step / f"{step.name}.pvti", out)


def problems(folder, top=True):
    """What is wrong with the files under a final name in folder (and its previous_run/)."""
    folder = pathlib.Path(folder)
    if top:
        _checked_steps.clear()
    out = []
    if not folder.is_dir():
        return out
    fields_rows = None
    entries = sorted(folder.iterdir())
    for path in entries:
        name = path.name
        if name.endswith(".part"):
            continue
        if name == "previous_run" and path.is_dir():
            out += problems(path, top=False)
        elif name == "vtk" and path.is_dir():
            _check_vtk_steps(path, out)
        elif path.suffix == ".h5":
            rows = _check_h5(path, out)
            if name == "fields.h5":
                fields_rows = rows
        elif path.suffix == ".json":
            _check_json(path, out)
        elif path.suffix in (".txt", ".yaml", ".csv"):
            _check_text(path, out)
        elif name == "series.pvd":
            _check_series(path, out)
    xdmf = folder / "fields.xdmf"
    if xdmf.exists():
        _check_xdmf(xdmf, fields_rows if (folder / "fields.h5").exists() else None, out)
    return out


def final_names(folder):
    """The names under a final name in folder, for a report."""
    return sorted(p.name for p in pathlib.Path(folder).iterdir() if not p.name.endswith(".part"))
