"""Running a layout grammar over a table block: the grid conventions and error recovery.

Every layout grammar follows the same conventions, so one conversion of the parse tree serves
them all (and an extension layout needs only its ``.lark`` file):

* a rule (or alias) named ``row`` is one grid row; its children are its cells, in order;
* a rule (or alias) named ``cell`` is one cell; its tokens are the pieces of the cell as
  printed (its lines, its closing pipe). The cell's text is built from them by the rule of
  :class:`~xxgk.layouts.GridCell`: each token stripped of spaces, tabs and pipes at both ends,
  empty ones dropped, the rest joined with ``"\\n"``; offsets come from the tokens. When every
  token strips to nothing the cell is empty and sits after the leading spaces/tabs of its first
  token (for a closing pipe token: just before the pipe);
* a token directly under ``row`` is a one-token cell; a ``cell`` outside any row is a row of
  its own; a token outside any row that is not only whitespace/pipes is reported as a problem;
* a rule named ``error_<words>`` is an error production: the text it covers becomes the
  problem ``"<words>"`` (underscores read as spaces), e.g. ``error_text_outside_any_cell``;
* terminals named ``_LIKE_THIS`` are separators and vanish (Lark's own rule).

Before parsing, the block is trimmed of blank lines at both ends (spaces-only lines are blank),
so a grammar never sees leading or trailing line breaks. A block the grammar cannot parse is
still read: the line at the error is recorded as a problem, blanked out (offsets stay
exact) and the block parsed again, up to :data:`MAX_RECOVERIES` times.

The conventions look at a parse's shape (which rule holds which tokens), and an LALR parse
is decided by its tokens' types alone: a block read in place is remembered by those types
(:class:`~xxgk._lalr.Paths`) with its shape, the tokens' places in its cells and problems.
A block whose tokens take the same types (the same table printed with other numbers, the
next report from the same platform) is only lexed, along the remembered path, and its
grid made from that shape and its own tokens' text and offsets. The text of cells and
problems (empty or not, their stripped extents) is always that of the block at hand.
"""

from __future__ import annotations

import functools
import re
import threading
import weakref
from collections.abc import Callable
from typing import Any, Final, NamedTuple

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.utils import TextSlice

from .._lalr import Paths, fast_parser
from ..speed import fast_path
from ._model import Grid, GridCell

__all__ = ["MAX_RECOVERIES", "PARSER_OPTIONS", "forget_paths", "parse_block"]

MAX_RECOVERIES: Final = 64
"""How many unreadable lines one block may have before the rest of it is given up."""

_STRIP: Final = " \t|\n"
_LEADING_BLANK_LINES: Final = re.compile(r"(?: *\n)*")


class _Problem(NamedTuple):
    start: int
    end: int
    message: str


# What a parse leaves, before any text is looked at: cells and problems as their tokens
# (a row's cell is a _Cell, or a bare Token for the usual cell of one token). A parse is
# decided by its tokens' types alone (see xxgk._lalr.Paths), so its _Shape, the same with
# each token replaced by its place in the block's token list, holds for every block whose
# tokens have those types; a grid is made from a shape and the block's tokens.


class _Cell(NamedTuple):
    tokens: tuple[Token, ...]


class _ProblemAt(NamedTuple):
    message: str
    tokens: tuple[Token, ...]
    outside: bool  # a token outside any row: a problem only if not blank


class _Row(NamedTuple):
    cells: tuple[Token | _Cell, ...]
    problems: tuple[_ProblemAt, ...]


class _Shape(NamedTuple):
    rows: tuple[tuple[tuple[int, ...], ...], ...]  # each cell: the places of its tokens
    problems: tuple[tuple[str, tuple[int, ...], bool], ...]  # a _ProblemAt with places


def _tokens(children: list[Any]) -> list[Token]:
    """The tokens among ``children``, depth first (unknown subtrees are looked into)."""
    found: list[Token] = []
    for child in children:
        if isinstance(child, Token):
            found.append(child)
        elif isinstance(child, Tree):
            found.extend(_tokens(child.children))
    return found


def _cell(texts: list[str], starts: list[int], at: tuple[int, ...]) -> GridCell:
    """The cell made of the tokens at places ``at`` of ``texts``/``starts``, by the
    conventions (the usual cell, one token with text, is made by :func:`_grid`)."""
    if not at:  # a grammar must give every cell a token; position unknown otherwise
        return GridCell("", -1, -1)
    parts: list[str] = []
    first = last = -1
    for index in at:
        value = texts[index]
        text = value.strip(_STRIP)
        if text:
            begin = starts[index] + len(value) - len(value.lstrip(_STRIP))
            if first < 0:
                first = begin
            last = begin + len(text)
            parts.append(text)
    if parts:
        return GridCell("\n".join(parts), first, last)
    value = texts[at[0]]
    where = starts[at[0]] + len(value) - len(value.lstrip(" \t\n"))
    return GridCell("", where, where)


