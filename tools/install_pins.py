"""Install requirements.txt into the running interpreter's environment, fast (what ``make`` runs).

requirements.txt pins every package the project needs, dependencies included, so nothing is left to
resolve: the pins are installed with ``pip install --no-deps``, in two pip processes side by side
(one per core; unpacking and compiling the wheels is most of the time), then ``pip check`` confirms
that every installed package has the dependencies it declares. A pin missing from the file fails
here, naming the package that needs it, instead of being fetched unpinned.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 2


def pins(path: Path) -> list[str]:
    """The requirement lines of ``path``, comments and blank lines left out."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def shares(requirements: list[str], n: int) -> list[list[str]]:
    """``requirements`` dealt into ``n`` lists in turn, so that the large wheels among the direct
    requirements at the top of the file go to different processes."""
    return [requirements[k::n] for k in range(n)]


def main() -> int:
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    procs = [subprocess.Popen([*pip, *share]) for share in shares(pins(ROOT / "requirements.txt"), PROCESSES)]
    failed = sum(proc.wait() != 0 for proc in procs)
    if failed:
        print(f"install_pins: pip failed on {failed} of the {PROCESSES} shares of requirements.txt", file=sys.stderr)
        return 1
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    if check.returncode != 0:
        print("install_pins: requirements.txt misses a dependency (pin it there):\n" + check.stdout, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
