"""``budgetkg build --cache DIR``: a rebuild processes only the documents that changed, and its
dumps are byte-identical to a clean build of the same sources."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.errors import BudgetkgError, OutputRefused
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


def _entries(cache: Path) -> set[str]:
    """The keys of the cache's whole entries (an entry counts once its report is there)."""
    return {p.stem for p in cache.glob("*.json") if re.fullmatch(r"[0-9a-f]{64}", p.stem)}


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_prune_cache_removes_only_the_entries_the_build_did_not_use(tmp_path, capsys):
    from budgetkg.cli import main

    src = tmp_path / "src"
    docs = _generate(src, "3")
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([src], out=out, jobs=1, cache=cache)
    first = _entries(cache)
    assert len(first) == len(docs)
    # an entry of an older release (another key), and what budgetkg did not write or still writes
    old = "f" * 64
    some = next(iter(first))
    for suffix in (".nq", ".nt", ".json"):
        shutil.copyfile(cache / (some + suffix), cache / (old + suffix))
    old_bytes = sum((cache / (old + s)).stat().st_size for s in (".nq", ".nt", ".json"))
    (cache / "notes.txt").write_text("keep me", encoding="utf-8")
    (cache / "notes.json").write_text("{}", encoding="utf-8")
    (cache / ("e" * 63 + ".nq")).write_text("not a key: 63 digits", encoding="utf-8")
    crashed = cache / f".{'d' * 64}.nq.{_dead_pid()}.tmp"  # left by a build that ended mid-write
    crashed.write_bytes(b"half")
    running = cache / f".{'c' * 64}.nq.{os.getpid()}.tmp"  # being written by a running process
    running.write_bytes(b"half")

    changed = docs[1]
    shutil.copy(next(p for p in _generate(tmp_path / "other", "2") if p.name == changed.name), changed)
    kept = build([src], out=out, jobs=1, cache=cache)  # without --prune-cache nothing is removed
    assert kept.pruned is None and kept.reprocessed == [str(changed)]
    new = _entries(cache) - first - {old}
    assert len(new) == 1 and _entries(cache) == first | {old} | new  # the changed document's old entry stays
    sizes = {p.name: p.stat().st_size for p in cache.iterdir()}

    assert main(["build", str(src), "--out", str(out), "--jobs", "1", "--cache", str(cache), "--prune-cache"]) == 0
    printed = capsys.readouterr().out
    after = _entries(cache)
    # what the build used: the two unchanged documents' entries and the changed one's new entry
    assert new < after < first | new and len(after) == len(docs)
    gone = (first | {old}) - after
    assert len(gone) == 2 and old in gone
    removed = sum(sizes[k + s] for k in gone for s in (".nq", ".nt", ".json")) + sizes[crashed.name]
    assert old_bytes < removed
    assert f"pruned 2 entries this build did not use ({removed / 2**20:.1f} MB)" in printed
    assert "0 documents processed, 3 reused" in printed
    assert not any((cache / (k + s)).exists() for k in gone for s in (".nq", ".nt", ".json"))
    assert not crashed.exists() and running.read_bytes() == b"half"
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "keep me" and (cache / "notes.json").exists()
    assert (cache / ("e" * 63 + ".nq")).exists() and (cache / "budgetkg-shard-cache").exists()

    again = build([src], out=tmp_path / "again", jobs=1, cache=cache, prune_cache=True)  # nothing left to prune
    assert again.reprocessed == [] and again.pruned == (0, 0) and _entries(cache) == after
    _same_dumps(again.out, build([src], out=tmp_path / "clean", jobs=1).out)


def test_prune_cache_needs_a_cache_and_a_failed_build_prunes_nothing(tmp_path, capsys):
    from budgetkg.cli import main

    text = next(p for p in (ROOT / "data" / "samples").glob("*.txt"))
    with pytest.raises(ValueError, match="prune_cache needs a cache"):
        build([text], out=tmp_path / "out", jobs=1, prune_cache=True)
    assert main(["build", str(text), "--out", str(tmp_path / "out"), "--prune-cache"]) == 2
    assert "--prune-cache needs --cache DIR" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

    cache = tmp_path / "cache"
    build([text], out=tmp_path / "out", jobs=1, cache=cache)
    entries = _entries(cache)
    bad = tmp_path / "bad.txt"
    bad.write_text("not a disclosure\n", encoding="utf-8")
    with pytest.raises(BudgetkgError):
        build([bad], out=tmp_path / "out", jobs=1, cache=cache, prune_cache=True)
    assert _entries(cache) == entries and len(entries) == 1
