"""The PDF source: a text PDF's pages to the text the grammars read, every character placed.

Reads with pypdfium2 (the ``pdf`` extra), imported when a PDF is read. The *target* of the
map is what PDFium extracts from each page (``PdfTextPage.get_text_range``), pages joined
by ``"\\f"``: the text ``xxgk text FILE.pdf`` prints, in which a span's line and column
count (lines from 1 on every page); ``boxes`` holds each printed character's box in PDF
points.

What the grammars read (see ``grammar/layouts/pdf_row.lark``):

* prose is its extracted lines, as printed, but for a paragraph wrapped at the right
  margin, whose lines are joined (as the report's own text has them);
* a ruled table is written one table row per line, every cell closed by a tab
  (``"规章\\t0\\t0\\t0\\t"``). The drawn ruling lines (:mod:`.pdf_geometry`) say which cell
  each run of characters is printed in: numbers one space apart in two columns are two
  cells, a label wrapped over two or three lines is one cell (its lines joined, as the
  reader reads them), a header printed one character per line (``三`` / ``、`` / ``本`` …)
  is one cell. A row is the cells whose top edge is one line: a cell spanning several
  rows is written in the row it starts (``三、本年度办理结果`` with ``（一）予以公开``), an
  empty ruled cell that starts in the row is an empty cell (``"\\t"``), except at the
  start of a row;
* page furniture goes after the page's content, on lines of its own: the footer
  ("- 3 -") that Word writes first, and a running head printed alike on half the pages.
  Between the two parts of a table broken by a page, the document stage sees a page
  number line and reads both parts as one table.

Errors (:class:`~xxgk.errors.ParseError`, one line): a PDF PDFium cannot open (truncated,
corrupt), an encrypted one, a PDF whose pages carry no text at all (a scan).
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, Final, overload

import attrs

from ..errors import ParseError
from ..model import Diagnostic, Severity, Span
from ._map import Box, SourceMapBuilder
from ._model import Source, SourceText
from .pdf_geometry import Cell, Rulings

__all__ = ["PDF", "extract", "read", "sniff"]

_MAGIC = b"%PDF"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SAME_ROW = 2.0  # cells whose tops are this close (points) start the same row
_THIN = 3.0  # a path this thin (points) is one ruling line
# A line opening a numbered heading or item: not the rest of the paragraph above it.
_NUMBERED = re.compile(
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]")
# The text of a page that holds nothing but its page number ("- 4 -", "第 4 页 共 9 页").
_FURNITURE_ONLY = re.compile(r"[\s\d\-—–第页共/]*")
_SCANNED = "no text layer: scanned PDF? run OCR first"


def _installed() -> bool:
    try:
        return importlib.util.find_spec("pypdfium2") is not None
    except (ImportError, ValueError):
        return False


def sniff(data: bytes, name: str | None) -> float:
    """0.9 for bytes that start a PDF (``%PDF`` within the first 1 KiB), when pypdfium2 is
    installed; 0 otherwise (so that :mod:`._sniff` names the extra to install)."""
    at = data.find(_MAGIC, 0, 1024)
    if at < 0 or (at > 0 and data[:at].strip(b"\x00\t\n\r \xef\xbb\xbf")):
        return 0.0
    return 0.9 if _installed() else 0.0


@attrs.frozen
class PageText:
    """One page as PDFium extracts it: its text, a box (or ``None``) per character, its
    ruling edges, how many images it holds."""

    text: str
    boxes: PageBoxes
    rulings: Rulings
    images: int


def _library() -> Any:
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - sniff returned 0, so read is not called
        raise ParseError("a PDF file, and PDF support is not installed: "
                         "pip install 'xxgk[pdf]'") from None
    return pypdfium2


def _open(pdfium: Any, data: bytes, name: str | None) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise ParseError("an encrypted PDF: xxgk cannot open it without its password; "
                             "save an unprotected copy first", source=name) from None
        raise ParseError(f"a damaged PDF that cannot be opened (truncated or corrupt): "
                         f"{reason}", source=name) from None


_UNKNOWN: Final[Any] = object()


class PageBoxes(Sequence["Box | None"]):
    """The boxes of a page's characters (PDFium's tight glyph boxes; ``None`` for white
    space), each asked of PDFium when first needed: finding tables needs the boxes of a
    few characters a line, the spans of a report a few hundred more, and asking for every
    character would cost more than the text extraction itself. Keeps the page's text page
    (and so its document) open while it lives."""

    def __init__(self, page: Any, textpage: Any, text: str, calls: _Calls) -> None:
        self._owners = (page, textpage)  # the pypdfium2 objects: keep the handles alive
        self._handle = textpage.raw
        self._text = text
        self._get = calls.raw.FPDFText_GetCharBox
        self._out = calls.doubles
        self._known: list[Any] = [_UNKNOWN] * len(text)

    def __len__(self) -> int:
        return len(self._text)

    @overload
    def __getitem__(self, index: int) -> Box | None: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Box | None]: ...

    def __getitem__(self, index: int | slice) -> Box | Sequence[Box | None] | None:
        if isinstance(index, slice):
            known, box = self._known, self._box
            found_all = []
            for i in range(*index.indices(len(self._text))):
                found = known[i]
                if found is _UNKNOWN:
                    found = known[i] = box(i)
                found_all.append(found)
            return found_all
        found = self._known[index]
        if found is _UNKNOWN:
            found = self._known[index] = self._box(index)
        return found  # type: ignore[no-any-return]

    def _box(self, index: int) -> Box | None:
        if self._text[index].isspace():
            return None
        left, right, bottom, top = self._out
        if not self._get(self._handle, index, left, right, bottom, top):
            return None
        return (left.value, bottom.value, right.value, top.value)


class Boxes(Sequence["Box | None"]):
    """The boxes of the whole target (pages joined by form feeds, which have none)."""

    def __init__(self, pages: Sequence[PageBoxes]) -> None:
        self._pages = list(pages)
        self._starts: list[int] = []
        at = 0
        for page in self._pages:
            self._starts.append(at)
            at += len(page) + 1
        self._length = max(0, at - 1)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Box | None: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Box | None]: ...

    def __getitem__(self, index: int | slice) -> Box | Sequence[Box | None] | None:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            found: list[Box | None] = []
            while start < stop:  # page by page
                k = bisect_right(self._starts, start) - 1
                at = start - self._starts[k]
                size = len(self._pages[k])
                found.extend(self._pages[k][at:min(size, at + stop - start)])
                start = self._starts[k] + size
                if start < stop:
                    found.append(None)  # the form feed
                    start += 1
            return found
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        k = bisect_right(self._starts, index) - 1
        at = index - self._starts[k]
        return None if at >= len(self._pages[k]) else self._pages[k][at]


class _Calls:
    """PDFium's C functions with their output buffers made once: a report has thousands
    of characters and hundreds of drawn paths, and the Python wrappers' objects for each
    cost more than PDFium's own work."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.matrix = raw.FS_MATRIX()
        self.floats = [ctypes.c_float() for _ in range(4)]
        self.doubles = [ctypes.c_double() for _ in range(4)]
        self.ints = [ctypes.c_int() for _ in range(2)]
        self.colour = [ctypes.c_uint() for _ in range(4)]

    def drawing(self, page: Any) -> tuple[list[tuple[float, float, float, float]], int]:
        """The ruling edges of a page's visible paths, and how many images it has."""
        raw = self.raw
        x0, y0, x1, y1 = self.floats
        lines: list[tuple[float, float, float, float]] = []
        images = 0
        for k in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                images += 1
            if kind != raw.FPDF_PAGEOBJ_PATH or not self._visible(obj):
                continue
            if not raw.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
                continue
            box = (x0.value, y0.value, x1.value, y1.value)
            if min(box[2] - box[0], box[3] - box[1]) <= _THIN:
                lines.append(box)  # a rule drawn as a thin bar, or a stroked line
            elif raw.FPDFPath_CountSegments(obj) in (4, 5) and self._is_box(obj):
                lines += [(box[0], box[1], box[2], box[1]), (box[0], box[3], box[2], box[3]),
                          (box[0], box[1], box[0], box[3]), (box[2], box[1], box[2], box[3])]
            else:
                lines.extend(self._path_lines(obj))
        return lines, images

    def _visible(self, obj: Any) -> bool:
        """Whether a path is drawn in ink: stroked or filled in a colour that is not white
        (Word puts white boxes behind paragraphs and table cells: they rule nothing)."""
        raw = self.raw
        fill, stroke = self.ints
        if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
            return False
        red, green, blue, alpha = self.colour
        if stroke.value and raw.FPDFPageObj_GetStrokeColor(obj, red, green, blue, alpha):
            if alpha.value and (red.value, green.value, blue.value) != (255, 255, 255):
                return True
        if fill.value and raw.FPDFPageObj_GetFillColor(obj, red, green, blue, alpha):
            return bool(alpha.value) and (red.value, green.value, blue.value) != (255, 255, 255)
        return False

    def _is_box(self, obj: Any) -> bool:
        """Whether a path of four or five segments is a rectangle (``re``: a move, then
        lines), whose sides are those of its bounds; two separate strokes (a move, a
        line, a move, a line) are not. The third and the last segment tell them apart."""
        raw = self.raw
        line = raw.FPDF_SEGMENT_LINETO
        last = raw.FPDFPath_CountSegments(obj) - 1
        third = raw.FPDFPathSegment_GetType(raw.FPDFPath_GetPathSegment(obj, 2))
        return bool(third == line and raw.FPDFPathSegment_GetType(
            raw.FPDFPath_GetPathSegment(obj, last)) == line)

    def _path_lines(self, obj: Any) -> list[tuple[float, float, float, float]]:
        """The horizontal and vertical segments of a path that is not one thin bar (a
        stroked grid, a box), walked segment by segment, as thin boxes."""
        raw = self.raw
        matrix = self.matrix
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            return []
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        x, y = self.floats[:2]
        found: list[tuple[float, float, float, float]] = []
        start: tuple[float, float] | None = None
        last: tuple[float, float] | None = None
        for k in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, k)
            if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = last = point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO and last is not None:
                found.extend(_straight(last, point))
            last = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                found.extend(_straight(point, start))
                last = start
        return found


