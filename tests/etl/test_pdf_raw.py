"""The pypdfium2 reader (budgetkg.etl.pdf_raw) against the pdfplumber-based reader it replaced.

The reference reads the same file through the same layout code from pdfplumber's pages (pdfminer's
characters, rectangles, lines and curves, as :func:`budgetkg.etl.pdf_raw.from_pdfminer` takes them: characters
of a font claiming an incredible descent placed from their baseline, paths filled white and not stroked left
out, as the reader does with pdfium's objects; pdfplumber's own table finder): every bundled PDF and every corpus PDF must give the
same document — each table's title, page, meta, header, 栏次, rows (cells, line, page) and notes,
every heading and paragraph, and the repairs.
"""

import hashlib
import io
import struct
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from budgetkg.etl import pdf_raw
from budgetkg.etl.model import Document, Table
from budgetkg.etl.read_pdf import read_pages, read_pdf

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "samples" / "corpus"
PDFS = sorted((ROOT / "data" / "samples").glob("*.pdf")) + sorted(CORPUS.glob("*.pdf"))
# pdf_raw's memory layouts were found on one pdfium build: its self-checks must accept them there; on another they may
# say no (the reader then asks pdfium's API), and nothing is read from memory where they did
ON_LAYOUT_BUILD = pdfium.PDFIUM_INFO.build == pdf_raw._LAYOUT_BUILD
# pypdfium2's get_objects(max_depth=FORM_LEVELS) opens the forms the reader opens (its max_depth counts the page)
FORM_LEVELS = pdf_raw._FORM_DEPTH + 1


def readable(flag: str, from_memory: bool = True) -> None:
    """Fail where pdf_raw's self-check ``flag`` says no on the build its layout was found on; skip a test reading
    memory with that layout where it says no on another build."""
    ok = getattr(pdf_raw, flag)
    assert ok or not ON_LAYOUT_BUILD, f"{flag}: the layout found on pdfium build {pdf_raw._LAYOUT_BUILD} is not read"
    if from_memory and not ok:
        pytest.skip(f"{flag}: pdfium build {pdfium.PDFIUM_INFO.build} is read by its API")


def read_with_pdfplumber(path: Path) -> Document:
    data = path.read_bytes()
    doc = Document(str(path), hashlib.sha256(data).hexdigest(), "pdf")
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        pdf = pdfium.PdfDocument(data)
        try:
            return read_pages(doc, pdf, [lambda p=p: pdf_raw.from_pdfminer(p) for p in plumber.pages])
        finally:
            pdf.close()


def summary(doc: Document) -> list:
    out = [("meta", doc.title, sorted(doc.meta.items())), ("repairs", doc.repairs),
           ("skipped", [(str(s.location), s.reason) for s in doc.skipped])]
    for b in doc.blocks:
        if isinstance(b, Table):
            out.append(("table", b.title, b.line, b.page, sorted(b.meta.items()), b.header, b.column_numbers,
                        [(r.cells, r.line, r.page) for r in b.rows], b.notes, b.repairs))
        else:
            out.append((type(b).__name__, vars(b)))
    return out


