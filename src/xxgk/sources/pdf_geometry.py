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

    def __attrs_post_init__(self) -> None:
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
        return cls(tuple(sorted(horizontal)), tuple(sorted(vertical)), width, height)

    def cell_at(self, x: float, y: float) -> Cell | None:
        """The ruled cell around the point ``(x, y)``, or ``None`` outside any table."""
        if not self.horizontal or not self.vertical:
            return None
        left = _nearest(self.vertical, self._v_at, x, y, below=True)
        right = _nearest(self.vertical, self._v_at, x, y, below=False)
        if left is None or right is None:
            return None
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