def _page(pdfium: Any, calls: _Calls, page: Any) -> PageText:
    raw = pdfium.raw
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # one text character per PDFium character, always
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD)
                           for i in range(count))
        boxes = PageBoxes(page, textpage, text, calls)
    except BaseException:
        textpage.close()
        raise
    lines, images = calls.drawing(page.raw)
    width, height = page.get_size()
    return PageText(text, boxes, Rulings.from_boxes(lines, width, height), images)


def _straight(p: tuple[float, float], q: tuple[float, float]
              ) -> list[tuple[float, float, float, float]]:
    """The segment ``p``–``q`` as a thin box when it is horizontal or vertical."""
    if abs(p[1] - q[1]) <= _THIN or abs(p[0] - q[0]) <= _THIN:
        return [(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))]
    return []


def extract(data: bytes, name: str | None = None) -> list[PageText]:
    """Every page of the PDF ``data`` as PDFium extracts it; :class:`ParseError` for a
    PDF that cannot be opened. The document stays open while the pages' boxes live (they
    are asked of PDFium when needed); it closes when they are gone."""
    pdfium = _library()
    document = _open(pdfium, data, name)
    try:
        calls = _Calls(pdfium.raw)
        return [_page(pdfium, calls, document[index]) for index in range(len(document))]
    except pdfium.PdfiumError as error:
        document.close()
        raise ParseError(f"a damaged PDF: {error}", source=name) from None


