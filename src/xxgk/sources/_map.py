"""The map from a source's text (what the grammars read) back to the user's file.

A :class:`SourceMap` is a sorted list of *pieces*. Piece ``k`` covers the source text
``[starts[k], starts[k + 1])`` and came from the target text ``[origins[k], ends[k])``:

* when both have the same length the piece was copied, character for character;
* otherwise every character of the piece maps to the whole target range (an entity
  ``&nbsp;`` read as one space, a tab the source put between two cells, mapping to the
  point where the cell boundary is: ``origins[k] == ends[k]``).

The *target* is the text the user can open at a line and column: the decoded HTML file,
the extracted text of a PDF's pages (``pages`` holds where each page starts: lines
count from 1 on every page), the text ``xxgk text`` prints for a Word file. ``boxes``
(PDF) gives each target character's box; ``parts`` (Word) names the table cell or
paragraph each target range belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

import attrs

from ..model import Span

__all__ = ["Box", "SourceMap", "SourceMapBuilder"]

Box = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` in PDF points, origin at the bottom left of the page."""

_MAX_LINE_TEXT = 400


@attrs.frozen(eq=False)
class SourceMap:
    """Maps source-text offsets to :class:`~xxgk.model.Span` objects in the user's file.

    Build one with :class:`SourceMapBuilder`. ``target`` is the text the locations count
    in; ``pages`` the target offsets at which pages 2, 3 … start (empty: no pages);
    ``boxes`` one box (or ``None`` for white space) per target character, or empty;
    ``parts`` ``(target offset, name)`` pairs, sorted, naming what starts there.
    """

    starts: tuple[int, ...]
    origins: tuple[int, ...]
    ends: tuple[int, ...]
    length: int
    target: str = attrs.field(repr=False)
    line_starts: tuple[int, ...] = attrs.field(repr=False)
    pages: tuple[int, ...] = ()
    boxes: Sequence[Box | None] = attrs.field(default=(), repr=False)
    parts: tuple[tuple[int, str], ...] = attrs.field(default=(), repr=False)

    def target_range(self, start: int, end: int) -> tuple[int, int]:
        """The target range ``[begin, stop)`` that source ``[start, end)`` came from."""
        if not 0 <= start <= end <= self.length:
            raise IndexError(f"source range {start}..{end} out of range 0..{self.length}")
        begin = self._origin(start, last=False)
        if end == start:
            return begin, begin
        return begin, max(begin, self._origin(end - 1, last=True))

    def _origin(self, index: int, *, last: bool) -> int:
        if index >= self.length:
            return self.ends[-1] if self.ends else 0
        k = bisect_right(self.starts, index) - 1
        origin, stop = self.origins[k], self.ends[k]
        size = (self.starts[k + 1] if k + 1 < len(self.starts) else self.length) - self.starts[k]
        if stop - origin == size:  # copied: one for one
            at = origin + index - self.starts[k]
            return at + 1 if last else at
        return stop if last else origin

    def page_of(self, offset: int) -> int:
        """The 1-based page of target ``offset`` (1 when the target has no pages)."""
        return bisect_right(self.pages, offset) + 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of target ``offset``, lines counted on its page."""
        line = bisect_right(self.line_starts, offset)
        if self.pages:
            page = self.page_of(offset)
            if page > 1:
                line -= bisect_right(self.line_starts, self.pages[page - 2] - 1)
        return line, offset - self.line_starts[bisect_right(self.line_starts, offset) - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The :class:`Span` in the user's file of source text ``[start, end)``."""
        begin, stop = self.target_range(start, end)
        line, column = self.position(begin)
        # the end is placed on the start's page: a span never reads "page 3 … page 4"
        end_line, end_column = self.position(stop) if stop > begin else (line, column)
        page = self.page_of(begin) if self.pages or self.boxes else None
        if page is not None and self.pages and stop > begin and self.page_of(stop - 1) != page:
            end_line, end_column = self.position(self._page_end(page))
        return Span(line, column, end_line, end_column, page, self._box(begin, stop),
                    self._part(begin))

    def _page_end(self, page: int) -> int:
        return self.pages[page - 1] - 1 if page <= len(self.pages) else len(self.target)

    def _box(self, begin: int, stop: int) -> Box | None:
        if not self.boxes:
            return None
        found = [box for box in self.boxes[begin:max(stop, begin + 1)] if box is not None]
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        x0, y0, x1, y1 = zip(*found, strict=True)
        return (min(x0), min(y0), max(x1), max(y1))

    def point(self, start: int) -> tuple[int, int]:
        """``(line, column)`` of ``span(start, start)``, without making the span."""
        return self.position(self.target_range(start, start)[0])

    def _part(self, offset: int) -> str | None:
        if not self.parts:
            return None
        k = bisect_right(self.parts, (offset, "\U0010ffff")) - 1
        return self.parts[k][1] if k >= 0 else None

    @property
    def line_count(self) -> int:
        """How many lines the target has (on its longest page, for a paged target)."""
        if not self.pages:
            return len(self.line_starts)
        bounds = (0, *self.pages, len(self.target) + 1)
        return max(bisect_right(self.line_starts, b - 1) - bisect_right(self.line_starts, a - 1)
                   for a, b in pairwise(bounds))

    def line_text(self, span: Span) -> str:
        """The target line ``span`` starts on, without its line break (cut a little after
        the span when the line is very long, as a minified page's)."""
        line = span.line
        if self.pages and (span.page or 1) > 1:
            line += bisect_right(self.line_starts, self.pages[(span.page or 1) - 2] - 1)
        if not 1 <= line <= len(self.line_starts):
            return ""
        begin = self.line_starts[line - 1]
        stop = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.target)
        text = self.target[begin:stop].rstrip("\r\f")
        # a minified page is one long line: keep what a rendered diagnostic can show
        limit = max(span.column, span.end_column if span.end_line == span.line else 0)
        return text if len(text) <= limit + _MAX_LINE_TEXT else text[:limit + _MAX_LINE_TEXT]


