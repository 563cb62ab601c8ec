"""Validation's instructions per document, counted by valgrind's callgrind, this tree against a git revision.

    python -m bench.bench_instructions [--base REV] [--documents N] [--timed N] [--json OUT]

Wall and CPU times of one validation pass over the samples and the corpus vary by about 15% between runs of the
same code on the shared 2-core machine (docs/benchmarks.md, session 22), more than most changes to the screens
make. The number of instructions a process executes does not: callgrind counts the same figure on every run of
the same code on the same input. This script maps the bundled samples and the corpus PDFs of ``../shared`` that
build (with this tree's mapper, once) and writes each document's triples as N-Triples; then this tree and the
``--base`` revision (checked out in a temporary git worktree, removed after) each validate them
(``validate_documents``, vocabulary and report included) in a child process under callgrind, which counts the
instructions between two marks around validation (calls of ``os.sched_yield``, a dump of the counts at each).
Both children run at once (callgrind runs one thread; the counts do not depend on the load).

Prints instructions per document of each tree, the ratio, and whether both give the same findings. A child takes
about 3 minutes (valgrind runs Python about 50x slower). Needs valgrind (``apt-get install valgrind``).

Instructions do not count what memory costs (a store's load moves far more bytes per instruction than the
screens): ``--timed N`` also runs each tree's child N times without valgrind, one at a time, the two trees
alternated, and prints the least and the median CPU time (``time.process_time``) of validation per document of
each, and the ratio of the least.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "samples" / "corpus"
# The function whose entry makes callgrind write the counts so far (and start counting again): the child calls it
# just before and just after validation, so that the middle one of three dumps holds validation alone.
_MARK = "sched_yield"


def documents(limit: int | None = None) -> list[Path]:
    """The bundled samples, then the corpus PDFs of ``../shared`` (sorted by name), as bench_validate reads them."""
    from budgetkg.resources import default_sources

    out = list(default_sources()) + sorted(CORPUS.glob("*.pdf"))
    return out[:limit] if limit else out


def write_documents(paths: list[Path], folder: Path) -> list[Path]:
    """Each document that builds, mapped by this tree, as ``folder/NN.nt`` (its triples in the mapper's order)."""
    import pyoxigraph as ox

    from bench.bench_validate import document_triples
    from budgetkg.errors import BudgetkgError

    out = []
    for n, path in enumerate(paths):
        try:
            triples = document_triples(str(path))
        except BudgetkgError as exc:  # a document that does not build is left out, and said so
            print(f"left out {path.name}: {exc}", file=sys.stderr)
            continue
        target = folder / f"{n:02d}.nt"
        target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        out.append(target)
    return out


def _use_tree(tree: Path) -> None:
    """Import ``budgetkg`` from ``tree`` (its pyproject's package folders) instead of the installed one."""
    import importlib.util
    import tomllib
    from importlib.machinery import PathFinder

    folders = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]

    class Finder:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name in folders:
                where = tree / folders[name]
                return importlib.util.spec_from_file_location(name, where / "__init__.py",
                                                              submodule_search_locations=[str(where)])
            if name.startswith("budgetkg."):  # a sub-package or module: in its parent's folder of the tree
                return PathFinder.find_spec(name, sys.modules[name.rpartition(".")[0]].__path__)
            return None

    sys.meta_path.insert(0, Finder)


def child(tree: Path, files: list[Path], out: Path) -> None:
    """Validate the documents of ``files`` with the code of ``tree``, between two marks; findings to ``out``."""
    _use_tree(tree)
    import pyoxigraph as ox

    from budgetkg.etl import validation

    assert Path(validation.__file__).is_relative_to(tree), validation.__file__
    try:  # the terms kept beside the triples, as the mapper hands them over (trees since session 20)
        from budgetkg.etl.terms import Triples, columns
    except ImportError:
        Triples = None
    docs = []
    for f in files:
        triples = list(ox.parse(path=str(f), format=ox.RdfFormat.N_TRIPLES))
        if Triples is not None:
            seen: dict = {}  # each term one object, as the mapper makes them
            triples = Triples.of_columns(triples, *([seen.setdefault(t, t) for t in c] for c in columns(triples)))
        docs.append((triples, f.name))
    validation._checks(None)  # the shapes compiled and the vocabulary read before the first mark
    validation.validate_documents(docs[:1])
    os.sched_yield()
    cpu = time.process_time()
    outcomes = validation.validate_documents(docs)
    cpu = time.process_time() - cpu
    os.sched_yield()
    out.write_bytes(pickle.dumps([[(r["rule"], r["focus"], r["severity"], str(r.get("value")), r.get("message"))
                                   for r in o.results] for o in outcomes]))
    out.with_suffix(".cpu").write_text(repr(cpu))


