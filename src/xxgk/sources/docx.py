"""The Word source: a ``.docx`` report to text, every line named by its paragraph or cell.

A ``.docx`` file is a zip whose ``word/document.xml`` holds the body: paragraphs
(``w:p``) and tables (``w:tbl``) in order. It is read with the standard library
(:mod:`zipfile`, :mod:`xml.etree.ElementTree`): the body is all that is needed, and
reading it directly keeps merged cells as Word stores them (``w:gridSpan`` for a cell
spanning columns, ``w:vMerge`` for one spanning rows), where a document library would
hand back the merged cell once per grid position.

The text made (what ``xxgk text FILE.docx`` prints):

* a paragraph is a line (its runs' ``w:t`` text; ``w:tab`` a space, ``w:br`` a line
  break; deleted text, hidden text and field codes left out); empty paragraphs are
  skipped; content controls (``w:sdt``) around paragraphs, rows or cells are opened;
* a table is the *tab_cell* layout: one line per cell opened by a tab, the cell's further
  paragraphs as continuation lines, a blank line between rows; a cell merged with the one
  above it (``w:vMerge`` without ``restart``) is not repeated, so a merged cell appears
  once, where it starts, as an HTML ``rowspan`` cell does; a table inside a cell is read
  as lines of that cell (diagnostic W101).

Locations: the :class:`~xxgk.sources.SourceMap` target is that text itself, and its
``parts`` name where each stretch came from: ``"paragraph 12"`` (the 12th paragraph of
the body outside tables, empty ones counted) or ``"table 2, row 5, cell 3"`` (the 2nd
table of the body, its 5th row, its 3rd ``w:tc``, all counted from 1: a cell merged across
columns counts once, one merged down from the row above counts in every row it covers).
"""

from __future__ import annotations

import io
import zipfile
from typing import Final
from xml.etree import ElementTree

from ..errors import ParseError
from ..model import Diagnostic, Severity
from ._map import SourceMapBuilder
from ._model import Source, SourceText
from ._sniff import is_docx

__all__ = ["DOCX", "read_docx", "sniff_docx"]

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_TAB, _BR, _CR, _SDT, _VAL = f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}sdt", f"{_W}val"
_R, _VANISH, _CUSTOM = f"{_W}r", f"{_W}rPr/{_W}vanish", f"{_W}customXml"
_SKIP: Final = frozenset({f"{_W}del", f"{_W}instrText", f"{_W}delText", f"{_W}pPr",
                          f"{_W}rPr", f"{_W}tcPr", f"{_W}trPr", f"{_W}tblPr",
                          f"{_W}fldData", f"{_W}footnoteReference"})
_MAX_XML: Final = 200 * 1024 * 1024


def sniff_docx(data: bytes, name: str | None) -> float:
    """1 for a zip holding ``word/document.xml``, else 0."""
    return 0.95 if is_docx(data) else 0.0


def _body(data: bytes, name: str | None) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > _MAX_XML:
                raise ParseError(f"a Word file whose text is {info.file_size} bytes: too large "
                                 "to read", source=name)
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise ParseError(f"a damaged Word (.docx) file: {error}", source=name) from None
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise ParseError("a Word file with a DOCTYPE in its XML, which Word never writes: "
                         "not read", source=name)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise ParseError(f"a damaged Word (.docx) file: word/document.xml is not "
                         f"well-formed XML ({error})", source=name) from None
    body = root.find(f"{_W}body")
    if body is None:
        raise ParseError("a Word (.docx) file with no document body", source=name)
    return body


def _lines(paragraph: ElementTree.Element) -> list[str]:
    """The lines of a paragraph: its text, split at ``w:br``/``w:cr``, white space as in
    the file (tabs as spaces), without the empty ones."""
    lines: list[str] = [""]
    stack = [paragraph]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == _T:
            lines[-1] += (node.text or "").replace("\t", " ")
        elif tag == _TAB:
            lines[-1] += " "
        elif tag in (_BR, _CR):
            lines.append("")
        elif tag == _R and node.find(_VANISH) is not None:
            continue  # hidden text
        elif tag not in _SKIP:
            stack.extend(reversed(list(node)))
    return [line.strip() for line in lines if line.strip()]


def _blocks(container: ElementTree.Element) -> list[ElementTree.Element]:
    """The paragraphs and tables of a body or cell, content controls (``w:sdt``) opened."""
    found: list[ElementTree.Element] = []
    for child in container:
        if child.tag in (_P, _TBL):
            found.append(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                found.extend(_blocks(content))
    return found


def _opened(container: ElementTree.Element, tag: str) -> list[ElementTree.Element]:
    """The children of ``container`` named ``tag``, looking inside content controls
    (``w:sdt``) and custom XML (``w:customXml``) that wrap rows or cells."""
    found: list[ElementTree.Element] = []
    for child in container:
        if child.tag == tag:
            found.append(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                found.extend(_opened(content, tag))
        elif child.tag == _CUSTOM:
            found.extend(_opened(child, tag))
    return found


def _continues(cell: ElementTree.Element) -> bool:
    """Whether ``cell`` is merged with the cell above (``w:vMerge`` not restarting)."""
    merge = cell.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(_VAL, "continue") != "restart"


class _Text:
    """The text being made and the parts its lines belong to."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.parts: list[tuple[int, str]] = []
        self.diagnostics: list[Diagnostic] = []

    def add(self, text: str, part: str | None = None) -> None:
        if part is not None:
            self.parts.append((self.length, part))
        self.pieces.append(text)
        self.length += len(text)

    def cell_lines(self, cell: ElementTree.Element, where: str) -> list[str]:
        lines: list[str] = []
        for block in _blocks(cell):
            if block.tag == _P:
                lines.extend(_lines(block))
                continue
            self.diagnostics.append(Diagnostic(
                "W101", Severity.WARNING,
                f"a table inside a table cell ({where}): its cells were read as lines of "
                "that cell"))
            for row in _opened(block, _TR):
                for inner in _opened(row, _TC):
                    lines.extend(self.cell_lines(inner, where))
        return lines

    def table(self, table: ElementTree.Element, number: int) -> None:
        self.add("\n")
        first = True
        for r, row in enumerate(_opened(table, _TR), 1):
            cells = [(c, cell) for c, cell in enumerate(_opened(row, _TC), 1)
                     if not _continues(cell)]
            if not cells:
                continue
            if not first:
                self.add("\n")
            first = False
            for c, cell in cells:
                where = f"table {number}, row {r}, cell {c}"
                lines = self.cell_lines(cell, where)
                self.add("\t" + "\n".join(lines) + "\n", where)
        self.add("\n")


def read_docx(data: bytes, name: str | None) -> SourceText:
    """The report in a ``.docx`` file (see the module's docstring); :class:`ParseError`
    for a damaged file."""
    body = _body(data, name)
    made = _Text()
    paragraphs = tables = 0
    for block in _blocks(body):
        if block.tag == _P:
            paragraphs += 1
            lines = _lines(block)
            if lines:
                made.add("\n".join(lines) + "\n", f"paragraph {paragraphs}")
        else:
            tables += 1
            made.table(block, tables)
    text = "".join(made.pieces)
    if not text.strip():
        raise ParseError("no text in this Word file", source=name)
    builder = SourceMapBuilder(text)
    builder.copy(text, 0)
    return SourceText(text, builder.build(parts=made.parts), "docx", tuple(made.diagnostics))


DOCX: Final = Source("docx", sniff_docx, read_docx)
"""Word files (``.docx``), read with the standard library."""
