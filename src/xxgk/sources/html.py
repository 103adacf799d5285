"""The HTML source: a report published as a web page (or a fragment of one) to text.

Reading a page:

1. **bytes → text.** UTF-8 or GB18030 (GBK, GB2312) as :func:`xxgk.decode.decode` finds
   them; a page whose ``<meta charset>`` declares another encoding (Big5 …) is decoded in
   it when it is not valid UTF-8 and decodes in it.
2. **text → tree.** The standard library's :mod:`html.parser` (see :mod:`.html_tree`).
3. **the report's body.** Page furniture never becomes text: scripts, styles, forms'
   controls, frames, hidden elements and navigation (``nav``, ``aside``, a ``header`` or
   ``footer`` outside the article) are dropped everywhere, and the report is the
   smallest element holding its *markers* — the section titles (总体情况, 主动公开政府信息情况
   …) and the statistical tables (a ``<table>`` with 信息内容, 申请人情况, 行政复议 …).
   Navigation, side columns and footers lie outside it. The report's title, when it
   stands before that element (``div.article_title``), is read from there (else from
   ``<title>``). A page with no markers is read whole (diagnostic H101).
4. **tree → lines.** Block elements (``p``, ``div``, ``h1`` …, ``li``) and ``<br>`` end
   lines; white space runs (``&nbsp;`` included) are one space; inline markup (``span``,
   ``font``, ``o:p`` …) is dropped. A ``<table>`` becomes the *tab_cell* layout: one line
   per cell opened by a tab, a cell's further lines (its ``<p>``, ``<br>``) as
   continuation lines, a blank line between rows, a spanned cell once where it starts.
   A table inside a table cell is read as lines of that cell (diagnostic H102), unless
   the outer table only lays out the page (it holds tables and no statistics of its own,
   as on old sites built of tables): then its cells are blocks of text.

Every character of the text is copied from the page at its offset, or (a tab, a line
break, an entity) put at the place it stands for, so that every
:class:`~xxgk.model.Span` is the line and column in the page as it is on disk.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from ..decode import decode
from ..errors import ParseError
from ..model import Diagnostic, Severity, Span
from ._map import SourceMapBuilder
from ._model import Source, SourceText
from .html_tree import Attributes, Element, Page, Text, build_tree

__all__ = ["HTML", "read_html", "sniff_html"]

# --- sniffing -----------------------------------------------------------------------------

_EXTENSIONS: Final = (".html", ".htm", ".shtml", ".xhtml", ".mht")
_DOCTYPE: Final = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                             re.IGNORECASE | re.DOTALL)
_TAG: Final = re.compile(rb"<\s*/?\s*(?:html|head|body|table|tr|td|th|p|div|span|br|meta|font)"
                         rb"\b[^>\n]*>", re.IGNORECASE)
_SNIFF_BYTES: Final = 4096
_MIN_TAGS: Final = 3


def sniff_html(data: bytes, name: str | None) -> float:
    """How surely ``data`` is an HTML page or fragment: a doctype or ``<html>`` at the
    start, else tags (``<p>``, ``<td>`` …) among its first 4 KB, else its name (an
    ``.html`` file with a ``<`` anywhere)."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    if _DOCTYPE.match(head):
        return 0.95
    tags = sum(1 for _ in zip(range(_MIN_TAGS), _TAG.finditer(head), strict=False))
    if tags >= _MIN_TAGS:
        return 0.8
    if name and name.lower().endswith(_EXTENSIONS) and (tags or b"<" in data):
        return 0.6
    return 0.0


# --- decoding -----------------------------------------------------------------------------

_CHARSET: Final = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)",
                             re.IGNORECASE)
_GB_OR_UTF: Final = ("gb2312", "gbk", "gb18030", "utf-8", "utf-16", "utf-32", "euc-cn",
                     "hz-gb-2312", "ascii", "latin-1", "iso8859-1", "cp1252")


def _declared(data: bytes) -> str | None:
    """The encoding a ``<meta>`` in the page's first 4 KB declares (the prescan browsers
    do on bytes before any parsing), normalised by :mod:`codecs`; ``None`` when none or
    unknown."""
    match = _CHARSET.search(data[:_SNIFF_BYTES])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_page(data: bytes, name: str | None) -> str:
    """The page's text: as :func:`xxgk.decode.decode` reads it (UTF-8, else GB18030 for
    GBK/GB2312 pages whatever their ``<meta>`` says), unless the ``<meta>`` declares
    another encoding (Big5 …) and the bytes, not valid UTF-8, decode in it."""
    declared = _declared(data)
    if declared is not None and declared not in _GB_OR_UTF and not _utf8(data):
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            return text.removeprefix("\ufeff")
    return decode(data, name)


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (then it is UTF-8, whatever a ``<meta>`` says: text
    in another encoding is almost never valid UTF-8, and a page re-saved as UTF-8 often
    keeps its old declaration)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- finding the report -------------------------------------------------------------------

