"""Layouts: how a table's cells and rows are written down as text, read into a :class:`Grid`.

A *layout* knows only the written form of a table (a tab before each cell, a pipe after it,
one row per line ...), never which table it is. Given a *table block* (a range of the
normalised document that the document stage cut out), it yields a grid: rows of cells, each
cell with its text and exact offsets, plus the text it could not place (``problems``).

Built-in layouts, each a grammar in ``grammar/layouts/``:

``tab_cell``
    One cell per line opened by a tab, rows separated by blank lines (seeds 000-002).
``pipe_cell``
    One cell per line closed by ``" |"``, a line of pipes opening each row (seed 003).
``bar_row``
    One row per line, cells separated by ``" | "`` (seed 004).
``markdown``
    ``| a | b |`` rows under a ``|---|---|`` rule line.

:func:`read_grid` picks the layout whose ``detect`` scores the block highest (ties go to the
earlier layout in :func:`layouts`), :func:`read_grid_as` uses a named one. Neither raises on
bad input: what a layout cannot read becomes a problem of the grid.

Each layout also *claims* its own lines (``Layout.claims``): the document stage makes table
blocks of the lines the registered layouts claim, and of nothing else (tab_cell claims lines
opened by a tab, the pipe layouts lines with pipes).

Extending: a layout is a :class:`Layout` naming a ``.lark`` file that follows the grid
conventions (rules ``row``, ``cell``, ``error_<words>``; see :mod:`xxgk.layouts._engine`), or
a Python ``reader`` returning a :class:`Grid` (a *grid reader*), with a detector and the
lines it claims. Register it with :func:`register_layout`, or publish it under the entry
point group ``xxgk.layouts`` (the entry point yields a :class:`Layout` or a callable
returning one); entry points are loaded once, on first use, and a layout with an existing
name replaces it.
"""

from __future__ import annotations

import re
import warnings
from typing import Final

from lark import Lark

from ..grammars import lalr_parser
from ..registry import Registry
from . import _detect
from ._engine import PARSER_OPTIONS, parse_block
from ._model import Claims, Grid, GridCell, GridReader, Layout

__all__ = [
    "ENTRY_POINT_GROUP",
    "Claims",
    "Grid",
    "GridCell",
    "GridReader",
    "Layout",
    "layouts",
    "parser_for",
    "read_grid",
    "read_grid_as",
    "register_layout",
    "registry",
    "unregister_layout",
]

ENTRY_POINT_GROUP: Final = "xxgk.layouts"
"""The entry point group extension packages publish their layouts under."""

# The lines the built-in layouts claim. Pipe lines: one starting with a pipe (after
# spaces), one ending in a pipe (and white space), or one with two pipes.
_TAB_LINE: Final = re.compile(r" *\t")
_PIPE_LINE: Final = re.compile(r" *\||[^\n]*\|[^\S\n]*$|[^\n]*\|[^\n]*\|")

_BUILTIN: Final = (
    Layout("tab_cell", "layouts/tab_cell.lark", _detect.tab_cell, _TAB_LINE),
    Layout("pipe_cell", "layouts/pipe_cell.lark", _detect.pipe_cell, _PIPE_LINE),
    Layout("bar_row", "layouts/bar_row.lark", _detect.bar_row, _PIPE_LINE),
    Layout("markdown", "layouts/markdown.lark", _detect.markdown, _PIPE_LINE),
    Layout("pdf_row", "layouts/pdf_row.lark", _detect.pdf_row, _detect.PDF_ROW_LINE),
)


def _check(layout: Layout) -> None:
    """Build the parser of ``layout`` (cached for its first table), or raise
    :class:`ValueError` saying why it cannot be used."""
    if layout.reader is not None:
        if not callable(layout.reader):
            raise ValueError(f"layout {layout.name!r}: its reader is not callable")
        return
    try:
        parser_for(layout)
    except Exception as error:  # a missing file, a grammar error, an LALR conflict
        raise ValueError(f"layout {layout.name!r}: its grammar {layout.grammar!r} cannot be "
                         f"used: {type(error).__name__}: {error}") from error