def _problem(texts: list[str], starts: list[int], message: str, at: tuple[int, ...],
             outside: bool) -> _Problem | None:
    """The problem at the tokens at places ``at``: their stripped extent, else a point
    at the first (``None`` for a blank token outside any row)."""
    spans = [(starts[i] + len(texts[i]) - len(texts[i].lstrip(_STRIP)),
              starts[i] + len(texts[i].rstrip(_STRIP)))
             for i in at if texts[i].strip(_STRIP)]
    if spans:
        return _Problem(spans[0][0], spans[-1][1], message)
    if outside:
        return None
    point = starts[at[0]] if at else -1
    return _Problem(point, point, message)


def _grid(name: str, shape: _Shape, texts: list[str], starts: list[int]) -> Grid:
    """The grid of a block whose tokens are ``texts`` at ``starts``, in ``shape``."""
    rows = []
    for row in shape.rows:
        cells = []
        for at in row:
            if len(at) == 1:  # the usual cell: one token
                value = texts[at[0]]
                text = value.strip(_STRIP)
                if text:
                    begin = starts[at[0]] + len(value) - len(value.lstrip(_STRIP))
                    cells.append(GridCell(text, begin, begin + len(text)))
                    continue
            cells.append(_cell(texts, starts, at))
        rows.append(tuple(cells))
    problems = [p for p in (_problem(texts, starts, *at) for at in shape.problems)
                if p is not None]
    problems.sort()
    return Grid(name, tuple(rows), tuple(problems))


def _collect(children: list[Any], cells: list[Token | _Cell],
             problems: list[_ProblemAt]) -> None:
    """Sort the children of a ``row`` into its cells and problems (see the conventions)."""
    for child in children:
        if isinstance(child, (Token, _Cell)):  # a cell (a bare token: one of one token)
            cells.append(child)
        elif isinstance(child, _ProblemAt):
            problems.append(child)
        elif isinstance(child, _Row):
            cells.extend(child.cells)
            problems.extend(child.problems)
        elif isinstance(child, Tree):
            _collect(child.children, cells, problems)


def _row_node(children: list[Any]) -> _Row:
    cells: list[Token | _Cell] = []
    problems: list[_ProblemAt] = []
    _collect(children, cells, problems)
    return _Row(tuple(cells), tuple(problems))


def _grid_node(name: str, children: list[Any]) -> Any:
    """The grid conventions applied as each rule is reduced (the fast path): the same
    results as :func:`_convert` on the finished tree, without building it first."""
    if name == "cell":
        return _Cell(tuple(_tokens(children)))
    if name.startswith("error_"):
        return _ProblemAt(name[len("error_"):].replace("_", " "), tuple(_tokens(children)),
                          False)
    if name == "row":
        return _row_node(children)
    return Tree(name, children)


def _convert(node: Any) -> Any:
    """A Lark parse tree turned into cells, rows and problems by the grid conventions,
    bottom up (the path for grammars :func:`_reader` cannot run directly): a cell or
    an error is made from all the tokens under it, any other rule from its converted
    children."""
    if not isinstance(node, Tree):
        return node
    name = str(node.data)
    if name == "cell" or name.startswith("error_"):
        return _grid_node(name, node.children)
    return _grid_node(name, [_convert(child) for child in node.children])


def _gather(node: Any, rows: list[tuple[Token | _Cell, ...]],
            problems: list[_ProblemAt]) -> None:
    """Rows and problems of a parse result, in order (the top-level half of the conventions)."""
    if isinstance(node, _Row):
        if node.cells:
            rows.append(node.cells)
        problems.extend(node.problems)
    elif isinstance(node, _Cell):
        rows.append((node,))
    elif isinstance(node, _ProblemAt):
        problems.append(node)
    elif isinstance(node, Token):
        problems.append(_ProblemAt("text outside any row", (node,), True))
    elif isinstance(node, Tree):
        for child in node.children:
            _gather(child, rows, problems)


