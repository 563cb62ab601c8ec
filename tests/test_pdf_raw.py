"""The pypdfium2 reader (budgetkg.etl.pdf_raw) against the pdfplumber-based reader it replaced.

The reference reads the same file through the same layout code from pdfplumber's pages (pdfminer's
characters, rectangles, lines and curves): every bundled PDF and every corpus PDF must give the
same document — each table's title, page, meta, header, 栏次, rows (cells, line, page) and notes,
every heading and paragraph, and the repairs.
"""

import hashlib
import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from budgetkg.etl import pdf_raw
from budgetkg.etl.model import Document, Table
from budgetkg.etl.read_pdf import read_pages, read_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "samples" / "corpus"
PDFS = sorted((ROOT / "data" / "samples").glob("*.pdf")) + sorted(CORPUS.glob("*.pdf"))


def read_with_pdfplumber(path: Path) -> Document:
    data = path.read_bytes()
    doc = Document(str(path), hashlib.sha256(data).hexdigest(), "pdf")
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        pdf = pdfium.PdfDocument(data)
        try:
            return read_pages(doc, pdf, [lambda p=p: p for p in plumber.pages])
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


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_document_as_pdfplumber(path):
    new, old = summary(read_pdf(path)), summary(read_with_pdfplumber(path))
    assert len(new) == len(old)
    for a, b in zip(new, old):
        assert a == b


def test_page_in_a_font_pdfium_cannot_place_is_read_by_pdfminer(tmp_path):
    """A CID font that is not embedded: pdfium has no glyph boxes for its digits and drops them."""
    from tests.test_read_pdf import make_pdf, ruled_page

    path = tmp_path / "ruled.pdf"
    path.write_bytes(make_pdf([ruled_page("2025年部门支出表", [["序号", "项目", "金额"], ["1", "合计", "3.00"]])]))
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        page = pages.page(0)
        assert pages.fallbacks == [1]
        assert "1" in [c["text"] for c in page.chars]
    (t,) = read_pdf(path).tables()
    assert [r.cells for r in t.rows] == [["1", "合计", "3.00"]]
