"""What a first user meets on the command line: refused output folders, exit statuses as
documented, aligned tables, a closed pipe, a busy port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.errors import EXIT_STATUS

README = Path(__file__).resolve().parents[2] / "README.md"


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_into_a_folder_of_other_files_is_refused_and_touches_nothing(sample_path, tmp_path):
    (tmp_path / "notes.txt").write_text("my notes", encoding="utf-8")
    source = tmp_path / sample_path.name
    source.write_bytes(sample_path.read_bytes())
    before = snapshot(tmp_path)
    r = cli("build", source, "--out", ".", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "not empty" in r.stderr and "--out" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["notes.txt", sample_path.name])


def test_build_onto_an_existing_file_is_refused(sample_path, tmp_path):
    target = tmp_path / "out"
    target.write_text("mine", encoding="utf-8")
    r = cli("build", sample_path, "--out", target)
    assert r.returncode == 2 and "not a folder" in r.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def test_previous_build_with_a_foreign_file_is_refused(built, tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "manifest.json").write_bytes((built / "manifest.json").read_bytes())
    (out / "report.docx").write_bytes(b"mine")
    r = cli("build", "--out", out)
    assert r.returncode == 2 and "report.docx" in r.stderr
    assert (out / "report.docx").read_bytes() == b"mine"


def test_tables_into_a_folder_of_other_files_is_refused(built, tmp_path):
    (tmp_path / "keep.csv").write_text("a,b\n", encoding="utf-8")
    r = cli("tables", "--data", built, "--out", tmp_path)
    assert r.returncode == 2 and "not empty" in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_tables_replaces_its_own_previous_output(built, tmp_path):
    out = tmp_path / "tables"
    assert cli("tables", "--data", built, "--out", out).returncode == 0
    first = snapshot(out)
    r = cli("tables", "--data", built, "--out", out)
    assert r.returncode == 0, r.stderr
    assert snapshot(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


def test_help_lists_every_exit_status():
    r = cli("--help")
    for code, text in EXIT_STATUS.items():
        assert re.search(rf"^\s*{code}\s+{re.escape(text[:30])}", r.stdout, re.M), code


def test_readme_lists_the_same_exit_statuses():
    rows = re.findall(r"^\| `(\d+)` \| (.+?) \|$", README.read_text(encoding="utf-8"), re.M)
    assert {int(code): text for code, text in rows} == EXIT_STATUS


def test_shacl_violation_during_build_exits_with_the_documented_status(sample_path, tmp_path, monkeypatch):
    import pyoxigraph as ox

    import budgetkg.etl.validate_hook as hook
    from budgetkg.cli import main
    from budgetkg.errors import VIOLATION
    from budgetkg.etl.validation import validate_triples

    amount = ox.NamedNode("https://budgetkg.org/def/budget#amount")

    def violating(triples, path):
        # One amount as a plain string instead of xsd:decimal: a real sh:Violation of the core shapes.
        triples = list(triples)
        i = next(i for i, t in enumerate(triples) if t.predicate == amount)
        triples[i] = ox.Triple(triples[i].subject, amount, ox.Literal(triples[i].object.value))
        return validate_triples(triples, path)

    monkeypatch.setattr(hook, "validate_document", violating)
    assert main(["build", str(sample_path), "--out", str(tmp_path / "o"), "--jobs", "1"]) == VIOLATION == 1
    assert not (tmp_path / "o").exists()


def test_query_table_aligns_by_display_width(built):
    r = cli("query", "expenditure_by_function", "--param", "digits=3", "--data", built)
    assert r.returncode == 0, r.stderr
    header, *rows = r.stdout.splitlines()
    import unicodedata

    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    # The amount column starts at the same display column on every line.
    starts = {width(line[: line.index(line.split()[-2])]) for line in rows}
    assert len(starts) == 1 and rows


def test_closed_pipe_ends_without_traceback(built):
    proc = subprocess.Popen([sys.executable, "-m", "budgetkg.cli", "query", "departments", "--data", str(built)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first row is printed, as with `| head -0`
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_busy_port_says_so_with_its_exit_status(built):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "budgetkg.cli", "serve", "--data", str(built), "--port", str(port)],
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 3
    assert f"port {port}" in r.stderr and "in use" in r.stderr and "--port" in r.stderr
    assert "serving" not in r.stderr and "Traceback" not in r.stderr


def test_query_xlsx_does_not_overwrite_a_foreign_file_and_replaces_its_own(built, tmp_path):
    mine = tmp_path / "notes.xlsx"
    mine.write_bytes(b"my own notes")
    r = cli("query", "departments", "--data", built, "--format", "xlsx", "--out", mine)
    assert r.returncode == 2 and "notes.xlsx" in r.stderr
    assert mine.read_bytes() == b"my own notes"
    out = tmp_path / "departments.xlsx"
    old = os.umask(0o022)
    try:
        assert cli("query", "departments", "--data", built, "--format", "xlsx", "--out", out).returncode == 0
        assert cli("query", "departments", "--data", built, "--format", "xlsx", "--out", out).returncode == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644  # the umask's mode, not mkstemp's 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["departments.xlsx", "notes.xlsx"]
