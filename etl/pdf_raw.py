"""The raw layer of a PDF page, read with pypdfium2: characters with their boxes and the ruling paths.

API: :class:`PdfPages` (the pages of a PDF, with a fallback to pdfminer), :func:`open_pdf` (bytes -> ``pypdfium2.PdfDocument``; raises :class:`budgetkg.etl.model.EtlError`),
:func:`raw_page` (one page -> :class:`RawPage`).

A :class:`RawPage` carries exactly what :func:`budgetkg.etl.pdf_tables.scan_page` reads from a page, in
pdfplumber's terms (so that the layout code above it stays as it is): ``bbox``, ``width``, ``chars``
(dicts with ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``doctop``, ``size``, ``upright``), ``rects``,
``lines``, ``curves``, ``edges``, ``images`` and ``find_tables()``. The objects follow pdfminer's
geometry, which pdfplumber reports: a character box runs from the font's descent below the baseline to
one font size above it and over the glyph's advance; a painted path is split at each ``m`` into subpaths,
a two-point subpath is a line, a closed axis-aligned four-point one a rectangle, anything else a curve
through the end points of its segments. pdfium computes all of it in C, about ten times faster than
pdfminer's Python interpreter; the table finder is pdfplumber's (``pdfplumber.table.TableFinder``,
pure geometry over these objects, its slow steps indexed in :mod:`budgetkg.etl.pdf_ruled`), so ruled
tables are cut exactly as before.

>>> page = RawPage(0, (0, 0, 100, 100), [], [], [], [], [])
>>> (page.width, page.height, page.edges, page.find_tables())
(100, 100, [], [])
"""

from __future__ import annotations

import ctypes
import functools
import math
import os
import re
import struct
import sys
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from types import SimpleNamespace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from budgetkg.etl import pdf_ruled
from budgetkg.etl.model import EtlError, Location

# the per-character, per-object and per-segment loops compiled (etl/_speedups.c, built by setup.py where a C compiler
# is); elsewhere the same loops in Python, with the same results
try:
    from budgetkg.etl import _speedups
except ImportError:
    _speedups = None

# pdfium keeps coordinates in single precision (errors of 1e-5 on a page), pdfminer in double:
# positions printed at whole hundredths or thousandths of a point come out of pdfium a few 1e-5
# off, which flips the layout's comparisons at exact thresholds (a 3pt space after a 12pt character
# is exactly 0.25 of its size). Rounded to 1e-4 they are the printed values again.
_DIGITS = 4
_SCALE = 10.0 ** _DIGITS
_SCALED_EXACT = 2.0 ** 31  # below it x * _SCALE is within 2 ** -22 of the exact product
_NOT_HALF = 0.5 - 1e-6  # farther than this from a whole number: possibly half-way, rounded by round()


class _Rounded(dict):
    """``round(x, _DIGITS)`` of each value met, worked out once: ``round`` with digits costs more than the rest
    of a character's record, and most positions on a page (columns, baselines, rules) repeat.

    >>> r = _Rounded(); (r[1.00004], r[-0.00001], r[0.0], r[-0.0], len(r))
    (1.0, -0.0, 0.0, -0.0, 2)
    """

    def __missing__(self, x: float) -> float:
        # round(x, _DIGITS) is the double nearest to x rounded in decimal (exactly, half to even); the nearest whole
        # number of x * _SCALE divided by _SCALE is the same double wherever that product is the right whole
        # number: away from half-way (its error is below 2.4e-7 below _SCALED_EXACT) and not 0 (-0.0 must stay -0.0)
        scaled = x * _SCALE
        if -_SCALED_EXACT < scaled < _SCALED_EXACT and (whole := round(scaled)) and abs(scaled - whole) < _NOT_HALF:
            rounded = whole / _SCALE
        else:  # near half-way, 0, huge, inf or nan: as round() does it
            rounded = round(x, _DIGITS)
        if x:  # 0.0 and -0.0 are one key, but round to 0.0 and -0.0: not kept
            self[x] = rounded
        return rounded

# A font descriptor claiming a descent deeper than this share of the font size is wrong (E-BZ of the
# Chongqing template: -1.033, with an ascent of 1.333): its boxes would sit almost wholly below the
# baseline, so that digits and punctuation of that font fall out of the line and the table cell they
# are printed in. Such a font is placed as pdfminer places one without metrics: descent 0.
MAX_DESCENT = 0.5


def plausible_descent(descent: float, size: float) -> float:
    """``descent`` (points below the baseline, negative) of a font of ``size``, or 0 where it is not credible.

    >>> plausible_descent(-2.2, 10.0), plausible_descent(-10.33, 10.0)
    (-2.2, 0.0)
    """
    return 0.0 if size and descent < -MAX_DESCENT * abs(size) else descent


def from_pdfminer(page) -> RawPage:
    """A pdfplumber page as a :class:`RawPage`, its characters placed as :func:`credible_chars` says and its
    paths as :func:`seen` keeps them."""
    return RawPage(page.page_number - 1, tuple(page.bbox), credible_chars(page.chars), seen(page.rects),
                   seen(page.lines), seen(page.curves), page.images)


def seen(paths: list[dict]) -> list[dict]:
    """pdfminer's painted paths without those filled white (or transparent) and not stroked: cell backgrounds
    and text highlights of a word processor, invisible on the page, whose edges are no ruling lines (they
    cut a printed row in two wherever a cell's text has a highlight of its own)."""
    return [p for p in paths if p.get("stroke") or not p.get("fill") or not _white(p.get("non_stroking_color"))]


def _white(color) -> bool:
    """A fill colour of pdfminer (gray, RGB or CMYK, a number or a tuple) that prints nothing on white paper."""
    values = tuple(color) if isinstance(color, (tuple, list)) else (color,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False  # a pattern or an unknown colour space: taken as visible
    return all(v == 0 for v in values) if len(values) == 4 else all(v == 1 for v in values)


def credible_chars(chars: list[dict]) -> list[dict]:
    """pdfminer's characters with the descent of a font that claims one beyond :data:`MAX_DESCENT` set to 0
    (the box of an upright character then runs from its baseline, ``matrix[5]``, one size up)."""
    out = []
    for c in chars:
        a, b, cc, d, e, f = c.get("matrix") or (1, 0, 0, 1, 0, 0)
        drop = f - c["y0"]  # the descent as printed, in page units
        if b == 0 and cc == 0 and a > 0 and d > 0 and drop > MAX_DESCENT * (c["y1"] - c["y0"]):
            c = dict(c, y0=c["y0"] + drop, y1=c["y1"] + drop, top=c["top"] - drop, bottom=c["bottom"] - drop,
                     doctop=c["doctop"] - drop)
        out.append(c)
    return out


def _by_address(name: str):
    """pdfium's function ``name`` taking and giving its handles (pages, objects, fonts, text pages) as plain
    addresses. pypdfium2 wraps each handle in a ctypes pointer object, and ctypes builds and checks one
    for every call: per character that costs more than the call itself."""
    fn = getattr(pdfium_c, name)
    typed = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)

    def plain(t):
        return ctypes.c_void_p if getattr(getattr(t, "_type_", None), "__name__", "").startswith("struct_fpdf") else t

    typed.argtypes, typed.restype = tuple(plain(t) for t in fn.argtypes), plain(fn.restype)
    return typed


_c = SimpleNamespace(**{name: _by_address(name) for name in (
    "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
    "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix", "FPDFPageObj_GetFillColor", "FPDFTextObj_GetFont",
    "FPDFTextObj_GetFontSize", "FPDFFont_GetIsEmbedded", "FPDFFont_GetDescent", "FPDFText_CountChars",
    "FPDFText_GetText", "FPDFText_GetTextObject", "FPDFText_IsGenerated", "FPDFText_GetCharOrigin",
    "FPDFText_GetLooseCharBox", "FPDFText_GetMatrix", "FPDFText_GetFontSize", "FPDFPath_GetDrawMode",
    "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetType", "FPDFPathSegment_GetPoint",
    "FPDFPathSegment_GetClose", "FPDFPageObj_GetClipPath", "FPDFClipPath_CountPaths",
    "FPDFClipPath_CountPathSegments", "FPDFClipPath_GetPathSegment", "FPDFPageObj_GetBounds",
    "FPDFTextObj_GetTextRenderMode", "FPDFTextObj_SetTextRenderMode", "FPDFPageObj_GetStrokeWidth",
    "FPDFPageObj_SetStrokeWidth", "FPDFPageObj_Transform", "FPDF_LoadPage", "FPDF_ClosePage", "FPDFText_LoadPage",
    "FPDFText_ClosePage", "FPDFPage_GetMediaBox", "FPDFPage_GetRotation", "FPDFText_GetTextIndexFromCharIndex",
    "FPDFText_GetUnicode", "FPDFFont_GetGlyphWidth")})


class _Handle(ctypes.c_void_p):
    """A handle a :func:`_bare` function returns as it is: ctypes turns a returned ``c_void_p`` into an int, not a
    subclass of it, so this one goes back into the next call without a conversion."""


def _bare(name: str, restype):
    """pdfium's function ``name`` without argument types: its arguments pass as they are given (handles as
    ``c_void_p``, indices as C ints, buffers by reference), so ctypes checks and converts nothing. For the
    calls made per character and per path segment, where that check costs a third of the call; a wrong
    argument is not caught here, so each is made in one place below."""
    fn = getattr(pdfium_c, name)
    bare = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
    bare.argtypes, bare.restype = None, restype
    return bare


_per_char = SimpleNamespace(
    text_object=_bare("FPDFText_GetTextObject", ctypes.c_void_p), origin=_bare("FPDFText_GetCharOrigin", ctypes.c_int),
    loose_box=_bare("FPDFText_GetLooseCharBox", ctypes.c_int), generated=_bare("FPDFText_IsGenerated", ctypes.c_int),
    segment=_bare("FPDFPath_GetPathSegment", _Handle), segment_type=_bare("FPDFPathSegment_GetType", ctypes.c_int),
    point=_bare("FPDFPathSegment_GetPoint", ctypes.c_int), closes=_bare("FPDFPathSegment_GetClose", ctypes.c_int),
    matrix=_bare("FPDFText_GetMatrix", ctypes.c_int), font_size=_bare("FPDFText_GetFontSize", ctypes.c_double))
