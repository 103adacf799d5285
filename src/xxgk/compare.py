"""This year against last year: two reports compared cell by cell, with the chains between.

:func:`compare` lines up the cells of two reports by canonical name (the template's order,
then cells only one report has), gives each one's value and the change, and runs the
chain checks of :mod:`xxgk.chains` when the reports are one agency's of adjacent years;
otherwise a ``C604`` warning says why they were not run (the comparison is still made).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from . import spec
from .chains import Link, Place, link_pair
from .keys import agency_key
from .model import Cell, CellRef, Diagnostic, Report, Severity

__all__ = ["CSV_HEADER", "Change", "Comparison", "compare"]

CSV_HEADER = ("table", "row", "column", "label", "old", "new", "change", "old_raw", "new_raw")


@attrs.frozen
class Change:
    """One cell in both reports: ``old``/``new`` are ``None`` when that report did not
    print the cell; ``change`` is new − old when both printed a number."""

    table: str
    row: str
    column: str
    old: Cell | None
    new: Cell | None

    @property
    def label(self) -> str:
        """The cell's printed Chinese labels (``（七）总计 / 自然人``)."""
        return spec.label(self.table, self.row, self.column)

    @property
    def change(self) -> int | Decimal | None:
        """new − old, when both printed a number."""
        a = None if self.old is None else self.old.value
        b = None if self.new is None else self.new.value
        return None if a is None or b is None else b - a

    @property
    def differs(self) -> bool:
        """Whether the two reports printed different values (or only one printed it)."""
        if self.old is None or self.new is None:
            return self.old is not self.new
        return self.old.value != self.new.value


@attrs.frozen
class Comparison:
    """Two reports compared: every cell of either (:attr:`changes`, differing or not), and
    the chain findings between them (:attr:`links`, ``C604`` when not comparable)."""

    old: Report
    new: Report
    changes: tuple[Change, ...]
    links: tuple[Link, ...]

    def differing(self) -> tuple[Change, ...]:
        """The cells whose values differ."""
        return tuple(c for c in self.changes if c.differs)

    def to_dict(self, *, every: bool = False) -> dict[str, Any]:
        """The JSON shape of ``xxgk compare --format json``::

            {"old": {"source", "agency", "year", "template"}, "new": {…},
             "cells": [{"table", "row", "column", "label", "old", "new", "change",
                        "old_raw", "new_raw"}],
             "diagnostics": [{"code", "severity", "message", "source", "span", "cells",
                              "related"}]}
        """
        return {
            "old": _about(self.old),
            "new": _about(self.new),
            "cells": [dict(zip(CSV_HEADER, _row(c, json=True), strict=True))
                      for c in (self.changes if every else self.differing())],
            "diagnostics": [link.to_dict() for link in self.links],
        }

    def rows(self, *, every: bool = False) -> Iterator[tuple[object, ...]]:
        """The cells as CSV rows, in the order of :data:`CSV_HEADER`."""
        for change in self.changes if every else self.differing():
            yield _row(change, json=False)

    def render(self, *, every: bool = False) -> str:
        """The comparison as text for a terminal: a header per report, one line per cell
        (``old  new  change  label  (table/row/column)``), then the chain findings."""
        lines = [f"old: {_title(self.old)}", f"new: {_title(self.new)}"]
        shown = self.changes if every else self.differing()
        if shown:
            lines.append(f"{'old':>9} {'new':>9} {'change':>9}  cell")
            for c in shown:
                change = c.change
                lines.append(f"{_show(c.old):>9} {_show(c.new):>9} "
                             f"{'' if change is None else f'{change:+}':>9}  {c.label}  "
                             f"({c.table}/{c.row}/{c.column})")
        else:
            lines.append("no cell differs" if not every else "no cell read")
        lines.extend(link.render() for link in self.links)
        return "\n".join(lines) + "\n"


def _about(report: Report) -> dict[str, Any]:
    return {"source": report.source, "agency": report.agency, "year": report.year,
            "template": report.template}


def _title(report: Report) -> str:
    return (f"{report.source or '<input>'} ({report.agency or 'agency unknown'}, "
            f"{report.year or 'year unknown'}, template {report.template or 'unknown'})")


def _show(cell: Cell | None) -> str:
    if cell is None:
        return "—"
    if cell.value is None:
        return cell.raw.strip() or "∅"
    return str(cell.value)


def _number(value: int | Decimal | None, json: bool) -> object:
    if value is None:
        return None if json else ""
    if isinstance(value, Decimal) and json:
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _row(c: Change, *, json: bool) -> tuple[object, ...]:
    empty: object = None if json else ""
    return (c.table, c.row, c.column, c.label,
            _number(None if c.old is None else c.old.value, json),
            _number(None if c.new is None else c.new.value, json),
            _number(c.change, json),
            empty if c.old is None else c.old.raw, empty if c.new is None else c.new.raw)


def _cells(report: Report) -> dict[CellRef, Cell]:
    return {(name, row, column): cell for name, table in report.tables.items()
            if table is not None for row, column, cell in table.cells()}


def _order(report: Report) -> list[CellRef]:
    """The cells of ``report``'s template in printed order (none for no template)."""
    if report.template not in spec.TEMPLATES:
        return []
    assert report.template is not None
    return [(name, row, column) for name in ("active_disclosure", "applications",
                                             "review_litigation")
            for row in spec.rows_of(report.template, name)
            for column in spec.columns_of(report.template, name, row)]


def compare(old: Report, new: Report) -> Comparison:
    """``old`` and ``new`` compared cell by cell, with the chain findings between them when
    they are one agency's reports of adjacent years (else a ``C604`` warning)."""
    before, after = _cells(old), _cells(new)
    order: dict[CellRef, None] = {}
    for ref in (*_order(new), *_order(old)):
        if ref in before or ref in after:
            order[ref] = None
    for ref in (*after, *before):  # cells outside the template, in printed order
        order[ref] = None
    changes = tuple(Change(t, r, c, before.get((t, r, c)), after.get((t, r, c)))
                    for t, r, c in order)
    problems = []
    a = agency_key(old.agency) if old.agency else None
    b = agency_key(new.agency) if new.agency else None
    if a is None or b is None or a != b:
        problems.append(f"the reports are of different agencies ({old.agency or 'unknown'}, "
                        f"{new.agency or 'unknown'})")
    if old.year is None or new.year is None or new.year != old.year + 1:
        problems.append(f"the years are not adjacent ({old.year or 'unknown'} then "
                        f"{new.year or 'unknown'})")
    if problems:
        span = new.year_mentions[0].span if new.year_mentions else None
        related = Place(old.source, old.year_mentions[0].span if old.year_mentions else None)
        links: tuple[Link, ...] = (Link(Diagnostic(
            "C604", Severity.WARNING,
            f"{'; '.join(problems)}: the cells are compared, the chains between years are "
            f"not checked", span, (), new.source, None, (f"the other report: {related}",)),
            related),)
    else:
        links = tuple(link_pair(old, new))
    return Comparison(old, new, changes, links)
