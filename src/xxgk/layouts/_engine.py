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
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.utils import TextSlice

from .._lalr import fast_parser
from ._model import Grid, GridCell

__all__ = ["MAX_RECOVERIES", "PARSER_OPTIONS", "parse_block"]

MAX_RECOVERIES: Final = 64
"""How many unreadable lines one block may have before the rest of it is given up."""

_STRIP: Final = " \t|\n"
_LEADING_BLANK_LINES: Final = re.compile(r"(?: *\n)*")


class _Problem(NamedTuple):
    start: int
    end: int
    message: str


class _Row(NamedTuple):
    cells: tuple[GridCell, ...]
    problems: tuple[_Problem, ...]


def _tokens(children: list[Any]) -> list[Token]:
    """The tokens among ``children``, depth first (unknown subtrees are looked into)."""
    found: list[Token] = []
    for child in children:
        if isinstance(child, Token):
            found.append(child)
        elif isinstance(child, Tree):
            found.extend(_tokens(child.children))
    return found


def _pos(tok: Token) -> int:
    return tok.start_pos or 0  # None only for tokens made outside the lexer


def _cell_of(tokens: list[Token]) -> GridCell:
    if len(tokens) == 1:  # the usual cell: one token
        tok = tokens[0]
        value = str(tok.value)
        text = value.strip(_STRIP)
        if text:
            begin = _pos(tok) + len(value) - len(value.lstrip(_STRIP))
            return GridCell(text, begin, begin + len(text))
    parts: list[str] = []
    first = last = -1
    for tok in tokens:
        value = str(tok.value)
        text = value.strip(_STRIP)
        if text:
            begin = _pos(tok) + len(value) - len(value.lstrip(_STRIP))
            if first < 0:
                first = begin
            last = begin + len(text)
            parts.append(text)
    if parts:
        return GridCell("\n".join(parts), first, last)
    value = str(tokens[0].value)
    where = _pos(tokens[0]) + len(value) - len(value.lstrip(" \t\n"))
    return GridCell("", where, where)


def _extent(tokens: list[Token]) -> tuple[int, int] | None:
    """The stripped extent of some tokens, ``None`` when they are all whitespace and pipes."""
    spans = [
        (_pos(tok) + len(str(tok)) - len(str(tok).lstrip(_STRIP)),
         _pos(tok) + len(str(tok).rstrip(_STRIP)))
        for tok in tokens
        if str(tok).strip(_STRIP)
    ]
    if not spans:
        return None
    return spans[0][0], spans[-1][1]


def _collect(children: list[Any], cells: list[GridCell], problems: list[_Problem]) -> None:
    """Sort the children of a ``row`` into its cells and problems (see the conventions)."""
    for child in children:
        if isinstance(child, Token):  # the usual child: a one-token cell
            cells.append(_cell_of([child]))
        elif isinstance(child, GridCell):
            cells.append(child)
        elif isinstance(child, _Problem):
            problems.append(child)
        elif isinstance(child, _Row):
            cells.extend(child.cells)
            problems.extend(child.problems)
        elif isinstance(child, Tree):
            _collect(child.children, cells, problems)


def _cell_node(tokens: list[Token]) -> GridCell:
    if not tokens:  # a grammar must give every cell a token; position unknown otherwise
        return GridCell("", -1, -1)
    return _cell_of(tokens)


def _problem_node(name: str, tokens: list[Token]) -> _Problem:
    span = _extent(tokens)
    if span is None:
        at = _pos(tokens[0]) if tokens else -1
        span = (at, at)
    return _Problem(span[0], span[1], name[len("error_"):].replace("_", " "))


def _row_node(children: list[Any]) -> _Row:
    cells: list[GridCell] = []
    problems: list[_Problem] = []
    _collect(children, cells, problems)
    return _Row(tuple(cells), tuple(problems))


def _grid_node(name: str, children: list[Any]) -> Any:
    """The grid conventions applied as each rule is reduced (the fast path): the same
    results as :func:`_convert` on the finished tree, without building it first."""
    if name == "cell":
        return _cell_node(_tokens(children))
    if name.startswith("error_"):
        return _problem_node(name, _tokens(children))
    if name == "row":
        return _row_node(children)
    return Tree(name, children)