def without_spaces(value):
    """``value`` with the spaces of its texts removed."""
    if isinstance(value, str):
        return value.replace(" ", "")
    if isinstance(value, (list, tuple)):
        return type(value)(without_spaces(v) for v in value)
    if isinstance(value, dict):
        return {k: without_spaces(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_document_as_pdfplumber(path):
    """The bundled PDFs give the identical document. On the corpus a text may differ by one space
    where two characters stand exactly at the layout's word gap (a quarter of the font size):
    pdfium holds positions in single precision, pdfminer in double, and at an exact tie the last
    bit decides (fuzhou p40 '577.91 万元': '1' ends at 253.85, '万' starts at 257.85, size 16; the
    PDF prints 169.84999847, which single precision cannot hold). Neither reading is wrong; the
    test allows exactly that and nothing else."""
    new, old = summary(read_pdf(path)), summary(read_with_pdfplumber(path))
    assert len(new) == len(old)
    bundled = path.parent.name == "samples" and path.parent.parent.name == "data"
    for a, b in zip(new, old):
        if bundled:
            assert a == b
        else:
            assert without_spaces(a) == without_spaces(b)


def test_text_in_a_font_without_glyphs_is_read_from_pdfium(tmp_path):
    """A CID font that is not embedded, on a system without its glyphs: pdfium leaves a lone digit out of its
    text layer (its box has no width), yet reads it once widened (pdf_raw._measurable): the page is read from
    pdfium, its characters where pdfminer places them, by the widths the font declares."""
    from tests.etl.test_read_pdf import make_pdf, ruled_page

    path = tmp_path / "ruled.pdf"
    path.write_bytes(make_pdf([ruled_page("2025年部门支出表", [["序号", "项目", "金额"], ["1", "合计", "3.00"]])]))
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        page = pages.page(0)
        assert pages.fallbacks == []
    with pdfplumber.open(path) as plumber:
        expected = pdf_raw.from_pdfminer(plumber.pages[0]).chars

    def boxes(chars):
        return sorted((c["text"], *(round(c[k], 3) for k in ("x0", "x1", "top", "bottom"))) for c in chars)

    assert "1" in [c["text"] for c in page.chars]
    assert boxes(page.chars) == boxes(expected)
    (t,) = read_pdf(path).tables()
    assert [r.cells for r in t.rows] == [["1", "合计", "3.00"]]


def test_a_run_of_spaces_in_a_font_without_glyphs_keeps_every_space(tmp_path):
    """Spaces printed as text objects of their own, one after the other, in a font that is not embedded: pdfium
    keeps one space of a run in its text layer, so the other is the blank at its object's origin (where pdfminer
    starts it); no page goes to pdfminer and no word is lost or joined."""
    from tests.etl.test_read_pdf import make_pdf

    path = tmp_path / "spaces.pdf"
    path.write_bytes(make_pdf([{"text": [(60, 700, 12, "甲"), (72, 700, 12, " "), (84, 700, 12, " "),
                                         (96, 700, 12, "乙")]}]))
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        page = pages.page(0)
        assert pages.fallbacks == []
    with pdfplumber.open(path) as plumber:
        expected = plumber.pages[0].chars

    def starts(chars):
        return sorted((c["text"], round(c["x0"], 3), round(c["top"], 3)) for c in chars)

    assert starts(page.chars) == starts(expected) == [(" ", 72.0, 131.44), (" ", 84.0, 131.44),
                                                      ("乙", 96.0, 131.44), ("甲", 60.0, 131.44)]


def _pixels(page) -> bytes:
    return page.render(scale=1).to_pil().tobytes()


def test_pages_read_stay_open_and_render_as_loaded_again(monkeypatch):
    """The pages PdfPages read stay open for the layout's renders (loading a page parses its content again), at
    most KEPT_PAGES of them; a page kept renders the same pixels as the page loaded from the file afresh."""
    path = PDFS[0]
    monkeypatch.setattr(pdf_raw, "KEPT_PAGES", 2)
    fresh = pdfium.PdfDocument(path.read_bytes())
    try:
        with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
            for i in range(3):
                pages.page(i)
            assert pages[0] is pages[0] and pages[1] is pages[1]  # kept
            assert pages[2] is not pages[2]  # beyond the bound: loaded for each render
            for i in range(3):
                assert _pixels(pages[i]) == _pixels(fresh[i])
    finally:
        fresh.close()


def test_pages_stay_open_up_to_an_estimate_of_their_size(monkeypatch):
    """PdfPages keeps pages open until those kept reach KEPT_BYTES by OBJECT_BYTES per page object (a page may hold
    any number of paths): with room for the objects of the first page read and one more, the first two pages read stay
    open, the third is loaded afresh for each render."""
    import pypdfium2.raw as pdfium_c

    path = PDFS[0]
    fresh = pdfium.PdfDocument(path.read_bytes())
    try:
        first = sum(1 for o in fresh[1].get_objects(max_depth=FORM_LEVELS) if o.type != pdfium_c.FPDF_PAGEOBJ_FORM)
    finally:
        fresh.close()
    assert first > 50  # a page of a budget table (the second of the file)
    monkeypatch.setattr(pdf_raw, "KEPT_BYTES", first * pdf_raw.OBJECT_BYTES + 1)
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        assert pages.page(1).objects == first
        for i in (2, 3):
            pages.page(i)
        assert pages[1] is pages[1] and pages[2] is pages[2]  # kept: the first page's estimate left room
        assert pages[3] is not pages[3]  # beyond the bound


def test_a_page_whose_text_objects_were_widened_is_not_kept(tmp_path, monkeypatch):
    """A page on which the reader widened text objects (pdf_raw._measurable) is not the page of the file: it is
    closed after reading, and a render loads it again as printed."""
    from tests.etl.test_read_pdf import make_pdf, ruled_page

    widened = []  # the page is widened where the system has no glyphs for its font (STSong-Light, not embedded)
    measurable = pdf_raw._measurable
    monkeypatch.setattr(pdf_raw, "_measurable", lambda objs: widened.append(len(objs)) or measurable(objs))

    path = tmp_path / "ruled.pdf"
    path.write_bytes(make_pdf([ruled_page("2025年部门支出表", [["序号", "项目", "金额"], ["1", "合计", "3.00"]])]))
    fresh = pdfium.PdfDocument(path.read_bytes())
    try:
        with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
            pages.page(0)
            if not widened:
                pytest.skip("this system has glyphs for the page's font: nothing is widened")
            assert pages[0] is not pages[0]
            assert _pixels(pages[0]) == _pixels(fresh[0])
    finally:
        fresh.close()


def _api_segments(path_obj) -> list[tuple]:
    """The segments of a path object as pdfium's API gives them, one call per field (x, y, type, close)."""
    import pypdfium2.raw as pdfium_c

    x, y = pdfium_c.c_float(), pdfium_c.c_float()
    out = []
    for i in range(pdfium_c.FPDFPath_CountSegments(path_obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(path_obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        out.append((x.value, y.value, pdfium_c.FPDFPathSegment_GetType(seg), int(pdfium_c.FPDFPathSegment_GetClose(seg))))
    return out


@pytest.mark.parametrize("at_once", [True, False], ids=["array", "per-segment"])
def test_path_segments_read_at_once_are_the_api_s(at_once, monkeypatch):
    """The reader takes a path's segments from pdfium's array of points at once (pdf_raw._points): on every path of
    the bundled PDFs (rules, closed cell rectangles) and on a path with curves built here that gives each segment's
    point, type and close flag as pdfium's API does segment by segment; and the pdfium installed has that layout
    (else the reader falls back to the API, which must give the same)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    readable("_READABLE", at_once)
    monkeypatch.setattr(pdf_raw, "_READABLE", at_once)
    seen = {"paths": 0, "kinds": set(), "closed": 0}
    scratch = pdf_raw._Scratch()

    def check(path_obj) -> None:
        expected = _api_segments(path_obj)
        handle = pdf_raw._Handle(ctypes.cast(path_obj, ctypes.c_void_p).value)
        assert [tuple(s) for s in pdf_raw._points(handle, len(expected), scratch)] == expected
        seen["paths"] += 1
        seen["kinds"].update(s[2] for s in expected)
        seen["closed"] += sum(s[3] for s in expected)

    for path in (p for p in PDFS if p.parent.name == "samples"):
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            for page in pdf:
                for obj in page.get_objects(max_depth=FORM_LEVELS):
                    if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                        check(obj.raw)
                page.close()
        finally:
            pdf.close()
    curve = pdfium_c.FPDFPageObj_CreateNewPath(10, 20)
    try:
        assert pdfium_c.FPDFPath_BezierTo(curve, 10, 30, 40, 50, 60.5, 20.25) and pdfium_c.FPDFPath_Close(curve)
        assert pdfium_c.FPDFPath_MoveTo(curve, 0, 0) and pdfium_c.FPDFPath_LineTo(curve, 100, 0.125)
        check(curve)
    finally:
        pdfium_c.FPDFPageObj_Destroy(curve)
    # ruling lines, closed rectangles and curves met, for the comparison to mean anything
    assert seen["paths"] > 100 and seen["closed"] > 1 and seen["kinds"] == {
        pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO}


def test_points_out_of_the_memory_view_s_reach_are_read_from_the_api(monkeypatch):
    """pdf_raw reads a path's points by slicing a view of the process's memory that ends at sys.maxsize; an address
    beyond it (above 2 GiB on a 32-bit build, a tagged pointer) slices short without an error (the previous reader
    read what was in reach: no points, a ruling line lost without a word, or here unmapped memory). The reader then
    asks pdfium segment by segment."""
    import ctypes
    import sys

    import pypdfium2.raw as pdfium_c

    beyond = sys.maxsize - 4  # the first 4 bytes of 12 within reach, the others not
    assert pdf_raw._read(beyond, 12) is None
    monkeypatch.setattr(pdf_raw, "_segment_at", lambda path, i: beyond)
    line = pdfium_c.FPDFPageObj_CreateNewPath(1.5, 2)
    try:
        assert pdfium_c.FPDFPath_LineTo(line, 30, 2)
        handle = pdf_raw._Handle(ctypes.cast(line, ctypes.c_void_p).value)
        got = [tuple(s) for s in pdf_raw._points(handle, 2, pdf_raw._Scratch())]
        assert got == [(1.5, 2.0, pdfium_c.FPDF_SEGMENT_MOVETO, 0), (30.0, 2.0, pdfium_c.FPDF_SEGMENT_LINETO, 0)]
    finally:
        pdfium_c.FPDFPageObj_Destroy(line)


def _api_chars(textpage) -> list[tuple]:
    """Each character of a pypdfium2 text page as pdfium's API gives it, one call per field: generated or not, origin,
    loose box (left, bottom, right, top), a, b, c, d of its matrix, the address of its text object (0 for none)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    x, y, m = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    out = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
        pdfium_c.FPDFText_GetMatrix(textpage.raw, i, m)
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(textpage.raw, i), ctypes.c_void_p).value or 0
        out.append((pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1, x.value, y.value, left, bottom, right, top,
                    m.a, m.b, m.c, m.d, obj))
    return out


@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
def test_character_records_read_at_once_are_the_api_s(from_memory, monkeypatch):
    """The reader takes each character's type, origin, loose box, matrix and text object from pdfium's array of
    character records at once (pdf_raw._records_at): on every page of the bundled PDFs they are what pdfium's API
    gives character by character (generated spaces and line ends, CJK text and rotated page numbers among them), and
    the pdfium installed has that layout (else the reader asks the API, which must give the same)."""
    import ctypes

    readable("_CHARS_READABLE", from_memory)
    monkeypatch.setattr(pdf_raw, "_CHARS_READABLE", from_memory)
    seen = {"chars": 0, "generated": 0, "matrices": set()}
    for path in (p for p in PDFS if p.parent.name == "samples"):
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            for page in pdf:
                textpage = page.get_textpage()
                expected = _api_chars(textpage)
                codes, objs, records = pdf_raw._layer(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
                if from_memory:  # the records as columns (pdf_raw._columns)
                    assert [(r[0] == pdf_raw._GENERATED, *r[1:]) for r in zip(*records)] == expected
                else:  # the API asked by _chars (_chars_asked)
                    assert records is None or not codes
                # the text object of each character of a non-zero unit (0 or None for none), and those placed
                assert [o or None for o, code in zip(objs, codes) if code] == [e[-1] or None for code, e in
                                                                               zip(codes, expected) if code]
                assert pdf_raw._placed((codes, objs, records)) - {0, None} == {
                    e[-1] for code, e in zip(codes, expected) if code and e[-1]}
                seen["chars"] += len(expected)
                seen["generated"] += sum(e[0] for e in expected)
                seen["matrices"].update(e[7:11] for e in expected if not e[0])
                textpage.close()
                page.close()
        finally:
            pdf.close()
    # characters, generated ones and more than one orientation met, for the comparison to mean anything
    assert seen["chars"] > 10000 and seen["generated"] > 100 and len(seen["matrices"]) > 1


def test_character_records_out_of_reach_are_read_from_the_api(monkeypatch):
    """An array of character records at an address that is not mapped (pdf_raw._safe_read), or a text page that does
    not hold as many records as pdfium counts characters, is not read: the reader asks pdfium character by character
    and places the same characters."""
    import ctypes
    import sys

    def chars() -> list[dict]:
        with pdf_raw.PdfPages(pdf_raw._one_page_pdf(pdf_raw._TEXT_PAGE), "t.pdf") as pages:
            return pages.page(0).chars

    expected = chars()
    assert "".join(c["text"] for c in expected) == "Ab c-deUp"
    pdf = pdfium.PdfDocument(pdf_raw._one_page_pdf(pdf_raw._TEXT_PAGE))
    textpage = pdf[0].get_textpage()
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    n = pdfium.raw.FPDFText_CountChars(textpage.raw)
    if pdf_raw._CHARS_READABLE:  # the layout read from memory only where the self-check found it
        assert pdf_raw._records_at(tp, n) is not None and pdf_raw._records_at(tp, n + 1) is None
    textpage.close()
    pdf.close()
    beyond = sys.maxsize - 100  # not mapped (in user space, but far beyond anything mapped)
    real = pdf_raw._CHAR_LIST_HEAD
    monkeypatch.setattr(pdf_raw, "_CHAR_LIST_HEAD", type("Head", (), {
        "size": real.size, "unpack": staticmethod(lambda head: (beyond, real.unpack(head)[1]))}))
    asked = []
    monkeypatch.setattr(pdf_raw, "_chars_asked", lambda tp, ctm, top_of, codes, *rest, api=pdf_raw._chars_asked:
                        asked.append(len(codes)) or api(tp, ctm, top_of, codes, *rest))
    assert chars() == expected and asked == [n]


def test_characters_asked_of_the_api_are_those_read_from_memory(monkeypatch):
    """Where the character records cannot be read from memory, the reader asks pdfium's API only what each character
    needs (pdf_raw._chars_asked): on every page of the bundled PDFs it places the same characters, to the last bit."""
    readable("_CHARS_READABLE")
    pages = 0
    for path in (p for p in PDFS if p.parent.name == "samples"):
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            for index in range(len(pdf)):
                monkeypatch.setattr(pdf_raw, "_CHARS_READABLE", True)
                read = pdf_raw.raw_page(pdf, index)
                monkeypatch.setattr(pdf_raw, "_CHARS_READABLE", False)
                asked = pdf_raw.raw_page(pdf, index)
                assert repr(asked.chars) == repr(read.chars)
                pages += bool(read.chars)
        finally:
            pdf.close()
    assert pages > 10  # pages with text met, for the comparison to mean anything


def _mapped_bar_pdf(unicode: bytes) -> bytes:
    """A 100 x 100 page printing "a|b" on a baseline at 80 and "ok" 20pt below, 9pt Helvetica, whose ToUnicode CMap
    maps the bar (code 7C) to ``unicode`` (four hex digits) and leaves the other codes to the font's encoding."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <7C> <%s> endbfchar endcmap "
            b"CMapName currentdict /CMap defineresource pop end end" % unicode)
    return pdf_raw._pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        pdf_raw._stream(b"BT /F1 9 Tf 10 80 Td (a|b) Tj 0 -20 Td (ok) Tj ET"), pdf_raw._stream(cmap)])


def _chars_read(data: bytes, from_memory: bool, monkeypatch) -> list[dict]:
    """The characters of the first page of the PDF ``data``, their records read from memory or asked of the API."""
    readable("_CHARS_READABLE", from_memory)
    monkeypatch.setattr(pdf_raw, "_CHARS_READABLE", from_memory)
    pdf = pdfium.PdfDocument(data)
    try:
        return pdf_raw.raw_page(pdf, 0).chars
    finally:
        pdf.close()


@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
def test_a_character_beyond_the_bmp_by_its_glyph_name_shifts_no_other(from_memory, monkeypatch):
    """A glyph named u1F600 (the /Differences of the font's encoding; no ToUnicode) is U+1F600 on one character index,
    which pdfium's text leaves out while its text indices count it: the reader took "b" for it and every later
    character for the one before (a reviewer's case). The page prints a at 10 (Helvetica's a is 556 wide at 9pt), the
    glyph after it at 15.004, b after the glyph, and "ok" 20pt below at 10 and 15.004 (o is 556 wide)."""
    chars = _chars_read(pdf_raw._pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [124 /u1F600] >> >>",
        pdf_raw._stream(b"BT /F1 9 Tf 10 80 Td (a|b) Tj 0 -20 Td (ok) Tj ET")]), from_memory, monkeypatch)
    assert [c["text"] for c in chars] == ["a", "\U0001F600", "b", "o", "k"]
    assert [chars[i]["x0"] for i in (0, 1, 3, 4)] == [10.0, 15.004, 10.0, 15.004]
    assert chars[2]["x0"] > chars[1]["x0"] and chars[3]["top"] == pytest.approx(chars[0]["top"] + 20)


@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
@pytest.mark.parametrize(("unicode", "text"), [(b"D840DC00", "\U00020000"), (b"D840", "\ufffd"), (b"DC00", "\ufffd")],
                         ids=["beyond-the-bmp", "high-half-alone", "low-half-alone"])
def test_a_character_beyond_the_bmp_is_one_character(unicode, text, from_memory, monkeypatch):
    """The bar mapped to U+20000 (a CJK Extension B character, two UTF-16 units) is one character where the bar is
    printed: pdfium gives it as two character indices of the one glyph, the halves of the pair (before, two characters
    of one surrogate each, which no text may hold: a JSON or RDF writer refuses them). A half alone is no character:
    U+FFFD. Positions as in the test above (a and o at 10, the bar from 15.004 to 17.344, b at 17.344, k at 15.004)."""
    chars = _chars_read(_mapped_bar_pdf(unicode), from_memory, monkeypatch)
    assert [(c["text"], c["x0"]) for c in chars] == [("a", 10.0), (text, 15.004), ("b", 17.344), ("o", 10.0),
                                                     ("k", 15.004)]
    assert chars[1]["x1"] == 17.344


@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
@pytest.mark.parametrize("unicode", [b"FFFE", b"0002", b"0000", b"007C"],
                         ids=["noncharacter", "control", "null", "bar"])
def test_characters_left_out_of_pdfium_s_text_shift_no_other(unicode, from_memory, monkeypatch):
    """pdfium's text (FPDFText_GetText) leaves out a character its font maps to the noncharacter U+FFFE or a control
    character (U+0002 here), while its character indices keep it: the reader takes each index's code from its place
    in the text, so every other character stands where the page prints it (the previous reader took the text's
    units in turn: "b" at the bar's place, a line end at b's, "o" and "k" at the generated line break's and o's).
    The characters as the page prints them: Helvetica's widths (a and o 556, bar 260) put a and o at 10, the bar at
    15.004, b at 17.344, k at 15.004; the lines 20pt apart, each 9pt high, a baseline at 80 (20 from the top).
    The bar has no text where it maps to U+FFFE or U+0002 (as in pdfium's text); mapped to U+0000 it is U+0000, as
    pdfplumber reads it (pdfium's text gives U+FFFE, as for the hyphen it marks at a line end: an earlier reader
    printed it as "-", a later one dropped it; test_a_glyph_of_unicode_0_is_the_character_u_0000); mapped to itself
    it is "|"."""
    chars = _chars_read(_mapped_bar_pdf(unicode), from_memory, monkeypatch)
    bar = {b"007C": [("|", 15.004)], b"0000": [("\x00", 15.004)]}.get(unicode, [])
    assert [(c["text"], c["x0"]) for c in chars] == [("a", 10.0), *bar, ("b", 17.344), ("o", 10.0), ("k", 15.004)]
    top, bottom = chars[0]["top"], chars[0]["bottom"]
    assert [(c["top"], c["bottom"]) for c in chars] == [(top, bottom)] * (len(chars) - 2) + [
        (pytest.approx(top + 20), pytest.approx(bottom + 20))] * 2
    assert bottom - top == pytest.approx(9) and 20 <= bottom < 20 + 9 / 2


# a font of no standard name (pdfminer takes a standard font's widths from its own metrics, by glyph name, and gives
# a glyph mapped to U+0000 none), its widths and descent declared: 556 for a and b, 260 for the bar, 250 for the space,
# 500 for code 0, descent 200/1000 of the size
_WIDTHS = (b"/FirstChar 0 /LastChar 124 /Widths [500 " + b"0 " * 31 + b"250 " + b"0 " * 64 + b"556 556 " + b"0 " * 25
           + b"260]")
_DESCRIPTOR = (b"<< /Type /FontDescriptor /FontName /BudgetSans /Flags 32 /FontBBox [0 -200 1000 800] /ItalicAngle 0 "
               b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")


def _declared_font_pdf(content: bytes, mapped: bytes) -> bytes:
    """A 100 x 100 page drawing ``content`` in that font (/F1, not embedded), whose ToUnicode CMap maps the codes
    ``mapped`` (hex, each two digits) to U+0000 and leaves the others to the font's standard encoding."""
    pairs = b" ".join(b"<%s> <0000>" % code for code in mapped.split())
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            b"1 begincodespacerange <00> <FF> endcodespacerange %d beginbfchar %s endbfchar endcmap "
            b"CMapName currentdict /CMap defineresource pop end end" % (len(mapped.split()), pairs))
    return pdf_raw._pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /BudgetSans " + _WIDTHS
        + b" /FontDescriptor 7 0 R /ToUnicode 6 0 R >>",
        pdf_raw._stream(content), pdf_raw._stream(cmap), _DESCRIPTOR])


def _boxes(chars: list[dict]) -> list[tuple]:
    """(text, x0, x1, top, bottom, size, upright) of each character, to a thousandth, in reading order."""
    return sorted((c["text"], *(round(c[k], 3) for k in ("x0", "x1", "top", "bottom", "size")), c["upright"])
                  for c in chars)


@pytest.mark.parametrize("loops", ["compiled", "python"])
@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
@pytest.mark.parametrize("code0", [b"00 ", b""], ids=["code-0-mapped", "code-0-unmapped"])
def test_a_glyph_of_unicode_0_is_the_character_u_0000(code0, from_memory, loops, monkeypatch):
    """A glyph whose ToUnicode maps to U+0000 (the bar here), alone in its text object or in a run, is the character
    U+0000 where the page prints it, as pdfplumber reads it (the reader took a text object of only that glyph for a
    run of spaces, pdf_raw._blank, and read a blank; in a run it read nothing), and so is a glyph of code 0: pdfplumber
    reads it as U+0000 where the CMap maps it so, else as "(cid:0)", its text for a code without Unicode. pdfium's
    API tells neither the codes nor what the CMap maps (it gives Unicode 0 for both and leaves code 0 out of its text),
    so the reader reads U+0000 for both (pinned here, pdfplumber's "(cid:0)" beside it).

    Read off the page: 9pt, a box from 1.8 below the baseline (descent 200) to 7.2 above it; on the baseline at 80 (top
    12.8) the bar alone at 30 (260 wide: to 32.34) and "a|b" at 50 (a 556 wide to 55.004, the bar to 57.344, b to
    62.348); on the baseline at 60 (top 32.8) code 0 alone at 10 (500 wide: to 14.5) and "a", code 0, "b" at 30."""
    if loops == "compiled" and pdf_raw._speedups is None:
        pytest.skip("budgetkg.etl._speedups is not built here")
    if loops == "python":
        monkeypatch.setattr(pdf_raw, "_speedups", None)
    data = _declared_font_pdf(b"BT /F1 9 Tf 30 80 Td (|) Tj ET BT /F1 9 Tf 50 80 Td (a|b) Tj ET "
                              b"BT /F1 9 Tf 10 60 Td (\\000) Tj ET BT /F1 9 Tf 30 60 Td (a\\000b) Tj ET", code0 + b"7C")
    chars = _chars_read(data, from_memory, monkeypatch)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        expected = plumber.pages[0].chars
    nul = "\x00"
    zero = nul if code0 else "(cid:0)"  # pdfplumber's text for code 0
    assert [c["text"] for c in sorted(expected, key=lambda c: (c["top"], c["x0"]))] == [
        nul, "a", nul, "b", zero, "a", zero, "b"]
    first, second = (12.8, 21.8, 9.0, True), (32.8, 41.8, 9.0, True)
    assert _boxes(chars) == _boxes([dict(c, text=c["text"].replace(zero, nul)) for c in expected]) == sorted([
        (nul, 30.0, 32.34, *first), ("a", 50.0, 55.004, *first), (nul, 55.004, 57.344, *first),
        ("b", 57.344, 62.348, *first), (nul, 10.0, 14.5, *second), ("a", 30.0, 35.004, *second),
        (nul, 35.004, 39.504, *second), ("b", 39.504, 44.508, *second)])


def test_a_glyph_of_unicode_0_leaves_no_control_character_in_a_line(monkeypatch):
    """The U+0000 that the character layer keeps (as pdfplumber's) is dropped from the text of the line, as every
    control character is (budgetkg.etl.text.INVISIBLE): no literal of the graph may hold one, since XML cannot write
    it (a SPARQL XML result holding it would not be XML). The page prints "a", the bar mapped to U+0000, "b"."""
    from budgetkg.etl import pdf_tables

    chars = _chars_read(_declared_font_pdf(b"BT /F1 9 Tf 10 80 Td (a|b) Tj ET", b"7C"), False, monkeypatch)
    assert [c["text"] for c in chars] == ["a", "\x00", "b"]
    assert [line.text for line in pdf_tables.build_lines(chars)] == ["ab"]


def _lone_space_pdf(cm: bytes, matrix: bytes, rotate: bytes) -> bytes:
    """A 100 x 100 page (``rotate``: its /Rotate entry) drawing under ``cm`` a form of /Matrix ``matrix`` that prints
    "a " at (5, 5) and then a text object of one space, in the font of _declared_font_pdf (not embedded, no
    ToUnicode)."""
    form = pdf_raw._stream(b"BT /F1 9 Tf 5 5 Td (a ) Tj ( ) Tj ET", b"/Type /XObject /Subtype /Form /BBox [-1000 -1000 "
                           b"1000 1000] /Matrix [%s] /Resources << /Font << /F1 4 0 R >> >> " % matrix)
    return pdf_raw._pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] %s/Resources << /Font << /F1 4 0 R >> "
        b"/XObject << /Fr 6 0 R >> >> /Contents 5 0 R >>" % rotate,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /BudgetSans " + _WIDTHS + b" /FontDescriptor 7 0 R >>",
        pdf_raw._stream(b"q %s cm /Fr Do Q" % cm), form, _DESCRIPTOR])


@pytest.mark.parametrize("loops", ["compiled", "python"])
@pytest.mark.parametrize(("cm", "matrix", "rotate", "box"), [
    # turned by the form: x from 60 - 12.2 to 60 - 3.2, y from 10 + 12.254 to 10 + 14.504; its size the box's height
    (b"1 0 0 1 0 0", b"0 1 -1 0 60 10", b"", (47.8, 56.8, 75.496, 77.746, 2.25, False)),
    # turned by the form and back by the page (upright), scaled by 0.5 across and 2 up by the cm: x 20 + 0.5 * (the
    # form's y 10 + 12.254 to 14.504), top (400 - 2 * ...) - 30: as pdfplumber reads it
    (b"2 0 0 0.5 20 30", b"0 1 -1 0 60 10", b"/Rotate 90 ", (41.127, 42.252, 115.6, 133.6, 18.0, True)),
    # moved by the form: from 10 + 12.254 to 10 + 14.504 across, 15 - 1.8 to 15 + 7.2 up
    (b"1 0 0 1 0 0", b"1 0 0 1 10 10", b"", (22.254, 24.504, 77.8, 86.8, 9.0, True))],
    ids=["turned", "upright", "moved"])
def test_a_lone_space_is_placed_as_pdfplumber_places_it(cm, matrix, rotate, box, loops, monkeypatch):
    """A text object of one space after a space, which pdfium's text layer leaves out (the reader places it from its
    object: pdf_raw._blank), has pdfminer's box: over the space's advance (250 of 9pt: 2.25) from the descent (1.8 below
    the baseline) to one size above it, through the matrices it is drawn with, its size that box's height, as
    pdfplumber reads it (the reader's box had no advance: no width, and no height where the form turns it). The
    space is read off the page: the form prints a (556: 5.004 wide) at 5, the space after it at 10.004, the lone
    space at 12.254, on the baseline at 5."""
    if loops == "compiled" and pdf_raw._speedups is None:
        pytest.skip("budgetkg.etl._speedups is not built here")
    if loops == "python":
        monkeypatch.setattr(pdf_raw, "_speedups", None)
    data = _lone_space_pdf(cm, matrix, rotate)
    pdf = pdfium.PdfDocument(data)
    try:
        chars = pdf_raw.raw_page(pdf, 0).chars
    finally:
        pdf.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        expected = plumber.pages[0].chars
    assert [c["text"] for c in expected] == ["a", " ", " "] and sorted(c["text"] for c in chars) == [" ", " ", "a"]
    # the lone space last (the reader's blanks follow the text layer's characters), as pdfplumber reads the page
    assert _boxes(chars[-1:]) == _boxes(expected[2:]) == [(" ", *box)]


@pytest.mark.parametrize("loops", ["compiled", "python"])
@pytest.mark.parametrize("from_memory", [True, False], ids=["array", "per-character"])
def test_turned_characters_have_pdfminer_s_size(from_memory, loops, monkeypatch):
    """A character of rotated, sheared or mirrored text (placed by pdfium's loose box: pdf_raw._turned) has the size
    pdfplumber gives it: pdfminer's LTChar of a horizontal font is ``size = height`` of its box on the page, whatever
    the matrix (the reader took the box's width for text pdfminer does not call upright: 9.0 for a 9pt a turned by
    90 degrees, where pdfplumber reads 5.004).

    Read off the page: "ab" in 9pt (a and b 556 wide: 5.004; the box from 1.8 below the baseline to 7.2 above it)
    turned by 90 degrees at (30, 20) (x from 30 - 7.2 to 30 + 1.8, up from 20 by 5.004 a character), by 180 at (80, 60)
    (leftward from 80, from 60 - 7.2 to 60 + 1.8 up: upright, as pdfminer calls it), by 270 at (70, 90) (x from 70 - 1.8
    to 70 + 7.2, down from 90), turned by 90 and sheared at (50, 30) (x' = 50 + 0.5x - y, y' = 30 + x) and mirrored at
    (40, 85) (leftward from 40, from 85 - 1.8 to 85 + 7.2 up)."""
    if loops == "compiled" and pdf_raw._speedups is None:
        pytest.skip("budgetkg.etl._speedups is not built here")
    if loops == "python":
        monkeypatch.setattr(pdf_raw, "_speedups", None)
    data = _declared_font_pdf(b" ".join(b"BT /F1 9 Tf %s Tm (ab) Tj ET" % m for m in (
        b"0 1 -1 0 30 20", b"-1 0 0 -1 80 60", b"0 -1 1 0 70 90", b"0.5 1 -1 0 50 30", b"-1 0 0 1 40 85")), b"")
    chars = _chars_read(data, from_memory, monkeypatch)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        expected = plumber.pages[0].chars
    assert _boxes(chars) == _boxes(expected) == sorted([
        ("a", 22.8, 31.8, 74.996, 80.0, 5.004, False), ("b", 22.8, 31.8, 69.992, 74.996, 5.004, False),
        ("a", 74.996, 80.0, 38.2, 47.2, 9.0, True), ("b", 69.992, 74.996, 38.2, 47.2, 9.0, True),
        ("a", 68.2, 77.2, 10.0, 15.004, 5.004, False), ("b", 68.2, 77.2, 15.004, 20.008, 5.004, False),
        ("a", 42.8, 54.302, 64.996, 70.0, 5.004, False), ("b", 45.302, 56.804, 59.992, 64.996, 5.004, False),
        ("a", 34.996, 40.0, 7.8, 16.8, 9.0, False), ("b", 29.992, 34.996, 7.8, 16.8, 9.0, False)])


# an address no process maps (within page 0): reading it through a slice of memory crashes the process
UNMAPPED = 16


def test_a_record_list_at_an_unmapped_address_is_no_crash():
    """The self-check and the reader take the address of the character records from an offset into pdfium's text page
    found on one build (pdf_raw._CHAR_LIST); on another it may hold anything. An address that is not mapped makes the
    self-check say no and the page be read from the API, not a crash (the previous reader sliced the process's memory
    there: the process died). In a child process, so that a crash fails this test and nothing else."""
    import subprocess
    import sys

    script = f"""
from budgetkg.etl import pdf_raw
expected = pdf_raw.PdfPages(pdf_raw._one_page_pdf(pdf_raw._TEXT_PAGE), "t.pdf").page(0).chars
real = pdf_raw._CHAR_LIST_HEAD
pdf_raw._CHAR_LIST_HEAD = type("Head", (), {{"size": real.size, "unpack": staticmethod(
    lambda head: ({UNMAPPED}, real.unpack(head)[1]))}})
print(pdf_raw._chars_readable(), pdf_raw._safe_read({UNMAPPED}, 8))
print(pdf_raw.PdfPages(pdf_raw._one_page_pdf(pdf_raw._TEXT_PAGE), "t.pdf").page(0).chars == expected)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.split()) == (0, ["False", "None", "True"]), done.stderr[-2000:]


def test_a_forked_child_closes_the_memory_file_only_while_the_number_is_still_it():
    """A child forked after someone closed the memory file and the number went to another file (here a pipe) keeps
    that file open, and reads its memory through a file of its own."""
    import ctypes
    import os
    import stat

    if pdf_raw._MEM_FD is None:
        pytest.skip("no /proc/self/mem here")
    mem_fd = pdf_raw._MEM_FD
    os.close(mem_fd)
    pipes = []
    try:
        pipes += os.pipe()
        if mem_fd not in pipes:  # the memory file's number now names the pipe (it may have got it already)
            os.dup2(pipes[0], mem_fd, inheritable=False)
            pipes.append(mem_fd)
        report_r, report_w = os.pipe()
        pipes += (report_r, report_w)
        mine = ctypes.create_string_buffer(b"mine....")
        pid = os.fork()
        if pid == 0:  # the child: nothing but the checks and os._exit (never the rest of the test run)
            try:
                kept = stat.S_ISFIFO(os.fstat(mem_fd).st_mode)  # still the pipe, not closed (nor reopened on it)
                read = pdf_raw._safe_read(ctypes.addressof(mine), 8) or b"None"
                os.write(report_w, (b"pipe kept:" if kept else b"pipe lost:") + read)  # one write: one read takes it
            finally:
                os._exit(0)
        os.close(report_w)
        pipes.remove(report_w)
        got = os.read(report_r, 64)
        os.waitpid(pid, 0)
    finally:
        for fd in pipes:
            os.close(fd)
        pdf_raw._MEM_FD = pdf_raw._open_memory()  # this process's memory file again
        pdf_raw._MEM_ID = getattr(pdf_raw, "_identity", lambda fd: None)(pdf_raw._MEM_FD)
    assert got == b"pipe kept:mine...."


def test_a_forked_child_reads_its_own_memory():
    """The self-checks and the character records read the process's memory through /proc/self/mem, opened at import; a
    child forked after that (a process pool forks the reader) must read its own memory, not its parent's: an address
    the child has just filled reads as the child wrote it."""
    import ctypes
    import os

    if pdf_raw._MEM_FD is None:
        pytest.skip("no /proc/self/mem here")
    parent = ctypes.create_string_buffer(b"parent!!" * 4)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: nothing but the read and os._exit (never the rest of the test run)
        try:
            ctypes.memmove(parent, b"child..." * 4, 32)
            os.write(write_end, pdf_raw._safe_read(ctypes.addressof(parent), 32) or b"None")
        finally:
            os._exit(0)
    os.close(write_end)
    got = os.read(read_end, 64)
    os.close(read_end)
    os.waitpid(pid, 0)
    assert got == b"child..." * 4


@pytest.mark.parametrize("name,value", [
    ("_CHAR_LIST", 8), ("_CHAR_LIST", 40), ("_CHAR_LIST", 56),  # the record list looked for elsewhere in the text page
    ("_CHAR_INFO", struct.Struct("=B15x2f12x4f4f8x4xQ")),  # the origin 4 bytes later, the rest where it is
    ("_CHAR_INFO", struct.Struct("=B11x2f16x4f4f8xQ4x")),  # the text object 4 bytes earlier
    ("_POINTERS_FIT", False), ("_MEM_FD", None)])  # pointers not of 8 bytes; no /proc/self/mem
def test_the_character_self_check_says_no_to_another_layout(name, value, monkeypatch):
    """pdf_raw reads the character records from memory only where its self-check (pdf_raw._chars_readable) finds them
    where its layout says: with the list looked for at another offset of the text page, a record laid out otherwise,
    pointers that are not 8 bytes or no way to read memory safely, it says no (and reads nothing at an address that
    is no pointer: a crash would end the test run)."""
    readable("_CHARS_READABLE")
    assert pdf_raw._chars_readable()  # as loaded: the answer below is the change's
    monkeypatch.setattr(pdf_raw, name, value)
    assert pdf_raw._chars_readable() is False


@pytest.mark.parametrize("name,value", [
    ("_OBJECT_HEAD", struct.Struct("=16xQ24x4f")),  # the clip path's state one word later
    ("_OBJECT_HEAD", struct.Struct("=8xQ36x4f")),  # the bounds 4 bytes later
    ("_CLIP_AT", 16),  # the clip path one word later than FPDFPageObj_GetClipPath gives it
    ("_POINTERS_FIT", False), ("_MEM_FD", None)])
def test_the_object_head_self_check_says_no_to_another_layout(name, value, monkeypatch):
    """As above, for the clipping state and bounds read from a page object's first bytes (pdf_raw._heads_readable)."""
    readable("_HEADS_READABLE")
    assert pdf_raw._heads_readable()
    monkeypatch.setattr(pdf_raw, name, value)
    assert pdf_raw._heads_readable() is False


def test_an_address_that_is_not_mapped_reads_as_none():
    """pdf_raw._safe_read reads the process's memory through /proc/self/mem: an address not mapped (within page 0),
    beyond what a file offset holds, or zero gives None, not a crash; a mapped one its bytes."""
    import ctypes

    if pdf_raw._MEM_FD is None:
        pytest.skip("no /proc/self/mem here")
    buffer = ctypes.create_string_buffer(b"budget", 6)
    assert pdf_raw._safe_read(ctypes.addressof(buffer), 6) == b"budget"
    assert [pdf_raw._safe_read(address, 88) for address in (UNMAPPED, 0, 1 << 63, (1 << 64) - 88)] == [None] * 4


def test_object_heads_read_from_memory_are_the_api_s():
    """The reader takes a text object's clipping state and bounds from the object's first bytes
    (pdf_raw._OBJECT_HEAD): on every text and path object of the bundled PDFs they are the first word of the clip path
    pdfium's API gives the address of, and the bounds it gives; and the pdfium installed has that layout."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    readable("_HEADS_READABLE")
    bounds = [ctypes.c_float() for _ in range(4)]
    seen = {"objects": 0, "states": set()}
    for path in (p for p in PDFS if p.parent.name == "samples"):
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            for page in pdf:
                for obj in page.get_objects(max_depth=FORM_LEVELS):
                    if obj.type not in (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH):
                        continue
                    clip = ctypes.cast(pdfium_c.FPDFPageObj_GetClipPath(obj.raw), ctypes.c_void_p).value
                    assert pdfium_c.FPDFPageObj_GetBounds(obj.raw, *bounds)
                    state = ctypes.c_void_p.from_address(clip).value or 0
                    head = pdf_raw._read(ctypes.cast(obj.raw, ctypes.c_void_p).value, pdf_raw._OBJECT_HEAD.size)
                    assert pdf_raw._OBJECT_HEAD.unpack(head) == (state, *(b.value for b in bounds))
                    seen["objects"] += 1
                    seen["states"].add(state)
                page.close()
        finally:
            pdf.close()
    assert seen["objects"] > 10000 and len(seen["states"]) > 2  # clipped and unclipped objects met


@pytest.mark.parametrize("by_state,by_head", [(True, True), (True, False), (False, False)],
                         ids=["object-head", "state-address", "paths"])
def test_text_is_held_against_its_own_clipping_state(by_state, by_head, monkeypatch, tmp_path):
    """Two clipping states that intersect the same first path (a triangle over the page) with different rectangles
    (the lower-left quarter, the upper half) are two clip boxes: the text drawn in the upper half and reaching 5pt
    below it is listed with the upper half's box, the text lying inside the lower-left quarter is not listed, as
    pdf_raw names a state by its address, read from the text object (pdf_raw._HEADS_READABLE) or from its clip path
    (pdf_raw._STATES_READABLE), or by the paths it intersects."""
    readable("_STATES_READABLE", by_state)
    readable("_HEADS_READABLE", by_head)
    monkeypatch.setattr(pdf_raw, "_STATES_READABLE", by_state)
    monkeypatch.setattr(pdf_raw, "_HEADS_READABLE", by_head)
    if not by_head:  # the object heads switched off: not read by the walk either (pdf_raw._walk)
        monkeypatch.setattr(pdf_raw, "_walk", lambda *args: pytest.fail("the object heads were read"))
    path = tmp_path / "clips.pdf"
    path.write_bytes(pdf_raw._one_page_pdf(
        b"q 0 0 m 100 0 l 0 100 l h W n q 0 0 50 50 re W n BT /F1 9 Tf 10 10 Td (AA) Tj ET Q "
        b"q 0 50 100 50 re W n BT /F1 9 Tf 10 45 Td (BB) Tj ET Q Q"))
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        page = pages.page(0)
        assert "".join(c["text"] for c in page.chars) == "AABB"
        assert len(page.clipped) == 1
        (x0, top, x1, bottom), clip = page.clipped[0]
        assert clip == (0.0, 0.0, 100.0, 50.0)  # x0, top, x1, bottom of the upper half, tops counted down
        assert 10 <= x0 < x1 < 50 and top < 50 < 54 < bottom  # "BB" on a baseline 5pt below the half
        assert pdf_raw.clipped_text(pages, 0) == page.clipped


@pytest.mark.parametrize("read", ["walk", "object-head", "api"])
def test_text_reaching_past_its_clip_by_more_than_the_slack_is_listed(read, monkeypatch):
    """A text object is listed as clipped when its box reaches more than pdf_raw._CLIP_SLACK (1pt) past a side of its
    clip box: an "H" reaching 1.5pt past the left, top, right or bottom side of its clipping rectangle is, one reaching
    0.5pt past is not (each clip 5pt clear of the other sides). The boxes: the object's bounds as pdfium gives them
    (FPDFPageObj_GetBounds, measured on a page without the clips) and the rectangle the page writes, in pdfplumber's
    coordinates (top = 100 - y). The same from the object walk, from the object heads and from the API alone."""
    readable("_KINDS", read == "walk")
    readable("_HEADS_READABLE", read != "api")
    if read != "walk":
        monkeypatch.setattr(pdf_raw, "_KINDS", {})
    if read == "api":
        monkeypatch.setattr(pdf_raw, "_HEADS_READABLE", False)
    cases = [(side, past) for side in range(4) for past in (0.5, 1.5)]  # side: left, bottom, right, top (PDF's y up)
    texts = [b"BT /F1 9 Tf %d %d Td (H) Tj ET" % (10 + 45 * (k % 2), 10 + 20 * (k // 2)) for k in range(len(cases))]
    pdf = pdfium.PdfDocument(pdf_raw._one_page_pdf(b" ".join(texts)))
    try:
        bounds = [obj.get_bounds() for obj in pdf[0].get_objects()]  # left, bottom, right, top
    finally:
        pdf.close()
    clips, expected = [], []
    for (side, past), box, text in zip(cases, bounds, texts):
        rect = [box[0] - 5, box[1] - 5, box[2] + 5, box[3] + 5]
        rect[side] = box[side] + (past if side < 2 else -past)  # the text reaches ``past`` beyond that side
        clips.append(b"q %r %r %r %r re W n %s Q" % (rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], text))
        if past > 1:
            expected.append(((box[0], 100 - box[3], box[2], 100 - box[1]),
                             (rect[0], 100 - rect[3], rect[2], 100 - rect[1])))
    data = pdf_raw._one_page_pdf(b" ".join(clips))
    with pdf_raw.PdfPages(data, "clips.pdf") as pages:
        page = pages.page(0)
        listed = pdf_raw.clipped_text(pages, 0)
    assert "".join(c["text"] for c in page.chars) == "H" * len(cases)
    assert listed == page.clipped

    def rounded(pairs: list) -> list:  # the rectangle is written in decimals, read in single precision
        return [tuple(tuple(round(v, 3) for v in box) for box in pair) for pair in pairs]

    assert rounded(page.clipped) == rounded(expected) and len(expected) == 4


@pytest.mark.parametrize("name,value", [
    ("_VTABLE", struct.Struct("=8xQ")),  # the type named by the second word (the clip path's)
    ("_PATH_AT", 120),  # the path's fields a word earlier
    ("_PATH_HEAD", struct.Struct("=xBB13x24s")),  # the stroke flag and fill type a byte later
    ("_PATH_HEAD", struct.Struct("=BxB13x24s")),  # the fill type a byte later
    ("_PATH_HEAD", struct.Struct("=BB22x24s")),  # the matrix a word later
    ("_HEADS_READABLE", False), ("_MEM_FD", None)])
def test_the_object_kind_self_check_says_no_to_another_layout(name, value, monkeypatch):
    """As above, for the type, draw mode and matrix read from a page object's memory (pdf_raw._kinds_readable): with
    another layout, the object heads not read or no way to read memory safely, it finds no types ({})."""
    readable("_KINDS")
    assert pdf_raw._kinds_readable()
    monkeypatch.setattr(pdf_raw, name, value)
    assert pdf_raw._kinds_readable() == {}


def _raw_pages(data: bytes) -> list[str]:
    """repr of every RawPage of a PDF (characters, paths, images, clipped text, objects read)."""
    pdf = pdfium.PdfDocument(data)
    try:
        return [repr(pdf_raw.raw_page(pdf, i)) for i in range(len(pdf))]
    finally:
        pdf.close()


def _form_and_image_pdf() -> bytes:
    """One 100 x 100 page: a form XObject placed at (20, 30) holding the text "F" and a line 30pt long, an inline image
    of one pixel, a rule clipped away and a cell filled white."""
    form = b"BT /F1 9 Tf 5 5 Td (F) Tj ET 0 0 m 30 0 l S"
    content = (b"q 1 0 0 1 20 30 cm /Fm1 Do Q q 10 0 0 10 60 60 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI Q "
               b"q 0 0 10 10 re W n 50 50 m 90 50 l S Q 1 g 0 80 50 10 re f")
    return pdf_raw._pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> "
        b"/XObject << /Fm1 6 0 R >> >> /Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        pdf_raw._stream(content),
        pdf_raw._stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 50 50] "
                              b"/Resources << /Font << /F1 4 0 R >> >> ")])


# forms nested in a chain on _forms_pdf's second page: two more than the reader opens (pdf_raw._FORM_DEPTH, as deep as
# pdfium parses them)
CHAIN = pdf_raw._FORM_DEPTH + 2


def _forms_pdf() -> bytes:
    """Two pages of form XObjects (Helvetica as /F1).

    The first, 400 x 100 turned by /Rotate 90 (100 wide, 400 high), draws a form under ``2 0 0 0.5 20 30 cm`` whose
    /Matrix is ``[0 1 -1 0 150 10]``: in it a line from (0, 0) to (10, 0) and at (5, 5) the text "x " then a text
    object of one space (``( ) Tj``), which pdfium's text layer leaves out (one space of a run is kept).

    The second, 100 x 100, draws a form that draws another twice, under ``1 0 0 1 5 0 cm`` and ``0.5 0 0 0.5 30 10
    cm`` (that one holds a line from (0, 0) to (10, 0) and one from (0, 0) to (0, 8)), then under ``1 0 0 1 60 5 cm``
    the first of a chain of CHAIN forms, each drawing a line from (0, 0) to (10, 0) and the next form 2pt higher."""
    def form(content: bytes, matrix: bytes = b"", xobjects: bytes = b"") -> bytes:
        return pdf_raw._stream(content, b"/Type /XObject /Subtype /Form /BBox [-1000 -1000 1000 1000] " + matrix
                               + b"/Resources << /Font << /F1 4 0 R >> " + xobjects + b">> ")

    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Rotate 90 /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /Fr 8 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            pdf_raw._stream(b"q 2 0 0 0.5 20 30 cm /Fr Do Q"),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /Fo 9 0 R /C 11 0 R >> >> /Contents 7 0 R >>",
            pdf_raw._stream(b"/Fo Do q 1 0 0 1 60 5 cm /C Do Q"),
            form(b"0 0 m 10 0 l S BT /F1 9 Tf 5 5 Td (x ) Tj ( ) Tj ET", b"/Matrix [0 1 -1 0 150 10] "),
            form(b"q 1 0 0 1 5 0 cm /Fi Do Q q 0.5 0 0 0.5 30 10 cm /Fi Do Q", xobjects=b"/XObject << /Fi 10 0 R >> "),
            form(b"0 0 m 10 0 l S 0 0 m 0 8 l S")]
    for no in range(11, 10 + CHAIN):  # form no draws form no + 1
        objs.append(form(b"0 0 m 10 0 l S q 1 0 0 1 0 2 cm /C Do Q", xobjects=b"/XObject << /C %d 0 R >> " % (no + 1)))
    objs.append(form(b"0 0 m 10 0 l S"))
    return pdf_raw._pdf(objs)


def test_objects_read_from_memory_are_the_api_s(monkeypatch):
    """The reader takes each page object's type, and a path's draw mode and matrix, from the object's memory
    (pdf_raw._walk, where pdf_raw._KINDS found the layout): every page of the bundled PDFs, a page with a form
    XObject, an inline image, a clipped rule and a white cell, and the pages of forms turned, scaled, drawn twice and
    nested too deep (_forms_pdf), read as from pdfium's API object by object (pdf_raw._objects), also with only the
    text objects' type read from memory (a path's type not met by the self-check is asked). pdfium is asked the type
    of the form and the image only (the others are read)."""
    readable("_KINDS")
    kinds = pdf_raw._KINDS
    texts = {vtable: kind for vtable, kind in kinds.items() if kind == pdfium.raw.FPDF_PAGEOBJ_TEXT}
    datas = [p.read_bytes() for p in PDFS if p.parent.name == "samples"] + [_forms_pdf(), _form_and_image_pdf()]
    for data in datas:
        monkeypatch.setattr(pdf_raw, "_KINDS", kinds)
        read = _raw_pages(data)
        monkeypatch.setattr(pdf_raw, "_KINDS", texts)
        assert _raw_pages(data) == read
        monkeypatch.setattr(pdf_raw, "_KINDS", {})
        assert _raw_pages(data) == read
    monkeypatch.setattr(pdf_raw, "_KINDS", kinds)
    asked = []
    kind = pdf_raw._per_object.kind
    monkeypatch.setattr(pdf_raw._per_object, "kind", lambda obj: asked.append(kind(obj)) or asked[-1])
    pdf = pdfium.PdfDocument(datas[-1])
    try:
        page = pdf_raw.raw_page(pdf, 0)
    finally:
        pdf.close()
    assert asked == [pdfium.raw.FPDF_PAGEOBJ_FORM, pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    # the form's line placed by the form's matrix
    assert [(ln["x0"], ln["x1"], ln["top"]) for ln in page.lines] == [(20.0, 50.0, 70.0)]
    assert "".join(c["text"] for c in page.chars) == "F" and len(page.images) == 1 and page.objects == 5
    assert page.rects == []  # the white cell is not drawn


@pytest.mark.parametrize("by_memory", [True, False], ids=["walk", "api"])
def test_forms_are_placed_by_their_matrices(by_memory, monkeypatch):
    """The objects of a form XObject are placed by the form's matrix then the matrix it is drawn under (the page's
    rotation last), wherever it is drawn, and forms nested deeper than the reader opens (pdf_raw._FORM_DEPTH, as
    deep as pdfium parses them: test_forms_are_opened_as_deep_as_pdfium_parses_them) are not read. On
    _forms_pdf, from the matrices its content writes (x, y on the page turned by 90 degrees to x = y, top = x; 400
    high): the turned form's line (150, 10)-(150, 20) in the page's space, (320, 35)-(320, 40) on the page, 35 to 40
    at top 320; its text at (145, 15), (310, 37.5) on the page: "x" at 37.5, 9pt scaled by 0.5 across, the space
    that ends it at 37.5 + 500 / 1000 * 9 * 0.5 = 39.75 and the lone space out of the text layer one at 39.75 + 278 /
    1000 * 9 * 0.5 = 41.001 (Helvetica's widths). The form drawn twice: its lines 5 to 15 at 100 and 5 at 92 to 100,
    then halved at (30, 10): 30 to 35 at 90 and 30 at 86 to 90. The chain: one line 60 to 70 for each of the forms
    read, 2pt apart from top 95 (none of the last two)."""
    readable("_KINDS", by_memory)
    if not by_memory:
        monkeypatch.setattr(pdf_raw, "_KINDS", {})
    pdf = pdfium.PdfDocument(_forms_pdf())
    try:
        turned, nested = pdf_raw.raw_page(pdf, 0), pdf_raw.raw_page(pdf, 1)
    finally:
        pdf.close()
    assert turned.bbox == (0, 0, 100, 400)
    assert [(ln["x0"], ln["x1"], ln["top"], ln["bottom"]) for ln in turned.lines] == [(35, 40, 320, 320)]
    # (the lone space is placed from its object's matrix, in single precision)
    assert [(c["text"], c["x0"]) for c in turned.chars] == [("x", 37.5), (" ", 39.75), (" ", pytest.approx(41.001))]
    assert turned.chars[0]["x1"] == 39.75
    assert [(ln["x0"], ln["x1"], ln["top"], ln["bottom"]) for ln in nested.lines] == [
        (5, 15, 100, 100), (5, 5, 92, 100), (30, 35, 90, 90), (30, 30, 86, 90)] + [
        (60, 70, 95 - 2 * k, 95 - 2 * k) for k in range(CHAIN - 2)]
    assert nested.objects == 4 + CHAIN - 2  # the paths read (forms not counted)


# forms nested in a chain deeper than pdfium parses them (it parses the objects of 40 levels of forms drawn within one
# another, pdfium 159: the text layer holds no character of a deeper one, and a deeper form has no objects)
DEEP = 45


def _deep_forms_pdf() -> bytes:
    """A 100 x 200 page drawing at (60, 5) the first of a chain of DEEP forms, each printing "a" (4pt Helvetica) at
    (20, 0) and a line from (0, 0) to (10, 0), then drawing the next form 4pt higher."""
    def form(content: bytes, xobjects: bytes = b"") -> bytes:
        return pdf_raw._stream(content, b"/Type /XObject /Subtype /Form /BBox [-1000 -1000 1000 1000] "
                               b"/Resources << /Font << /F1 4 0 R >> " + xobjects + b">> ")

    drawn = b"BT /F1 4 Tf 20 0 Td (a) Tj ET 0 0 m 10 0 l S"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 200] /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /C 6 0 R >> >> /Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            pdf_raw._stream(b"q 1 0 0 1 60 5 cm /C Do Q")]
    for no in range(6, 5 + DEEP):  # form no draws form no + 1
        objs.append(form(drawn + b" q 1 0 0 1 0 4 cm /C Do Q", b"/XObject << /C %d 0 R >> " % (no + 1)))
    objs.append(form(drawn))
    return pdf_raw._pdf(objs)


@pytest.mark.parametrize("loops", ["compiled", "python"])
@pytest.mark.parametrize("by_memory", [True, False], ids=["walk", "api"])
def test_forms_are_opened_as_deep_as_pdfium_parses_them(by_memory, loops, monkeypatch):
    """The reader opens forms drawn within one another as deep as pdfium parses their objects (pdf_raw._FORM_DEPTH):
    the paths of the same forms as the characters of pdfium's text layer, the lines and characters pdfplumber reads
    there. pdfplumber (pdfminer) opens every level (DEEP here); pdfium parses none deeper than its own bound (no object
    of a deeper form exists), so the reader cannot read the forms beyond it: both there, pinned. Read off the page: the
    form of level k (from 0) draws its line from 60 to 70 at top 195 - 4k and its "a" at 80."""
    readable("_KINDS", by_memory)
    if not by_memory:
        monkeypatch.setattr(pdf_raw, "_KINDS", {})
    if loops == "compiled" and pdf_raw._speedups is None:
        pytest.skip("budgetkg.etl._speedups is not built here")
    if loops == "python":
        monkeypatch.setattr(pdf_raw, "_speedups", None)
    data = _deep_forms_pdf()
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        parsed = sum(o.type == pdfium.raw.FPDF_PAGEOBJ_PATH for o in page.get_objects(max_depth=2 * DEEP))
        textpage = page.get_textpage()
        printed = textpage.get_text_range().count("a")  # the characters of pdfium's text layer
        textpage.close()
        page.close()
        raw = pdf_raw.raw_page(pdf, 0)
    finally:
        pdf.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        lines, chars = plumber.pages[0].lines, plumber.pages[0].chars
    assert len(lines) == len(chars) == DEEP  # pdfplumber: every level
    assert parsed == printed < DEEP  # pdfium: the levels it parses (40 on pdfium 159)
    assert [(ln["x0"], ln["x1"], ln["top"]) for ln in raw.lines] == [
        (ln["x0"], ln["x1"], ln["top"]) for ln in lines[:parsed]] == [(60, 70, 195 - 4 * k) for k in range(parsed)]
    assert sorted((c["text"], c["x0"]) for c in raw.chars) == sorted(
        (c["text"], round(c["x0"], 4)) for c in chars[:parsed]) == [("a", 80.0)] * parsed
    assert raw.objects == 2 * parsed  # the texts and lines read (forms not counted)


def test_rounded_positions_are_those_of_round_to_four_digits():
    """_Rounded gives round(x, 4): the double nearest to x's exact binary value rounded to four decimals, a tie to the
    even digit, -0.0 kept (as decimal's quantize says), also where it works it out without round() (away from half-way)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    values = [123.45678, -123.45672, 595.2756, 0.03125, -0.03125, 0.03135, 1.00005, -0.00001, 0.00004, 0.00006,
              2.5e-5, -2.5e-5, 1e12 + 0.12345, 841.8898, 0.1 + 0.2, 1 / 3, 5e-324]
    values += [k / 64 for k in range(-200, 200)]  # exact binary fractions: ties at the fifth decimal
    values += [struct.unpack("=f", struct.pack("=f", k * 0.37))[0] for k in range(-300, 300)]  # single precision
    rounded = pdf_raw._Rounded()
    for x in values:
        expected = float(Decimal(x).quantize(Decimal("1e-4"), ROUND_HALF_EVEN))
        assert repr(rounded[x]) == repr(expected), x
    assert rounded[float("inf")] == float("inf") and rounded[float("nan")] != rounded[float("nan")]
