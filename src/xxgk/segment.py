"""Splitting run-together digits into a table's numbers, by the template's arithmetic.

A crawler that drops the boundaries between table cells leaves rows such as
``一、本年新收政府信息公开申请数量713000074``: seven numbers printed as one run of nine
digits. This module decides where the numbers end. Pure functions, no I/O.

Contract:

* A row is a :class:`RowProblem`: its firm runs (:class:`Run`: a space, a label or a sign
  ended each, so a number never spans two) and the kinds of the cells it must hold
  (``count``, ``signed``, ``amount``). A *split* of a row cuts each run into one or more
  pieces, as many pieces in all as the row has cells, each piece a number as printed: no
  leading zero (``000`` is three zeros), a sign only at the start of a run and only in a
  ``signed`` cell, a decimal point only inside an ``amount``.
* An :class:`Equation` says ``sum(left) == sum(right)`` over cells (row index, column
  index). :func:`solve` enumerates each row's splits (the equations inside the row prune
  the search), then chooses one split per row that breaks the fewest equations.
* Nothing is guessed: a cell on which the best readings disagree is ``None``, with every
  value it could take (:attr:`CellReading.candidates`); a cell read from a run that was
  cut is marked ``inferred``. A row with more splits than :data:`MAX_SPLITS` (a run far
  too long for its cells) is not read at all (:attr:`RowReading.too_many`).
* Bounds: a piece has at most :data:`MAX_DIGITS` characters; a row's search stops after
  :data:`MAX_NODES` steps; the combination of ambiguous rows tried against the equations
  across rows is capped at :data:`MAX_COMBINATIONS` (beyond it rows are decided alone).
  ``benchmarks/segment_worst_case.py`` measures the search over generated rows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Literal

import attrs

from . import spec

__all__ = [
    "MAX_COMBINATIONS",
    "MAX_DIGITS",
    "MAX_NODES",
    "MAX_SPLITS",
    "REVIEW_ROW",
    "CellReading",
    "Equation",
    "Kind",
    "Piece",
    "RowProblem",
    "RowReading",
    "Run",
    "Solution",
    "solve",
    "splits",
    "template_equations",
]

Kind = Literal["count", "signed", "amount"]
Number = int | Decimal
Ref = tuple[int, int]

MAX_DIGITS: Final = 12
"""The longest piece a number may be (characters, sign and point included)."""
MAX_SPLITS: Final = 1000
"""More splits than this of one row: the row is not read (its run is far too long)."""
MAX_NODES: Final = 50_000
"""Search steps one row may take before it is given up as too many splits."""
MAX_COMBINATIONS: Final = 20_000
"""Combinations of ambiguous rows tried against the equations across rows."""

REVIEW_ROW: Final = "review"
"""The name of the review table's one row of fifteen numbers (three groups of five)."""

_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+\-]?(?:0|[1-9]\d*)")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


@attrs.frozen
class Run:
    """Characters that hold one or more whole numbers: ``text`` starting at ``start``
    (any coordinates the caller likes; pieces are placed in the same ones)."""

    text: str
    start: int


@attrs.frozen
class Piece:
    """One number cut from a run: its ``text`` at ``[start, end)``, and whether the cut
    was printed (``whole``: the piece is its run) or inferred."""

    text: str
    start: int
    end: int
    whole: bool

    @property
    def value(self) -> Number:
        """The number ``text`` prints (a ``Decimal`` when it has a point)."""
        return Decimal(self.text) if "." in self.text else int(self.text)


@attrs.frozen
class RowProblem:
    """A row to split: its firm ``runs`` and the ``kinds`` of its cells, in order."""

    runs: tuple[Run, ...]
    kinds: tuple[Kind, ...]


@attrs.frozen
class Equation:
    """``sum(left) == sum(right)`` over cells ``(row index, column index)``."""

    left: tuple[Ref, ...]
    right: tuple[Ref, ...]
    name: str = ""

    @property
    def rows(self) -> frozenset[int]:
        """The rows the equation reads."""
        return frozenset(row for row, _ in (*self.left, *self.right))


@attrs.frozen
class CellReading:
    """One cell: its ``piece`` (``None`` when the readings disagree or there are none),
    the distinct ``candidates`` when they disagree, and ``inferred`` when the piece's
    boundaries were chosen by arithmetic rather than printed."""

    piece: Piece | None
    candidates: tuple[Piece, ...] = ()
    inferred: bool = False


