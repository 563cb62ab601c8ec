"""Messages a newcomer meets for what they hand over: Office files, scans, damaged PDFs, PDFs
that make the PDF library talk, GB18030 text, bad bytes, files above the size limit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from budgetkg.etl.model import EtlError
from budgetkg.etl.read_text import read_text_file
from tests.etl.test_read_pdf import make_pdf

ROOT_SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "samples"


def build(*args, env=None):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", *map(str, args)],
                          capture_output=True, text=True, env=env)


def one_error(r) -> str:
    """The whole stderr, asserted to be one error line."""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("budgetkg: error: ")
    return lines[0]


def ooxml(member: str) -> bytes:
    # The local file header of a zip whose first member names the application, as Office writes it.
    name = member.encode()
    return b"PK\x03\x04" + b"\x14\x00" + b"\x00" * 20 + len(name).to_bytes(2, "little") + b"\x00\x00" + name + b"\x00" * 64


@pytest.mark.parametrize(("name", "data", "said"), [
    ("budget.docx", ooxml("word/document.xml"), "Word document"),
    ("budget.xlsx", ooxml("xl/workbook.xml"), "Excel workbook"),
    ("budget.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old format"),
    ("budget.pdf", ooxml("word/document.xml"), "Word document"),  # misnamed
])
def test_office_files_are_named_for_what_they_are(tmp_path, name, data, said):
    path = tmp_path / name
    path.write_bytes(data)
    r = build(path, "--out", tmp_path / "o")
    line = one_error(r)
    assert r.returncode == 2
    assert name in line and said in line and "not a budget disclosure" in line and "PDF" in line
    assert "not UTF-8" not in line and "byte" not in line


def test_scanned_pdf_needs_ocr(tmp_path):
    # Page images with only page numbers as text, as a scanner without OCR makes them.
    pages = [{"image": True, "text": [(300, 30, 9, f"- {n} -")]} for n in (1, 2)] + [{"image": True}]
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(pages))
    line = one_error(build(path, "--out", tmp_path / "o"))
    assert "no text layer" in line and "OCR" in line and "3 of 3 pages" in line
    assert "department" not in line


def test_damaged_pdf_is_called_damaged_not_a_scan(tmp_path):
    data = (ROOT_SAMPLES / "shpt_sfj_2026_budget.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])  # a download broken off
    line = one_error(build(path, "--out", tmp_path / "o"))
    assert "damaged" in line and "cut.pdf" in line and "OCR" not in line


def test_non_budget_pdf_gives_one_message_without_library_warnings(tmp_path):
    # A font descriptor without /FontBBox: pdfminer warns about it once per page.
    pdf = make_pdf([{"text": [(60, 700, 12, "会议纪要")]}] * 3).replace(b"/FontBBox [0 -120 1000 880] ", b"")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    r = build(path, "--out", tmp_path / "o")
    line = one_error(r)
    assert "FontBBox" not in r.stderr and "minutes.pdf" in line and r.returncode == 2


def test_gb18030_text_is_read_and_the_encoding_reported(tmp_path):
    from budgetkg.etl.pipeline import process

    utf8 = ROOT_SAMPLES / "000_60bd7a1a2874cc3a.txt"
    gb = tmp_path / "gb.txt"
    gb.write_bytes(utf8.read_text(encoding="utf-8").encode("gb18030"))
    doc = read_text_file(gb)
    assert "read as GB18030 text (the file is not UTF-8)" in doc.repairs
    a, b = process(utf8), process(gb)
    assert (a.department_name, a.year) == (b.department_name, b.year) == ("邢台市工业和信息化局", "2022")
    assert [(t.key, t.observations) for t in a.tables] == [(t.key, t.observations) for t in b.tables]
    assert sum(len(t.observations) for t in b.tables) == 148  # the amounts printed in the sample


def test_bad_byte_in_utf8_text_is_named_by_line(tmp_path):
    text = "## 部门预算支出总表\n\n501 某某局\n\n预算年度：2023\n单位：万元\n"
    data = text.encode("utf-8") + b"\xff\xfe broken\n" + "序号\t科目编码\n".encode("utf-8")
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(EtlError, match="not valid UTF-8") as err:
        read_text_file(path)
    assert err.value.location.line == 7 and err.value.location.file == "bad.txt"


def test_input_above_the_size_limit_is_refused_with_how_to_raise_it(tmp_path):
    import os

    src = ROOT_SAMPLES / "000_60bd7a1a2874cc3a.txt"
    r = build(src, "--out", tmp_path / "o", "--max-input-mb", "0.01")
    line = one_error(r)
    assert r.returncode == 2 and src.name in line and "above the input limit of 0.01 MB" in line and "--max-input-mb" in line
    env = dict(os.environ, BUDGETKG_MAX_INPUT_MB="0.01")
    assert "above the input limit" in one_error(build(src, "--out", tmp_path / "o", env=env))
    assert not (tmp_path / "o").exists()


def test_build_names_every_bad_file_not_the_first(tmp_path):
    (tmp_path / "a.docx").write_bytes(ooxml("word/document.xml"))
    (tmp_path / "b.pdf").write_bytes(make_pdf([{"image": True}]))
    good = ROOT_SAMPLES / "000_60bd7a1a2874cc3a.txt"
    r = build(tmp_path / "a.docx", good, tmp_path / "b.pdf", "--out", tmp_path / "o", "--jobs", "2")
    assert r.returncode == 2
    assert "2 of 3 sources failed" in r.stderr
    assert "a.docx: this is a Word document" in r.stderr and "b.pdf, page 1: no text layer" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "o").exists()


def validate(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "validate", *map(str, args)], capture_output=True, text=True)


def test_validate_names_every_bad_rdf_file_and_exits_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    huge = tmp_path / "huge.ttl"  # a 50 MB literal: pyoxigraph's parser stops at its 16 MB buffer
    with huge.open("w", encoding="ascii") as fh:
        fh.write('<http://example.org/a> <http://example.org/b> "' + "x" * 50_000_000 + '" .\n')
    word = tmp_path / "w.docx"
    word.write_bytes(ooxml("word/document.xml"))
    r = validate(bad, huge, word)
    assert r.returncode == 2, r.stderr
    assert "3 of 3 sources failed" in r.stderr
    assert "bad.ttl: not valid Turtle" in r.stderr and "line 2" in r.stderr
    assert "huge.ttl: cannot be parsed: a term is too long" in r.stderr
    assert "w.docx: this is a Word document" in r.stderr
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr.replace("too long", "")


def test_validate_reports_the_good_files_and_names_the_bad_one(tmp_path):
    good = tmp_path / "g.ttl"
    good.write_text("<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\"@en .\n", encoding="utf-8")
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <b> .\n", encoding="utf-8")
    r = validate(good, bad)
    assert r.returncode == 2
    assert r.stdout.startswith("1 graph(s) validated")
    assert "bad.nt: not valid N-Triples" in r.stderr


def test_cells_right_of_the_header_are_reported_and_skipped():
    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_text import read_text

    text = ("## 部门预算支出总表\n\n501 某某局\n\n预算年度：2023\n\n单位：万元\n\n"
            "序号\t科目编码\t科目名称\t合计\n栏次\t1\t2\t3\n1\t2010101\t行政运行\t2.00" + "\t5.00" * 2000 + "\n")
    doc = read_text(text, path="wide.txt")
    (table,) = process_document(doc).tables
    assert [c.label for c in table.columns] == ["序号", "科目编码", "科目名称", "合计"]
    assert [(o.column.index, o.amount.value) for o in table.observations] == [(4, __import__("decimal").Decimal("2.00"))]
    assert ["line 11: 2000 cell(s) right of the 4 columns of the header skipped ('5.00', '5.00', '5.00', ...) "
            "(table '部门预算支出总表')"] == [r for r in doc.repairs if "right of" in r]


def test_a_document_past_its_time_limit_is_reported_not_waited_for(tmp_path):
    # The sample takes seconds to read, map and validate; a 50 ms limit stops it in the middle.
    src = ROOT_SAMPLES / "000_60bd7a1a2874cc3a.txt"
    r = build(src, "--out", tmp_path / "o", "--doc-timeout", "0.05", "--jobs", "1")
    line = one_error(r)
    assert r.returncode == 2 and src.name in line and "limit of 0.05 s per document" in line and "--doc-timeout" in line
    assert not (tmp_path / "o").exists()
