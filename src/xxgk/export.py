"""Exports for spreadsheets and data frames: an Excel workbook, Parquet, a pandas frame.

The long table is one row per printed cell with the columns of
:data:`xxgk.serialize.CSV_HEADER` (source, agency, year, template, table, row, column,
value, raw, line, column_no, unit, page, box). In Arrow/Parquet/pandas the types are:
``year``, ``line``, ``column_no``, ``page`` nullable integers; ``value`` a float (counts
are whole; the printed text is in ``raw``), ``box`` a list of four floats or null, the rest
strings (null when absent). Needs ``pip install 'xxgk[parquet]'`` (pyarrow, pandas); the
workbook needs ``pip install 'xxgk[xlsx]'`` (openpyxl).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import spec
from .model import Report
from .serialize import CSV_HEADER, csv_rows

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["arrow_table", "cells_of_file", "to_dataframe", "write_parquet", "write_xlsx"]

_INTS = ("year", "line", "column_no", "page")


def _columns(reports: Iterable[Report]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in CSV_HEADER}
    for report in reports:
        for row in csv_rows(report):
            for name, value in zip(CSV_HEADER, row, strict=True):
                if value == "" and name != "raw":
                    value = None
                elif name == "value":
                    value = float(value) if isinstance(value, Decimal | int) else value
                elif name == "box":
                    value = [float(v) for v in str(value).split()]
                columns[name].append(value)
    return columns


def arrow_table(reports: Iterable[Report]) -> pyarrow.Table:
    """The long table of ``reports`` as a :class:`pyarrow.Table` (types: module doc)."""
    import pyarrow as pa

    types = {name: pa.string() for name in CSV_HEADER}
    types.update({name: pa.int32() for name in _INTS})
    types["value"] = pa.float64()
    types["box"] = pa.list_(pa.float64(), 4)
    columns = _columns(reports)
    return pa.table({name: pa.array(columns[name], type=types[name]) for name in CSV_HEADER})


def to_dataframe(reports: Iterable[Report]) -> pandas.DataFrame:
    """The long table of ``reports`` as a pandas DataFrame, one row per printed cell
    (nullable integer columns, ``value`` a float)."""
    import pandas as pd

    frame: pd.DataFrame = arrow_table(reports).to_pandas()
    for name in _INTS:
        frame[name] = frame[name].astype(pd.Int32Dtype())
    return frame


def cells_of_file(path: str | os.PathLike[str]) -> pandas.DataFrame:
    """The long table of the report file at ``path`` (for ``dask.dataframe.from_map``)."""
    from .pipeline import parse_file

    return to_dataframe([parse_file(path)])


def write_parquet(reports: Iterable[Report], path: str | os.PathLike[str]) -> int:
    """Write the long table of ``reports`` to the Parquet file ``path``; returns the rows."""
    import pyarrow.parquet as pq

    table = arrow_table(reports)
    pq.write_table(table, os.fspath(path))
    return int(table.num_rows)


def _sheet_title(index: int, report: Report, used: set[str]) -> str:
    bad = str.maketrans({c: " " for c in "[]:*?/\\"})
    base = f"{index} {report.agency or 'report'} {report.year or ''}".translate(bad).strip()
    title = base[:31]
    n = 2
    while title in used:
        title = f"{base[:27]} ({n})"
        n += 1
    used.add(title)
    return title


def _cell_value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def write_xlsx(reports: Iterable[Report], path: str | os.PathLike[str]) -> int:
    """Write one workbook: a sheet ``cells`` (the long table), a sheet ``diagnostics``
    (source, code, severity, message, line, column, page, part), and one sheet per report
    with its three tables laid out as the template prints them, with Chinese labels
    (a cell the report printed without a number shows its printed text). Returns the
    number of reports written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cells = book.active
    assert cells is not None
    cells.title = "cells"
    cells.append(list(CSV_HEADER))
    diagnostics = book.create_sheet("diagnostics")
    diagnostics.append(["source", "code", "severity", "message", "line", "column", "page",
                        "part"])
    bold = Font(bold=True)
    used = {"cells", "diagnostics"}
    count = 0
    for report in reports:
        count += 1
        for line in csv_rows(report):
            cells.append([_cell_value(v) if v != "" else None for v in line])
        for d in report.diagnostics:
            span = d.span
            diagnostics.append([report.source, d.code, d.severity.value, d.message,
                                None if span is None else span.line,
                                None if span is None else span.column,
                                None if span is None else span.page,
                                None if span is None else span.part])
        sheet = book.create_sheet(_sheet_title(count, report, used))
        sheet.append([report.title or report.source])
        sheet.append(["source", report.source, "agency", report.agency, "year", report.year,
                      "template", report.template])
        for name in ("active_disclosure", "applications", "review_litigation"):
            table = report.tables.get(name)
            sheet.append([])
            sheet.append([spec.TABLE_LABELS[name]])
            sheet.cell(sheet.max_row, 1).font = bold
            if table is None:
                sheet.append(["(not read)"])
                continue
            rows: list[str] = list(table.rows)
            if report.template in spec.TEMPLATES:
                assert report.template is not None
                order = spec.rows_of(report.template, name)
                rows = [r for r in order if r in table.rows] + [
                    r for r in table.rows if r not in order]
            headers: list[str] = []
            for row in rows:
                for column in table.rows[row]:
                    if column not in headers:
                        headers.append(column)
            sheet.append(["", *(spec.COLUMN_LABELS.get(name, {}).get(c, c) for c in headers)])
            for row in rows:
                values: list[object] = [spec.ROW_LABELS.get(name, {}).get(row, row)]
                for column in headers:
                    cell = table.rows[row].get(column)
                    if cell is None:
                        values.append(None)
                    elif cell.value is None:
                        values.append(cell.raw.strip() or None)
                    else:
                        values.append(_cell_value(cell.value))
                sheet.append(values)
    book.save(os.fspath(path))
    return count
