"""``budgetkg build --cache DIR``: a rebuild processes only the documents that changed, and its
dumps are byte-identical to a clean build of the same sources."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.errors import OutputRefused
from budgetkg.etl.build import build

ROOT = Path(__file__).resolve().parents[2]


def _generate(out: Path, indicators: str) -> list[Path]:
    subprocess.run([sys.executable, "-m", "bench.generate", "--departments", "3", "--years", "2022", "--indicators", indicators,
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    return sorted(out.glob("*.txt"))


def _same_dumps(a: Path, b: Path) -> None:
    names = sorted(p.name for p in (a / "dumps").iterdir())
    assert names == sorted(p.name for p in (b / "dumps").iterdir())
    for name in names:
        assert (a / "dumps" / name).read_bytes() == (b / "dumps" / name).read_bytes(), name


def _same_store(a: Path, b: Path) -> None:
    import pyoxigraph as ox

    quads = [set(ox.Store.read_only(str(out / "store"))) for out in (a, b)]
    assert quads[0] == quads[1] and len(quads[0]) > 1000


def test_rebuild_processes_only_changed_documents_and_equals_a_clean_build(tmp_path):
    src = tmp_path / "src"
    docs = _generate(src, "3")
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = build([src], out=out, jobs=1, cache=cache)
    assert sorted(first.reprocessed) == [str(p) for p in docs] and first.reused == []

    again = build([src], out=out, jobs=1, cache=cache)  # nothing changed: nothing is read again
    assert again.reprocessed == [] and sorted(again.reused) == [str(p) for p in docs]
    assert first.store == "loaded" and again.store == "updated: 0 graphs, 0 quads"  # the previous store, as it was

    changed = docs[1]  # the same department's disclosure with one project performance table fewer
    other = _generate(tmp_path / "other", "2")
    before = changed.read_bytes()
    shutil.copy(next(p for p in other if p.name == changed.name), changed)
    assert changed.read_bytes() != before
    rebuilt = build([src], out=out, jobs=1, cache=cache)
    assert rebuilt.reprocessed == [str(changed)]
    assert sorted(rebuilt.reused) == sorted(str(p) for p in docs if p != changed)
    clean = build([src], out=tmp_path / "clean", jobs=1)
    _same_dumps(out, clean.out)
    assert (out / "manifest.json").read_bytes() == (clean.out / "manifest.json").read_bytes()
    # the previous store with the changed document's graph loaded again (its report's too, if it changed)
    assert re.fullmatch(r"updated: [12] graphs, [1-9]\d* quads", rebuilt.store)
    _same_store(out, clean.out)

    docs[2].unlink()  # a removed document leaves the graph; nothing else is read again
    removed = build([src], out=out, jobs=1, cache=cache)
    assert removed.reprocessed == [] and len(removed.documents) == 2
    _same_dumps(out, build([src], out=tmp_path / "clean2", jobs=1).out)
    assert re.fullmatch(r"updated: [12] graphs, 0 quads", removed.store)  # its graphs emptied
    _same_store(out, tmp_path / "clean2")


def test_a_folder_budgetkg_did_not_write_is_not_used_as_cache(tmp_path):
    cache = tmp_path / "mine"
    cache.mkdir()
    (cache / "notes.txt").write_text("keep me", encoding="utf-8")
    text = next(p for p in (ROOT / "data" / "samples").glob("*.txt"))
    with pytest.raises(OutputRefused, match="did not write"):
        build([text], out=tmp_path / "out", jobs=1, cache=cache)
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "out").exists()


def test_a_previous_store_whose_dump_does_not_match_its_manifest_is_loaded_again(tmp_path):
    text = next(p for p in (ROOT / "data" / "samples").glob("*.txt"))
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([text], out=out, jobs=1, cache=cache)
    with (out / "dumps" / "budgetkg.nq").open("ab") as fh:  # no longer the dump the store was loaded from
        fh.write(b"<https://example.org/s> <https://example.org/p> <https://example.org/o> <https://example.org/g> .\n")
    again = build([text], out=out, jobs=1, cache=cache)
    assert again.store == "loaded"
    _same_store(out, build([text], out=tmp_path / "clean", jobs=1).out)