@attrs.frozen
class RowReading:
    """How a row was read: its ``cells``; ``readings``, the splits that stayed in the
    running (after the equations); ``splits``, how many splits the row had at all;
    ``too_many`` when the search bound was hit; ``impossible`` when no split exists."""

    cells: tuple[CellReading, ...]
    readings: tuple[tuple[Piece, ...], ...]
    splits: int
    too_many: bool = False
    impossible: bool = False


@attrs.frozen
class Solution:
    """The reading of a table: one :class:`RowReading` per row, the number of equations
    the chosen readings break (``broken``, 0 when they all hold), the names of those
    equations, the search steps taken (``nodes``, for measuring) and the rows some
    equation reads (``constrained``)."""

    rows: tuple[RowReading, ...]
    broken: int
    broken_equations: tuple[str, ...]
    nodes: int
    constrained: frozenset[int] = frozenset()


def _fits(text: str, kind: Kind, first: bool) -> bool:
    if len(text) > MAX_DIGITS:
        return False
    if text[0] in "+-" and not (first and kind == "signed"):
        return False
    if kind == "count":
        return _COUNT.fullmatch(text) is not None
    if kind == "signed":
        return _SIGNED.fullmatch(text) is not None
    return _AMOUNT.fullmatch(text) is not None


def _holds(equation: Equation, value: dict[Ref, Number]) -> bool:
    return sum(value[ref] for ref in equation.left) == sum(value[ref] for ref in equation.right)


