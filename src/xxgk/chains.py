"""The chains between one agency's reports of adjacent years, as located findings.

The template chains the years together:

* what an agency carried forward at the end of a year (四、结转下年度继续办理) is what it
  carried over at the start of the next (二、上年结转政府信息公开申请数量), in every applicant
  column: a break is an error in one of the two reports (``C601``, error);
* from the 2021 template on, the documents in force at the end of a year (现行有效件数) are
  last year's plus this year's issued (本年制发件数) minus repealed (本年废止件数), for 规章 and
  for 行政规范性文件; real normative documents also expire at the end of their validity
  without being repealed, so a break is a warning that shows the arithmetic (``C602``).

Over many reports (:func:`check_chains`) the reports are grouped by agency (the name as
printed, through :func:`xxgk.keys.agency_key`, or a grouping given by the caller) and
ordered by year; a year missing between two reports of one agency is named (``C603``),
two reports of one agency and year are named (``C605``), a report without agency or
year is named as left out (``C606``), and a chain that a cell without a number keeps from
being checked is named too (``C607``, info). Each finding is a :class:`Link`: a
:class:`~xxgk.model.Diagnostic` placed in the newer report, and the place in the older one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from . import spec
from .keys import agency_key
from .model import Cell, CellRef, Diagnostic, Report, Severity, Span

__all__ = ["CHAIN_CODES", "Link", "Place", "Yearly", "check_chains", "link_pair", "yearly"]

CHAIN_CODES = ("C601", "C602", "C603", "C604", "C605", "C606", "C607")

_CARRIED = ("applications", "carried_over")
_FORWARD = ("applications", "carried_forward")
_IN_FORCE_ROWS = ("rules", "normative_documents")
_KEPT = frozenset({*(("applications", row) for row in ("carried_over", "carried_forward")),
                   *(("active_disclosure", row) for row in _IN_FORCE_ROWS)})


@attrs.frozen
class Place:
    """A place in a report file: its source name, and a span (``None``: the whole file)."""

    source: str | None
    span: Span | None = None

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.span is None:
            return where
        if self.span.page is not None:
            where = f"{where}:{self.span.page}"
        return f"{where}:{self.span.line}:{self.span.column}"


@attrs.frozen
class Link:
    """A chain finding: ``diagnostic`` is placed in the newer report (its ``source`` and
    ``span``; its notes name the older place too); ``related`` is the place in the older
    report (``None`` when there is no older report, as for ``C606``)."""

    diagnostic: Diagnostic
    related: Place | None = None

    @property
    def severity(self) -> Severity:
        """The diagnostic's severity."""
        return self.diagnostic.severity

    def render(self) -> str:
        """The diagnostic as ``xxgk check`` prints it, both places named."""
        return self.diagnostic.render()

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic in the public JSON shape plus ``source`` and ``related``:
        ``{"source", "span"}`` of the older report's place."""
        from .serialize import diagnostic_dict, span_dict

        data = diagnostic_dict(self.diagnostic)
        data["source"] = self.diagnostic.source
        data["related"] = None if self.related is None else {
            "source": self.related.source,
            "span": None if self.related.span is None else span_dict(self.related.span)}
        return data


@attrs.frozen
class Yearly:
    """What the chains need of a report: its keys and the few cells they compare (small,
    so that a corpus of any size can be grouped in memory; picklable)."""

    source: str | None
    agency: str | None
    year: int | None
    template: str | None
    cells: Mapping[CellRef, Cell]
    span: Span | None = None  # where the year is stated, for findings about the report


def yearly(report: Report) -> Yearly:
    """The :class:`Yearly` of ``report``."""
    cells: dict[CellRef, Cell] = {}
    for name, table in report.tables.items():
        if table is None:
            continue
        for row, column, cell in table.cells():
            if (name, row) in _KEPT:
                cells[(name, row, column)] = cell
    span = report.year_mentions[0].span if report.year_mentions else None
    return Yearly(report.source, report.agency, report.year, report.template, cells, span)


def _as_yearly(item: Report | Yearly) -> Yearly:
    return item if isinstance(item, Yearly) else yearly(item)


def link_pair(old: Report | Yearly, new: Report | Yearly) -> list[Link]:
    """The chain findings between ``old`` and ``new``, taken as one agency's reports of
    two adjacent years (C601 carried over, C602 documents in force)."""
    a, b = _as_yearly(old), _as_yearly(new)
    return [*_carried_over(a, b), *_in_force(a, b)]


def _number(cell: Cell | None) -> int | Decimal | None:
    return None if cell is None else cell.value


def _finding(code: str, severity: Severity, message: str, new: Yearly, cell: Cell | None,
             cells: tuple[CellRef, ...], old: Yearly, old_cell: Cell | None,
             note: str | None) -> Link:
    related = Place(old.source, None if old_cell is None else old_cell.span)
    notes = (f"{related}: {note}",) if note else (f"the {old.year} report: {related}",)
    diagnostic = Diagnostic(code, severity, message, None if cell is None else cell.span,
                            cells, new.source, None, notes)
    return Link(diagnostic, related)


def _not_checked(what: str, new: Yearly, cell: Cell | None, old: Yearly,
                 old_cell: Cell | None, cells: tuple[CellRef, ...]) -> Link:
    return _finding("C607", Severity.INFO,
                    f"{what} not checked between {old.year} and {new.year}: a cell it involves "
                    f"printed no number (or was not read)", new, cell, cells, old, old_cell,
                    None)


