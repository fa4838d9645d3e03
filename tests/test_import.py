"""``import nnbook`` loads NumPy and the core only: no figures, widgets, checks or grader, and it
works where matplotlib is not installed. Each test runs a fresh interpreter in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")

# What the core must not load: the rooms above it, and what they need.
ABOVE = ("matplotlib", "ipywidgets", "IPython", "ipykernel", "nbformat", "nbclient", "sklearn", "torch",
         "nnbook.checks", "nnbook.grading", "nnbook.widgets", "nnbook.plots", "nnbook.cli")

# A meta-path finder that refuses the listed packages, as if they were not installed.
BLOCKER = """
import sys
class Absent:
    def __init__(self, names):
        self.names = names
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None
sys.meta_path.insert(0, Absent(NAMES))
"""


def _python(code: str, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120)


def _imported(importtime_stderr: str) -> list[str]:
    """The module names of ``python -X importtime`` output (one line per module imported)."""
    names = []
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header line
                names.append(name)
    return names


def test_import_nnbook_loads_no_module_above_the_core():
    done = _python("import nnbook; print(nnbook.__file__)", "-X", "importtime")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(Path(SRC) / "nnbook" / "__init__.py")
    names = _imported(done.stderr)
    assert "numpy" in names and "nnbook.network" in names  # the listing is read right
    above = [n for n in names if n.startswith(ABOVE)]
    assert above == [], f"import nnbook loaded {above}"
    ours = sorted(n for n in names if n.startswith("nnbook"))
    assert ours == ["nnbook", "nnbook._validation", "nnbook.activations", "nnbook.autograd", "nnbook.datasets",
                    "nnbook.gradcheck", "nnbook.init", "nnbook.io", "nnbook.layers", "nnbook.losses",
                    "nnbook.network", "nnbook.optim", "nnbook.training"]


def test_the_core_works_without_matplotlib_or_the_notebook_packages():
    names = ("matplotlib", "ipywidgets", "IPython", "sklearn", "tqdm")
    code = f"NAMES = {names!r}\n" + BLOCKER + """
import numpy as np
import nnbook as nb

X, y = nb.datasets.xor()
model = nb.MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", rng=0)
history = model.fit(X, y, loss="bce", optimizer=nb.SGD(0.5), epochs=200, progress=False)
print(history.loss[-1] < history.loss[0], max(nb.gradcheck(model, "bce", X, y).values()) < 1e-6)
try:
    import nnbook.widgets  # needs ipywidgets and matplotlib: the blocker is at work
except ModuleNotFoundError as exc:
    print("widgets:", exc.name in NAMES)
"""
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "widgets:", "True"]


@pytest.mark.parametrize("room", ["nnbook.plots", "nnbook.widgets", "nnbook.checks", "nnbook.grading"])
def test_each_room_is_entered_by_name(room):
    done = _python(f"import sys, nnbook; assert {room!r} not in sys.modules; import {room}; "
                   f"print(sys.modules[{room!r}].__name__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == room