def _convert(node: Any) -> Any:
    """A Lark parse tree turned into cells, rows and problems by the grid conventions,
    bottom up (the path for grammars :func:`_grid_runner` cannot run directly): a cell or
    an error is made from all the tokens under it, any other rule from its converted
    children."""
    if not isinstance(node, Tree):
        return node
    name = str(node.data)
    if name == "cell" or name.startswith("error_"):
        return _grid_node(name, node.children)
    return _grid_node(name, [_convert(child) for child in node.children])


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


_Runner = Callable[[str, int, int], Any]

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


@functools.cache
def _grid_runner(parser: Lark) -> tuple[_Runner, bool]:
    """How to read a block with ``parser``: ``(text, lo, hi)`` → converted result, and
    whether a block may be read in place in the document (the driver costs the same
    anywhere in a long text, and every terminal reads alike there, see
    :func:`_reads_alike_in_place`).

    The lean LALR driver (:mod:`xxgk._lalr`) applying the grid conventions as it
    reduces, when the grammar allows; else Lark's own parse and :func:`_convert` (Lark
    counts lines from the start of the text it is given: give it the block alone)."""
    fast = fast_parser(parser)
    if fast is not None and _tokens_only(parser):
        anywhere = all(_reads_alike_in_place(t.pattern.to_regexp()) for t in parser.terminals)
        return fast.with_actions(_grid_node).parse_text, anywhere

    def slow(text: str, lo: int, hi: int) -> Any:
        return _convert(parser.parse(TextSlice(text, lo, hi)))

    return slow, False


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
    (see :func:`_grid_runner`). Otherwise the block is cut out of the document once and
    read, and repaired, in that copy (each unreadable line blanked and reported, see the
    module docstring); its offsets are shifted back.
    """
    base, stop = _trim(text, start, end)
    run, anywhere = _grid_runner(parser)
    rows: list[tuple[GridCell, ...]] = []
    problems: list[_Problem] = []
    # In place only where the block starts a line: a terminal's look-behind then sees the
    # same thing (a line break, or nothing) as in a copy of the block.
    if anywhere and (base == 0 or text[base - 1] == "\n"):
        try:
            result = run(text, base, stop)
        except UnexpectedInput:
            pass
        else:
            _gather(result, rows, problems)
            problems.sort()
            return Grid(name, tuple(rows), tuple(problems))
    work = text[base:stop]
    lo, hi = 0, len(work)
    result = None
    recoveries = 0
    while lo < hi:
        try:
            result = run(work, lo, hi)
            break
        except UnexpectedInput as exc:
            if recoveries == MAX_RECOVERIES:
                line_start, _ = _error_line(exc, work, lo, hi)
                first, last = _stripped(work, line_start, hi)
                problems.append(_Problem(first, last, f"too many unreadable lines for layout "
                                         f"{name}; the rest of the block is not read"))
                work = _blank(work, line_start, hi)
                hi = line_start
            else:
                line_start, line_end = _error_line(exc, work, lo, hi)
                first, last = _stripped(work, line_start, line_end)
                problems.append(_Problem(first, last, f"line does not fit layout {name}"))
                work = _blank(work, line_start, line_end)
            recoveries += 1
            lo, hi = _trim(work, lo, hi)
    _gather(result, rows, problems)
    problems.sort()
    return Grid(
        name,
        tuple(tuple(GridCell(c.text, c.start + base, c.end + base) for c in row) for row in rows),
        tuple((p.start + base, p.end + base, p.message) for p in problems),
    )


def _gather(node: Any, rows: list[tuple[GridCell, ...]], problems: list[_Problem]) -> None:
    """Rows and problems of a parse result, in order (the top-level half of the conventions)."""
    if isinstance(node, _Row):
        if node.cells:
            rows.append(node.cells)
        problems.extend(node.problems)
    elif isinstance(node, GridCell):
        rows.append((node,))
    elif isinstance(node, _Problem):
        problems.append(node)
    elif isinstance(node, Token):
        span = _extent([node])
        if span is not None:
            problems.append(_Problem(span[0], span[1], "text outside any row"))
    elif isinstance(node, Tree):
        for child in node.children:
            _gather(child, rows, problems)

