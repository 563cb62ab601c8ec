"""etl/storeload: the lines two sorted dumps do not share, found a block at a time."""

from __future__ import annotations

import random

import pytest

import budgetkg.etl.storeload as storeload


@pytest.mark.parametrize("block", [1, 3, 16, 1 << 20])
def test_changed_lines_are_the_symmetric_difference_of_the_two_files(tmp_path, monkeypatch, block):
    # Blocks smaller than a line, ending mid-line and larger than the file; lines that are
    # prefixes of others (1, 10, 100); files that end at once or one before the other.
    monkeypatch.setattr(storeload, "_BLOCK", block)
    monkeypatch.setattr(storeload, "STORE_LOAD_QUADS", 10**9)
    rng = random.Random(block)
    for _ in range(400):
        universe = [f"{i:0{rng.randint(1, 4)}d}\n".encode() for i in range(rng.randint(0, 60))]
        old = set(rng.sample(universe, k=rng.randint(0, len(universe))))
        new = set(rng.sample(universe, k=rng.randint(0, len(universe))))
        if rng.random() < 0.6:  # a few lines changed, as in a rebuild
            new = old - set(rng.sample(sorted(old), k=min(len(old), rng.randint(0, 3)))) | set(
                rng.sample(universe, k=min(len(universe), rng.randint(0, 3))))
        (tmp_path / "old").write_bytes(b"".join(sorted(old)))
        (tmp_path / "new").write_bytes(b"".join(sorted(new)))
        changed, same = storeload._changed_lines(tmp_path / "old", tmp_path / "new")
        assert same == len(old & new)
        if len(old ^ new) > len(old & new):
            assert changed is None  # more changed than kept: the store is loaded whole
        else:
            assert sorted(changed) == sorted(old ^ new)


def test_a_shard_that_is_not_n_quads_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setattr(storeload, "STORE_LOAD_QUADS", 1)  # one shard per load: each thread takes its own
    good = '<http://example.org/s> <http://example.org/p> "1" <http://example.org/g> .\n'
    shards = []
    for n in range(6):
        shards.append(tmp_path / f"doc{n}.nq")
        shards[-1].write_text(good.replace("/s>", f"/s{n}>"), encoding="utf-8")
    shards[0].write_text('<http://example.org/s> <http://example.org/p> "unterminated .\n', encoding="utf-8")
    with pytest.raises(SyntaxError, match="doc0.nq"):
        storeload.load_shards(tmp_path / "store", shards, [])
