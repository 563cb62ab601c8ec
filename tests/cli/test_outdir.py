"""Output folders: only a previous output is replaced, staged folders of dead runs are cleaned,
a set-aside output is recovered, and folders get the user's umask."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from budgetkg.errors import OutputRefused
from budgetkg.outdir import check_replaceable, publish, recover, staging

MARK = "manifest.json"
ENTRIES = {"dumps", "store"}


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_missing_and_empty_folders_may_be_written(tmp_path):
    check_replaceable(tmp_path / "new", marker=MARK, entries=ENTRIES)
    check_replaceable(tmp_path, marker=MARK, entries=ENTRIES)


def test_a_file_is_refused(tmp_path):
    f = tmp_path / "out"
    f.write_text("mine")
    with pytest.raises(OutputRefused, match="not a folder"):
        check_replaceable(f, marker=MARK, entries=ENTRIES)


def test_a_folder_of_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="no previous output"):
        check_replaceable(tmp_path, marker=MARK, entries=ENTRIES)


def test_a_previous_output_with_a_foreign_file_is_refused(tmp_path):
    (tmp_path / MARK).write_text("{}")
    (tmp_path / "dumps").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="notes.txt"):
        check_replaceable(tmp_path, marker=MARK, entries=ENTRIES)


def test_a_previous_output_is_replaced_whole(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / MARK).write_text("old")
    (out / "dumps").mkdir()
    check_replaceable(out, marker=MARK, entries=ENTRIES)
    new = staging(out)
    (new / MARK).write_text("new")
    publish(new, out)
    assert (out / MARK).read_text() == "new" and not (out / "dumps").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_staged_folders_take_the_umask_not_700(tmp_path):
    old = os.umask(0o022)
    try:
        staged = staging(tmp_path / "dist")
    finally:
        os.umask(old)
    assert staged.stat().st_mode & 0o777 == 0o755


def test_stale_staging_of_a_dead_run_is_removed_live_one_kept(tmp_path):
    out = tmp_path / "dist"
    dead = tmp_path / f".dist.tmp-{_dead_pid()}-0abc"
    live = tmp_path / f".dist.tmp-{os.getppid()}-0def"
    other = tmp_path / f".other.tmp-{_dead_pid()}-0abc"
    for p in (dead, live, other):
        p.mkdir()
    staging(out)
    assert not dead.exists()
    assert live.exists() and other.exists()


def test_a_set_aside_output_is_recovered_when_the_output_is_missing(tmp_path):
    out = tmp_path / "dist"
    aside = tmp_path / f".dist.old-{_dead_pid()}"
    aside.mkdir()
    (aside / MARK).write_text("previous")
    assert recover(out) == aside
    assert (out / MARK).read_text() == "previous"
    assert recover(out) is None