# the calls made for every page object and path (handles as :class:`_Handle`, buffers by reference, as :func:`_bare`)
_per_object = SimpleNamespace(
    page_object=_bare("FPDFPage_GetObject", _Handle), form_object=_bare("FPDFFormObj_GetObject", _Handle),
    kind=_bare("FPDFPageObj_GetType", ctypes.c_int), clip=_bare("FPDFPageObj_GetClipPath", _Handle),
    clip_paths=_bare("FPDFClipPath_CountPaths", ctypes.c_int),
    clip_segment=_bare("FPDFClipPath_GetPathSegment", ctypes.c_void_p),
    bounds=_bare("FPDFPageObj_GetBounds", ctypes.c_int), matrix=_bare("FPDFPageObj_GetMatrix", ctypes.c_int),
    draw_mode=_bare("FPDFPath_GetDrawMode", ctypes.c_int), fill=_bare("FPDFPageObj_GetFillColor", ctypes.c_int),
    segments=_bare("FPDFPath_CountSegments", ctypes.c_int),
    # the objects as addresses (ints), for :func:`_walk`, which reads their memory and wraps only those it calls about
    page_address=_bare("FPDFPage_GetObject", ctypes.c_void_p),
    form_address=_bare("FPDFFormObj_GetObject", ctypes.c_void_p))
_MOVE, _LINE = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
_ABCD = struct.Struct("=4f").unpack_from  # a, b, c, d of an FS_MATRIX (floats), in one call
_segment_at = _bare("FPDFPath_GetPathSegment", ctypes.c_void_p)  # the address of a segment, as an int

# pdfium keeps the segments of a path as one array of points (``CFX_Path::Point``: x and y as floats, the
# segment type as a byte, the close flag as a byte, two bytes of padding) and ``FPDFPath_GetPathSegment``
# gives the address of one of them: the array is read at once (one call per path instead of four per
# segment) where :func:`_points_readable` found that layout in the pdfium loaded, else segment by segment
_POINT = struct.Struct("=ffBB2x")
if _speedups is not None and _speedups.POINT_LAYOUT != _POINT.format:  # compiled for another layout: not used
    _speedups = None
# the pdfium build on which the memory layouts read here were found (_POINT, _OBJECT_HEAD with _CLIP_AT, _VTABLE with
# _PATH_AT and _PATH_HEAD, _CHAR_LIST with _CHAR_INFO) and agree with the API on every character and object of the 17
# sample PDFs: pdfium 159.0.8149.0, as pypdfium2 5.15.2 ships it. On another build each is read from memory only where
# its self-check finds it (5.0.0 and 5.6.0 keep the path and object layouts, not the character records'); the tests
# expect them all on this one
_LAYOUT_BUILD = 8149
# the process's memory as bytes, to read such an array by slicing (``_MEMORY[address:address + size]``): a slice
# costs a third of ``ctypes.string_at``, which converts its arguments through a ctypes prototype on every call.
# A slice beyond ``sys.maxsize`` (an address above 2 GiB on a 32-bit build, a tagged pointer) comes back short
# (the part below it read) instead of failing, so every read checks its bounds first (:func:`_read`). Never
# iterate it or read ``.raw``/``.value`` (that reads all of the address space and crashes the process)
_MEMORY = (ctypes.c_char * sys.maxsize).from_address(0)


# the same as a buffer, for ``struct.unpack_from(_VIEW, address)``: no bytes object made for the read, and an address
# beyond the view's end raises struct.error instead of reading short
_VIEW = memoryview(_MEMORY)


def _read(address: int, size: int) -> bytes | None:
    """``size`` bytes of memory at ``address``; None where :data:`_MEMORY` cannot reach them all."""
    return _MEMORY[address:address + size] if address + size <= sys.maxsize else None


# the process's memory as a file, for the reads at an address that may not be mapped: those of the self-checks, at
# offsets found on one pdfium build (:data:`_LAYOUT_BUILD`), and the read of the character records, at an address
# taken from such an offset (:func:`_records_at`). An unmapped address raises OSError (EIO) there, where a slice of
# :data:`_MEMORY` crashes the process. None where the platform has no /proc/self/mem: those reads are not made
_MEM_FILE = "/proc/self/mem"
# the record formats below read each pointer as 8 bytes ("Q")
_POINTERS_FIT = ctypes.sizeof(ctypes.c_void_p) == 8


def _open_memory() -> int | None:
    try:
        return os.open(_MEM_FILE, os.O_RDONLY)
    except OSError:
        return None


def _identity(fd: int | None) -> tuple[int, int] | None:
    """Which file ``fd`` is open on (device, inode); None where it is open on none."""
    try:
        found = os.fstat(fd)
    except (OSError, TypeError):
        return None
    return found.st_dev, found.st_ino


_MEM_FD = _open_memory()
_MEM_ID = _identity(_MEM_FD)  # so that a child closes the number only while it is still this file


def _reopen_memory() -> None:
    """In a forked child: the file opened before the fork reads the parent's memory, not the child's. The number is
    closed only if it is still that file (someone may have closed it and the number gone to another file)."""
    global _MEM_FD, _MEM_ID
    if _MEM_FD is None:
        return
    if _identity(_MEM_FD) == _MEM_ID:
        os.close(_MEM_FD)
    _MEM_FD = _open_memory()
    _MEM_ID = _identity(_MEM_FD)


os.register_at_fork(after_in_child=_reopen_memory)


def _safe_read(address: int, size: int) -> bytes | None:
    """``size`` bytes of memory at ``address`` through :data:`_MEM_FILE`; None where they are not all mapped (or
    the address is no address) or that file cannot be read. One system call (about a microsecond)."""
    if _MEM_FD is None or address <= 0:
        return None
    try:
        data = os.pread(_MEM_FD, size, address)
    except (OSError, OverflowError):  # unmapped (EIO); beyond an off_t
        return None
    return data if len(data) == size else None


def _points_readable() -> bool:
    """Whether the segments of a path pdfium builds here read from memory as :data:`_POINT` says exactly what
    its API gives for each (types, points, close flags, one point after the other); read as :func:`_safe_read` reads.
    At run time a path's points are read at the address its first segment has (:func:`_points`), a slice of
    :data:`_MEMORY`: an address pdfium gives, as the object heads (:func:`_clipped`)."""
    C = pdfium_c
    path = C.FPDFPageObj_CreateNewPath(1.25, -2.5)
    try:
        built = (C.FPDFPath_LineTo(path, 3.75, 4.5) and C.FPDFPath_BezierTo(path, 5, 6.5, -7, 8, 9.25, 10)
                 and C.FPDFPath_Close(path) and C.FPDFPath_MoveTo(path, 11.5, 12) and C.FPDFPath_LineTo(path, 13, 14.75))
        n = C.FPDFPath_CountSegments(path)
        if not built or n != 7:
            return False
        x, y = ctypes.c_float(), ctypes.c_float()
        expected = []
        for i in range(n):
            seg = C.FPDFPath_GetPathSegment(path, i)
            C.FPDFPathSegment_GetPoint(seg, x, y)
            expected.append((x.value, y.value, C.FPDFPathSegment_GetType(seg), int(C.FPDFPathSegment_GetClose(seg))))
        handle = ctypes.c_void_p(_address(path))
        first, last = (_segment_at(handle, i) for i in (0, n - 1))
        data = _safe_read(first, n * _POINT.size) if last - first == (n - 1) * _POINT.size else None
        return (data is not None and list(_POINT.iter_unpack(data))
                == expected and {e[2] for e in expected} == {_MOVE, _LINE, pdfium_c.FPDF_SEGMENT_BEZIERTO}
                and {e[3] for e in expected} == {0, 1})
    finally:
        C.FPDFPageObj_Destroy(path)


def _points(path: _Handle, n: int, scratch: _Scratch):
    """The ``n`` segments of ``path`` as (x, y, type, closes): from the array in memory where its layout is
    known (:func:`_points_readable`), else one call at a time. The points of a path are one array (a
    ``std::vector``: one after the other, as :func:`_points_readable` sees on the path it builds), so the
    address of the first is enough."""
    data = _point_bytes(path, n)
    if data is not None:
        return _POINT.iter_unpack(data)
    x, y, at_x, at_y = scratch.x, scratch.y, scratch.at_x, scratch.at_y
    out = []
    for i in range(n):
        seg = _per_char.segment(path, i)
        _per_char.point(seg, at_x, at_y)
        out.append((x.value, y.value, _per_char.segment_type(seg), _per_char.closes(seg)))
    return out


def _point_bytes(path: _Handle, n: int) -> bytes | None:
    """The ``n`` segments of ``path`` as :data:`_POINT` packs them, read at once (:func:`_points`); None where their
    layout is not known (:func:`_points_readable`) or the memory cannot be reached (:func:`_read`)."""
    if _READABLE:
        first = _segment_at(path, 0)
        if first:
            return _read(first, n * _POINT.size)
    return None


_PATH, _IMAGE, _TEXT, _FORM = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_TEXT,
                               pdfium_c.FPDF_PAGEOBJ_FORM)


def _address(handle) -> int:
    """The address a pypdfium2 handle (``page.raw``, ``textpage.raw``) points to, or of a pdfium function."""
    return ctypes.cast(handle, ctypes.c_void_p).value


_READABLE = _points_readable()  # checked once, on the pdfium loaded

# ``FPDFPageObj_GetClipPath`` gives the address of the object's clip path, whose first word points to the data of
# its clipping state (``CPDF_ClipPath``: one shared, copy-on-write pointer; null without a clipping path), which
# the objects drawn in that state share: one read names it where :func:`_states_readable` finds that so
_word_at = ctypes.c_void_p.from_address

# a page whose text objects A and B are drawn in one clipping state, C in another (clipped twice), D in none (A and
# B reach beyond their clip: pdfium drops a lone rectangle clip from an object lying wholly inside it)
_CLIP_STATES = (b"q 0 0 12 50 re W n BT /F1 9 Tf 10 10 Td (A) Tj ET BT /F1 9 Tf 11 20 Td (B) Tj ET "
                b"0 0 90 90 re W n BT /F1 9 Tf 30 10 Td (C) Tj ET Q BT /F1 9 Tf 40 10 Td (D) Tj ET")