_SKIP: Final = frozenset({
    "script", "style", "noscript", "template", "head", "title", "iframe", "frame", "frameset",
    "svg", "math", "select", "option", "textarea", "button", "object", "embed", "canvas",
    "audio", "video", "map", "input",
})
"""Elements whose content is never report text."""
_CHROME: Final = frozenset({"nav", "aside"})
_TITLE_WINDOW: Final = 3
_HIDDEN: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MARKER_TEXT: Final = re.compile(
    r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请|政府信息公开行政.{0,2}复议|"
    r"存在的?主要问题|其他需要报告的事项|本年新收政府信息公开申请|第二十条第"
)
_TABLE_WORDS: Final = re.compile(r"信息内容|申请人情况|行政复议|本年新收|本年制发|第二十条")
_TITLE: Final = re.compile(r"[^\s|_—–-]{0,40}政府信息公开[^\s|_—–-]{0,16}?报告")
_MAX_MARKERS: Final = 200
_WITHIN_BLOCK: Final = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "font", "b", "strong", "i", "em", "u",
    "a", "li", "tr", "tbody", "thead", "tfoot", "o:p", "label", "small", "big", "sup", "sub",
})


def _hide(tag: str, attrs: Attributes, parent: Element) -> bool:
    """Whether an element holds no report text: a script, style, control or hidden
    element, or the site's navigation (``nav``, ``aside``, and a ``header``/``footer``
    that is not inside an ``article`` or ``main``)."""
    if tag in _SKIP or tag in _CHROME or "hidden" in attrs:
        return True
    style = attrs.get("style")
    if style and ("none" in style or "hidden" in style) and _HIDDEN.search(style):
        return True
    if tag in ("header", "footer"):
        node: Element | None = parent
        while node is not None:
            if node.tag in ("article", "main"):
                return False
            node = node.parent
        return True
    return False


def _ancestors(element: Element) -> list[Element]:
    chain = []
    node: Element | None = element
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def _common(elements: list[Element]) -> Element:
    """The lowest element that holds all of ``elements``."""
    chain = _ancestors(elements[0])
    depth = {id(e): k for k, e in enumerate(chain)}
    lowest = 0
    for element in elements[1:]:
        node: Element | None = element
        while node is not None and id(node) not in depth:
            node = node.parent
        if node is not None:
            lowest = max(lowest, depth[id(node)])
    return chain[lowest]


def find_report(page: Page) -> Element | None:
    """The element that holds the report (``None``: no report markers in the page)."""
    markers: list[Element] = []
    for piece in page.texts:
        if not piece.parent.hidden and _MARKER_TEXT.search(piece.text):
            markers.append(piece.parent)
            if len(markers) >= _MAX_MARKERS:
                break
    statistical = {id(e) for e in page.tables
                   if not e.hidden and _TABLE_WORDS.search(_own_text(e))}
    markers.extend(e for e in page.tables if id(e) in statistical)
    if not markers:
        return None
    body = _common(markers)
    # inside a statistical table (the only markers were in it): the report is around it
    chain = _ancestors(body)
    outer = next((e for e in reversed(chain) if id(e) in statistical), None)
    if outer is not None and outer.parent is not None:
        body = outer.parent
    # a paragraph or a run of text (one marker): the report is the block holding it
    while body.tag in _WITHIN_BLOCK and body.parent is not None:
        body = body.parent
    return body


def _blocks_of(page: Page) -> list[list[Text]]:
    """The visible text pieces of the page grouped by the element holding them, in order:
    inline markup makes no element, so a group is the text of one paragraph, cell or
    heading, however many spans it was written in."""
    groups: list[list[Text]] = []
    for piece in page.texts:
        if piece.parent.hidden:
            continue
        if groups and groups[-1][0].parent is piece.parent:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _is_title(group: list[Text]) -> bool:
    text = "".join(p.text for p in group).strip()
    return bool(text) and _TITLE.fullmatch(_WHITE.sub("", text)) is not None