registry: Final[Registry[Layout]] = Registry(Layout, ENTRY_POINT_GROUP, _BUILTIN,
                                             lambda layout: layout.name, _check)
"""The layouts in force: built-ins, then entry points, then registered ones."""


def register_layout(layout: Layout) -> None:
    """Add ``layout`` for :func:`read_grid` and :func:`read_grid_as`; same name replaces.

    A grammar layout's grammar is built first: a missing file or a grammar Lark cannot build
    as LALR raises :class:`ValueError` here, and nothing is registered. Registered layouts
    take precedence over entry points of the same name; a broken entry point is skipped
    with a ``RuntimeWarning``.
    """
    registry.register(layout)


def unregister_layout(name: str) -> None:
    """Remove the layout named ``name`` (nothing happens when there is none); a built-in
    one too, for a process that should not read that layout."""
    registry.unregister(name)


def _snapshot() -> dict[str, Layout]:
    """The layouts in force, entry points loaded (for worker processes)."""
    return registry.snapshot()


def _restore(layouts: dict[str, Layout]) -> None:
    registry.restore(layouts)


def layouts() -> tuple[Layout, ...]:
    """Every known layout: built-ins, then entry points and registered ones, in that order."""
    return registry.items()


def parser_for(layout: Layout) -> Lark:
    """The cached LALR parser of a grammar ``layout`` (built on first use; its tree is turned
    into a grid by the conventions of :mod:`xxgk.layouts._engine`)."""
    if layout.grammar is None:
        raise ValueError(f"layout {layout.name!r} is a grid reader: it has no grammar")
    return lalr_parser(layout.grammar, **PARSER_OPTIONS)


def _score(layout: Layout, block: str) -> float:
    try:
        return float(layout.detect(block))
    except Exception as exc:  # a broken detector scores nothing, it does not stop the parse
        warnings.warn(f"xxgk: detector of layout {layout.name!r} failed: {exc}",
                      RuntimeWarning, stacklevel=3)
        return 0.0


def _bounds(text: str, start: int, end: int | None) -> tuple[int, int]:
    size = len(text)
    start = min(max(start, 0), size)
    end = size if end is None else min(max(end, start), size)
    return start, end


def _read(layout: Layout, text: str, start: int, end: int) -> Grid:
    if layout.reader is None:
        return parse_block(layout.name, parser_for(layout), text, start, end)
    try:
        grid = layout.reader(text, start, end)
    except Exception as error:  # a reader must not stop the parse: its block is a problem
        return Grid(layout.name, (), ((start, end, f"layout {layout.name!r} failed: "
                                                    f"{type(error).__name__}: {error}"),))
    if not isinstance(grid, Grid):
        return Grid(layout.name, (), ((start, end, f"layout {layout.name!r} returned "
                                                    f"{type(grid).__name__}, not a Grid"),))
    return grid


def read_grid(text: str, start: int = 0, end: int | None = None) -> Grid | None:
    """Read the table block ``text[start:end]`` in the layout that detects it best.

    ``text`` is the whole normalised document, so that offsets in the grid are absolute;
    ``start`` should be at the start of a line. Returns ``None`` when no layout scores above 0.
    """
    start, end = _bounds(text, start, end)
    block = text[start:end]
    best: Layout | None = None
    best_score = 0.0
    for layout in layouts():
        score = _score(layout, block)
        if score > best_score:
            best, best_score = layout, score
    if best is None:
        return None
    return _read(best, text, start, end)


def read_grid_as(name: str, text: str, start: int = 0, end: int | None = None) -> Grid:
    """Read the table block ``text[start:end]`` in the layout called ``name``.

    Raises :class:`KeyError` for an unknown layout name (a caller's mistake); bad input never
    raises, it ends up in the grid's ``problems``.
    """
    layout = registry.get(name)
    if layout is None:
        raise KeyError(f"no layout named {name!r}; known: {', '.join(registry.names())}")
    start, end = _bounds(text, start, end)
    return _read(layout, text, start, end)