def _run_child(tree: Path, files: list[Path], findings: Path, name: str, wrapper: tuple = ()) -> None:
    """The child (:func:`child`) validating ``files`` with ``tree``, run by ``wrapper`` (a command such as valgrind's)."""
    cmd = [*wrapper, sys.executable, str(Path(__file__).resolve()), "--child", str(tree), str(findings), *map(str, files)]
    # string hashes fixed, so that dicts of strings are laid out alike in every run (the counts then vary by a few
    # hundredths of a percent between runs: addresses)
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if run.returncode != 0:
        raise RuntimeError(f"{name}: {cmd[0]} exited {run.returncode}:\n{run.stderr[-2000:]}")


def _count(tree: Path, files: list[Path], work: Path, name: str) -> tuple[int, list]:
    """Instructions of validation in ``tree`` (the middle of callgrind's dumps), and its findings."""
    counts = work / f"{name}.callgrind"
    findings = work / f"{name}.findings"
    _run_child(tree, files, findings, name,
               ("valgrind", "--tool=callgrind", f"--dump-before={_MARK}", f"--callgrind-out-file={counts}"))
    dumps = sorted(work.glob(f"{name}.callgrind.*"), key=lambda p: int(p.suffix[1:]))
    if len(dumps) != 2:  # .1 up to the first mark, .2 between the marks (the rest is the file without a suffix)
        raise RuntimeError(f"{name}: {len(dumps)} dumps of the counts, expected 2 (is {_MARK} called elsewhere?)")
    totals = [line for line in dumps[1].read_text().splitlines() if line.startswith("totals:")]
    return int(totals[0].split()[1]), pickle.loads(findings.read_bytes())


def _timed(tree: Path, files: list[Path], work: Path, name: str) -> float:
    """CPU seconds of validation in ``tree``, in a child run without valgrind."""
    findings = work / f"{name}.timed"
    _run_child(tree, files, findings, name)
    return float(findings.with_suffix(".cpu").read_text())


def _worktree(rev: str, where: Path) -> Path:
    """A checkout of ``rev`` at ``where`` (a git worktree), with this tree's compiled extensions when their sources
    are the same, else the extensions built there."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), rev], check=True)
    built = []
    for source in sorted((where / "etl").glob("*.c")):
        same = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", rev, "--", f"etl/{source.name}"]).returncode == 0
        found = list((ROOT / "etl").glob(f"{source.stem}.*.so"))
        built += found if same and found else [None]
    if built and None not in built:
        for module in built:
            shutil.copy2(module, where / "etl" / module.name)
    elif built:
        subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=where, check=True)
    return where


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="HEAD", help="the git revision to compare with (default HEAD: the last commit)")
    p.add_argument("--documents", type=int, default=None, help="only the first N documents")
    p.add_argument("--timed", type=int, default=0, help="also N timed runs of each tree, alternated")
    p.add_argument("--json", default=None)
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        tree, out, *files = args.child
        child(Path(tree), [Path(f) for f in files], Path(out))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp:
        work = Path(tmp)
        files = write_documents(documents(args.documents), work)
        base = _worktree(args.base, work / "base")
        try:
            with ThreadPoolExecutor(2) as pool:
                jobs = {name: pool.submit(_count, tree, files, work, name) for name, tree in (("base", base), ("tree", ROOT))}
                (base_ir, base_found), (tree_ir, tree_found) = jobs["base"].result(), jobs["tree"].result()
            cpu: dict = {"base": [], "tree": []}
            for _ in range(args.timed):  # one child at a time: the two trees share the machine's load alike
                for name, tree in (("base", base), ("tree", ROOT)):
                    cpu[name].append(_timed(tree, files, work, name))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    n = len(files)
    result = {
        "documents": n,
        "base": args.base,
        "instructions_per_document": {"base": round(base_ir / n), "tree": round(tree_ir / n)},
        "ratio_tree_over_base": round(tree_ir / base_ir, 4),
        "same_findings": base_found == tree_found,
    }
    if args.timed:
        ms = {name: [1000 * x / n for x in xs] for name, xs in cpu.items()}
        result["cpu_ms_per_document"] = {name: {"least": round(min(xs), 1), "median": round(statistics.median(xs), 1)}
                                         for name, xs in ms.items()}
        result["cpu_ratio_tree_over_base"] = round(min(ms["tree"]) / min(ms["base"]), 4)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
