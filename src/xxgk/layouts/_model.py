"""The records of the layout stage: :class:`GridCell`, :class:`Grid` and :class:`Layout`."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

import attrs

__all__ = ["Claims", "Grid", "GridCell", "GridReader", "Layout", "Problem"]

Problem = tuple[int, int, str]
"""``(start, end, message)``: text of a block that a layout could not place in its grid."""


@attrs.frozen(init=False)
class GridCell:
    """One cell of a grid: its text and where that text is in the normalised document.

    ``text`` is the cell's text without separators (the opening tab, the closing pipe) and
    surrounding whitespace; ``""`` for an empty cell. A cell printed over several lines keeps
    its inner line breaks (``"自\\n然\\n人"``), by this rule: the cell's lines, each stripped of
    spaces, tabs and pipes at both ends, blank ones dropped, joined with ``"\\n"``.

    ``start``/``end`` are absolute offsets into the full normalised text (not the block): for a
    one-line cell ``text == document[start:end]``; for a multi-line cell the slice runs from its
    first to its last character and the rule above turns the slice into ``text`` (if a line
    inside that slice was reported as a problem, that line is not part of the cell). An empty cell
    has ``start == end``, placed where its content would be: after the opening tab (and spaces),
    or just before the pipe that closes it.
    """

    text: str
    start: int
    end: int

    def __init__(self, text: str, start: int, end: int) -> None:
        # Written out (init=False): the slots' own setters, where the __init__ attrs
        # writes for a frozen class goes through object.__setattr__ for each field
        # (hundreds of cells per report).
        _set_text(self, text)
        _set_start(self, start)
        _set_end(self, end)


_set_text, _set_start, _set_end = (
    GridCell.__dict__[name].__set__ for name in ("text", "start", "end"))


@attrs.frozen
class Grid:
    """What a layout read from one table block: rows of cells, and what it could not read.

    ``rows`` keeps the printed order; a row has at least one cell (rows of only empty cells are
    kept, the template stage ignores them). ``problems`` are ``(start, end, message)`` with
    absolute offsets, in text order: text inside the block that is in no cell (a caption, a
    line the layout cannot read). Text of the block is either in a cell or in a problem.
    """

    layout: str
    rows: tuple[tuple[GridCell, ...], ...]
    problems: tuple[Problem, ...] = ()


def _path_text(grammar: str | os.PathLike[str] | None) -> str | None:
    return None if grammar is None else os.fspath(grammar)


Claims = re.Pattern[str] | Callable[[Sequence[str]], Iterable[int]]
"""Which lines of a document are a layout's table lines: a pattern matched at the start of
each line (``pattern.match(line)``; it must not cross a line break), or a function given the
document's non-blank lines (without line breaks, normalised) returning the indices of its own."""

GridReader = Callable[[str, int, int], Grid]
"""A layout written in Python: ``reader(text, start, end)`` reads the table block
``text[start:end]`` of the normalised document into a :class:`Grid` whose cells carry
absolute offsets into ``text`` (so that their spans point into the user's file). It must not
raise: what it cannot place goes into the grid's ``problems``."""


@attrs.frozen
class Layout:
    """A way of writing tables down as text: a name, a reader, a detector and its lines.

    The reader is either ``grammar``, a Lark grammar (a path relative to the package's
    ``grammar/`` folder, ``"layouts/tab_cell.lark"``, or an absolute path to a ``.lark``
    file: extensions live outside the package) that builds as LALR(1) and follows the grid
    conventions of :mod:`xxgk.layouts` (rules ``row``, ``cell``, ``error_<words>``; no
    transformer needed), or ``reader``, a :data:`GridReader` written in Python, for text
    whose cells a grammar would only restate. Exactly one of the two is given.

    ``detect`` scores a block's text from 0 (not this layout) to 1 (certainly this layout);
    it must be cheap (a regex or two) and must not raise.

    ``claims`` says which lines of a document are this layout's table lines (see
    :data:`Claims`); ``min_run`` how many claimed lines must stand together (blank lines
    between them do not count) before they are a table, so that a line of prose that
    happens to look like a row stays prose. The document stage cuts table blocks out of
    the lines the registered layouts claim, and nothing else: a layout without ``claims``
    only reads blocks other layouts' lines made.
    """

    name: str
    grammar: str | None = attrs.field(converter=_path_text)  # a Path is taken too
    detect: Callable[[str], float] = attrs.field(eq=False)
    claims: Claims | None = attrs.field(default=None, eq=False)
    min_run: int = 1
    reader: GridReader | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if (self.grammar is None) == (self.reader is None):
            raise ValueError(f"layout {self.name!r}: give a grammar or a reader (one of them)")
        if self.min_run < 1:
            raise ValueError(f"layout {self.name!r}: min_run must be at least 1")
