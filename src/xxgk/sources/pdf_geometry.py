"""Ruled tables on a PDF page: which ruled cell a piece of text sits in.

A report printed from Word draws its tables with ruling lines (thin filled rectangles or
stroked lines) and often a rectangle per cell (shading). :class:`Rulings` keeps the page's
horizontal and vertical edges, and :meth:`Rulings.cell_at` finds the rectangle bounded by
the nearest edges around a point: the cell the point is printed in. Nothing here knows
about reports; it is plane geometry on PDF points (origin at the bottom left).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import attrs

__all__ = ["Cell", "Rulings", "Segment"]

Segment = tuple[float, float, float]
"""``(at, low, high)``: a horizontal edge at ``y = at`` from ``x = low`` to ``high``, or a
vertical one at ``x = at`` from ``y = low`` to ``high``."""

Cell = tuple[float, float, float, float]
"""``(left, bottom, right, top)`` of a ruled cell."""

_THIN = 3.0  # a path this thin (points) is a ruling line, not a box
_TOLERANCE = 1.5  # how far a point may lie outside an edge's extent and still be bounded by it
_MIN_CELL = 4.0  # a cell narrower or lower than this is the gap between two drawn boxes
_MAX_HEIGHT = 0.8  # a "cell" taller than this share of the page is a page frame


@attrs.frozen
class Rulings:
    """The horizontal and vertical edges of a page's drawn paths, sorted by position."""

    horizontal: tuple[Segment, ...]
    vertical: tuple[Segment, ...]
    width: float
    height: float
    _h_at: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)
    _v_at: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)
    _rows: dict[int, list[float]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rows", {})
        object.__setattr__(self, "_h_at", tuple(s[0] for s in self.horizontal))
        object.__setattr__(self, "_v_at", tuple(s[0] for s in self.vertical))

    @classmethod
    def from_boxes(cls, boxes: Iterable[tuple[float, float, float, float]], width: float,
                   height: float) -> Rulings:
        """The edges of drawn paths given by their bounds ``(x0, y0, x1, y1)``: a thin
        path is one edge along its middle, any other path the four sides of its box."""
        horizontal: list[Segment] = []
        vertical: list[Segment] = []
        for x0, y0, x1, y1 in boxes:
            w, h = x1 - x0, y1 - y0
            if h <= _THIN and w > _THIN:
                horizontal.append(((y0 + y1) / 2, x0, x1))
            elif w <= _THIN and h > _THIN:
                vertical.append(((x0 + x1) / 2, y0, y1))
            elif w > _THIN and h > _THIN:
                horizontal += [(y0, x0, x1), (y1, x0, x1)]
                vertical += [(x0, y0, y1), (x1, y0, y1)]
        return cls(_merged(horizontal), _merged(vertical), width, height)

    def cell_at(self, x: float, y: float) -> Cell | None:
        """The ruled cell around the point ``(x, y)``, or ``None`` outside any table."""
        if not self.horizontal or not self.vertical:
            return None
        across = self._across(y)
        k = bisect_right(across, x)
        if k == 0 or k == len(across):
            return None
        left, right = across[k - 1], across[k]
        # A table broken by a page is often left open there: no rule under its last row
        # (the cell reaches to the page's foot), or a rule over only part of its first
        # row (the nearest rule above at any x, else the page's head).
        bottom = _nearest(self.horizontal, self._h_at, y, x, below=True) or 0.0
        top = _nearest(self.horizontal, self._h_at, y, x, below=False)
        if top is None:
            top = _nearest(self.horizontal, self._h_at, y, None, below=False) or self.height
        if (top - bottom > _MAX_HEIGHT * self.height or right - left >= self.width
                or top - bottom < _MIN_CELL or right - left < _MIN_CELL):
            return None
        return (left, bottom, right, top)

    def _across(self, y: float) -> list[float]:
        """The x of every vertical edge that crosses the line ``y`` (within a tolerance),
        sorted; remembered per point of height (the glyphs of a line share it)."""
        key = round(y)
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = sorted(
                at for at, low, high in self.vertical
                if low - _TOLERANCE <= y <= high + _TOLERANCE)
        return found

    def crossings(self, low: float, high: float, y: float) -> list[float]:
        """The x of every vertical edge between ``low`` and ``high`` that crosses the line
        ``y``, close ones (two boxes side by side) merged."""
        found: list[float] = []
        for at, y0, y1 in self.vertical[bisect_left(self._v_at, low - _TOLERANCE):
                                        bisect_right(self._v_at, high + _TOLERANCE)]:
            if y0 - _TOLERANCE <= y <= y1 + _TOLERANCE and (not found
                                                             or at - found[-1] > _MIN_CELL):
                found.append(at)
        return found

    def edge_over(self, y: float, x: float) -> bool:
        """Whether a horizontal edge at ``y`` passes over ``x`` (a cell starts at ``y``)."""
        for at, x0, x1 in self.horizontal[bisect_left(self._h_at, y - _TOLERANCE):
                                          bisect_right(self._h_at, y + _TOLERANCE)]:
            if x0 - _TOLERANCE <= x <= x1 + _TOLERANCE and abs(at - y) <= _TOLERANCE:
                return True
        return False


def _merged(edges: list[Segment]) -> tuple[Segment, ...]:
    """``edges`` sorted, collinear ones (positions within half a point) that touch or
    overlap made one (the sides of the boxes of one table row are one rule), so that a
    look-up passes few edges."""
    merged: list[Segment] = []
    ordered = sorted(edges)
    k = 0
    while k < len(ordered):  # a cluster: positions within half a point of its first
        stop = k + 1
        while stop < len(ordered) and ordered[stop][0] - ordered[k][0] <= 0.5:
            stop += 1
        at = ordered[k][0]
        low, high = None, 0.0
        for _, a, b in sorted(ordered[k:stop], key=lambda e: e[1]):
            if low is not None and a <= high + _TOLERANCE:
                high = max(high, b)
                continue
            if low is not None:
                merged.append((at, low, high))
            low, high = a, b
        if low is not None:
            merged.append((at, low, high))
        k = stop
    return tuple(sorted(merged))


def _nearest(edges: tuple[Segment, ...], at: tuple[float, ...], position: float,
             across: float | None, *, below: bool) -> float | None:
    """The position of the edge nearest to ``position`` on one side (``below``: at or
    before it) whose extent covers ``across`` (any edge when ``across`` is ``None``)."""
    if below:
        for k in range(bisect_right(at, position) - 1, -1, -1):
            edge, low, high = edges[k]
            if across is None or low - _TOLERANCE <= across <= high + _TOLERANCE:
                return edge
        return None
    for k in range(bisect_left(at, position), len(edges)):
        edge, low, high = edges[k]
        if across is None or low - _TOLERANCE <= across <= high + _TOLERANCE:
            return edge
    return None