def read(data: bytes, name: str | None) -> SourceText:
    """The :class:`SourceText` of a text PDF (see the module docstring)."""
    pages = extract(data, name)
    if not pages:
        raise ParseError("a PDF with no pages", source=name)
    if not any(not char.isspace() for page in pages for char in page.text):
        raise ParseError(_SCANNED, source=name)
    target = "\f".join(page.text for page in pages)
    builder = SourceMapBuilder(target)
    starts: list[int] = []
    diagnostics: list[Diagnostic] = []
    at = 0
    for number, (page, (lines, furniture)) in enumerate(zip(pages, _arranged(pages),
                                                            strict=True), 1):
        if number > 1:
            starts.append(at)
        _write_page(builder, page, at, lines, furniture)
        if page.images and _FURNITURE_ONLY.fullmatch(page.text):
            diagnostics.append(Diagnostic(
                "P112", Severity.ERROR,
                f"page {number} is an image without text: what it shows was not read "
                "(run OCR on the PDF first)", Span(1, 1, 1, 1, number)))
        at += len(page.text)
        if number < len(pages):
            builder.put("\n", at, at + 1)  # the form feed between two pages
            at += 1
    source_map = builder.build(pages=starts, boxes=Boxes([page.boxes for page in pages]))
    return SourceText(builder.text(), source_map, "pdf", tuple(diagnostics))


PDF = Source("pdf", sniff, read)
"""The PDF source (needs pypdfium2: ``pip install 'xxgk[pdf]'``)."""


# --- Writing a page ---------------------------------------------------------------------


@attrs.define
class _Piece:
    """Characters of one line printed in one cell: target ``[start, end)``."""

    start: int
    end: int


@attrs.define
class _TableCell:
    box: Cell
    pieces: list[_Piece]


