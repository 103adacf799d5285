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

__all__ = [
    "MAX_COMBINATIONS",
    "MAX_DIGITS",
    "MAX_NODES",
    "MAX_SPLITS",
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
]

Kind = Literal["count", "signed", "amount"]
Number = int | Decimal
Ref = tuple[int, int]

MAX_DIGITS: Final = 12
"""The longest piece a number may be (characters, sign and point included)."""
MAX_SPLITS: Final = 5000
"""More splits than this of one row: the row is not read (its run is far too long)."""
MAX_NODES: Final = 200_000
"""Search steps one row may take before it is given up as too many splits."""
MAX_COMBINATIONS: Final = 100_000
"""Combinations of ambiguous rows tried against the equations across rows."""

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
    """Depth-first enumeration of one row's splits, pruned by its own equations."""

    def __init__(self, problem: RowProblem, index: int, local: Sequence[Equation]) -> None:
        self.problem = problem
        self.index = index
        self.local = list(local)
        self.nodes = 0
        self.found: list[tuple[Piece, ...]] = []
        self.too_many = False
        # the equations that can be checked once column c is placed
        self.due: dict[int, list[Equation]] = {}
        for equation in self.local:
            last = max(column for _, column in (*equation.left, *equation.right))
            self.due.setdefault(last, []).append(equation)
        # partial sums: for "total = parts" equations with every part before the total
        self.sums: list[tuple[tuple[int, ...], int]] = []
        for equation in self.local:
            if len(equation.left) == 1:
                total = equation.left[0][1]
                parts = tuple(column for _, column in equation.right)
                if all(part < total for part in parts):
                    self.sums.append((parts, total))

    def run(self) -> None:
        runs = self.problem.runs
        self._walk(0, 0, [], {}, sum(len(r.text) for r in runs))

    def _walk(self, run: int, at: int, pieces: list[Piece], value: dict[Ref, Number],
              left_chars: int) -> None:
        if self.too_many:
            return
        self.nodes += 1
        if self.nodes > MAX_NODES or len(self.found) > MAX_SPLITS:
            self.too_many = True
            return
        kinds, runs = self.problem.kinds, self.problem.runs
        cell = len(pieces)
        if run == len(runs):
            if cell == len(kinds):
                self.found.append(tuple(pieces))
            return
        cells_left = len(kinds) - cell
        runs_left = len(runs) - run  # this one included; each needs a piece at least
        if cells_left < runs_left or left_chars < cells_left:
            return
        if left_chars > cells_left * MAX_DIGITS:
            return
        text = runs[run].text
        for stop in range(at + 1, min(len(text), at + MAX_DIGITS) + 1):
            piece_text = text[at:stop]
            if stop < len(text) and text[stop] == ".":
                continue  # a point is never a boundary
            if piece_text[0] == "0" and len(piece_text) > 1 and piece_text[1] != ".":
                break  # a leading zero: every longer piece has it too
            if not _fits(piece_text, kinds[cell], at == 0):
                continue
            piece = Piece(piece_text, runs[run].start + at, runs[run].start + stop,
                          at == 0 and stop == len(text))
            ref = (self.index, cell)
            value[ref] = piece.value
            if self._consistent(cell, value, run, stop, left_chars - (stop - at)):
                pieces.append(piece)
                if stop == len(text):
                    self._walk(run + 1, 0, pieces, value, left_chars - (stop - at))
                else:
                    self._walk(run, stop, pieces, value, left_chars - (stop - at))
                pieces.pop()
            del value[ref]

    def _consistent(self, cell: int, value: dict[Ref, Number], run: int, stop: int,
                    left_chars: int) -> bool:
        for equation in self.due.get(cell, ()):
            if not _holds(equation, value):
                return False
        # a total is at least the sum of its parts so far: it must still fit somewhere
        for parts, total in self.sums:
            if cell in parts and cell < total:
                partial = sum(value[(self.index, p)] for p in parts if p <= cell)
                room = max(len(self.problem.runs[run].text) - stop,
                           *(len(r.text) for r in self.problem.runs[run + 1:]), 0)
                if len(str(partial)) > min(room, MAX_DIGITS):
                    return False
        return True


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
