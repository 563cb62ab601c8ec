"""The compiled loops of the PDF reader (``etl/_speedups.c``) against the Python loops they replace.

``budgetkg.etl.pdf_raw`` reads every character, page object and path segment of a page in loops that are compiled where
``setup.py`` could build ``budgetkg.etl._speedups``, in Python elsewhere. Both must give the same page to the last bit:
the same dicts with their keys in the same order, the same floats (``repr`` tells -0.0 from 0.0 and every last digit).
"""

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from budgetkg.etl import pdf_raw
from tests.etl.test_pdf_raw import CORPUS, PDFS, readable

BUNDLED = [p for p in PDFS if p.parent.name == "samples"]
SPEEDUPS = pdf_raw._speedups  # as imported: the tests set pdf_raw._speedups to None to run the Python loops
compiled = pytest.mark.skipif(SPEEDUPS is None, reason="budgetkg.etl._speedups is not built here")


def test_the_compiled_loops_are_built_where_a_c_compiler_is():
    """setup.py builds the extension optionally: an install on a machine with a C compiler must not lose it unseen."""
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler: the Python loops are the reader's")
    assert SPEEDUPS is not None


def _records_and_points_readable() -> None:
    """The compiled loops take the character records and path points read from memory (test_pdf_raw.readable)."""
    readable("_CHARS_READABLE")
    readable("_READABLE")


class _Counted:
    """The compiled module, counting the calls of each loop (so that a comparison is known to have run both)."""

    def __init__(self, module):
        self.module, self.calls = module, {"chars": 0, "subpaths": 0, "walk": 0}

    def __getattr__(self, name):
        fn = getattr(self.module, name)

        def counted(*args):
            self.calls[name] += 1
            return fn(*args)
        return counted


def _read_both(monkeypatch, path: Path) -> tuple[int, dict]:
    """Every page of ``path`` read with the compiled loops and with the Python loops, compared; returns the pages
    compared and what they held."""
    counted = _Counted(SPEEDUPS)
    seen = {"chars": 0, "rotated": 0, "rects": 0, "lines": 0, "curves": 0, "clipped": 0}
    pdf = pdfium.PdfDocument(path.read_bytes())
    pages = len(pdf)
    try:
        for index in range(pages):
            monkeypatch.setattr(pdf_raw, "_speedups", counted)
            fast = pdf_raw.raw_page(pdf, index)
            monkeypatch.setattr(pdf_raw, "_speedups", None)
            slow = pdf_raw.raw_page(pdf, index)
            if fast is None or slow is None:  # read by pdfminer: no loop of this module
                assert fast is slow is None
                continue
            where = f"{path.name} page {index + 1}"
            for name in ("chars", "rects", "lines", "curves", "images", "clipped"):
                assert repr(getattr(fast, name)) == repr(getattr(slow, name)), f"{where}: {name} differ"
            assert (fast.objects, fast.bbox) == (slow.objects, slow.bbox), where
            seen["chars"] += len(fast.chars)
            seen["rotated"] += sum(1 for c in fast.chars if not c["upright"])
            for name in ("rects", "lines", "curves", "clipped"):
                seen[name] += len(getattr(fast, name))
    finally:
        pdf.close()
    if seen["chars"]:
        assert counted.calls["chars"], f"{path.name}: the compiled character loop did not run"
    if seen["rects"] or seen["lines"] or seen["curves"]:
        assert counted.calls["walk"], f"{path.name}: the compiled object loop did not run"
    return pages, seen


@compiled
def test_compiled_loops_read_the_bundled_pdfs_as_the_python_loops(monkeypatch):
    _records_and_points_readable()
    total: dict = {}
    for path in BUNDLED:
        _, seen = _read_both(monkeypatch, path)
        for k, v in seen.items():
            total[k] = total.get(k, 0) + v
    # tables ruled with lines and with rectangles among them (curves: test_each_branch_of_the_loops_reads_as_in_python)
    assert total["chars"] > 10_000 and total["rects"] and total["lines"]


@compiled
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.pdf")), ids=lambda p: p.stem)
def test_compiled_loops_read_the_corpus_as_the_python_loops(monkeypatch, path):
    _records_and_points_readable()
    pages, seen = _read_both(monkeypatch, path)
    assert pages and seen["chars"]


# rotated text (read by the loose box, pdf_raw._turned), a line-end hyphen, a closed square drawn with its closing
# segment (the "lh" pdfminer drops), a curve, a path clipped away and one half in its clip: each a branch of the loops
_BRANCHES = (b"BT /F1 9 Tf 0 1 -1 0 60 20 Tm (Up) Tj ET BT /F1 9 Tf 10 80 Td (Ab c-) Tj 0 -12 Td (de) Tj ET "
             b"10 10 m 30 10 l 30 30 l 10 30 l 10 10 l h S 40 40 m 50 60 60 60 70 40 c S "
             b"q 0 0 20 20 re W n 50 50 m 90 50 l S 5 5 m 40 5 l S Q")


@compiled
def test_each_branch_of_the_loops_reads_as_in_python(monkeypatch):
    pdf = pdfium.PdfDocument(pdf_raw._one_page_pdf(_BRANCHES))
    try:
        monkeypatch.setattr(pdf_raw, "_speedups", SPEEDUPS)
        fast = pdf_raw.raw_page(pdf, 0)
        with monkeypatch.context() as m:  # the objects' types asked of pdfium: each path's points by subpaths()
            m.setattr(pdf_raw, "_KINDS", {})
            by_api = pdf_raw.raw_page(pdf, 0)
        monkeypatch.setattr(pdf_raw, "_speedups", None)
        slow = pdf_raw.raw_page(pdf, 0)
    finally:
        pdf.close()
    for name in ("chars", "rects", "lines", "curves", "clipped"):
        assert repr(getattr(fast, name)) == repr(getattr(slow, name)) == repr(getattr(by_api, name)), name
    # what the page draws, read off its content stream: U and p turned, the hyphen read as "-", the square a rect (its
    # closing segment dropped), the c a curve, the clipped-away line left out and the half-visible one kept
    assert [c["text"] for c in fast.chars if not c["upright"]] == ["U", "p"]
    assert "-" in [c["text"] for c in fast.chars]
    assert [(r["x0"], r["x1"]) for r in fast.rects] == [(10.0, 30.0)]
    assert len(fast.curves) == 1 and fast.curves[0]["x0"] == 40.0 and fast.curves[0]["x1"] == 70.0
    assert [(ln["x0"], ln["x1"]) for ln in fast.lines] == [(5.0, 40.0)]


@compiled
def test_the_loops_refuse_what_they_cannot_read():
    """Arguments of the wrong kind raise an exception naming the loop (never a crash)."""
    with pytest.raises(TypeError, match="chars"):
        SPEEDUPS.chars()
    with pytest.raises(TypeError, match="subpaths"):
        SPEEDUPS.subpaths(b"\0" * 12, (1.0,) * 5, None, 0.0, {}, [], [], [], 2, 0, 1.0)
    with pytest.raises(TypeError, match="subpaths"):
        SPEEDUPS.subpaths(b"\0" * 13, (1.0,) * 6, None, 0.0, {}, [], [], [], 2, 0, 1.0)
    with pytest.raises(TypeError, match="walk"):
        SPEEDUPS.walk(0, 0)
    with pytest.raises(ValueError, match="chars"):
        SPEEDUPS.chars([1, 2], [0], [0], [0.0], [0.0], [0.0], (memoryview(b""),) * 4, 0, 1, 1, None, None,
                                None, 0.0, {}, 0, {2: 45})