def _runs(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """The runs of printed characters of the line ``text[begin:end]``, split at white
    space (PDFium puts a space where a gap is wide): page offsets, end exclusive."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i in range(begin, end):
        if text[i].isspace():
            if start >= 0:
                runs.append((start, i))
                start = -1
        elif start < 0:
            start = i
    if start >= 0:
        runs.append((start, end))
    return runs


def _placed(page: PageText, runs: list[tuple[int, int]]
            ) -> tuple[list[tuple[int, int]], list[Cell | None]]:
    """The runs with the ruled cell each is printed in (``None`` outside any table); a
    run whose ends lie in two cells (no space between two cells) is split glyph by glyph."""
    if not page.rulings.horizontal:
        return runs, [None] * len(runs)
    placed: list[tuple[int, int]] = []
    cells: list[Cell | None] = []
    for run in runs:
        first = _cell_of(page, run[0])
        if run[1] - run[0] > 1 and _cell_of(page, run[1] - 1) != first:
            start = run[0]
            for i in range(run[0] + 1, run[1]):
                cell = _cell_of(page, i)
                if cell != first:
                    placed.append((start, i))
                    cells.append(first)
                    start, first = i, cell
            run = (start, run[1])
        placed.append(run)
        cells.append(first)
    return placed, cells


def _cell_of(page: PageText, index: int) -> Cell | None:
    box = page.boxes[index]
    if box is None:
        return None
    return page.rulings.cell_at((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


@attrs.frozen
class _Line:
    """One extracted line of a page: page offsets of its text and of the next line, its
    runs and their cells (``None`` outside any table)."""

    start: int
    stop: int
    following: int
    runs: list[tuple[int, int]]
    cells: list[Cell | None]

    @property
    def in_table(self) -> bool:
        return any(cell is not None for cell in self.cells)


def _lines(page: PageText) -> list[_Line]:
    text = page.text
    found: list[_Line] = []
    position = 0
    for match in (*_LINE_BREAK.finditer(text), None):
        if match is None and position >= len(text):
            break
        stop = len(text) if match is None else match.start()
        following = len(text) if match is None else match.end()
        runs, cells = _placed(page, _runs(text, position, stop))
        found.append(_Line(position, stop, following, runs, cells))
        position = following
    return found


def _wrapped(page: PageText, lines: list[_Line]) -> set[int]:
    """The prose lines a paragraph goes on from: a line that reaches the right margin
    (within a glyph's width of the page's rightmost prose line) and is followed by a
    prose line that does not open a numbered heading or item ("二、", "（三）", "1.")."""
    ends: dict[int, tuple[float, float]] = {}
    for k, line in enumerate(lines):
        if line.in_table or not line.runs:
            continue
        last = page.boxes[line.runs[-1][1] - 1]
        if last is not None:
            ends[k] = (last[2], last[2] - last[0])
    if not ends:
        return set()
    margin = max(right for right, _ in ends.values())
    wrapped = set()
    for k, (right, width) in ends.items():
        if right < margin - 1.5 * max(width, 4.0) or k + 1 not in ends:
            continue
        after = lines[k + 1]
        if not _NUMBERED.match(page.text, after.runs[0][0]):
            wrapped.add(k)
    return wrapped


def _footer_last(page: PageText, lines: list[_Line]) -> list[_Line]:
    """The lines in reading order: a page's first line that is printed below every other
    line (Word writes the footer "- 3 -" first) goes to the end of the page, so that a
    title opens the first page and a table broken by the page is not cut before its rows."""
    if len(lines) < 2 or lines[0].in_table or not lines[0].runs:
        return lines
    first = page.boxes[lines[0].runs[0][0]]
    lows = [page.boxes[run[0]] for line in lines[1:] for run in line.runs[:1]]
    if first is None or not lows or any(b is None or b[1] <= first[3] for b in lows):
        return lines
    return [*lines[1:], lines[0]]


def _arranged(pages: list[PageText]) -> list[tuple[list[_Line], int]]:
    """Each page's lines in reading order, and how many of them at its end are page
    furniture: the footer (see :func:`_footer_last`) and a running head, a first line
    printed alike on at least half of the pages (two at least), which goes after the page's
    content too, so that the title opens the report and a table goes on across the page."""
    found = []
    for page in pages:
        extracted = _lines(page)
        lines = _footer_last(page, extracted)
        found.append((page, lines, 0 if lines is extracted else 1))
    heads = Counter(_head(page, lines) for page, lines, _ in found)
    heads.pop(None, None)
    arranged = []
    for page, lines, furniture in found:
        head = _head(page, lines)
        if head is not None and heads[head] >= max(2, len(pages) / 2):
            lines, furniture = [*lines[1:], lines[0]], furniture + 1
        arranged.append((lines, furniture))
    return arranged


def _head(page: PageText, lines: list[_Line]) -> str | None:
    if not lines or lines[0].in_table:
        return None
    return page.text[lines[0].start:lines[0].stop].strip() or None


def _write_page(builder: SourceMapBuilder, page: PageText, offset: int, lines: list[_Line],
                furniture: int) -> None:
    """Append the page's text: prose as extracted (the lines of a paragraph wrapped at
    the right margin joined), ruled tables one row a line, then the page's furniture."""
    text = page.text
    wrapped = _wrapped(page, lines[:len(lines) - furniture])
    table: dict[Cell, _TableCell] = {}
    for k, line in enumerate(lines):
        if line.in_table:
            _add_line(table, line.runs, line.cells)
            continue
        if table:
            _write_table(builder, page, table, offset)
            table = {}
        _write_line(builder, text, line.start, line.stop, offset)
        if k not in wrapped:
            builder.put("\n", offset + line.stop, offset + line.following)
    if table:
        _write_table(builder, page, table, offset)