def _carried_over(old: Yearly, new: Yearly) -> Iterator[Link]:
    differing = []
    unchecked: list[tuple[Cell | None, Cell | None]] = []
    for column in spec.APPLICANT_COLUMNS:
        before = old.cells.get((*_FORWARD, column))
        after = new.cells.get((*_CARRIED, column))
        if before is None and after is None:
            continue  # neither printed it
        if _number(before) is None or _number(after) is None:
            unchecked.append((before, after))
            continue
        if _number(before) != _number(after):
            differing.append((column, before, after))
    if unchecked and not differing:
        before, after = unchecked[0]
        yield _not_checked("the carried-over chain", new, after, old, before,
                           ((*_CARRIED, "total"),))
    if not differing:
        return
    differing.sort(key=lambda item: item[0] != "total")  # the total first, when it breaks
    column, before, after = differing[0]
    assert before is not None and after is not None
    parts = ", ".join(f"{spec.COLUMN_LABELS['applications'][c]} {_number(n)} ≠ {_number(o)}"
                      for c, o, n in differing)
    message = (f"carried-over chain broken: {spec.label(*_CARRIED)} in {new.year} is not "
               f"{spec.label(*_FORWARD)} of {old.year} ({parts})")
    yield _finding("C601", Severity.ERROR, message, new, after,
                   tuple((*_CARRIED, c) for c, _, _ in differing), old, before,
                   f"{spec.label(*_FORWARD, column)} = {_number(before)} in {old.year}")


def _in_force(old: Yearly, new: Yearly) -> Iterator[Link]:
    if old.template != "2021" or new.template != "2021":
        return  # 现行有效件数 is a column of the 2021 template only
    for row in _IN_FORCE_ROWS:
        table = "active_disclosure"
        before = old.cells.get((table, row, "in_force"))
        issued = new.cells.get((table, row, "issued"))
        repealed = new.cells.get((table, row, "repealed"))
        now = new.cells.get((table, row, "in_force"))
        if before is None and now is None:
            continue  # the row was printed in neither
        values = [_number(c) for c in (before, issued, repealed, now)]
        if any(v is None for v in values):
            yield _not_checked(f"the documents-in-force chain of {spec.ROW_LABELS[table][row]}",
                               new, now or issued or repealed, old, before,
                               ((table, row, "in_force"),))
            continue
        b, i, r, n = values
        assert b is not None and i is not None and r is not None and n is not None
        expected = b + i - r
        if expected == n:
            continue
        label = spec.ROW_LABELS[table][row]
        message = (f"documents-in-force chain: {label}: {b} + {i} − {r} = {expected} "
                   f"(现行有效件数 of {old.year} + 本年制发件数 − 本年废止件数 of {new.year}) "
                   f"but 现行有效件数 of {new.year} is {n} (normative documents that expire "
                   f"without being repealed can make this difference)")
        yield _finding("C602", Severity.WARNING, message, new, now,
                       ((table, row, "in_force"), (table, row, "issued"),
                        (table, row, "repealed")), old, before,
                       f"{label} / 现行有效件数 = {b} in {old.year}")


def _whole(code: str, message: str, report: Yearly, related: Yearly | None) -> Link:
    place = None if related is None else Place(related.source, related.span)
    notes = () if place is None else (f"the {related.year if related else ''} report: "
                                      f"{place}",)
    return Link(Diagnostic(code, Severity.WARNING, message, report.span, (), report.source,
                           None, notes), place)


def check_chains(
    reports: Iterable[Report | Yearly],
    groups: Mapping[str, str] | None = None,
) -> list[Link]:
    """The chain findings over ``reports``, grouped by agency and ordered by year.

    ``groups`` maps a report's ``source`` to its agency key (a caller's own grouping,
    e.g. from a CSV); reports it does not name are grouped by
    :func:`~xxgk.keys.agency_key` of their agency. Findings come group by group (groups
    in the order of their first report), oldest pair first.
    """
    by_agency: dict[str, list[Yearly]] = {}
    left_out: list[Link] = []
    for item in reports:
        report = _as_yearly(item)
        key = None
        if groups is not None and report.source is not None and report.source in groups:
            key = groups[report.source]
        elif report.agency:
            key = agency_key(report.agency) or None
        if key is None or report.year is None:
            missing = "agency" if key is None else "year"
            left_out.append(_whole("C606", f"no {missing} read: this report is left out of "
                                   "the chains between years (give a grouping to include "
                                   "it)", report, None))
            continue
        by_agency.setdefault(key, []).append(report)
    found = list(left_out)
    for key, group in by_agency.items():
        group.sort(key=lambda r: r.year or 0)  # stable: input order within a year
        previous: Yearly | None = None
        for report in group:
            assert report.year is not None
            if previous is not None and previous.year is not None:
                if report.year == previous.year:
                    found.append(_whole("C605", f"a second report of {key} for {report.year}: "
                                        f"left out of the chains", report, previous))
                    continue
                if report.year > previous.year + 1:
                    gap = ", ".join(str(y) for y in range(previous.year + 1, report.year))
                    found.append(_whole("C603", f"no report of {key} for {gap}, between "
                                        f"{previous.year} and {report.year}: the chains "
                                        f"are not checked across the gap", report, previous))
                else:
                    found.extend(link_pair(previous, report))
            previous = report
    return found