def _one_page_pdf(content: bytes) -> bytes:
    """A PDF of one 100 x 100 page drawing ``content`` (Helvetica as /F1)."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> "
                 b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", _stream(content)])


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    """A stream object holding ``data`` (``entries``: more of its dictionary)."""
    return b"<< %s/Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def _pdf(objs: list[bytes]) -> bytes:
    """A PDF of the objects ``objs`` (numbered from 1, the first the catalog) with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for no, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (no, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _states_readable() -> bool:
    """Whether the first word of a clip path names its clipping state (:data:`_word_at`) on :data:`_CLIP_STATES`:
    the same for A and B, another for C, null for D, as pdfium's API tells the states apart (number of paths and
    address of the first segment)."""
    pdf = pdfium.PdfDocument(_one_page_pdf(_CLIP_STATES))
    try:
        page = pdf[0]
        try:
            states, keys = [], []
            for obj in page.get_objects():
                clip = _per_object.clip(_Handle(_address(obj.raw)))
                states.append(_word_at(clip.value).value if clip else None)
                count = _per_object.clip_paths(clip) if clip else -1
                keys.append((count, _per_object.clip_segment(clip, 0, 0)) if count > 0 else None)
            a, b, c, d = states if len(states) == 4 else (None,) * 4
            return (bool(a) and a == b and bool(c) and c != a and not d and keys[0] == keys[1] and None not in keys[:3]
                    and keys[2] != keys[0] and keys[3] is None)
        finally:
            page.close()
    finally:
        pdf.close()


_STATES_READABLE = _states_readable()  # checked once, on the pdfium loaded

# a page object (``CPDF_PageObject``, the address of an ``FPDF_PAGEOBJECT``) holds its clip path _CLIP_AT bytes in
# (what ``FPDFPageObj_GetClipPath`` gives the address of; its first word names the clipping state, as
# :data:`_word_at` reads it) and its bounds (``FPDFPageObj_GetBounds``: left, bottom, right, top as floats) further
# on: one read of the object's first bytes gives both (:func:`_clipped`) where :func:`_heads_readable` finds so,
# instead of three calls for each of the text objects (many PDFs print one character per object)
_CLIP_AT = 8
_OBJECT_HEAD = struct.Struct("=8xQ32x4f")


def _heads_readable() -> bool:
    """Whether the first bytes of the text objects of :data:`_CLIP_STATES` read as :data:`_OBJECT_HEAD` says hold
    their clip path (the address ``FPDFPageObj_GetClipPath`` gives, and its first word) and exactly the bounds
    ``FPDFPageObj_GetBounds`` gives. Read through :func:`_safe_read`: with another layout (or a page object smaller
    than :data:`_OBJECT_HEAD`) the answer is no, not a crash."""
    if not _POINTERS_FIT:
        return False
    pdf = pdfium.PdfDocument(_one_page_pdf(_CLIP_STATES))
    try:
        page = pdf[0]
        try:
            bounds = tuple(ctypes.c_float() for _ in range(4))
            heads, expected = [], []
            for obj in page.get_objects():
                address = _address(obj.raw)
                clip = _per_object.clip(_Handle(address))
                if not _per_object.bounds(_Handle(address), *(ctypes.byref(v) for v in bounds)):
                    return False
                expected.append((_word_at(clip.value).value or 0 if clip.value == address + _CLIP_AT else -1,
                                 *(v.value for v in bounds)))
                head = _safe_read(address, _OBJECT_HEAD.size)
                heads.append(head and _OBJECT_HEAD.unpack(head))
            return len(heads) == 4 and heads == expected and len({h[0] for h in heads}) == 3 and all(
                h[1] < h[3] and h[2] < h[4] for h in heads)
        finally:
            page.close()
    finally:
        pdf.close()


_HEADS_READABLE = _STATES_READABLE and _heads_readable()  # checked once, on the pdfium loaded

# a page object's first word (its vtable: the same for all objects of one class, :data:`_OBJECT_HEAD` skips it) names
# its type; a path object (``CPDF_PathObject``) holds its stroke flag and fill type (``FPDFPath_GetDrawMode``: the
# fill type numbered as its fill modes) as two bytes _PATH_AT bytes in and its matrix (``FPDFPageObj_GetMatrix``, six
# floats) at _PATH_AT + 16. Where :func:`_kinds_readable` finds so, :func:`_walk` reads the type of each object, and
# a path's draw mode and matrix, from the object's memory instead of three or four calls an object
_VTABLE = struct.Struct("=Q")
_PATH_AT = 128
_PATH_HEAD = struct.Struct("=BB14x24s")  # stroke, fill type, the matrix's bytes (:data:`_MATRIX`)
_MATRIX = struct.Struct("=6f")
# the page :func:`_kinds_readable` reads: paths stroked, filled (both fill rules) and both, under three matrices,
# clipped and not, between text objects clipped and not (the clipping path's ``n`` paints nothing: it makes no object)
_OBJECT_KINDS = (b"q 1 0 0 1 3 4 cm 2 w 0 0 m 50 50 l S Q BT /F1 9 Tf 10 10 Td (A) Tj ET q 0.5 0 0 2 7 9 cm "
                 b"10 10 20 30 re f 5 5 m 9 9 l B 1 1 m 4 1 l 2 3 l f* Q q 0 0 12 50 re W n 0 0 m 40 40 l S "
                 b"BT /F1 9 Tf 11 20 Td (B) Tj ET 1 0 0 rg 3 3 m 7 3 l 5 9 l h b Q 2 2 m 8 8 l 0 0 0 RG S")


def _kinds_readable() -> dict[int, int]:
    """The type of each vtable met on :data:`_OBJECT_KINDS` (``{vtable: FPDF_PAGEOBJ_*}``) where the page objects
    read from memory say what pdfium's API gives for each: one vtable per type (text, path), each path's stroke flag,
    fill type and matrix as :data:`_PATH_HEAD` reads them (and the clip state and bounds as :data:`_OBJECT_HEAD`
    reads them, :func:`_heads_readable`); else ``{}``. Read through :func:`_safe_read`: another layout gives ``{}``,
    not a crash."""
    if not _HEADS_READABLE:
        return {}
    pdf = pdfium.PdfDocument(_one_page_pdf(_OBJECT_KINDS))
    try:
        page = pdf[0]
        try:
            m, mode, stroke = pdfium_c.FS_MATRIX(), ctypes.c_int(), ctypes.c_int()
            kinds: dict[int, int] = {}
            read, expected = [], []
            for obj in page.get_objects():
                address, kind = _address(obj.raw), obj.type
                head = _safe_read(address, _PATH_AT + _PATH_HEAD.size)
                if head is None or kinds.setdefault(_VTABLE.unpack_from(head)[0], kind) != kind:
                    return {}
                if kind == _PATH:
                    if not (_c.FPDFPath_GetDrawMode(address, mode, stroke) and _c.FPDFPageObj_GetMatrix(address, m)):
                        return {}
                    expected.append((stroke.value, mode.value, (m.a, m.b, m.c, m.d, m.e, m.f)))
                    took, fill, matrix = _PATH_HEAD.unpack_from(head, _PATH_AT)
                    read.append((took, fill, _MATRIX.unpack(matrix)))
            types = sorted(kinds.values())
            return kinds if (read == expected and types == [_TEXT, _PATH] and len(read) == 7
                             and {e[:2] for e in expected} == {(1, 0), (0, 2), (1, 2), (0, 1)}
                             and len({e[2] for e in expected}) == 3) else {}
        finally:
            page.close()
    finally:
        pdf.close()


_KINDS = _kinds_readable()  # checked once, on the pdfium loaded: {} where the objects are read by the API
# an object beyond this address is read by the API (as _read: the view of memory ends at sys.maxsize)
_REACH = sys.maxsize - _PATH_AT - _PATH_HEAD.size
# what the compiled walk (etl/_speedups.c) reads where _walk reads memory: the vtables of text and path objects
# (_KINDS), the offsets of the clipping state and bounds (_OBJECT_HEAD) and of a path's stroke flag, fill type and
# matrix (_PATH_HEAD), and the pdfium functions it calls for a path (its segments, the first one's address, the
# fill colour of a path filled and not stroked: _filled_white)
_VTABLES = tuple(next((v for v, k in _KINDS.items() if k == kind), 0) for kind in (_TEXT, _PATH))
_OFFSETS = (_CLIP_AT, _OBJECT_HEAD.size - struct.calcsize("=4f"), _PATH_AT, _PATH_AT + 1,
            _PATH_AT + _PATH_HEAD.size - _MATRIX.size)
_PATH_CALLS = tuple(_address(getattr(pdfium_c, name))
                    for name in ("FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPageObj_GetFillColor"))


# pdfium replaces a hyphen ending a line by 0x02 (FPDFText_GetUnicode) or 0xFFFE (FPDFText_GetText)
_HYPHEN_MARKS = (0x02, 0xFFFE)
_HYPHEN_CODE = ord("-")  # what such a mark is read as
_NO_TEXT = _HYPHEN_MARKS[1]  # what FPDFText_GetText also gives for a glyph mapped to U+0000 (:func:`_layer`)
# a glyph of Unicode 0 (its font's ToUnicode maps it to U+0000, or its code is 0) is the character U+0000, as pdfminer
# reads it; :func:`_layer` marks it by a code no character has, since a code 0 there means no character
_NUL_MARK = sys.maxunicode + 1
# what :func:`_chars` reads each mark as
_MARKED = {**dict.fromkeys(_HYPHEN_MARKS, _HYPHEN_CODE), _NUL_MARK: 0}

# pdfminer's device matrix per page rotation, with (x0, y0, x1, y1) the media box
_ROTATION_CTM = {
    0: lambda x0, y0, x1, y1: (1, 0, 0, 1, -x0, -y0),
    90: lambda x0, y0, x1, y1: (0, -1, 1, 0, -y0, x1),
    180: lambda x0, y0, x1, y1: (-1, 0, 0, -1, x1, y1),
    270: lambda x0, y0, x1, y1: (0, 1, -1, 0, y1, -x0),
}


@dataclass
class RawPage:
    """One page in pdfplumber's coordinates (``top`` counted down from the top of the page)."""

    no: int  # 0-based page index
    bbox: tuple[float, float, float, float]
    chars: list[dict]
    rects: list[dict]
    lines: list[dict]
    curves: list[dict]
    images: list[dict]  # one per image object (only counted: a page of images without text is reported)
    # text drawn partly outside its clipping path: (box of the text object, box its clip leaves visible), see
    # :func:`clipped_text`; None when not taken from pdfium (a pdfminer page: :func:`clipped_text` gives them)
    clipped: list[tuple[tuple, tuple]] | None = None
    objects: int = 0  # page objects read (those in form XObjects counted, the forms not), 0 when not from pdfium
    _edges: list[dict] | None = field(default=None, repr=False)
    _opened: list[dict] = field(default_factory=list, repr=False)

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def edges(self) -> list[dict]:
        """Line, rectangle and curve edges, in pdfplumber's order (``Page.edges``:
        :func:`budgetkg.etl.pdf_ruled.page_edges`), then the rules a grid cut by page breaks leaves out
        (:func:`budgetkg.etl.pdf_ruled.open_ends`; also in :attr:`opened`)."""
        if self._edges is None:
            edges = pdf_ruled.page_edges(self.lines, self.rects, self.curves)
            self._opened = pdf_ruled.open_ends(edges)
            self._edges = edges + self._opened
        return self._edges

    @property
    def opened(self) -> list[dict]:
        """The edges :attr:`edges` adds where merged cells go on over a page break (``open``: top or bottom)."""
        self.edges
        return self._opened

    def find_tables(self) -> list:
        """Ruled tables, as pdfplumber's table finder finds them with its default settings
        (:func:`budgetkg.etl.pdf_ruled.find_tables`)."""
        return pdf_ruled.find_tables(self) if self.edges else []


# pages of a document left open after reading, for rendering (:class:`PdfPages`): a loaded page holds its parsed
# content, 0.3-0.5 MB for a page of a budget table; at most KEPT_PAGES of them, and none more once those kept hold
# KEPT_BYTES by the estimate of OBJECT_BYTES per page object (a page of many thousand paths holds many MB).
# Measured with pdfium 159: a path object of one line holds about 250 bytes, a text object of one character 500.
KEPT_PAGES = 64
KEPT_BYTES = 32 << 20
OBJECT_BYTES = 512


class PdfPages:
    """The pages of one PDF: :class:`RawPage` from pdfium, or pdfplumber's page where pdfium cannot place
    some text (``fallbacks`` lists those page numbers). A context manager; ``pdf`` is the pdfium document.

    pdfminer reads a page only when pdfium refuses to restyle a text object it left out of its text layer
    (:func:`_measurable`): pdfium's API gives no other way to that object's characters (no page of the
    bundled or corpus PDFs needs it since text in fonts without glyphs is widened; it stays for what a
    future pdfium build may refuse).

    :raises EtlError: as :func:`open_pdf`.
    """

    def __init__(self, data: bytes, name: str):
        self.data, self.pdf, self.fallbacks = data, open_pdf(data, name), []
        self._plumber = None
        self._rounded = _Rounded()  # the positions of all its pages (:func:`raw_page`)
        self._kept: dict = {}  # index -> pdfium page read by :meth:`page` and left open (:meth:`__getitem__`)
        self._kept_bytes = 0  # their size as estimated (KEPT_BYTES)

    def __len__(self) -> int:
        return len(self.pdf)

    def __getitem__(self, index: int) -> pdfium.PdfPage:
        """Page ``index`` (0-based) of the pdfium document, to render (the layout renders some pages to see which
        copy of a text is drawn): the one :meth:`page` read when it is still open (loading a page parses its
        content again), else loaded; closed with the document, not by the caller."""
        kept = self._kept.get(index)
        return self.pdf[index] if kept is None else kept

    def page(self, index: int):
        """Page ``index`` (0-based) as a page object for :func:`budgetkg.etl.pdf_tables.scan_page`."""
        # the first pages read stay open for rendering, up to KEPT_PAGES and KEPT_BYTES: memory bounded in any document
        keep = (self._kept if len(self._kept) < KEPT_PAGES and self._kept_bytes < KEPT_BYTES and index not in self._kept
                else None)
        raw = raw_page(self.pdf, index, self._rounded, keep)
        if raw is not None:
            if keep is not None and index in keep:
                self._kept_bytes += raw.objects * OBJECT_BYTES
            return raw
        if self._plumber is None:
            import io

            import pdfplumber

            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        self.fallbacks.append(index + 1)
        return from_pdfminer(self._plumber.pages[index])

    def close(self) -> None:
        try:
            if self._plumber is not None:
                self._plumber.close()
        finally:  # the pdfium pages and document are closed whatever pdfplumber raised
            for page in self._kept.values():
                page.close()
            self._kept.clear()
            self.pdf.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """Open a PDF held in memory.

    :raises EtlError: (at page 1 of ``name``) for a password-protected PDF or a file that is not a PDF.
    """
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        where = Location(name, page=1)
        if re.search(r"password|encrypt|security", str(exc), re.I):
            raise EtlError("encrypted PDF: it needs a password to be read", where) from exc
        raise EtlError(f"not a readable PDF: it is damaged ({type(exc).__name__}: {exc}); download or export it "
                       "again", where) from exc


def _mult(m, n):
    """Matrix product ``m`` then ``n`` (PDF order, as pdfminer's ``mult_matrix``)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (a * a1 + b * c1, a * b1 + b * d1, c * a1 + d * c1, c * b1 + d * d1,
            e * a1 + f * c1 + e1, e * b1 + f * d1 + f1)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


# pypdfium2's media box where a page has none (``PdfPage.get_mediabox``: ANSI A) and its rotations (``get_rotation``)
_NO_MEDIABOX = (0, 0, 612, 792)
_ROTATIONS = (0, 90, 180, 270)


def _placement(page_at: int) -> tuple[tuple, float, float]:
    """The matrix from PDF space into pdfminer's device space of the page at ``page_at`` (its rotation applied), and
    the page's width and height in that space. As pypdfium2's ``get_mediabox`` and ``get_rotation``, on the address."""
    box = tuple(ctypes.c_float() for _ in range(4))
    x0, y0, x1, y1 = (tuple(v.value for v in box) if _c.FPDFPage_GetMediaBox(page_at, *map(ctypes.byref, box))
                      else _NO_MEDIABOX)
    turns = _c.FPDFPage_GetRotation(page_at)
    if turns == -1:
        raise pdfium.PdfiumError("Failed to get page rotation.")
    rotation = _ROTATIONS[turns]
    ctm = _ROTATION_CTM.get(rotation, _ROTATION_CTM[0])(x0, y0, x1, y1)
    width, height = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
    return ctm, width, height


def raw_page(pdf: pdfium.PdfDocument, index: int, rounded: _Rounded | None = None,
             keep: dict | None = None) -> RawPage | None:
    """The characters, paths and images of page ``index`` (0-based); ``None`` when pdfium cannot place
    some of its text (:func:`_measurable` fails): such a page is read by pdfminer (:class:`PdfPages`).
    ``rounded``: the positions rounded so far (:class:`_Rounded`), shared by the pages of a document;
    ``keep``: where the loaded pdfium page is left open (``keep[index]``, for rendering) instead of being
    closed, unless this reading changed it (:func:`_measurable`).

    A text object missing from pdfium's text layer is read again from a text layer in which it is widened
    when its font is not embedded (:func:`_measurable`); one still missing (pdfium keeps one space of a
    run of spaces) or in an embedded font is a run of spaces (:func:`_blank`)."""
    # the page and its text layer through pdfium's API, without pypdfium2's wrappers (a weakref finalizer each, which
    # costs more than the page's loading where it is small); the one kept is wrapped (:func:`_kept`). A document with
    # forms gets its pages from pypdfium2, which tells the form environment
    wrapper = pdf[index] if pdf.formenv else None
    page_at = _address(wrapper.raw) if wrapper is not None else _c.FPDF_LoadPage(_address(pdf.raw), index)
    if not page_at:
        raise pdfium.PdfiumError("Failed to load page.")
    kept = False
    try:
        ctm, width, height = _placement(page_at)
        top_of = height  # pdfplumber: top = height - y in the device space
        textpage = _load_text(page_at)
        try:
            # which text objects the text layer places, before the characters are read: a page with text
            # pdfium cannot measure has them read from another text layer (:func:`_measurable`)
            layer = _layer(textpage)
            placed = _placed(layer)
            rects, lines, curves, images, blanks, clipped, unmeasured = [], [], [], [], [], [], []
            scratch = _Scratch(rounded)
            out = (rects, lines, curves, images, blanks, clipped, unmeasured)
            # the objects' types, clip states, bounds and draw modes from their memory (the types are read only where
            # the heads are: _kinds_readable; both asked here, so that the object heads switched off mean the API)
            if _KINDS and _HEADS_READABLE:
                objects = _walk(ctypes.c_void_p(page_at), _c.FPDFPage_CountObjects(page_at), _per_object.page_address,
                                ctm, top_of, placed, out, scratch, {})
            else:
                objects = 0
                for obj, matrix, kind, boxes in _objects(page_at, ctm):
                    objects += 1
                    if kind == _TEXT:  # the most frequent kind first
                        _clipped(obj, matrix, top_of, boxes, clipped, scratch)
                        if obj.value not in placed:
                            _unplaced(obj, matrix, top_of, out)
                    elif kind == _PATH:
                        _path(obj, matrix, top_of, rects, lines, curves, boxes, scratch)
                    elif kind == _IMAGE:
                        images.append({"object_type": "image"})
            if unmeasured:
                _c.FPDFText_ClosePage(textpage)
                textpage = None
                if not _measurable([obj for obj, _ in unmeasured]):
                    return None
                textpage = _load_text(page_at)
                layer = _layer(textpage)
                placed = _placed(layer)
                blanks += [_blank(obj, matrix, top_of) for obj, matrix in unmeasured if obj.value not in placed]
            chars = _chars(textpage, ctm, top_of, layer, scratch.rounded) + blanks
        finally:
            if textpage is not None:
                _c.FPDFText_ClosePage(textpage)
        if keep is not None and not unmeasured:  # the page as in the file: it renders as a page loaded again
            keep[index] = wrapper if wrapper is not None else _kept(pdf, page_at)
            kept = True
        return RawPage(index, (0, 0, width, height), chars, rects, lines, curves, images, clipped, objects)
    finally:
        if not kept:
            if wrapper is not None:
                wrapper.close()
            else:
                _c.FPDF_ClosePage(page_at)


def _load_text(page_at: int) -> int:
    """The address of a new text layer of the page at ``page_at`` (``PdfPage.get_textpage``'s call); closed by the
    caller (``FPDFText_ClosePage``)."""
    textpage = _c.FPDFText_LoadPage(page_at)
    if not textpage:
        raise pdfium.PdfiumError("Failed to load text page.")
    return textpage


def _kept(pdf: pdfium.PdfDocument, page_at: int) -> pdfium.PdfPage:
    """The page at ``page_at`` (loaded by :func:`raw_page`) as pypdfium2's page, as ``PdfDocument.get_page`` makes it
    (a document without forms): it renders, and closes with the document."""
    page = pdfium.PdfPage(ctypes.cast(page_at, pdfium_c.FPDF_PAGE), pdf, pdf.formenv)
    pdf._add_kid(page)
    return page


def _unplaced(obj: _Handle, ctm, top_of: float, out: tuple) -> None:
    """A text object the text layer does not place: a blank (:func:`_blank`) in an embedded font, else one to make
    measurable (:func:`_measurable`); ``out``: :func:`raw_page`'s lists."""
    if _c.FPDFFont_GetIsEmbedded(_c.FPDFTextObj_GetFont(obj)):
        out[4].append(_blank(obj, ctm, top_of))
    else:
        out[6].append((obj, ctm))


# form XObjects drawn within one another are opened this many deep, no deeper (:func:`_walk`, :func:`_objects`): as
# deep as pdfium parses their objects (pdfium 159: the forms of 40 levels; a deeper one holds no object, and its text
# is in no text layer), so that the paths are read from the same forms as the characters. pdfminer opens every level:
# beyond pdfium's, its characters and paths cannot be read here. A bound on this recursion too (pypdfium2's
# ``get_objects(max_depth=_FORM_DEPTH + 1)`` opens as many levels: its max_depth counts the page)
_FORM_DEPTH = 40


def _walk(owner, count: int, get, ctm, top_of: float, placed: set, out: tuple, scratch: _Scratch, clips: dict,
          depth: int = 0) -> int:
    """:func:`raw_page`'s pass over the ``count`` objects of ``owner`` (a page, or a form XObject: ``get`` gives the
    address of its object ``i``) placed with ``ctm``, where :data:`_KINDS` says their memory reads as pdfium's API: each
    object's type, clip state and bounds (a text object's, :func:`_clipped`), stroke flag, fill type and matrix (a
    path's, :func:`_path`) read from the object's first bytes, in one pass without a generator. Fills ``out``
    (:func:`raw_page`'s lists) as :func:`_objects` with those functions does; returns the number of objects read
    (forms opened, not counted). ``clips``: the clip boxes of each matrix (:func:`_objects`)."""
    rects, lines, curves, images, _, clipped, _ = out
    boxes = clips.setdefault(ctm, {})

    def other(address: int) -> int:
        return _other(address, ctm, top_of, placed, out, scratch, clips, boxes, depth)

    if _speedups is not None and _READABLE:  # the same loop compiled (etl/_speedups.c)
        return _speedups.walk(
            owner.value, count, _address(get), _VTABLES, _REACH, _OFFSETS, _PATH_CALLS, ctm, top_of, placed, boxes,
            lambda address: _clip_box(address + _CLIP_AT, ctm, top_of),
            lambda address: _unplaced(_Handle(address), ctm, top_of, out), other, scratch.rounded, rects, lines,
            curves, clipped, _MOVE, _LINE, _CLIP_SLACK)
    kinds, view, vtable_of = _KINDS, _VIEW, _VTABLE.unpack_from
    head_of, path_of = _OBJECT_HEAD.unpack_from, _PATH_HEAD.unpack_from
    a, b, c, d, e, f = ctm
    reach = _REACH
    objects = 0
    for i in range(count):
        address = get(owner, i)
        kind = kinds.get(vtable_of(view, address)[0]) if address and address < reach else None
        if kind == _TEXT:  # the most frequent kind first
            objects += 1
            state, left, bottom, right, top = head_of(view, address)
            if state:  # the clip test of _clipped, on the head read
                box = boxes.get(state, boxes)
                if box is boxes:
                    box = boxes[state] = _clip_box(address + _CLIP_AT, ctm, top_of)
                if box is not None:
                    ax, ay = a * left + c * bottom + e, b * left + d * bottom + f
                    bx, by = a * right + c * top + e, b * right + d * top + f
                    # min() and max() (among equal values, the first)
                    x0, x1 = bx if bx < ax else ax, bx if bx > ax else ax
                    low, high = by if by < ay else ay, by if by > ay else ay
                    if (x0 < box[0] - _CLIP_SLACK or top_of - high < box[1] - _CLIP_SLACK
                            or x1 > box[2] + _CLIP_SLACK or top_of - low > box[3] + _CLIP_SLACK):
                        clipped.append(((x0, top_of - high, x1, top_of - low), box))
            if address not in placed:
                _unplaced(_Handle(address), ctm, top_of, out)
            continue
        obj = _Handle(address)
        if kind == _PATH:
            objects += 1
            stroke, fill, matrix = path_of(view, address + _PATH_AT)
            if not stroke and fill and _filled_white(obj, scratch):
                continue
            state = head_of(view, address)[0]
            clip = None
            if state:
                clip = boxes.get(state, boxes)
                if clip is boxes:
                    clip = boxes[state] = _clip_box(address + _CLIP_AT, ctm, top_of)
            key = (matrix, ctm)  # as _path
            product = scratch.products.get(key)
            if product is None:
                product = scratch.products[key] = _mult(_MATRIX.unpack(matrix), ctm)
            _subpaths(obj, product, clip, top_of, rects, lines, curves, scratch)
            continue
        if address:  # a type not met by the self-check (images, forms, shadings), or out of the view's reach
            objects += other(address)
    return objects


def _other(address: int, ctm, top_of: float, placed: set, out: tuple, scratch: _Scratch, clips: dict, boxes: dict,
           depth: int) -> int:
    """:func:`_walk`'s reading of an object whose memory it does not read (its type is asked of pdfium's API): a form
    XObject opened (its objects walked), any other object read as :func:`raw_page` reads it without :data:`_KINDS`.
    Returns the number of objects read."""
    obj = _Handle(address)
    kind = _per_object.kind(obj)
    if kind == _FORM:
        m = scratch.matrix
        if depth < _FORM_DEPTH and _per_object.matrix(obj, scratch.at_matrix):
            return _walk(obj, _c.FPDFFormObj_CountObjects(obj), _per_object.form_address,
                         _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm), top_of, placed, out, scratch, clips, depth + 1)
        return 0
    rects, lines, curves, images, _, clipped, _ = out
    if kind == _TEXT:  # out of the view's reach: as raw_page without _KINDS
        _clipped(obj, ctm, top_of, boxes, clipped, scratch)
        if address not in placed:
            _unplaced(obj, ctm, top_of, out)
    elif kind == _PATH:
        _path(obj, ctm, top_of, rects, lines, curves, boxes, scratch)
    elif kind == _IMAGE:
        images.append({"object_type": "image"})
    return 1


# half the stroke width that widens the box of a text object pdfium cannot measure (:func:`_measurable`), in points:
# more than pdfium's threshold (0.01pt) for an object to be in the text layer at all
_WIDEN = 0.5


def _measurable(objs: list[int]) -> bool:
    """Make the text objects ``objs`` (of fonts that are not embedded) enter pdfium's text layer; False where
    that fails.

    pdfium leaves a text object out of its text layer when the box of its glyphs has no width. In a font
    that is not embedded, the glyphs are the substituted system font's, and it may have none for the text
    (a CJK font on a system without one: a lone 一 or —, or a line of them set vertically) or draw blanks
    (spaces). pdfminer places such text by the widths the PDF declares, and so does pdfium's text layer
    (character origins and loose boxes come from the font's widths, not its glyphs): only the box of the
    object keeps it out. A text object drawn in a stroke mode has its box widened by half its line
    width, so the object is set to stroke with a line width of 2 * :data:`_WIDEN` and placed again (an
    identity transform recomputes its box); the text layer then gives its characters, their Unicode (from
    the font's ToUnicode or predefined CMap) and their boxes exactly as for any other text. Only this page
    as loaded here changes: nothing is written to the PDF, and a page loaded again is parsed afresh.
    """
    for obj in objs:
        if (not _c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE)
                or not _c.FPDFPageObj_SetStrokeWidth(obj, 2 * _WIDEN)):
            return False
        _c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0, 0)
    return True