def _shape(result: Any, tokens: list[Token] | None) -> tuple[_Shape, list[str], list[int]]:
    """The shape of a parse ``result`` over ``tokens`` (every token the parse read, in
    order; ``None``: those in its cells and problems), with their texts and offsets."""
    rows: list[tuple[Token | _Cell, ...]] = []
    problems: list[_ProblemAt] = []
    _gather(result, rows, problems)
    if tokens is None:
        seen = {tok.start_pos: tok for row in rows for cell in row
                for tok in (cell.tokens if isinstance(cell, _Cell) else (cell,))}
        seen.update((tok.start_pos, tok) for problem in problems for tok in problem.tokens)
        tokens = [seen[at] for at in sorted(seen, key=lambda at: at or 0)]
    place = {tok.start_pos: i for i, tok in enumerate(tokens)}
    shape = _Shape(
        tuple(tuple([tuple([place[t.start_pos] for t in cell.tokens])
                     if cell.__class__ is _Cell else (place[cell.start_pos],)  # type: ignore[union-attr]
                     for cell in row])
              for row in rows),
        tuple((p.message, tuple([place[t.start_pos] for t in p.tokens]), p.outside)
              for p in problems))
    return shape, [str(tok) for tok in tokens], [tok.start_pos or 0 for tok in tokens]


def _tokens_only(parser: Lark) -> bool:
    """Whether every ``cell`` and ``error_…`` rule holds only tokens (directly or through
    ``_inlined`` rules): then a cell can be made when its rule is reduced, from tokens."""
    by_origin: dict[str, list[Any]] = {}
    for rule in parser.rules:
        by_origin.setdefault(str(rule.origin.name), []).append(rule)

    def flat(rules: list[Any], seen: set[str]) -> bool:
        for rule in rules:
            for sym in rule.expansion:
                if sym.is_term:
                    continue
                name = str(sym.name)
                if not name.startswith("_"):
                    return False
                if name not in seen:
                    seen.add(name)
                    if not flat(by_origin.get(name, []), seen):
                        return False
        return True

    for rule in parser.rules:
        name = str(rule.alias or rule.origin.name)
        if (name == "cell" or name.startswith("error_")) and not flat([rule], set()):
            return False
    return True


_Runner = Callable[[str, int, int, "list[tuple[int, Token]] | None"], Any]

# Look-behinds that see the same at the start of a line of the document as at the start of
# a copy of the block: a line break before, or nothing (the built-in grammars use these;
# Lark may hand over the line break in a pattern escaped or as the character itself).
_SAME_AT_A_LINE_START: Final = ("(?<![^\\n])", "(?<![^\n])", "(?<=\\|)")


def _reads_alike_in_place(pattern: str) -> bool:
    """Whether a terminal's regex matches the same at the start of a line inside the
    document as at the start of the block cut out of it: no ``^`` (outside a character
    class) or ``\\A``, which only match at the start of the whole string, and no
    look-behind other than :data:`_SAME_AT_A_LINE_START`."""
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1:i + 2] == "A":
                return False
            i += 2
        elif char == "[":  # skip the class; a "]" first in it is literal
            i += 1
            if pattern[i:i + 1] == "^":
                i += 1
            if pattern[i:i + 1] == "]":
                i += 1
            while i < size and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif char == "^":
            return False
        elif pattern.startswith(("(?<=", "(?<!"), i):
            if not pattern.startswith(_SAME_AT_A_LINE_START, i):
                return False
            i += 4
        else:
            i += 1
    return True


class _Reader(NamedTuple):
    """How blocks are read with one layout parser (see :func:`_reader`)."""

    run: _Runner  # (text, lo, hi, trace) → parse result; trace: see FastParser.parse_text
    anywhere: bool  # a block may be read in place in the document
    paths: Paths | None  # the shapes of blocks read in place before


_ALL_PATHS: Final[weakref.WeakSet[Paths]] = weakref.WeakSet()  # of the readers made
_ALL_PATHS_LOCK: Final = threading.Lock()


def forget_paths() -> None:
    """Forget the shapes of the blocks read so far, with every layout: for tests, and
    for measuring first readings."""
    with _ALL_PATHS_LOCK:
        known = list(_ALL_PATHS)
    for paths in known:
        paths.clear()


@functools.cache
def _reader(parser: Lark) -> _Reader:
    """How to read a block with ``parser`` on the fast route (:mod:`xxgk.speed`).

    The lean LALR driver (:mod:`xxgk._lalr`) applying the grid conventions as it
    reduces, when the grammar allows; a block may then be read in place (the driver costs
    the same anywhere in a long text) if every terminal reads alike there (see
    :func:`_reads_alike_in_place`), and blocks read in place are remembered by the types
    of their tokens (:class:`~xxgk._lalr.Paths`), so that a block shaped like one read
    before is lexed along its path and not parsed. Else Lark's own parse and
    :func:`_convert` (Lark counts lines from the start of the text it is given: give it
    the block alone)."""
    driver = fast_parser(parser)
    if driver is not None and _tokens_only(parser):
        grids = driver.with_actions(_grid_node)
        anywhere = all(_reads_alike_in_place(t.pattern.to_regexp()) for t in parser.terminals)

        def driven(text: str, lo: int, hi: int, trace: list[tuple[int, Token]] | None) -> Any:
            return grids.parse_text(text, lo, hi, None, trace)

        paths = Paths(grids) if anywhere else None
        if paths is not None:
            with _ALL_PATHS_LOCK:
                _ALL_PATHS.add(paths)
        return _Reader(driven, anywhere, paths)

    return _plain_reader(parser)