def _title_before(body: Element, page: Page) -> list[Text] | Text | None:
    """The report's title when it stands outside ``body``: the last visible block before
    it that is a title (its text pieces), else the page's ``<title>`` (its text piece);
    ``None`` when the body opens with a title."""
    inside = 0
    before = None
    for group in _blocks_of(page):
        if not "".join(p.text for p in group).strip():
            continue
        if group[0].origin >= body.start:
            if _is_title(group):
                return None
            inside += 1
            if inside >= _TITLE_WINDOW:
                break
        elif _is_title(group):
            before = group
    if before is not None:
        return before
    for element in page.titles[:1]:
        texts = [c for c in element.children if isinstance(c, Text)]
        if texts and _TITLE.search(texts[0].text) and \
                texts[0].end - texts[0].origin == len(texts[0].text):
            return texts[0]
    return None


# --- writing lines ------------------------------------------------------------------------

_BLOCK: Final = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "ul",
})
_WHITE: Final = re.compile(r"[ \t\n\r\f\u00a0\u200b]+")
_Piece = tuple[str, int, int]


class _Cell:
    __slots__ = ("lines", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.lines: list[list[_Piece]] = []


class _Writer:
    """Turns the report's elements into lines of text through a :class:`SourceMapBuilder`."""

    def __init__(self, target: str) -> None:
        self.out = SourceMapBuilder(target)
        self.line: list[_Piece] = []
        self.space: tuple[int, int] | None = None
        self.rows: list[list[_Cell]] | None = None  # the table being read
        self.cell: _Cell | None = None
        self.depth = 0  # tables open (a nested one is read as lines of its cell)
        self.diagnostics: list[Diagnostic] = []
        self.nested: list[int] = []

    # text within a line
    def text(self, piece: Text) -> None:
        if piece.end - piece.origin != len(piece.text):  # an entity
            if _WHITE.fullmatch(piece.text):
                self._space(piece.origin, piece.end)
            elif piece.text:
                self._word(piece.text, piece.origin, piece.end)
            return
        text = piece.text
        if _WHITE.search(text) is None:  # the usual cell text: one word
            self._word(text, piece.origin, piece.end)
            return
        at = 0
        for match in _WHITE.finditer(text):
            if match.start() > at:
                self._word(text[at:match.start()], piece.origin + at,
                           piece.origin + match.start())
            self._space(piece.origin + match.start(), piece.origin + match.end())
            at = match.end()
        if at < len(text):
            self._word(text[at:], piece.origin + at, piece.origin + len(text))

    def _space(self, origin: int, end: int) -> None:
        if self.line:
            self.space = (origin, end) if self.space is None else (self.space[0], end)

    def _word(self, text: str, origin: int, end: int) -> None:
        if self.space is not None:
            self.line.append((" ", *self.space))
            self.space = None
        self.line.append((text, origin, end))

    def _emit(self, pieces: list[_Piece]) -> None:
        for text, origin, end in pieces:
            self.out.put(text, origin, end)

    def end_line(self, at: int) -> None:
        """End the line being written (nothing when it is empty)."""
        line, self.line, self.space = self.line, [], None
        if not line:
            return
        if self.cell is not None:
            self.cell.lines.append(line)
            return
        if self.rows is not None:  # text in a table outside its cells: a cell of its own
            if not self.rows:
                self.rows.append([])
            stray = _Cell(line[0][1])
            stray.lines.append(line)
            self.rows[-1].append(stray)
            return
        self._emit(line)
        self.out.put("\n", at)

    def blank(self, at: int) -> None:
        self.out.put("\n", at)

    # tables
    def open_table(self, element: Element) -> None:
        self.end_line(element.start)
        self.depth += 1
        if self.depth == 1:
            self.rows = []
            self.blank(element.start)
        else:
            self.nested.append(element.start)

    def close_table(self, at: int) -> None:
        self.end_line(at)
        self.depth -= 1
        if self.depth == 0 and self.rows is not None:
            self._write_table(self.rows)
            self.rows = None
            self.blank(at)

    def open_row(self, element: Element) -> None:
        if self.depth == 1 and self.rows is not None:
            self.rows.append([])
        else:
            self.end_line(element.start)

    def open_cell(self, element: Element) -> None:
        if self.depth == 1 and self.rows is not None:
            if not self.rows:
                self.rows.append([])
            self.end_line(element.start)
            self.cell = _Cell(element.start)
            self.rows[-1].append(self.cell)
        else:
            self.end_line(element.start)

    def close_cell(self, at: int) -> None:
        self.end_line(at)
        if self.depth == 1:
            self.cell = None

    def _write_table(self, rows: list[list[_Cell]]) -> None:
        first = True
        for row in rows:
            if not row:
                continue  # a row all of whose cells are spanned from above
            if not first:
                self.blank(row[0].start)
            first = False
            for cell in row:
                lines = cell.lines
                self.out.put("\t", lines[0][0][1] if lines else cell.start)
                for k, line in enumerate(lines):
                    if k:
                        self.out.put("\n", line[0][1])
                    self._emit(line)
                self.out.put("\n", lines[-1][-1][2] if lines else cell.start)


def _own_text(table: Element) -> str:
    """The text of ``table`` outside the tables nested in it."""
    parts: list[str] = []
    stack: list[Element | Text] = list(reversed(table.children))
    while stack:
        node = stack.pop()
        if isinstance(node, Text):
            parts.append(node.text)
        elif node.tag != "table":
            stack.extend(reversed(node.children))
    return "".join(parts)


def holding_tables(page: Page) -> set[int]:
    """The ids of the page's tables that have a table inside them (each table walks up
    to the nearest table around it: linear for tables nested in tables)."""
    found: set[int] = set()
    for table in page.tables:
        node = table.parent
        while node is not None and node.tag != "table":
            node = node.parent
        if node is not None:
            found.add(id(node))
    return found


def _write(body: Element, writer: _Writer, holding: set[int]) -> None:
    """Walk ``body`` in document order (without recursion: pages nest deep). A layout
    table's rows and cells are blocks of text; a data table's are the table's."""
    stack: list[tuple[Element | Text, bool]] = [(body, False)]
    owners: list[bool] = []  # for each table open: is it a layout table
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Text):
            writer.text(node)
            continue
        tag = node.tag
        layout = not owners or owners[-1]
        if leaving:
            end = node.end
            if tag == "table":
                if owners.pop():
                    writer.end_line(end)
                else:
                    writer.close_table(end)
            elif tag in ("td", "th") and not layout:
                writer.close_cell(end)
            elif tag in ("tr", "td", "th") or tag in _BLOCK:
                writer.end_line(end)
            continue
        if node is not body and node.hidden:
            continue
        if tag == "br":
            writer.end_line(node.start)
            continue
        if tag == "table":
            # a layout table: it holds tables, and no statistics of its own (old sites
            # put the whole page in one)
            owners.append(writer.depth == 0 and id(node) in holding
                          and not _TABLE_WORDS.search(_own_text(node)))
            if owners[-1]:
                writer.end_line(node.start)
            else:
                writer.open_table(node)
        elif tag == "tr" and not layout:
            writer.open_row(node)
        elif tag in ("td", "th") and not layout:
            writer.open_cell(node)
        elif tag in ("tr", "td", "th") or tag in _BLOCK:
            writer.end_line(node.start)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children))