def clipped_text(pdf: pdfium.PdfDocument | PdfPages, index: int) -> list[tuple[tuple, tuple]]:
    """The text objects of page ``index`` (0-based) drawn partly outside their clipping path, as pairs of boxes
    ``(x0, top, x1, bottom)`` in pdfplumber's coordinates: the object's and the one its clip leaves visible.

    The text layer ignores clipping paths: a cell's text that overflows its box is still there, drawn where it
    cannot be seen (a table template prints the whole text of a cell merged over a page break on both pages,
    clipped to each). These boxes say where such text may stand. pdfium gives the bounds and the clip of an
    object inside a form XObject in the form's space (both are placed with the form's matrix), and a clip's
    box is only the box of its paths, so the layout renders those places before it drops anything
    (:func:`budgetkg.etl.pdf_tables.drop_clipped`).
    """
    page = getattr(pdf, "pdf", pdf)[index]  # loaded afresh (and closed here), never a page PdfPages keeps open
    try:
        ctm, _, top_of = _placement(_address(page.raw))
        out: list = []
        scratch = _Scratch()
        for obj, matrix, kind, boxes in _objects(_address(page.raw), ctm):
            if kind == _TEXT:
                _clipped(obj, matrix, top_of, boxes, out, scratch)
        return out
    finally:
        page.close()


