"""An HTML page as a light tree whose every piece of text knows its offset in the page.

:func:`build_tree` runs the standard library's :class:`html.parser.HTMLParser` over the
decoded page (with ``convert_charrefs=False``, so that text and each entity arrive
separately, each with its line and column) and builds a tree of :class:`Element` nodes
forgiving as browsers are: ``<p>``, ``<li>``, ``<td>``, ``<tr>`` close themselves, an end
tag with no open element is ignored, an end tag closes what is open inside it, whatever is
open at the end of a truncated page is closed there. Inline markup (``span``, ``font``,
``o:p`` …) makes no element unless it hides its text: a Word export's span soup costs
nothing after the parser. Text pieces are :class:`Text` values:
``(text, origin, end)`` where ``target[origin:end]`` is the markup they came from (the
text itself, or an entity such as ``&nbsp;`` standing for one character).

Each element knows whether it is *hidden* (its content no text): the ``hide`` rule given
to :func:`build_tree` is asked once, as the element opens. The :class:`Page` also lists
the text pieces, tables and ``<title>`` elements in document order, collected as it is
built.

The contract: building is linear in the size of the page (one pass of the parser, each
node pushed and popped once; end tags look back through the open elements at most
:data:`_MAX_LOOKBACK` deep); a declaration the parser refuses (it raises
``AssertionError`` for ``<![foo[``) is read as text and parsing goes on after it.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Final

__all__ = ["Attributes", "Element", "Hide", "Page", "Text", "build_tree", "line_starts"]

VOID: Final = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
"""Elements with no content and no end tag."""

_CLOSES_P: Final = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
})
"""Start tags that close an open ``<p>`` (HTML's "p in button scope", simplified)."""

INLINE: Final = frozenset({
    "span", "font", "o:p", "b", "strong", "i", "em", "u", "s", "strike", "small", "big", "sup",
    "sub", "a", "abbr", "cite", "code", "kbd", "mark", "q", "samp", "var", "label", "nobr",
    "st1:chsdate", "st1:chmetcnv", "st1:personname", "w:sdt", "tt", "ins", "del",
})
"""Markup within a line, which the tree leaves out (unless it hides its text): its text
is the text of the element around it, and its end tag closes nothing."""

_TABLE_PARTS: Final = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})
_MAX_LOOKBACK: Final = 64
_ROW_PARTS: Final = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_CELL_BOUNDS: Final = frozenset({"td", "th", "table"})


Attributes = dict[str, str | None]
"""An element's attributes (``None``: an attribute without a value, ``<td nowrap>``)."""
Hide = Callable[[str, Attributes, "Element"], bool]
"""Whether an element (tag, attributes, parent) is hidden, its content no text."""


def _never(tag: str, attrs: Attributes, parent: Element) -> bool:
    return False


class Text:
    """A run of text of the page: ``text`` stands for ``target[origin:end]`` (the same
    characters when ``end - origin == len(text)``, else an entity)."""

    __slots__ = ("end", "origin", "parent", "text")

    def __init__(self, text: str, origin: int, end: int, parent: Element) -> None:
        self.text = text
        self.origin = origin
        self.end = end
        self.parent = parent


class Element:
    """An element of the page: its tag (lower case), attributes, children (elements and
    text, in order), the offset of its start tag in the page, and whether it is hidden
    (by the ``hide`` rule given to :func:`build_tree`, or inside a hidden element)."""

    __slots__ = ("attrs", "children", "end", "hidden", "parent", "start", "tag")

    def __init__(self, tag: str, attrs: Attributes, start: int,
                 parent: Element | None, hidden: bool = False) -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.parent = parent
        self.hidden = hidden
        self.end = start  # where its content ends: set when it is closed
        self.children: list[Element | Text] = []

    def iter(self) -> list[Element]:
        """This element and every element inside it, in document order."""
        found: list[Element] = []
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(c for c in reversed(node.children) if isinstance(c, Element))
        return found