# --- the source ---------------------------------------------------------------------------


def read_html(data: bytes, name: str | None) -> SourceText:
    """The report in an HTML page (see the module's docstring); :class:`ParseError`
    only for bytes that are no text."""
    target = decode_page(data, name)
    page = build_tree(target, _hide)
    body = find_report(page)
    writer = _Writer(target)
    if body is None:
        body = next((e for e in page.root.iter() if e.tag == "body"), page.root)
        writer.diagnostics.append(Diagnostic(
            "H101", Severity.WARNING,
            "no report found in this page (no section title and no statistical table): "
            "its whole text was read"))
    else:
        title = _title_before(body, page)
        if isinstance(title, list):  # a block before the report: read as it is written
            for piece in title:
                writer.text(piece)
            writer.end_line(title[-1].end)
            writer.blank(title[-1].end)
        elif title is not None:  # the page's <title>: the title in it
            match = _TITLE.search(title.text)
            assert match is not None
            writer.out.copy(match.group(), title.origin + match.start())
            writer.out.put("\n\n", title.origin + match.end())
    _write(body, writer, holding_tables(page))
    writer.end_line(len(target))
    made = writer.out.build()
    diagnostics = list(writer.diagnostics)
    for at in writer.nested:
        line, column = made.position(at)
        diagnostics.append(Diagnostic(
            "H102", Severity.WARNING,
            "a table inside a table cell: its cells were read as lines of that cell",
            Span(line, column, line, column + 6)))
    if not writer.out.length:
        raise ParseError("no text in this HTML page", source=name)
    return SourceText(writer.out.text(), made, "html", tuple(diagnostics))


HTML: Final = Source("html", sniff_html, read_html)
"""Web pages and fragments of them (``.html``, ``.htm``, or markup by content)."""
