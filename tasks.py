#!/usr/bin/env python3
"""Set up and run budgetkg with nothing but python3.

    python3 tasks.py run     # set up, build the bundled samples, serve them at http://127.0.0.1:8000
    python3 tasks.py test    # set up, run the whole test suite
    python3 tasks.py setup   # only set up (.venv with the package and its test dependencies)

Set-up is idempotent: the virtual environment is made once and re-installed
only when what the install builds changes (pyproject.toml, setup.py and the
C source of the PDF reader's compiled loops). Node packages for the SHACL cross-check are
installed when npm is present.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
NODE_DIR = ROOT / "shapes" / "engine"
# what `pip install -e .` builds from: a change to any re-installs (the C extensions are compiled at install)
INSTALLED_FROM = ("pyproject.toml", "setup.py", "etl/_speedups.c", "etl/_grouping.c")


def sh(*cmd, **kw) -> int:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call(list(map(str, cmd)), cwd=ROOT, **kw)


def setup() -> None:
    if not PY.exists():
        if sh(sys.executable, "-m", "venv", VENV) != 0:
            sys.exit("could not create the virtual environment (Debian: apt-get install python3-venv)")
    stamp = VENV / ".budgetkg-installed"
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in INSTALLED_FROM)).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        if sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
            sys.exit("pip upgrade failed")
        if sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]") != 0:
            sys.exit("installing budgetkg failed")
        stamp.write_text(digest)
    if (NODE_DIR / "package.json").exists() and shutil.which("npm") and not (NODE_DIR / "node_modules").exists():
        cmd = "ci" if (NODE_DIR / "package-lock.json").exists() else "install"
        sh("npm", cmd, "--no-audit", "--no-fund", "--prefix", NODE_DIR)


def run(args: list[str]) -> int:
    setup()
    budgetkg = BIN / "budgetkg"
    code = sh(budgetkg, "build")
    if code != 0:
        return code
    return sh(budgetkg, "serve", *args)


def test(args: list[str]) -> int:
    setup()
    code = sh(PY, "-m", "pytest", *args)
    # pytest exits 5 when it collected no test: that is a failure for CI, not a pass.
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "setup"}:
        print(__doc__)
        return 2
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "setup":
        setup()
        return 0
    return run(rest) if cmd == "run" else test(rest)


if __name__ == "__main__":
    sys.exit(main())