class _Search:
    """Depth-first enumeration of one row's splits, pruned by its own equations.

    The row is searched as one string (its runs joined) whose run ends are firm cuts. A
    *sum group* (cells ``c … c+k-1`` adding up to cell ``c+k``, as every applications
    row and every review group) is searched total first: for each place the total may
    take, the parts must tile the digits before it, each no larger than the total and
    together equal to it, which leaves few ways; other equations are checked once their
    last cell is placed.
    """

    def __init__(self, problem: RowProblem, index: int, local: Sequence[Equation]) -> None:
        self.problem = problem
        self.index = index
        self.kinds = problem.kinds
        self.text = "".join(run.text for run in problem.runs)
        self.origin: list[int] = []
        self.cuts: set[int] = {0}
        for run in problem.runs:
            self.origin.extend(range(run.start, run.start + len(run.text)))
            self.cuts.add(len(self.origin))
        self.origin.append(self.origin[-1] + 1 if self.origin else 0)
        # cuts_after[i]: the firm cuts in (i, len): each needs a piece to end there
        size = len(self.text)
        self.cuts_after = [sum(1 for c in self.cuts if i < c < size) for i in range(size + 1)]
        self.nodes = 0
        self.found: list[tuple[Piece, ...]] = []
        self.too_many = False
        self.dead: set[tuple[int, int, int, int, int]] = set()
        self.groups: dict[int, int] = {}  # first part -> total cell
        checked: list[Equation] = []
        for equation in local:
            columns = [column for _, column in equation.right]
            if (len(equation.left) == 1 and columns
                    and columns == list(range(columns[0], columns[0] + len(columns)))
                    and equation.left[0][1] == columns[-1] + 1
                    and columns[0] not in self.groups
                    and all(self.kinds[c] == "count" for c in (*columns, columns[-1] + 1))):
                self.groups[columns[0]] = columns[-1] + 1
            else:
                checked.append(equation)
        self.due: dict[int, list[Equation]] = {}
        for equation in checked:
            last = max(column for _, column in (*equation.left, *equation.right))
            self.due.setdefault(last, []).append(equation)

    def run(self) -> None:
        self._walk(0, 0, [], {})

    def _piece(self, a: int, b: int, cell: int) -> Piece | None:
        """The piece ``text[a:b]`` as cell ``cell``, or ``None`` when it cannot be."""
        if b - a > MAX_DIGITS or not self._inside(a, b):
            return None
        if b < len(self.text) and b not in self.cuts and self.text[b] == ".":
            return None  # a point is never a boundary
        text = self.text[a:b]
        if not _fits(text, self.kinds[cell], a in self.cuts):
            return None
        return Piece(text, self.origin[a], self.origin[b - 1] + 1,
                     a in self.cuts and b in self.cuts)

    def _inside(self, a: int, b: int) -> bool:
        """Whether no firm cut lies strictly inside ``[a, b)``."""
        return not any(a < c < b for c in self.cuts)

    def _feasible(self, at: int, cell: int) -> bool:
        left = len(self.text) - at
        cells = len(self.kinds) - cell
        return cells >= self.cuts_after[at] + (1 if left else 0) and cells <= left <= (
            cells * MAX_DIGITS)

    def _walk(self, at: int, cell: int, pieces: list[Piece], value: dict[Ref, Number]) -> None:
        if self.too_many:
            return
        self.nodes += 1
        if self.nodes > MAX_NODES or len(self.found) > MAX_SPLITS:
            self.too_many = True
            return
        if cell == len(self.kinds):
            if at == len(self.text):
                self.found.append(tuple(pieces))
            return
        if not self._feasible(at, cell):
            return
        total = self.groups.get(cell)
        if total is not None:
            self._group(at, cell, total, pieces, value)
            return
        for stop in range(at + 1, min(len(self.text), at + MAX_DIGITS) + 1):
            if not self._inside(at, stop):
                break
            if self.text[at] == "0" and stop - at > 1 and self.text[at + 1] != ".":
                break  # a leading zero: every longer piece has it too
            piece = self._piece(at, stop, cell)
            if piece is None:
                continue
            self._place(stop, cell, piece, pieces, value)

    def _place(self, stop: int, cell: int, piece: Piece, pieces: list[Piece],
               value: dict[Ref, Number]) -> None:
        ref = (self.index, cell)
        value[ref] = piece.value
        if all(_holds(e, value) for e in self.due.get(cell, ())):
            pieces.append(piece)
            self._walk(stop, cell + 1, pieces, value)
            pieces.pop()
        del value[ref]

    def _group(self, at: int, first: int, total: int, pieces: list[Piece],
               value: dict[Ref, Number]) -> None:
        """Cells ``first … total``: the total's place first, then parts adding up to it."""
        parts = total - first
        size = len(self.text)
        for start in range(at + parts, min(size, at + parts * MAX_DIGITS) + 1):
            for stop in range(start + 1, min(size, start + MAX_DIGITS) + 1):
                if not self._inside(start, stop):
                    break
                piece = self._piece(start, stop, total)
                if piece is None:
                    if self.text[start] == "0":
                        break
                    continue
                if start - at > parts * (stop - start):
                    continue  # the parts would need a piece longer than the total
                if start - at < stop - start - 1 + parts - 1 and parts <= 9:
                    break  # no part long enough to add up to a total this long
                if sum(1 for c in self.cuts if at < c < start) > parts - 1:
                    continue  # more firm cuts before the total than parts can end at
                if total + 1 < len(self.kinds) and not self._feasible(stop, total + 1):
                    continue  # no room left for the cells after the total
                if total + 1 == len(self.kinds) and stop != size:
                    continue  # the row's last cell ends the row
                target = int(piece.text)
                self._parts(at, start, first, total, target, 0, pieces, value, piece, stop)

    def _parts(self, at: int, end: int, cell: int, total: int, target: int, partial: int,
               pieces: list[Piece], value: dict[Ref, Number], total_piece: Piece,
               stop: int) -> bool:
        """Place parts ``cell …`` in ``[at, end)`` adding up to ``target - partial``, then
        the total; whether any split was found (dead ends are remembered, keyed by what
        is left to do, so a subproblem is searched once)."""
        key = (at, end, cell, target - partial, len(total_piece.text))
        if key in self.dead:
            return False
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.too_many = True
            return False
        before = len(self.found)
        if cell == total - 1:  # the last part is what is left
            piece = self._piece(at, end, cell)
            if piece is not None and partial + int(piece.text) == target:
                pieces.append(piece)
                value[(self.index, cell)] = piece.value
                self._place(stop, total, total_piece, pieces, value)
                del value[(self.index, cell)]
                pieces.pop()
            return len(self.found) > before
        left_parts = total - cell
        longest = len(total_piece.text)
        any_found = False
        for cut in range(at + 1, min(end, at + longest) + 1):
            if not self._inside(at, cut):
                break
            if self.text[at] == "0" and cut - at > 1:
                break
            rest = end - cut
            if rest < left_parts - 1 or rest > (left_parts - 1) * longest:
                continue
            piece = self._piece(at, cut, cell)
            if piece is None:
                continue
            number = int(piece.text)
            if partial + number > target:
                break  # longer pieces are larger still
            others = left_parts - 1
            if others and partial + number + others * (
                    10 ** min(longest, rest - others + 1) - 1) < target:
                continue  # the parts left cannot reach the total
            widest = -(-rest // others) if others else 0  # the widest part left, at least
            if widest > 1 and partial + number + 10 ** (widest - 1) > target:
                continue  # a part that wide (no leading zero) passes the total
            pieces.append(piece)
            value[(self.index, cell)] = piece.value
            if self._parts(cut, end, cell + 1, total, target, partial + number, pieces,
                           value, total_piece, stop):
                any_found = True
            del value[(self.index, cell)]
            pieces.pop()
        if not any_found and not self.too_many:
            self.dead.add(key)
        return any_found


def splits(problem: RowProblem, equations: Sequence[Equation] = (),
           index: int = 0) -> tuple[list[tuple[Piece, ...]], bool, int]:
    """Every split of ``problem`` (row ``index``) satisfying ``equations`` (those within
    the row); whether the bounds were hit; and the search steps taken."""
    search = _Search(problem, index, equations)
    search.run()
    return search.found, search.too_many, search.nodes


def solve(rows: Sequence[RowProblem], equations: Sequence[Equation]) -> Solution:
    """Read ``rows`` (see the module docstring): the readings that break the fewest
    ``equations``, and per cell the value they agree on or the candidates."""
    local: dict[int, list[Equation]] = {}
    across: list[Equation] = []
    for equation in equations:
        involved = equation.rows
        if any(not 0 <= row < len(rows) for row in involved):
            continue
        if len(involved) == 1:
            local.setdefault(next(iter(involved)), []).append(equation)
        else:
            across.append(equation)
    nodes = 0
    options: list[list[tuple[Piece, ...]]] = []
    counts: list[int] = []
    too_many: list[bool] = []
    local_broken: list[int] = []
    for index, problem in enumerate(rows):
        found, hit, steps = splits(problem, local.get(index, ()), index)
        nodes += steps
        broken = 0
        if not found and not hit and local.get(index):
            found, hit, more = splits(problem, (), index)  # nothing adds up: every split
            nodes += more
            broken = -1  # scored below, split by split
        options.append([] if hit else found)
        counts.append(len(found))
        too_many.append(hit)
        local_broken.append(broken)
    best = _choose(rows, options, local, across, local_broken)
    chosen, score, names = best
    readings: list[RowReading] = []
    for index, problem in enumerate(rows):
        kept = chosen[index]
        cells = tuple(_cell(kept, column) for column in range(len(problem.kinds)))
        readings.append(RowReading(cells, tuple(kept), counts[index], too_many[index],
                                   not kept and not too_many[index]))
    constrained = frozenset(row for equation in equations for row in equation.rows)
    return Solution(tuple(readings), score, names, nodes, constrained)


def _score(pieces: dict[int, tuple[Piece, ...]], equations: Sequence[Equation]) -> list[str]:
    value = {(row, column): piece.value for row, split in pieces.items()
             for column, piece in enumerate(split)}
    return [equation.name for equation in equations
            if all(ref in value for ref in (*equation.left, *equation.right))
            and not _holds(equation, value)]


def _choose(rows: Sequence[RowProblem], options: list[list[tuple[Piece, ...]]],
            local: dict[int, list[Equation]], across: list[Equation],
            local_broken: list[int]) -> tuple[list[list[tuple[Piece, ...]]], int,
                                              tuple[str, ...]]:
    """For each row, the splits that belong to some best combination; the best score."""
    # a row whose splits all break its own equations keeps those breaking the fewest
    own_broken: dict[int, list[str]] = {}
    for index, found in enumerate(options):
        if local_broken[index] < 0 and found:
            scored = [(_score({index: split}, local[index]), split) for split in found]
            least = min(len(names) for names, _ in scored)
            options[index] = [split for names, split in scored if len(names) == least]
            own_broken[index] = next(names for names, _ in scored if len(names) == least)
    ambiguous = [i for i, found in enumerate(options) if len(found) > 1]
    fixed = {i: found[0] for i, found in enumerate(options) if len(found) == 1}
    total = 1
    for i in ambiguous:
        total *= len(options[i])
    relevant = [e for e in across if e.rows & set(ambiguous)] if ambiguous else []
    base_names = [name for names in own_broken.values() for name in names]
    if not ambiguous:
        names = base_names + _score(fixed, across)
        return [list(found) for found in options], len(names), tuple(names)
    if not relevant or total > MAX_COMBINATIONS:  # rows decided alone
        names = base_names + _score(fixed, [e for e in across if e not in relevant])
        return [list(found) for found in options], len(names), tuple(names)
    settled = [e for e in across if e not in relevant]
    best_score: int | None = None
    best_names: list[str] = []
    keep: dict[int, set[int]] = {i: set() for i in ambiguous}
    for combo in itertools.product(*(range(len(options[i])) for i in ambiguous)):
        pieces = dict(fixed)
        for i, choice in zip(ambiguous, combo, strict=True):
            pieces[i] = options[i][choice]
        names = _score(pieces, relevant)
        if best_score is None or len(names) < best_score:
            best_score, best_names = len(names), names
            keep = {i: set() for i in ambiguous}
        if len(names) == best_score:
            for i, choice in zip(ambiguous, combo, strict=True):
                keep[i].add(choice)
    chosen = [list(found) for found in options]
    for i in ambiguous:
        chosen[i] = [options[i][choice] for choice in sorted(keep[i])]
    names = base_names + best_names + _score(fixed, settled)
    return chosen, len(names), tuple(names)


def _cell(kept: Sequence[tuple[Piece, ...]], column: int) -> CellReading:
    if not kept:
        return CellReading(None)
    pieces = [split[column] for split in kept]
    distinct: dict[tuple[int, int], Piece] = {}
    for piece in pieces:
        distinct.setdefault((piece.start, piece.end), piece)
    if len(distinct) == 1:
        piece = pieces[0]
        return CellReading(piece, inferred=not piece.whole)
    return CellReading(None, tuple(distinct.values()), inferred=True)


def template_equations(table: str, template: str, names: Sequence[str | None]) -> list[Equation]:
    """The template's equations (``shared/spec/templates.md``, rules) over the rows
    ``names`` of ``table`` (row ``i`` is ``names[i]``; ``None``, a row the template
    lacks; :data:`REVIEW_ROW`, the review table's one row of fifteen numbers). An
    equation over a row that is not there is left out."""
    at = {name: i for i, name in enumerate(names) if name is not None}
    found: list[Equation] = []
    if table == "applications":
        for name, i in at.items():
            found.append(Equation(((i, 6),), tuple((i, c) for c in range(6)),
                                  f"{spec.label(table, name)}: 总计 = the six columns"))
        other = ("results.other.total",) if template == "2019" or (
            "results.other.total" in at) else (
            "results.other.no_correction", "results.other.unpaid_fee", "results.other.other")
        outcomes = [n for n in spec.rows_of(template, table)
                    if n.startswith("results.") and n != "results.total"
                    and (not n.startswith("results.other.") or n in other)]
        if "results.total" in at and all(n in at for n in outcomes):
            for c, column in enumerate(spec.APPLICANT_COLUMNS):
                label = spec.COLUMN_LABELS[table][column]
                found.append(Equation(((at["results.total"], c),),
                                      tuple((at[n], c) for n in outcomes),
                                      f"（七）总计 / {label} = the outcome rows"))
        balance = ("new_received", "carried_over", "results.total", "carried_forward")
        if all(n in at for n in balance):
            for c, column in enumerate(spec.APPLICANT_COLUMNS):
                label = spec.COLUMN_LABELS[table][column]
                found.append(Equation(
                    ((at["new_received"], c), (at["carried_over"], c)),
                    ((at["results.total"], c), (at["carried_forward"], c)),
                    f"一 + 二 = （七） + 四 / {label}"))
    elif table == "review_litigation" and REVIEW_ROW in at:
        i = at[REVIEW_ROW]
        for g, group in enumerate(spec.REVIEW_GROUPS):
            found.append(Equation(((i, 5 * g + 4),), tuple((i, 5 * g + c) for c in range(4)),
                                  f"{spec.ROW_LABELS[table][group]}: 总计 = the four results"))
    return found