@functools.cache
def _plain_reader(parser: Lark) -> _Reader:
    """How to read a block with ``parser`` on the plain route: Lark's own parse of the
    block and :func:`_convert` of its tree."""

    def plain(text: str, lo: int, hi: int, trace: list[tuple[int, Token]] | None) -> Any:
        return _convert(parser.parse(TextSlice(text, lo, hi)))

    return _Reader(plain, False, None)


PARSER_OPTIONS: Final[dict[str, Any]] = {
    "lexer": "contextual",
    "maybe_placeholders": False,
}
"""The Lark options every layout parser is built with (LALR; the tree is converted after)."""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved past blank lines at the front and whitespace at the back."""
    match = _LEADING_BLANK_LINES.match(text, start, end)
    lo = match.end() if match else start
    hi = end
    while hi > lo and text[hi - 1] in " \n":
        hi -= 1
    return lo, hi


def _error_line(exc: UnexpectedInput, text: str, lo: int, hi: int) -> tuple[int, int]:
    """The line a parse error is blamed on: the first non-blank text at or after the error."""
    pos: int | None = None
    if isinstance(exc, UnexpectedToken) and isinstance(exc.token.start_pos, int):
        pos = exc.token.start_pos
    elif isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
    if pos is None or pos < lo or pos >= hi:
        pos = hi - 1
    while pos < hi and text[pos] in " \n":
        pos += 1
    if pos >= hi:
        pos = hi - 1
    line_start = max(text.rfind("\n", lo, pos) + 1, lo)
    line_end = text.find("\n", pos, hi)
    return line_start, hi if line_end < 0 else line_end


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def parse_block(name: str, parser: Lark, text: str, start: int, end: int) -> Grid:
    """Read ``text[start:end]`` with ``parser`` (a layout parser) into the grid of ``name``.

    A block that parses at the first try is read in place, where the grammar allows it
    (see :func:`_reader`); one shaped like a block read in place before is only lexed.
    Otherwise the block is cut out of the document once and read, and repaired, in that
    copy (each unreadable line blanked and reported, see the module docstring); its
    offsets are shifted back.
    """
    base, stop = _trim(text, start, end)
    reader = _reader(parser) if fast_path() else _plain_reader(parser)
    # In place only where the block starts a line: a terminal's look-behind then sees the
    # same thing (a line break, or nothing) as in a copy of the block.
    if reader.anywhere and (base == 0 or text[base - 1] == "\n"):
        known = reader.paths.walk(text, base, stop) if reader.paths is not None else None
        if known is not None:
            return _grid(name, *known)
        trace: list[tuple[int, Token]] = []
        try:
            result = reader.run(text, base, stop, trace)
        except UnexpectedInput:
            pass
        else:
            shape, texts, starts = _shape(result, [tok for _, tok in trace[:-1]])
            if reader.paths is not None:
                reader.paths.record(trace, shape)
            return _grid(name, shape, texts, starts)
    work = text[base:stop]
    lo, hi = 0, len(work)
    result = None
    recoveries = 0
    problems: list[_Problem] = []
    while lo < hi:
        try:
            result = reader.run(work, lo, hi, None)
            break
        except UnexpectedInput as exc:
            if recoveries == MAX_RECOVERIES:
                line_start, _ = _error_line(exc, work, lo, hi)
                first, last = _stripped(work, line_start, hi)
                problems.append(_Problem(first + base, last + base,
                                         f"too many unreadable lines for layout {name}; "
                                         "the rest of the block is not read"))
                work = _blank(work, line_start, hi)
                hi = line_start
            else:
                line_start, line_end = _error_line(exc, work, lo, hi)
                first, last = _stripped(work, line_start, line_end)
                problems.append(_Problem(first + base, last + base,
                                         f"line does not fit layout {name}"))
                work = _blank(work, line_start, line_end)
            recoveries += 1
            lo, hi = _trim(work, lo, hi)
    shape, texts, starts = _shape(result, None)
    grid = _grid(name, shape, texts, [at + base for at in starts])
    return attrs.evolve(grid, problems=tuple(sorted([*problems, *grid.problems])))