# a text object reaching this far (points) beyond its clip box is drawn partly outside it
_CLIP_SLACK = 1.0


class _Scratch:
    """The ctypes buffers the calls about one page's objects fill, made once per page: making a ctypes object
    costs more than the call it is passed to."""

    def __init__(self, rounded: _Rounded | None = None):
        self.rounded = _Rounded() if rounded is None else rounded  # positions rounded to _DIGITS (:class:`_Rounded`)
        self.products: dict[tuple, tuple] = {}  # (bytes of a path's matrix, ctm) -> their product (:func:`_path`)
        self.matrix = pdfium_c.FS_MATRIX()
        self.mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = tuple(ctypes.c_uint() for _ in range(4))
        self.bounds = tuple(ctypes.c_float() for _ in range(4))
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.at_x, self.at_y = ctypes.byref(self.x), ctypes.byref(self.y)
        self.at_matrix, self.at_mode, self.at_stroke = (ctypes.byref(v) for v in (self.matrix, self.mode, self.stroke))
        self.at_rgba = tuple(ctypes.byref(v) for v in self.rgba)
        self.at_bounds = tuple(ctypes.byref(v) for v in self.bounds)


def _clipped(obj: _Handle, ctm, top_of: float, boxes: dict, out: list, scratch: _Scratch) -> None:
    """Append the boxes of text object ``obj`` (placed with ``ctm``) to ``out`` when it reaches outside its clip
    box (:func:`_clip_of`)."""
    head = _read(obj.value, _OBJECT_HEAD.size) if _HEADS_READABLE else None
    if head is not None:  # the clipping state and the bounds from the object's memory (_HEADS_READABLE)
        state, left, bottom, right, top = _OBJECT_HEAD.unpack(head)
        if not state:  # no clipping path
            return
        box = boxes.get(state, boxes)
        if box is boxes:
            box = boxes[state] = _clip_box(obj.value + _CLIP_AT, ctm, top_of)
        if box is None:
            return
    else:
        box = _clip_of(obj, ctm, top_of, boxes)
        if box is None or not _per_object.bounds(obj, *scratch.at_bounds):
            return
        left, bottom, right, top = (v.value for v in scratch.bounds)
    a, b, c, d, e, f = ctm  # _apply, written out: this runs for every text object
    ax, ay = a * left + c * bottom + e, b * left + d * bottom + f
    bx, by = a * right + c * top + e, b * right + d * top + f
    # min() and max() (among equal values, the first)
    x0, x1, low, high = bx if bx < ax else ax, bx if bx > ax else ax, by if by < ay else ay, by if by > ay else ay
    if x0 < box[0] - _CLIP_SLACK or top_of - high < box[1] - _CLIP_SLACK or x1 > box[2] + _CLIP_SLACK or (
            top_of - low > box[3] + _CLIP_SLACK):
        out.append(((x0, top_of - high, x1, top_of - low), box))