def _write_line(builder: SourceMapBuilder, text: str, begin: int, end: int,
                offset: int) -> None:
    """A prose line, copied; a tab in it is read as a space (tabs close table cells)."""
    line = text[begin:end]
    if "\t" not in line:
        builder.copy(line, offset + begin)
        return
    for k, char in enumerate(line):
        if char == "\t":
            builder.put(" ", offset + begin + k, offset + begin + k + 1)
        else:
            builder.copy(char, offset + begin + k)


def _add_line(table: dict[Cell, _TableCell], runs: list[tuple[int, int]],
              cells: list[Cell | None]) -> None:
    """File the runs of a table line under their cells (a run outside any cell goes with
    its neighbour's); the runs of one cell on one line are one piece, spaces included
    ("4.无正当理由大量反复 申请")."""
    previous: Cell = next(cell for cell in cells if cell is not None)
    on_line: dict[Cell, _Piece] = {}
    for run, found in zip(runs, cells, strict=True):
        cell = found or previous
        previous = cell
        piece = on_line.get(cell)
        if piece is not None:
            piece.end = run[1]
            continue
        piece = on_line[cell] = _Piece(*run)
        entry = table.get(cell)
        if entry is None:
            table[cell] = _TableCell(cell, [piece])
        else:
            entry.pieces.append(piece)


def _rows(table: dict[Cell, _TableCell]) -> list[list[_TableCell]]:
    """The table's cells grouped by the row their top edge starts, top to bottom."""
    ordered = sorted(table.values(), key=lambda c: (-c.box[3], c.box[0]))
    rows: list[list[_TableCell]] = []
    for cell in ordered:
        if rows and rows[-1][0].box[3] - cell.box[3] <= _SAME_ROW:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    for row in rows:
        row.sort(key=lambda c: c.box[0])
    return rows


def _empty_slots(page: PageText, row: list[_TableCell], left: float,
                 right: float) -> list[float]:
    """The x of empty ruled cells that start in ``row`` (their middle)."""
    top = row[0].box[3]
    bottom = max(cell.box[1] for cell in row)
    xs = page.rulings.crossings(left, right, (top + bottom) / 2)
    found = []
    for x0, x1 in pairwise(xs):
        middle = (x0 + x1) / 2
        if any(c.box[0] <= middle <= c.box[2] for c in row):
            continue
        if page.rulings.edge_over(top, middle):
            found.append(middle)
    return found


def _write_table(builder: SourceMapBuilder, page: PageText, table: dict[Cell, _TableCell],
                 offset: int) -> None:
    """The rows of a ruled table, one line each, every cell closed by a tab."""
    left = min(cell.box[0] for cell in table.values())
    right = max(cell.box[2] for cell in table.values())
    for row in _rows(table):
        slots: list[tuple[float, _TableCell | None]] = [(c.box[0], c) for c in row]
        slots += [(x, None) for x in _empty_slots(page, row, left, right)]
        slots.sort(key=lambda slot: slot[0])
        while slots and slots[0][1] is None:  # a row opens with its first printed cell
            slots.pop(0)
        point = offset + row[0].pieces[0].start
        for _, cell in slots:
            if cell is not None:
                for piece in cell.pieces:  # a tab inside a cell is read as a space
                    _write_line(builder, page.text, piece.start, piece.end, offset)
                point = offset + cell.pieces[-1].end
            builder.put("\t", point)
        builder.put("\n", point)