_BREAK = re.compile("[\n\f]")


def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line of ``text`` starts: after each LF, and after each form feed (a page
    break of a PDF's text)."""
    return (0, *(match.end() for match in _BREAK.finditer(text)))


class SourceMapBuilder:
    """Builds a source text and its :class:`SourceMap` together, piece by piece.

    ``copy`` appends text copied from the target at an offset; ``put`` appends text the
    source made (a tab between cells, a line break between rows) or text that stands for
    a longer target range (an entity), mapped to that range. Adjacent copied pieces that
    continue each other are merged, so the map stays short.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._text: list[str] = []
        self._length = 0
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._ends: list[int] = []

    @property
    def length(self) -> int:
        """The length of the source text built so far."""
        return self._length

    def copy(self, text: str, origin: int) -> None:
        """Append ``text``, which is ``target[origin:origin + len(text)]``."""
        if not text:
            return
        if (self._ends and self._ends[-1] == origin
                and self._ends[-1] - self._origins[-1] == self._length - self._starts[-1]):
            self._ends[-1] = origin + len(text)  # continues the last copied piece
        else:
            self._starts.append(self._length)
            self._origins.append(origin)
            self._ends.append(origin + len(text))
        self._text.append(text)
        self._length += len(text)

    def put(self, text: str, origin: int, end: int | None = None) -> None:
        """Append ``text`` made by the source, standing for ``target[origin:end]`` (a
        point at ``origin`` when ``end`` is not given)."""
        if not text:
            return
        stop = origin if end is None else end
        if stop - origin == len(text):  # as long as what it stands for: mapped one for one
            self.copy(text, origin)
            return
        self._starts.append(self._length)
        self._origins.append(origin)
        self._ends.append(stop)
        self._text.append(text)
        self._length += len(text)

    def text(self) -> str:
        """The source text built so far."""
        return "".join(self._text)

    def build(self, *, pages: Sequence[int] = (), boxes: Sequence[Box | None] = (),
              parts: Sequence[tuple[int, str]] = ()) -> SourceMap:
        """The map of the text built so far (see :class:`SourceMap` for the options)."""
        if not self._starts:
            self._starts.append(0)
            self._origins.append(0)
            self._ends.append(0)
        return SourceMap(tuple(self._starts), tuple(self._origins), tuple(self._ends),
                         self._length, self.target, _line_starts(self.target), tuple(pages),
                         boxes, tuple(sorted(parts)))