def _clip_of(obj: _Handle, ctm, top_of: float, boxes: dict) -> tuple | None:
    """The box (x0, top, x1, bottom) the clipping path of page object ``obj`` (placed with ``ctm``) leaves
    visible, ``None`` without one. ``boxes`` keeps the box of each clipping state met on the page under ``ctm``
    (:func:`_objects`): the objects drawn in one clipping state share its data, named by its address where
    :data:`_STATES_READABLE`, else by the paths it intersects (their data is shared too)."""
    clip = _per_object.clip(obj)
    if not clip:
        return None
    if _STATES_READABLE:
        state = _word_at(clip.value).value
        if not state:  # no clipping path
            return None
        box = boxes.get(state, boxes)
        if box is boxes:
            box = boxes[state] = _clip_box(clip, ctm, top_of)
        return box
    count = _per_object.clip_paths(clip)
    if count <= 0:
        return None
    # the data of each path, named by the address of its first segment (states may share their first paths)
    key = tuple(_per_object.clip_segment(clip, k, 0) for k in range(count))
    box = boxes.get(key)
    if box is None:
        box = boxes[key] = _clip_box(clip, ctm, top_of)
    return box


def _clip_box(clip: int, ctm, top_of: float) -> tuple | None:
    """The box (x0, top, x1, bottom) of the intersection of the paths of a clipping path (the region it leaves
    visible lies within it); ``None`` when it has none."""
    count = _c.FPDFClipPath_CountPaths(clip)
    if count <= 0:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    x0 = top = -math.inf
    x1 = bottom = math.inf
    for k in range(count):
        xs, tops = [], []
        for j in range(_c.FPDFClipPath_CountPathSegments(clip, k)):
            _c.FPDFPathSegment_GetPoint(_c.FPDFClipPath_GetPathSegment(clip, k, j), x, y)
            px, py = _apply(ctm, x.value, y.value)
            xs.append(px)
            tops.append(top_of - py)
        if xs:
            x0, x1, top, bottom = max(x0, min(xs)), min(x1, max(xs)), max(top, min(tops)), min(bottom, max(tops))
    return x0, top, x1, bottom


def _blank(obj, ctm, top_of: float) -> dict:
    """One space character at the origin of a text object of spaces, in pdfminer's box (``LTChar``): from the descent
    to one font size above the baseline and over the space's advance in the object's text space, its four corners
    through the object's matrix and ``ctm``; its size the box's height, as pdfminer's. (The text layer does not hold
    the object, so its box cannot be pdfium's, as :func:`_turned` takes it for other rotated text.)"""
    m = pdfium_c.FS_MATRIX()
    _c.FPDFPageObj_GetMatrix(obj, m)
    size = ctypes.c_float()
    _c.FPDFTextObj_GetFontSize(obj, size)
    desc, width = ctypes.c_float(), ctypes.c_float()
    font = _c.FPDFTextObj_GetFont(obj)
    descent = plausible_descent(desc.value, size.value) if _c.FPDFFont_GetDescent(font, size, desc) else 0.0
    # the space's advance at this size (pdfium folds the horizontal scaling into the object's matrix)
    advance = width.value if _c.FPDFFont_GetGlyphWidth(font, _SPACE, size, width) else 0.0
    full = _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
    corners = [_apply(full, x, y) for x in (0.0, advance) for y in (descent, descent + size.value)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    top, bottom = top_of - max(ys), top_of - min(ys)
    return {"text": " ", "x0": min(xs), "x1": max(xs), "top": top, "bottom": bottom, "doctop": top,
            "size": bottom - top, "upright": 0 < full[0] * full[3] and full[1] * full[2] <= 0}


_SPACE = ord(" ")  # the character :func:`_blank` places


def _objects(page: int, ctm, clips: dict | None = None, form: _Handle | None = None, depth: int = 0):
    """Every page object (a :class:`_Handle`) with its matrix into pdfminer's device space, its type and the
    boxes of the clip paths met under that matrix (``clips[matrix]``, for :func:`_clip_of`), form XObjects
    opened."""
    if form is None:
        count, get, owner = _c.FPDFPage_CountObjects(page), _per_object.page_object, ctypes.c_void_p(page)
    else:
        count, get, owner = _c.FPDFFormObj_CountObjects(form), _per_object.form_object, form
    kind_of = _per_object.kind
    clips = {} if clips is None else clips
    boxes = clips.setdefault(ctm, {})
    m = pdfium_c.FS_MATRIX()
    for i in range(count):
        obj = get(owner, i)
        kind = kind_of(obj)
        if kind == _FORM:
            if depth < _FORM_DEPTH and _c.FPDFPageObj_GetMatrix(obj, m):
                yield from _objects(page, _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm), clips, obj, depth + 1)
            continue
        yield obj, ctm, kind, boxes


# pdfium's text page (``CPDF_TextPage``, the address of an ``FPDF_TEXTPAGE``) keeps its characters as one array
# of records (``CharInfo``: type, Unicode, char code, origin, box, loose box, matrix, text object), which the
# per-character calls copy out one field at a time (three calls a character, 0.3-1.2 us each). Where
# :func:`_chars_readable` finds that layout in the pdfium loaded, the array is read at once: its address and
# number of records are the two words at _CHAR_LIST of the text page. The fields :data:`_CHAR_INFO` reads: the
# type, the origin, the loose box (left, bottom, right, top), a, b, c, d of the matrix and the text object.
_CHAR_LIST = 32
_CHAR_LIST_HEAD = struct.Struct("=QQ")
_CHAR_INFO = struct.Struct("=B11x2f16x4f4f8x4xQ")
_GENERATED, _HYPHEN = 1, 3  # CharType::kGenerated (as FPDFText_IsGenerated tells), CharType::kHyphen
# the page :func:`_chars_readable` reads: a space, a hyphen ending a line, generated line ends, rotated text
_TEXT_PAGE = b"BT /F1 9 Tf 10 80 Td (Ab c-) Tj 0 -12 Td (de) Tj ET BT /F1 7 Tf 0 1 -1 0 60 20 Tm (Up) Tj ET"


def _records_at(tp: int, n: int) -> list | None:
    """The ``n`` character records of the text page ``tp`` read from memory as :data:`_CHAR_INFO` lays them out (the
    type as pdfium keeps it), as columns: one sequence per field of :data:`_CHAR_INFO` (``zip(*columns)`` gives the
    records), each a strided view of the bytes read (:func:`_columns`); None where the text page does not hold ``n``
    records there or they are not mapped memory (:func:`_safe_read`: an address that is no pointer gives None, not a
    crash). Only for a pdfium :func:`_chars_readable` accepts: elsewhere the records read may be anything."""
    head = _safe_read(tp + _CHAR_LIST, _CHAR_LIST_HEAD.size)
    if head is None:
        return None
    first, count = _CHAR_LIST_HEAD.unpack(head)
    if count != n or (data := _safe_read(first, n * _CHAR_INFO.size)) is None:
        return None
    return _columns(data, _CHAR_INFO, n)


@functools.lru_cache(maxsize=8)  # per layout (tests patch :data:`_CHAR_INFO`), not per page
def _fields(layout: struct.Struct) -> list[tuple[str, int]]:
    """The fields of a record ``layout`` (standard sizes, no padding but its ``x``): (struct code, offset) of each.

    >>> _fields(struct.Struct("=B3x2fQ"))
    [('B', 0), ('f', 4), ('f', 8), ('Q', 12)]
    """
    out, at = [], 0
    for count, code in re.findall(r"(\d*)(\D)", layout.format.lstrip("=")):
        width = struct.calcsize("=" + code)
        for _ in range(int(count or 1)):
            if code != "x":
                out.append((code, at))
            at += width
    return out


