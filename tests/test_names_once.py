"""Every shared name is written once: namespaces, graph IRIs, prefix maps, the default base and the
build's file names live in budgetkg/names.py, and no other module of the package (nor the
benchmarks) spells them.

The check reads the string literals of the code (docstrings and comments are prose and may
show an IRI), so a namespace copied into a query, a prefix map or a path fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from budgetkg import names

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "budgetkg" / "names.py"
SOURCES = sorted(p for folder in ("budgetkg", "etl", "service", "bench") for p in (ROOT / folder).rglob("*.py") if p != HOME)
NAMESPACES = sorted({v for k, v in vars(names).items() if k.isupper() and isinstance(v, str) and v.startswith("http")}
                    | {names.SITE})
FILES = (names.MANIFEST, names.TABLES_INDEX, names.DUMP_QUADS, names.DUMP_TRIPLES, names.DUMP_TURTLE, names.DUMP_VOCABULARY)
FOLDERS = (names.STORE_DIR, names.DUMPS_DIR, names.TABLES_DIR)


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def offences(path: Path) -> list[str]:
    """``line: literal`` for each string literal of ``path`` that spells a shared name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            text = node.value
            hits = [ns for ns in NAMESPACES if ns in text] + [f for f in FILES if f in text]
            if hits:
                found.append(f"{node.lineno}: {hits[0]!r} in {text[:80]!r}")
        # a build folder joined onto a path: data / "store"
        if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant)
                and node.right.value in FOLDERS):
            found.append(f"{node.lineno}: path / {node.right.value!r}")
    return found


def test_the_check_sees_a_copied_namespace(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Doc naming https://budgetkg.org/def/budget# is prose."""\n'
                   'X = "https://budgetkg.org/def/graph"\nY = f"PREFIX skos: <{1}>" + "http://www.w3.org/2004/02/skos/core#"\n'
                   'Z = root / "store" / "manifest.json"\n', encoding="utf-8")
    assert [o.split(":")[0] for o in offences(bad)] == ["2", "3", "4", "4"]


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_module_spells_a_shared_name(path):
    assert offences(path) == [], f"{path.relative_to(ROOT)}: use budgetkg.names instead"