_LINE: Final = re.compile("\n")


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts (lines end at LF, as the HTML
    parser counts them)."""
    return [0, *(match.end() for match in _LINE.finditer(text))]


class _Builder(HTMLParser):
    """Feeds the parser's events into the tree."""

    def __init__(self, target: str, hide: Hide) -> None:
        super().__init__(convert_charrefs=False)
        self.target = target
        self.hide = hide
        self._line_starts = line_starts(target)
        self.root = Element("#root", {}, 0, None)
        self.texts: list[Text] = []
        self.tables: list[Element] = []
        self.titles: list[Element] = []
        self.stack: list[Element] = [self.root]
        self.base = 0
        self.base_line = 0
        self.inline_open = 0  # inline elements made (hiding their text) and not closed

    def _at(self) -> int:
        """The offset in the page of the parser's position (the parser counts lines and
        columns from where it was last fed: ``self.base``)."""
        line, column = self.getpos()
        if line == 1:
            return self.base + column
        return self._line_starts[self.base_line + line - 1] + column

    def resume(self, at: int) -> None:
        """Start the parser again at offset ``at`` of the page (the tree is kept)."""
        self.reset()
        self.base = at
        self.base_line = bisect_right(self._line_starts, at) - 1

    # --- the tree ------------------------------------------------------------------------

    def _close_through(self, index: int) -> None:
        at = self._at()
        for element in self.stack[index:]:
            element.end = at
        if self.inline_open:
            self.inline_open -= sum(1 for e in self.stack[index:] if e.tag in INLINE)
        del self.stack[index:]

    def _find(self, tags: frozenset[str] | set[str], stop: frozenset[str]) -> int | None:
        """The index in the stack of the nearest open element named in ``tags``, looking
        no further back than an element named in ``stop``."""
        for index in range(len(self.stack) - 1, max(len(self.stack) - _MAX_LOOKBACK, 0), -1):
            tag = self.stack[index].tag
            if tag in tags:
                return index
            if tag in stop:
                return None
        return None

    def _open(self, tag: str, attrs: Attributes, at: int, *, void: bool) -> None:
        if tag in INLINE:
            if not self.hide(tag, attrs, self.stack[-1]):
                return  # markup within a line: its text belongs to the element around it
            self.inline_open += 1
        if tag in _CLOSES_P:
            found = self._find({"p"}, frozenset({"td", "th", "table", "div", "li"}))
            if found is not None:
                self._close_through(found)
        if tag in ("td", "th"):
            found = self._find({"td", "th", "tr"}, frozenset({"table"}))
            if found is not None and self.stack[found].tag != "tr":
                self._close_through(found)
            if self.stack[-1].tag not in ("tr",):
                in_table = self._find({"table", "tbody", "thead", "tfoot"}, frozenset())
                if in_table is not None and in_table == len(self.stack) - 1:
                    self._push("tr", {}, at)  # a cell straight in a table: an implied row
        elif tag == "tr":
            found = self._find({"tr"}, frozenset({"table"}))
            if found is not None:
                self._close_through(found)
        elif tag in ("tbody", "thead", "tfoot"):
            found = self._find({"tbody", "thead", "tfoot", "tr"}, frozenset({"table"}))
            if found is not None:
                self._close_through(found)
        elif tag == "li":
            found = self._find({"li"}, frozenset({"ul", "ol", "td", "th", "table"}))
            if found is not None:
                self._close_through(found)
        if void:
            parent = self.stack[-1]
            parent.children.append(Element(tag, attrs, at, parent, parent.hidden))
        else:
            self._push(tag, attrs, at)

    def _push(self, tag: str, attrs: Attributes, at: int) -> None:
        parent = self.stack[-1]
        element = Element(tag, attrs, at, parent,
                          parent.hidden or self.hide(tag, attrs, parent))
        parent.children.append(element)
        self.stack.append(element)
        if tag == "table":
            self.tables.append(element)
        elif tag == "title":
            self.titles.append(element)

    def _text(self, text: str, origin: int, end: int) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], Text):
            last = children[-1]
            if last.end == origin and last.end - last.origin == len(last.text) \
                    and end - origin == len(text):
                last.text += text  # continues the run: one piece
                last.end = end
                return
        piece = Text(text, origin, end, self.stack[-1])
        children.append(piece)
        self.texts.append(piece)

    # --- parser events -------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE:
            # inline markup hides its text only by a style or the hidden attribute: when
            # it has neither, or a style with neither "none" nor "hidden" in it (the span
            # soup of a Word export), the rule need not be asked
            for name, value in attrs:
                if name == "hidden" or (name == "style" and value is not None
                                        and ("none" in value or "hidden" in value)):
                    break
            else:
                return
        self._open(tag, dict(attrs), self._at(), void=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, dict(attrs), self._at(), void=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE and not self.inline_open:
            return  # no inline element is open (they are made only when they hide text)
        if tag in VOID:
            if tag == "br":  # </br> is read as <br> by browsers
                self._open("br", {}, self._at(), void=True)
            return
        if tag == "table":
            stop: frozenset[str] = frozenset()
        elif tag in _TABLE_PARTS:
            stop = frozenset({"table"})
        else:  # </div> inside a cell closes nothing outside the cell
            stop = _CELL_BOUNDS
        found = self._find({tag}, stop)
        if found is not None and found > 0:
            self._close_through(found)

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag in _ROW_PARTS and data.isspace():
            return  # the source's layout between rows and cells: never text
        at = self._at()
        self._text(data, at, at + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference(name)

    def handle_charref(self, name: str) -> None:
        self._reference("#" + name)

    def _reference(self, name: str) -> None:
        at = self._at()
        end = at + 1 + len(name)
        if self.target.startswith(";", end):
            end += 1
        raw = self.target[at:end]
        self._text(html.unescape(raw), at, end)


class Page:
    """A page read: its tree, its text pieces in document order, its tables and
    ``<title>`` elements."""

    __slots__ = ("root", "tables", "texts", "titles")

    def __init__(self, root: Element, texts: list[Text], tables: list[Element],
                 titles: list[Element]) -> None:
        self.root = root
        self.texts = texts
        self.tables = tables
        self.titles = titles


def build_tree(target: str, hide: Hide = _never) -> Page:
    """The tree of the page ``target`` (see the module's contract); ``hide`` says which
    elements are hidden (computed once, as each element opens)."""
    builder = _Builder(target, hide)
    at = 0
    while True:
        try:
            builder.feed(target[at:] if at else target)
            builder.close()
        except AssertionError:
            # the parser refuses a declaration it cannot name (``<![foo[``, ``<!#``): that
            # "<!" is text, as browsers read it, and parsing goes on after it
            at = builder._at()
            builder.resume(at + 2)
            builder._text("<!", at, at + 2)
            at += 2
            continue
        for element in builder.stack:  # open at the end of the page: closed there
            element.end = len(target)
        return Page(builder.root, builder.texts, builder.tables, builder.titles)