def _columns(data: bytes, layout: struct.Struct, n: int) -> list[memoryview] | None:
    """The ``n`` records ``layout`` packs into ``data`` as one view per field (the values ``layout.iter_unpack``
    gives, field by field; None for a layout of a field whose width does not divide the record's): converting only the
    fields used to Python values, and all of a field at once, costs a fraction of a tuple per record (most of a
    record's fields are read for one character in many)."""
    view, size, out = memoryview(data), layout.size, []
    for code, at in _fields(layout):
        width = struct.calcsize("=" + code)  # as memoryview's native code: "B", "f" and "Q" are 1, 4 and 8 bytes
        if size % width:  # a field that cannot be strided over (no layout read here): not read
            return None
        out.append(view[at:at + (n - 1) * size + width].cast(code)[::size // width])
    return out


def _api_records(tp: int, n: int) -> list[tuple]:
    """The ``n`` character records of the text page ``tp`` as :func:`_records_at` gives them, asked of pdfium's API
    character by character, every field (the type :data:`_GENERATED` or 0, the text object as an address, 0 for none):
    what :func:`_chars_readable` compares the memory with. The reader asks less (:func:`_chars_asked`)."""
    x, y, box, m = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    page, at_x, at_y, at_box, at_m = (ctypes.c_void_p(tp), ctypes.byref(x), ctypes.byref(y), ctypes.byref(box),
                                      ctypes.byref(m))
    out = []
    for i in range(n):
        _per_char.origin(page, i, at_x, at_y)
        _per_char.loose_box(page, i, at_box)
        _per_char.matrix(page, i, at_m)
        kind = _GENERATED if _per_char.generated(page, i) == 1 else 0
        out.append((kind, x.value, y.value, box.left, box.bottom, box.right, box.top, *_ABCD(m),
                    _per_char.text_object(page, i) or 0))
    return out


def _chars_readable() -> bool:
    """Whether the character records of the text page of :data:`_TEXT_PAGE` read from memory (:func:`_records_at`)
    say exactly what pdfium's API gives for each character (:func:`_api_records`), generated characters and a
    hyphen ending a line typed as such, text objects and two matrices among them. Every read is :func:`_safe_read`'s:
    where the offsets guessed do not hold a pointer the answer is no, not a crash."""
    if not _POINTERS_FIT:
        return False
    pdf = pdfium.PdfDocument(_one_page_pdf(_TEXT_PAGE))
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        try:
            tp = _address(textpage.raw)
            n = _c.FPDFText_CountChars(tp)
            columns = _records_at(tp, n) if n > 0 else None
            if columns is None:
                return False
            read = list(zip(*columns))
            expected = _api_records(tp, n)
            kinds = {r[0] for r in read}
            as_api = [(_GENERATED if r[0] == _GENERATED else 0, *r[1:]) for r in read]
            return (as_api == expected and kinds == {0, _GENERATED, _HYPHEN}
                    and all(r[-1] for r in read if r[0] != _GENERATED) and len({r[7:11] for r in read}) == 2)
        finally:
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _layer(tp: int) -> tuple[list[int], list[int | None], list | None]:
    """The code units of the characters of the text layer ``tp`` (one per character index, as pdfium's text gives
    them; 0 for none, and for a character its text leaves out; a character beyond the BMP at the first of its two
    indices, :func:`_paired`; :data:`_NUL_MARK` for a glyph of Unicode 0), the text object of each (an address; ``0`` or
    ``None`` where it has none; any value where the unit is 0) and their records as :func:`_records_at` reads them
    from memory (columns); ``None`` for the records where that read is not possible: then :func:`_chars` asks
    pdfium's API for what it needs of each character (:func:`_chars_asked`). The text objects placed are
    ``set(compress(objs, codes))`` (:func:`_placed`)."""
    n = _c.FPDFText_CountChars(tp)
    if n <= 0:
        return [], [], []
    units = (ctypes.c_ushort * (n + 1))()
    # the text has one code unit per character index (n and the terminator written) unless pdfium left characters
    # out of it: control characters (a glyph its font maps to U+FFFE, U+0002, U+0093..., not a hyphen it marks) and
    # glyphs of code 0 (their Unicode 0 whatever their font maps them to). Then each index takes its character's own
    # (two calls a character, on such pages only): taken in turn, every later unit would be another character's,
    # placed where that one stands
    if _c.FPDFText_GetText(tp, 0, n, units) == n + 1:
        codes = units[:n]
        # (the text decoded in C: a pair of surrogates becomes one character, a lone one stays one)
        text = ctypes.string_at(units, 2 * n).decode("utf-16-le", "surrogatepass")
        halves = len(text) != n or _SURROGATE.search(text) is not None
    else:  # each index its own character's Unicode: pdfium's text also leaves out a character beyond the BMP that
        # one index holds (a glyph named u1F600, say) while its text indices count it, so the text's units cannot be
        # taken by those indices either (one for a line-end hyphen is 0x02, :data:`_HYPHEN_MARKS`)
        place, unicode = _c.FPDFText_GetTextIndexFromCharIndex, _c.FPDFText_GetUnicode
        codes = [_NUL_MARK if not (code := unicode(tp, i)) else code if place(tp, i) >= 0 else 0 for i in range(n)]
        halves = any(0xD800 <= code < 0xE000 for code in codes)
    if halves:
        codes = _paired(codes)
    # U+FFFE in the text is a hyphen pdfium marks at a line end (its character's Unicode 0x02) or a glyph its font maps
    # to U+0000 (its character's Unicode 0): that one is U+0000, not a hyphen (:data:`_HYPHEN_MARKS`)
    if _NO_TEXT in codes:
        unicode = _c.FPDFText_GetUnicode
        codes = [_NUL_MARK if code == _NO_TEXT and not unicode(tp, i) else code for i, code in enumerate(codes)]
    records = _records_at(tp, n) if _CHARS_READABLE else None
    if records is None:
        text_object, page = _per_char.text_object, ctypes.c_void_p(tp)
        return codes, [text_object(page, i) if code else None for i, code in enumerate(codes)], None
    return codes, records[-1].tolist(), records


# a UTF-16 surrogate: pdfium gives a character beyond the Basic Multilingual Plane (CJK Extension B, say) as two
# character indices of the one glyph (the same box), the halves of its surrogate pair
_SURROGATE = re.compile("[\ud800-\udfff]")


def _paired(codes: list[int]) -> list[int]:
    """``codes`` with each surrogate pair as its character at the pair's first index and 0 (no character) at the
    second, and a surrogate alone as U+FFFD (it is no character, and no text may hold it).

    >>> [hex(c) for c in _paired([0x61, 0xD840, 0xDC00, 0xDC00, 0x62, 0xD840])]
    ['0x61', '0x20000', '0x0', '0xfffd', '0x62', '0xfffd']
    """
    out, i, n = list(codes), 0, len(codes)
    while i < n:
        code = out[i]
        if 0xD800 <= code < 0xE000:
            if code < 0xDC00 and i + 1 < n and 0xDC00 <= out[i + 1] < 0xE000:
                out[i], out[i + 1] = 0x10000 + ((code - 0xD800) << 10) + (out[i + 1] - 0xDC00), 0
                i += 1
            else:
                out[i] = 0xFFFD
        i += 1
    return out


def _placed(layer: tuple) -> set:
    """The text objects the text layer places (:func:`_layer`'s: those of its characters of a non-zero unit)."""
    codes, objs, _ = layer
    return set(compress(objs, codes))


_CHARS_READABLE = _chars_readable()  # checked once, on the pdfium loaded


def _chars(tp: int, ctm, top_of: float, layer: tuple, rounded: _Rounded) -> list[dict]:
    """The characters of the text layer ``tp`` (pdfium's generated spaces and line ends left out);
    ``layer``: what :func:`_layer` gave for ``tp``; ``rounded``: :class:`_Rounded`.

    A text object is placed when it has a character of a non-zero code in the text layer (:func:`_layer`'s codes,
    where a glyph of Unicode 0 is :data:`_NUL_MARK`). One that is not has no glyph box. In an embedded font
    that is a run of spaces (a blank glyph), which pdfminer reports and which separates words in a table cell
    (:func:`_blank`). In a font that is not embedded
    it may be any text whose glyphs the substituted system font lacks (the digits of a CID font, say);
    pdfminer places them by their widths alone, and so does pdfium once the object is widened
    (:func:`_measurable`).
    """
    codes, objs, records = layer
    if not codes:
        return []
    if records is None:
        return _chars_asked(tp, ctm, top_of, codes, objs, rounded)
    if _speedups is not None:
        return _compiled_chars(tp, ctm, top_of, layer, rounded)
    page = ctypes.c_void_p(tp)
    # the font of a text object by its address as an int (a typed call: cheaper than wrapping it in a _Handle)
    font_size, font_of = _per_char.font_size, _c.FPDFTextObj_GetFont
    per_object: dict[int, tuple] = {}  # text object -> _object_props
    known: dict[tuple, tuple] = {}  # (a, b, c, d of the matrix, size, font) -> _object_props
    e, f_shift = ctm[4], ctm[5]
    straight = ctm[:4] == (1, 0, 0, 1)
    out = []
    append = out.append
    spaces, generated, marked = _SPACES, _GENERATED, _MARKED
    last = low = high = upright = baselines = None  # the text object of the character before
    # the fields read for every character as lists (:func:`_columns`), the others where they are needed
    kinds, xs, ys, lefts, bottoms, rights, tops, mas, mbs, mcs, mds, _ = records
    for i, code, obj, kind, x, y, right in zip(range(len(codes)), codes, objs, kinds.tolist(), xs.tolist(), ys.tolist(),
                                               rights.tolist()):
        if not code:
            continue
        if code in marked:  # pdfium marks a hyphen that ends a line (as a word break); _layer a glyph of Unicode 0
            code = marked[code]
        elif code in spaces and kind == generated:
            continue
        if obj != last:
            props = per_object.get(obj)
            if props is None:  # most text objects hold one character: the lookups of _object_props written out
                key = (mas[i], mbs[i], mcs[i], mds[i], font_size(page, i), font_of(obj))
                props = known.get(key)
                if props is None:
                    props = known[key] = _object_props(key, ctm, straight)
                per_object[obj] = props
            low, high, upright, baselines = props
            last = obj
        if low is not None:
            # pdfminer's box: from the descent to one font size above it, over the advance, computed
            # with pdfminer's operations in pdfminer's order (the layout compares sizes and gaps at
            # exact thresholds, so even the rounding of the last bit matters)
            vertical = baselines.get(y)
            if vertical is None:  # the first character of this font on this baseline
                vertical = baselines[y] = _baseline(low, high, y, f_shift, top_of)
            ctop, cbottom, size = vertical
            append({"text": chr(code), "x0": rounded[x + e], "x1": rounded[right + e],
                    "top": ctop, "bottom": cbottom, "doctop": ctop, "size": size, "upright": upright})
        else:  # rotated or mirrored text: pdfium's loose box
            append(_turned(code, ctm, top_of, lefts[i], bottoms[i], right, tops[i], upright))
    return out


def _baseline(low: float, high: float, y: float, f_shift: float, top_of: float) -> tuple[float, float, float]:
    """The top, bottom and size of the characters on baseline ``y`` of the text objects whose boxes start ``low`` and
    end ``high`` above it (:func:`_object_props`): pdfminer's box, from the descent to one font size above it,
    computed with pdfminer's operations in pdfminer's order (the layout compares sizes and gaps at exact thresholds,
    so even the rounding of the last bit matters)."""
    f = round(y, _DIGITS) + f_shift
    y0 = low + f
    y1 = high + f
    return top_of - y1, top_of - y0, y1 - y0


def _compiled_chars(tp: int, ctm, top_of: float, layer: tuple, rounded: _Rounded) -> list[dict]:
    """:func:`_chars` by the compiled loop (``etl/_speedups.c``): the same characters, the same floats."""
    codes, objs, records = layer
    kinds, xs, ys, lefts, bottoms, rights, tops, mas, mbs, mcs, mds, _ = records
    e, f_shift = ctm[4], ctm[5]
    straight = ctm[:4] == (1, 0, 0, 1)
    return _speedups.chars(
        codes, objs, kinds.tolist(), xs.tolist(), ys.tolist(), rights.tolist(), (mas, mbs, mcs, mds), tp,
        _FONT_SIZE_AT, _FONT_AT, partial(_object_props, ctm=ctm, straight=straight),
        partial(_baseline, f_shift=f_shift, top_of=top_of),
        lambda code, i, right, upright: _turned(code, ctm, top_of, lefts[i], bottoms[i], right, tops[i], upright),
        e, rounded, _GENERATED, _MARKED)


# the addresses of the pdfium functions the compiled loop calls once per text object (as _chars does by ctypes)
_FONT_SIZE_AT, _FONT_AT = (_address(getattr(pdfium_c, name))
                           for name in ("FPDFText_GetFontSize", "FPDFTextObj_GetFont"))


def _chars_asked(tp: int, ctm, top_of: float, codes: list[int], objs: list, rounded: _Rounded) -> list[dict]:
    """:func:`_chars` where the character records cannot be read from memory: pdfium's API is asked only what each
    character needs (the matrix once per text object, the origin only for upright text, the generated flag only for
    a space, nothing for a character of code 0; 2-4 calls a character with :func:`_layer`'s text object), the same
    characters computed the same way."""
    x, y = ctypes.c_double(), ctypes.c_double()
    box = pdfium_c.FS_RECTF()
    page, at_x, at_y, at_box = ctypes.c_void_p(tp), ctypes.byref(x), ctypes.byref(y), ctypes.byref(box)
    origin, loose_box, generated = _per_char.origin, _per_char.loose_box, _per_char.generated
    # the font of a text object by its address as an int (a typed call: cheaper than wrapping it in a _Handle)
    matrix, font_size, font_of, abcd = _per_char.matrix, _per_char.font_size, _c.FPDFTextObj_GetFont, _ABCD
    per_object: dict[int, tuple] = {}  # text object -> _object_props
    known: dict[tuple, tuple] = {}  # (a, b, c, d of the matrix, size, font) -> _object_props
    m = pdfium_c.FS_MATRIX()
    at_m = ctypes.byref(m)
    e, f_shift = ctm[4], ctm[5]
    straight = ctm[:4] == (1, 0, 0, 1)
    out = []
    append = out.append
    spaces, marked = _SPACES, _MARKED
    last = low = high = upright = baselines = None  # the text object of the character before
    for i, (code, obj) in enumerate(zip(codes, objs)):
        if not code:
            continue
        if code in marked:  # as in _chars
            code = marked[code]
        elif code in spaces and generated(page, i):
            continue
        if obj != last:
            props = per_object.get(obj)
            if props is None:
                matrix(page, i, at_m)
                key = abcd(m) + (font_size(page, i), font_of(obj))
                props = known.get(key)
                if props is None:
                    props = known[key] = _object_props(key, ctm, straight)
                per_object[obj] = props
            low, high, upright, baselines = props
            last = obj
        loose_box(page, i, at_box)
        if low is not None:
            origin(page, i, at_x, at_y)
            yv = y.value  # the box as in _chars
            vertical = baselines.get(yv)
            if vertical is None:
                vertical = baselines[yv] = _baseline(low, high, yv, f_shift, top_of)
            ctop, cbottom, size = vertical
            append({"text": chr(code), "x0": rounded[x.value + e], "x1": rounded[box.right + e],
                    "top": ctop, "bottom": cbottom, "doctop": ctop, "size": size, "upright": upright})
        else:
            append(_turned(code, ctm, top_of, box.left, box.bottom, box.right, box.top, upright))
    return out


def _turned(code: int, ctm, top_of: float, left: float, bottom: float, right: float, top: float,
            upright: bool) -> dict:
    """A character of rotated or mirrored text (code unit ``code``), placed by pdfium's loose box; its size the box's
    height, as pdfminer's ``LTChar`` of a horizontal font has it, upright or not (the box's width only in a vertical
    font, which pdfium's API does not tell)."""
    px0, py0 = _apply(ctm, left, bottom)
    px1, py1 = _apply(ctm, right, top)
    cx0, cx1 = round(min(px0, px1), _DIGITS), round(max(px0, px1), _DIGITS)
    ctop, cbottom = round(top_of - max(py0, py1), _DIGITS), round(top_of - min(py0, py1), _DIGITS)
    return {"text": chr(code), "x0": cx0, "x1": cx1, "top": ctop, "bottom": cbottom, "doctop": ctop,
            "size": cbottom - ctop, "upright": upright}


# the code units that str.isspace() accepts (pdfium's generated spaces and line ends among them)
_SPACES = frozenset(u for u in range(0x10000) if chr(u).isspace())


def _object_props(key: tuple, ctm, straight: bool) -> tuple:
    """For the text objects of ``key`` (the ``a, b, c, d`` of their matrix in the text layer, their font size and
    their font, as :func:`_chars` reads them): where their boxes start and end above the baseline (``None, None``
    for rotated or mirrored text, placed by pdfium's box), whether they are upright, and a dict for the boxes'
    vertical extent on each baseline.

    :func:`_chars` keeps what was worked out for each key on the page (many PDFs print each character as a
    text object of its own, in a handful of fonts and sizes).
    """
    ma, mb, mc, md, size, font = key
    desc = ctypes.c_float()
    ok = size and _c.FPDFFont_GetDescent(font, size, desc)
    # pdfminer: descent = (Descent of the font descriptor * 0.001) * font size; pdfium gives the product
    # in single precision: the descriptor's value is recovered and the product taken again
    fs = round(size, _DIGITS)
    descent = plausible_descent(round(desc.value / size * 1000, 3) * 0.001 * fs, fs) if ok else 0.0
    a, b, c, d = (round(v, 6) for v in (ma, mb, mc, md))
    full = _mult((a, b, c, d, 0, 0), ctm)
    upright = 0 < full[0] * full[3] and full[1] * full[2] <= 0
    if b == 0 and c == 0 and a > 0 and d > 0 and straight:
        return d * descent, d * (descent + fs), upright, {}
    return None, None, upright, None




def _unseen(obj, scratch: _Scratch) -> bool:
    """A path filled white (or fully transparent) and not stroked: not drawn on white paper (as :func:`seen`)."""
    mode, stroke = scratch.mode, scratch.stroke
    if not _per_object.draw_mode(obj, scratch.at_mode, scratch.at_stroke) or stroke.value or not mode.value:
        return False
    return _filled_white(obj, scratch)


def _filled_white(obj, scratch: _Scratch) -> bool:
    """Whether the fill colour of path ``obj`` is white or fully transparent (:func:`_unseen`)."""
    r, g, b, a = scratch.rgba
    if not _per_object.fill(obj, *scratch.at_rgba):
        return False
    return a.value == 0 or r.value == g.value == b.value == 255


def _path(obj, ctm, top_of: float, rects: list, lines: list, curves: list, boxes: dict, scratch: _Scratch) -> None:
    """Split a painted path into pdfminer's lines, rectangles and curves (``PDFLayoutAnalyzer.paint_path``),
    leaving out a subpath that lies wholly outside the box of its clipping path (:func:`_clip_of`, ``boxes``):
    it is not drawn (pdfminer ignores clipping paths: its pages keep it)."""
    m = scratch.matrix
    if _unseen(obj, scratch) or not _per_object.matrix(obj, scratch.at_matrix):
        return
    clip = _clip_of(obj, ctm, top_of, boxes)
    key = (bytes(m), ctm)  # the matrix's six floats as stored: paths drawn under one matrix are the rule
    product = scratch.products.get(key)
    if product is None:
        product = scratch.products[key] = _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
    _subpaths(obj, product, clip, top_of, rects, lines, curves, scratch)


def _subpaths(obj, product: tuple, clip: tuple | None, top_of: float, rects: list, lines: list, curves: list,
              scratch: _Scratch) -> None:
    """:func:`_path`'s split of path ``obj``, drawn with matrix ``product`` into pdfminer's device space and clipped
    to the box ``clip`` (None: not clipped)."""
    n = _per_object.segments(obj)
    if _speedups is not None and n > 0 and (data := _point_bytes(obj, n)) is not None:
        _speedups.subpaths(data, product, clip, top_of, scratch.rounded, rects, lines, curves, _MOVE, _LINE,
                           _CLIP_SLACK)
        return
    a, b, c, d, e, f = product
    rounded = scratch.rounded
    subpaths: list[tuple] = []  # (shape, points)
    shape, pts = "", None  # the subpath being read
    bezier = 0  # pdfium gives a c operator as three segments: two control points and the end point
    for px, py, kind, closes in (_points(obj, n, scratch) if n > 0 else ()):
        if kind == _MOVE or pts is None:
            bezier = 0
        elif kind != _LINE:
            bezier += 1
            if bezier % 3:
                continue  # pdfminer keeps only the end point of a curve segment
        pt = (rounded[a * px + c * py + e], rounded[b * px + d * py + f])  # as _apply
        if kind == _MOVE or pts is None:
            if pts is not None:
                subpaths.append((shape, pts))
            shape, pts = "m", [pt]
        else:
            shape += "l" if kind == _LINE else "c"
            pts.append(pt)
            if closes:
                shape += "h"
                pts.append(pts[0])
    if pts is not None:
        subpaths.append((shape, pts))
    for shape, pts in subpaths:
        if clip is not None and _outside(clip, pts, top_of):
            continue
        # pdfium closes a path with a segment back to its start and a close flag; pdfminer sees
        # that segment and then h, and drops the segment when it ends on the start point
        if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        _paint(shape, pts, top_of, rects, lines, curves)


def _outside(clip: tuple, pts: list, top_of: float) -> bool:
    """Whether the device points ``pts`` of a subpath all lie beyond one side of the clip box (pdfplumber's
    coordinates), by more than :data:`_CLIP_SLACK`."""
    xs, tops = [p[0] for p in pts], [top_of - p[1] for p in pts]
    return (max(xs) < clip[0] - _CLIP_SLACK or min(xs) > clip[2] + _CLIP_SLACK or max(tops) < clip[1] - _CLIP_SLACK
            or min(tops) > clip[3] + _CLIP_SLACK)


def _paint(shape: str, pts: list, top_of: float, rects: list, lines: list, curves: list) -> None:
    if shape in ("ml", "mlh"):
        (ax, ay), (bx, by) = pts[0], pts[1]
        lines.append(_box("line", ax, top_of - ay, bx, top_of - by, top_of))
        return
    if shape in ("mlllh", "mllll") and len(pts) == 5:
        (ax, ay), (bx, by), (cx, cy), (dx, dy), _ = pts
        if pts[0] == pts[4] and ((ax == bx and by == cy and cx == dx and dy == ay)
                                 or (ay == by and bx == cx and cy == dy and dx == ax)):
            rects.append(_box("rect", ax, top_of - ay, cx, top_of - cy, top_of))
            return
    flipped = [(px, top_of - py) for px, py in pts]
    xs, tops = [p[0] for p in flipped], [p[1] for p in flipped]
    curve = _made(kind="curve", x0=min(xs), x1=max(xs), top=min(tops), bottom=max(tops), top_of=top_of)
    curve["pts"] = flipped
    curves.append(curve)


def _box(kind: str, ax: float, atop: float, bx: float, btop: float, top_of: float) -> dict:
    """pdfminer's object of ``kind`` spanned by two points (x, top), as :func:`_made` (min() and max() of
    the two written out: among equal values, the first)."""
    return _made(kind, bx if bx < ax else ax, bx if bx > ax else ax, btop if btop < atop else atop,
                 btop if btop > atop else atop, top_of)


def _made(kind: str, x0: float, x1: float, top: float, bottom: float, top_of: float) -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": top_of - bottom, "y1": top_of - top, "width": x1 - x0, "height": bottom - top}
