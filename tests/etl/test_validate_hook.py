"""The build's validation hook and the cycle collector (etl/validate_hook.py, etl/validation.py)."""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from tests.shapes.test_shapes_support import fixed_sample


def _validate_and_count_frozen() -> int:
    from budgetkg.etl.validate_hook import validate_document

    validate_document(list(fixed_sample()), "sample.txt")
    return gc.get_freeze_count()


def test_the_calling_process_is_not_frozen(monkeypatch):
    import budgetkg.etl.validate_hook as hook

    monkeypatch.setattr(hook, "_settled", False)
    before = gc.get_freeze_count()
    hook.validate_document(list(fixed_sample()), "sample.txt")
    assert gc.get_freeze_count() == before


def test_a_worker_process_freezes_what_later_documents_reuse():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_validate_and_count_frozen).result() > 0


def test_automatic_collection_left_off_stays_off_while_validating(monkeypatch):
    import budgetkg.etl.shacl_batch as batch
    from budgetkg.etl.validation import validate_documents

    seen = []
    run = batch.run_document
    monkeypatch.setattr(batch, "run_document", lambda *a, **k: seen.append(gc.get_threshold()[0]) or run(*a, **k))
    before = gc.get_threshold()
    gc.set_threshold(0, *before[1:])
    try:
        validate_documents([(fixed_sample(), "sample")])
    finally:
        gc.set_threshold(*before)
    assert seen == [0]
