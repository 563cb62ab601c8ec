"""What a source file is, before a reader opens it: its kind, its size, its text encoding.

API: :func:`sniff` ``(data) -> str | None``; :func:`quiet_pdf_library` (context manager);
:func:`doc_timeout`, :func:`too_slow` (the time limit per document); :func:`doc_memory_mb`, :func:`too_big`
(the memory cap per document); :func:`refuse_foreign` ``(path, data)``;
:func:`check_size` ``(path, *, limit=None)``; :data:`MAX_INPUT_BYTES`;
:func:`decode_text` ``(path, data) -> (text, encoding)``.

A newcomer hands over what they have: a Word or Excel file, a scan, a PDF named ``.txt``. Each
gets one message saying what the file is and what to do, instead of a decoding error at a byte.
Text disclosures are read as UTF-8, else as GB18030 (which covers GBK and GB2312, the encodings
Chinese government sites often publish); the encoding used is reported by the caller.

>>> sniff(b"PK\\x03\\x04" + b"x" * 26 + b"word/document.xml")
'a Word document (.docx)'
>>> decode_text("a.txt", "预算".encode("gb18030"))
('预算', 'GB18030')
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .model import EtlError, Location

# Above these a document is refused before it is read: a 20 MB text took 2.6 GB to map.
# ``budgetkg build --max-input-mb`` (or BUDGETKG_MAX_INPUT_MB) sets one limit for both.
MAX_INPUT_BYTES = {"text": 8 * 2**20, "pdf": 256 * 2**20}
MAX_INPUT_ENV = "BUDGETKG_MAX_INPUT_MB"
# Seconds one document may take to be read, mapped and validated (the 300-page PDFs of the corpus
# take under a minute); ``budgetkg build --doc-timeout`` or BUDGETKG_DOC_TIMEOUT sets it, 0 = none.
DOC_TIMEOUT = 600.0
DOC_TIMEOUT_ENV = "BUDGETKG_DOC_TIMEOUT"
# Memory (address space, MB) of the process reading one document; ``--doc-memory-mb`` or
# BUDGETKG_DOC_MEMORY_MB sets it, 0 = none. The largest corpus PDFs stay well below.
DOC_MEMORY_MB = 4096
DOC_MEMORY_ENV = "BUDGETKG_DOC_MEMORY_MB"

_CONVERT = "save it as PDF, or as UTF-8 text in the layout of the bundled text sample, and build that"
# (signature at offset 0, what it is, what to do)
_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word or Excel file of the old format (.doc/.xls)", _CONVERT),
    (b"{\\rtf", "an RTF document", _CONVERT),
    (b"\x89PNG", "a PNG image", "a scanned page needs OCR first (e.g. ocrmypdf) to become a PDF with a text layer"),
    (b"\xff\xd8\xff", "a JPEG image", "a scanned page needs OCR first (e.g. ocrmypdf) to become a PDF with a text layer"),
    (b"II*\x00", "a TIFF image", "a scanned page needs OCR first (e.g. ocrmypdf) to become a PDF with a text layer"),
    (b"MM\x00*", "a TIFF image", "a scanned page needs OCR first (e.g. ocrmypdf) to become a PDF with a text layer"),
    (b"%PDF", "a PDF", "give it the .pdf suffix"),
]
# Members of an Office Open XML / OpenDocument zip that say which application made it.
_ZIP_KINDS = [
    (b"word/", "a Word document (.docx)"),
    (b"xl/", "an Excel workbook (.xlsx)"),
    (b"ppt/", "a PowerPoint file (.pptx)"),
    (b"opendocument.text", "an OpenDocument text (.odt)"),
    (b"opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods)"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PDF_LOGGERS = ("pdfminer", "pdfplumber")


@contextmanager
def quiet_pdf_library() -> Iterator[None]:
    """Silence the PDF library's loggers below ERROR while the block runs (levels restored after).

    Without a configured handler Python prints their warnings on stderr: a non-budget PDF gave
    60 lines about font metrics before the one message that mattered.
    """
    loggers = [logging.getLogger(name) for name in _PDF_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def sniff(data: bytes) -> str | None:
    """What ``data`` is when it is not text or a PDF of its own (None: nothing recognised)."""
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        for marker, kind in _ZIP_KINDS:
            if marker in head:
                return kind
        return "a ZIP archive"
    for signature, kind, _ in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def refuse_foreign(path: str | Path, data: bytes) -> None:
    """Refuse a file that is not a text disclosure, saying what it is and what to do.

    :raises EtlError: for an Office, RTF, image or archive file, or a PDF not named ``.pdf``.
    """
    kind = sniff(data)
    if kind is None:
        return
    advice = next((todo for _, k, todo in _SIGNATURES if k == kind), None)
    if kind == "a ZIP archive":
        advice = "unpack it and build the disclosures inside"
    elif advice is None:  # an Office or OpenDocument file
        advice = _CONVERT
    raise EtlError(f"this is {kind}, not a budget disclosure: {advice}", Location(Path(path).name))


def limit_for(fmt: str, limit: int | None = None) -> int:
    """The size limit in bytes: ``limit``, else ``$BUDGETKG_MAX_INPUT_MB``, else the default of ``fmt``."""
    if limit is not None:
        return limit
    env = os.environ.get(MAX_INPUT_ENV)
    if env:
        return int(float(env) * 2**20)
    return MAX_INPUT_BYTES[fmt]


def check_size(path: str | Path, *, limit: int | None = None) -> None:
    """:raises EtlError: when ``path`` is larger than its limit (see :func:`limit_for`)."""
    path = Path(path)
    fmt = "pdf" if path.suffix.lower() == ".pdf" else "text"
    size = path.stat().st_size
    allowed = limit_for(fmt, limit)
    if size > allowed:
        raise EtlError(
            f"{size / 2**20:.3g} MB is above the input limit of {allowed / 2**20:.3g} MB for a {fmt} disclosure; "
            f"if it really is one document, raise the limit with --max-input-mb or {MAX_INPUT_ENV}",
            Location(path.name),
        )


def doc_timeout(seconds: float | None = None) -> float | None:
    """The time limit per document: ``seconds``, else ``$BUDGETKG_DOC_TIMEOUT``, else the default; 0 is none."""
    if seconds is None:
        env = os.environ.get(DOC_TIMEOUT_ENV)
        seconds = float(env) if env else DOC_TIMEOUT
    return seconds or None


def doc_memory_mb(megabytes: int | None = None) -> int:
    """The memory cap per document process in MB: ``megabytes``, else ``$BUDGETKG_DOC_MEMORY_MB``, else the default; 0 is none."""
    if megabytes is None:
        env = os.environ.get(DOC_MEMORY_ENV)
        megabytes = int(env) if env else DOC_MEMORY_MB
    return max(0, int(megabytes))


def too_big(path: str | Path, megabytes: int, how: str = "") -> EtlError:
    """The error of a document that needed more memory than its process may take."""
    return EtlError(
        f"reading it needed more than the {megabytes} MB of memory one document may take{how} (a malformed or huge "
        f"table?); if it is a real document, raise the limit with --doc-memory-mb or {DOC_MEMORY_ENV}",
        Location(Path(path).name),
    )


def too_slow(path: str | Path, seconds: float) -> EtlError:
    """The error of a document past its time limit."""
    return EtlError(
        f"not read within the limit of {seconds:g} s per document (a malformed or huge table?); if it is a "
        f"real document, raise the limit with --doc-timeout or {DOC_TIMEOUT_ENV}",
        Location(Path(path).name),
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(path: str | Path, data: bytes) -> tuple[str, str]:
    """The text of a text disclosure and the encoding it was read with (``UTF-8`` or ``GB18030``).

    A file that is UTF-8 but for some bad bytes is not re-read as GB18030 (that would turn the
    whole file into wrong characters): its first bad byte is reported with its line.

    :raises EtlError: naming the line of the first byte that decodes in neither encoding.
    """
    name = Path(path).name
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lenient = data.decode("utf-8", "replace")
    if len(_CJK.findall(lenient)) > 10 * lenient.count("\ufffd"):
        raise EtlError(
            f"not valid UTF-8 at byte {utf8_error.start} (the rest of the file is UTF-8): fix or remove "
            "that character, or save the file again as UTF-8",
            Location(name, line=_line_of(data, utf8_error.start)),
        ) from None
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise EtlError(
            f"neither UTF-8 nor GB18030 text (byte {exc.start} cannot be read in either); save the file "
            "as UTF-8 text",
            Location(name, line=_line_of(data, exc.start)),
        ) from None
