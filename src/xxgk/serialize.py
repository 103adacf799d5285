"""Outputs: the public JSON shape (through one private cattrs converter) and long CSV.

JSON (the shape of the project's design card)::

    {"source", "format", "agency", "year", "template", "issued", "title", "agency_from",
     "year_from",
     "sections": [{"kind", "number", "title", "span"}],
     "tables": {"<table>": {"<row>": {"<column>": {"value", "raw", "span"[, "unit"]}}} | null},
     "diagnostics": [{"code", "severity", "message", "span", "cells": [[t, r, c]][, "notes"]}],
     "coverage": {"read", "expected"}}

Spans are ``{"line", "column", "end_line", "end_column"}`` (1-based, end exclusive), with
``"page"`` and ``"box"`` (``[x0, y0, x1, y1]`` in PDF points) for a PDF and ``"part"`` for a
Word file.
Amounts are JSON numbers (integers when whole); ``unit`` appears
only on cells that have one. CSV is one printed cell per line:
``source,agency,year,template,table,row,column,value,raw,line,column_no,unit,page,box``
(``unit`` empty but for amounts; ``page`` and ``box`` — ``x0 y0 x1 y1`` in PDF points —
empty but for cells of a PDF).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import cattrs

from .model import Cell, Coverage, Diagnostic, Report, Section, Severity, Span, Table

__all__ = ["CSV_HEADER", "csv_rows", "diagnostic_dict", "from_dict", "span_dict", "to_csv",
           "to_dict", "to_json"]

CSV_HEADER = ("source", "agency", "year", "template", "table", "row", "column", "value", "raw",
              "line", "column_no", "unit", "page", "box")


def _json_number(value: Decimal) -> int | float:
    """An amount as a JSON number: an integer when whole, else the nearest float (its
    shortest repr gives back the printed digits for any amount with up to 15 of them;
    the printed text is always in ``raw``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def span_dict(span: Span) -> dict[str, Any]:
    """A span in the public JSON shape."""
    out: dict[str, Any] = {"line": span.line, "column": span.column,
                           "end_line": span.end_line, "end_column": span.end_column}
    if span.page is not None:
        out["page"] = span.page
    if span.box is not None:
        out["box"] = [round(v, 2) for v in span.box]
    if span.part is not None:
        out["part"] = span.part
    return out


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic in the public JSON shape (``code, severity, message, span, cells``, and
    ``notes`` when it has any: the cells a sum involves, a crawled row's candidate
    readings, each with its place)."""
    out: dict[str, Any] = {
        "code": d.code, "severity": d.severity.value, "message": d.message,
        "span": None if d.span is None else span_dict(d.span),
        "cells": [list(ref) for ref in d.cells]}
    if d.notes:
        out["notes"] = list(d.notes)
    return out


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)

    def span_in(data: dict[str, Any], _: type) -> Span:
        box = data.get("box")
        return Span(data["line"], data["column"], data["end_line"], data["end_column"],
                    data.get("page"), None if box is None else (
                        float(box[0]), float(box[1]), float(box[2]), float(box[3])),
                    data.get("part"))

    def cell_out(cell: Cell) -> dict[str, Any]:
        value: Any = _json_number(cell.value) if isinstance(cell.value, Decimal) else cell.value
        out: dict[str, Any] = {"value": value, "raw": cell.raw, "span": span_dict(cell.span)}
        if cell.unit is not None:
            out["unit"] = cell.unit
        return out

    def table_out(table: Table) -> dict[str, Any]:
        return {row: {col: cell_out(cell) for col, cell in cols.items()}
                for row, cols in table.rows.items()}

    def section_out(s: Section) -> dict[str, Any]:
        return {"kind": s.kind, "number": s.number, "title": s.title, "span": span_dict(s.span)}

    def report_out(r: Report) -> dict[str, Any]:
        return {
            "source": r.source, "format": r.format, "agency": r.agency, "year": r.year,
            "template": r.template,
            "issued": None if r.issued is None else r.issued.isoformat(), "title": r.title,
            "agency_from": r.agency_from, "year_from": r.year_from,
            "sections": [section_out(s) for s in r.sections],
            "tables": {name: None if t is None else table_out(t) for name, t in r.tables.items()},
            "diagnostics": [diagnostic_dict(d) for d in r.diagnostics],
            "coverage": {"read": r.coverage.read, "expected": r.coverage.expected},
        }

    conv.register_unstructure_hook(Span, span_dict)
    conv.register_structure_hook(Span, span_in)
    conv.register_unstructure_hook(Cell, cell_out)
    conv.register_unstructure_hook(Report, report_out)

    def cell_in(data: dict[str, Any], column: str) -> Cell:
        raw_value = data["value"]
        value: int | Decimal | None
        if raw_value is None:
            value = None
        elif column == "amount" or isinstance(raw_value, float):
            value = Decimal(str(raw_value))  # the digits as printed by the float's repr
        else:
            value = int(raw_value)
        return Cell(value, data["raw"], conv.structure(data["span"], Span), data.get("unit"))

    def report_in(data: dict[str, Any], _: type) -> Report:
        tables: dict[str, Table | None] = {}
        for name, rows in data["tables"].items():
            tables[name] = None if rows is None else Table(
                name, data["template"],
                {row: {col: cell_in(c, col) for col, c in cols.items()}
                 for row, cols in rows.items()})
        return Report(
            source=data["source"], agency=data["agency"], year=data["year"],
            template=data["template"],
            issued=None if data["issued"] is None else dt.date.fromisoformat(data["issued"]),
            title=data["title"],
            sections=tuple(conv.structure(s, Section) for s in data["sections"]),
            tables=tables,
            agency_from=data.get("agency_from"), year_from=data.get("year_from"),
            diagnostics=tuple(
                Diagnostic(d["code"], Severity(d["severity"]), d["message"],
                           None if d["span"] is None else conv.structure(d["span"], Span),
                           tuple((c[0], c[1], c[2]) for c in d["cells"]),
                           notes=tuple(d.get("notes", ())))
                for d in data["diagnostics"]),
            coverage=Coverage(data["coverage"]["read"], data["coverage"]["expected"]),
            format=data["format"],
        )

    conv.register_structure_hook(Report, report_in)
    return conv


_CONVERTER = _make_converter()


def to_dict(report: Report) -> dict[str, Any]:
    """The report in the public JSON shape, as plain Python data."""
    result: dict[str, Any] = _CONVERTER.unstructure(report)
    return result


def from_dict(data: dict[str, Any]) -> Report:
    """A report back from :func:`to_dict` output. What the public JSON does not carry
    comes back empty: table spans, ``year_mentions``, ``issued_span``, and the
    diagnostics' source lines (so ``render()`` shows no source line)."""
    return _CONVERTER.structure(data, Report)


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as one JSON object (UTF-8 characters kept, not escaped)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


def csv_rows(report: Report) -> Iterator[tuple[object, ...]]:
    """One tuple per printed cell, in the order of :data:`CSV_HEADER`."""
    source, agency, template = report.source or "", report.agency or "", report.template or ""
    year: object = "" if report.year is None else report.year
    for name, table in report.tables.items():
        if table is None:
            continue
        for row, column, cell in table.cells():
            value: object = "" if cell.value is None else cell.value
            span = cell.span
            yield (source, agency, year, template, name, row, column, value, cell.raw,
                   span.line, span.column, cell.unit or "",
                   "" if span.page is None else span.page,
                   "" if span.box is None else " ".join(f"{v:.2f}" for v in span.box))


def to_csv(reports: Iterable[Report], *, header: bool = True) -> str:
    """Long CSV of every printed cell of ``reports``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_HEADER)
    for report in reports:
        writer.writerows(csv_rows(report))
    return buffer.getvalue()
