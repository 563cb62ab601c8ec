"""Tests of bench/bench_instructions.py without valgrind: the child that validation's instructions are counted in
imports the package from the tree it is given and reports the findings validation gives in this process."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bench_instructions  # noqa: E402

from budgetkg.resources import SAMPLES  # noqa: E402


def test_the_child_validates_with_the_tree_it_is_given(tmp_path):
    from budgetkg.etl.to_rdf import map_document
    from budgetkg.etl.validation import validate_documents
    from budgetkg.names import DEFAULT_BASE

    sample = SAMPLES / "000_60bd7a1a2874cc3a.txt"
    written = bench_instructions.write_documents([sample], tmp_path)
    assert [p.name for p in written] == ["00.nt"]
    # a copy of the package's folders stands for another revision: the child must import from it
    tree = tmp_path / "tree"
    folders = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    for folder in {f.split("/")[0] for f in folders.values()}:
        shutil.copytree(ROOT / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tree / "pyproject.toml")
    out = tmp_path / "findings"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_instructions.py"), "--child", str(tree), str(out),
                          str(written[0])], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]  # (the child asserts that it imported the tree's modules)
    found = pickle.loads(out.read_bytes())
    triples = list(ox.parse(path=str(written[0]), format=ox.RdfFormat.N_TRIPLES))
    here = validate_documents([(triples, "00.nt")])[0].results
    assert len(found) == 1 and found[0] and found[0] == [
        (r["rule"], r["focus"], r["severity"], str(r.get("value")), r.get("message")) for r in here]
    assert len(map_document(str(sample), base=DEFAULT_BASE)[2]) == len(triples)
    # --timed: the same child, its CPU time of validation read back
    assert float(out.with_suffix(".cpu").read_text()) > 0
    assert bench_instructions._timed(tree, written, tmp_path, "timed") > 0
    assert pickle.loads((tmp_path / "timed.timed").read_bytes()) == found
