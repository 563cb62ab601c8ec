"""The package as a user installs it: a wheel in a fresh environment, run outside the checkout,
finds its code lists, jurisdictions and shapes (through the package, not the source tree)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What pyproject.toml packages; copied so that building the wheel writes nothing into the checkout.
PACKAGED = ["pyproject.toml", "setup.py", "README.md", "budgetkg", "etl", "service", "ontology", "shapes", "sparql", "data/samples"]


def run(*args, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{args}\n{r.stdout}\n{r.stderr}"
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding the wheel; its dependencies are read from this environment's site-packages
    (a .pth line), so nothing is downloaded and the checkout is not on its path."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for name in PACKAGED:
        s = ROOT / name
        if s.is_dir():
            shutil.copytree(s, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, src / name)
    # Build isolation fetches the setuptools pyproject.toml asks for (from pip's cache when it has it).
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", src)
    (wheel,) = (tmp / "dist").glob("budgetkg-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    py = venv / "bin" / "python"
    site = Path(run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "-q", wheel)
    return venv


def test_wheel_holds_no_benchmarks_and_imports_from_the_venv(installed, tmp_path):
    py = installed / "bin" / "python"
    r = run(py, "-c", "import budgetkg.resources as r, budgetkg; print(budgetkg.__file__); print(r.SHAPES)", cwd=tmp_path)
    for line in r.stdout.splitlines():
        assert line.startswith(str(installed)), line
    assert run(py, "-c", "import importlib.util as u; print(u.find_spec('bench'))", cwd=tmp_path).stdout.strip() == "None"
    if shutil.which("cc") or shutil.which("gcc"):  # the wheel compiled the PDF reader's and the screens' loops (setup.py)
        r = run(py, "-c", "from budgetkg.etl import pdf_raw, shacl_screen as s; print(pdf_raw._speedups.__file__); "
                "print(s._grouping.__file__)", cwd=tmp_path)
        assert [line.startswith(str(installed)) for line in r.stdout.splitlines()] == [True, True], r.stdout


def test_installed_build_of_the_bundled_sample_from_another_folder(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    r = run(installed / "bin" / "budgetkg", "build", "--out", "out", "--jobs", "1", cwd=tmp_path, env=env)
    assert "3 documents" in r.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    docs = {Path(d["path"]).name: d for d in manifest["documents"]}
    text = docs["000_60bd7a1a2874cc3a.txt"]
    # Jurisdiction found: 邢台市 is in ontology/jurisdictions.csv, so no skipped item says otherwise.
    assert not [s for s in text["skipped"] if "jurisdiction" in s["reason"]]
    # Code lists loaded: every code printed in the sample is a shipped concept.
    assert text["new_concepts"] == []
    # SHACL ran: the two real printing differences of the 三公 table (README, "Validation").
    assert sorted((w["rule"], w["line"]) for w in text["warnings"]) == [("RowBlankTotal", 309), ("RowBlankTotal", 309)]
    import pyoxigraph as ox

    with (tmp_path / "out" / "dumps" / "vocabulary.ttl").open("rb") as fh:
        subjects = {t.subject.value for t in ox.parse(fh, format=ox.RdfFormat.TURTLE)}
    assert "https://budgetkg.org/def/cl/functional/2150501" in subjects  # 行政运行, printed in the sample


def test_installed_service_ships_yasgui_and_its_setup(installed, tmp_path):
    """The SPARQL page's editor comes from the package (no CDN): the wheel must hold the vendored files."""
    code = ("from budgetkg.service.views.editor import STATIC; print(STATIC); "
            "print((STATIC / 'yasgui' / 'yasgui.min.js').stat().st_size); print((STATIC / 'sparql-editor.js').is_file())")
    path, size, setup = run(installed / "bin" / "python", "-c", code, cwd=tmp_path).stdout.split()
    assert path.startswith(str(installed)) and int(size) > 100_000 and setup == "True"


def test_a_broken_installation_says_so_with_its_status(installed, tmp_path):
    # Last in this module: it breaks the venv. Without its shapes a build must not publish
    # an unchecked graph.
    py = installed / "bin" / "python"
    shapes = Path(run(py, "-c", "import budgetkg.resources as r; print(r.SHAPES)", cwd=tmp_path).stdout.strip())
    for f in shapes.glob("*.ttl"):
        f.unlink()
    sample = Path(run(py, "-c", "import budgetkg.resources as r; print(r.default_sources()[0])", cwd=tmp_path).stdout.strip())
    r = subprocess.run([installed / "bin" / "budgetkg", "build", sample, "--out", "out", "--jobs", "1"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 4, r.stderr
    assert "reinstall" in r.stderr or "incomplete" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()
