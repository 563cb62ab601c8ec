"""The map of the code in docs/DESIGN.md ("Layout") and README.md ("Layout") matches the code.

Every module of the package (budgetkg/, etl/, service/, sub-packages included) is named in the
section of its folder in DESIGN.md's layout, and every file either map names exists.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("budgetkg", "etl", "service")
FILE = re.compile(r"(?<![\w/.<-])((?:[\w-]+/)*[\w-]+\.(?:py|ttl|csv|toml|md))(?![\w])")


def design_sections() -> dict[str, str]:
    """Top-level entry of the layout block (``etl/``, ``tests/`` ...) -> its text, indented lines included."""
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    sections: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        if line and not line[0].isspace():
            current = line.split()[0]
            sections[current] = ""
        if current:
            sections[current] += line + "\n"
    return sections


def named(section: str) -> set[str]:
    return set(FILE.findall(section))


def modules(package: str) -> list[str]:
    """The modules of a top-level folder, relative to it (``pipeline.py``, ``extract/engine.py``)."""
    base = ROOT / package
    return sorted(str(p.relative_to(base)) for p in base.rglob("*.py") if p.name != "__init__.py")


def exists(folder: str, name: str) -> bool:
    return (ROOT / folder / name).exists() or (ROOT / name).exists()


def test_every_module_is_on_the_map():
    sections = design_sections()
    missing = [f"{pkg}/{m}" for pkg in PACKAGES for m in modules(pkg) if m not in named(sections.get(pkg + "/", ""))]
    assert missing == [], f"modules not named in docs/DESIGN.md's layout: {missing}"


def test_every_file_on_the_map_exists():
    ghosts = [f"{folder} {name}" for folder, text in design_sections().items() if folder.endswith("/")
              for name in named(text) if "<" not in name and not exists(folder, name)]
    assert ghosts == []
    for folder in design_sections():
        if folder.endswith("/"):
            assert (ROOT / folder).is_dir(), folder


def test_the_readme_names_only_what_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    paths = [p for p in re.findall(r"`([\w./<>-]+/)`", layout) if "<" not in p]
    assert paths, "README's Layout names no folder"
    assert [p for p in paths if not (ROOT / p).is_dir()] == []


def test_the_check_reads_names_and_paths():
    text = "etl/        the pipeline\n  pipeline.py  stages (ontology/jurisdictions.csv)\n  extract/engine.py  the engine, not budgetkg.etl.model\n"
    assert named(text) == {"pipeline.py", "ontology/jurisdictions.csv", "extract/engine.py"}
    assert exists("etl/", "extract/engine.py") and exists("etl/", "ontology/jurisdictions.csv")
    assert not exists("etl/", "extract/gone.py")
