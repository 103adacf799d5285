"""An xxgk source and grid reader for reports exported as CSV.

Some agencies publish the report's text and tables as one CSV file: one record per line,
a line of prose as a one-field record, a table row as one field per cell::

    二、主动公开政府信息情况
    信息内容,本年制发件数,本年废止件数,现行有效件数
    规章,0,0,0

The *source* reads the CSV (quoted fields, doubled quotes) into text in which a table row
is its cells joined by ``;`` and maps every character back to the file; the *grid reader*
(a layout with no grammar) claims the ``;`` lines and splits them into cells with their
offsets. Both reach xxgk only through entry points (see ``pyproject.toml``).
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xxgk.layouts import Grid, Layout
    from xxgk.sources import Source, SourceText

__all__ = ["layout", "read", "read_grid", "sniff", "source"]

_SEPARATOR = ";"


def sniff(data: bytes, name: str | None) -> float:
    """Certain for a ``.csv`` file, nothing for anything else."""
    return 1.0 if name is not None and name.lower().endswith(".csv") else 0.0


def read(data: bytes, name: str | None) -> SourceText:
    """The report's text: a record per line, a table row's fields joined by ``;``."""
    from xxgk.sources import SourceMapBuilder, SourceText

    target = data.decode("utf-8-sig")
    builder = SourceMapBuilder(target)
    at = 0
    for line in target.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        fields = _fields(body)
        for index, (text, start) in enumerate(fields):
            if index:
                builder.put(_SEPARATOR, at + start - 1)  # stands for the comma
            printed = len(text.replace('"', '""'))
            if printed == len(text):
                builder.copy(text, at + start)
            else:  # doubled quotes inside: the field stands for its whole printed text
                builder.put(text, at + start, at + start + printed)
        builder.put("\n", at + len(body))
        at += len(line)
    return SourceText(builder.text(), builder.build(), "csvreport")


def _fields(line: str) -> list[tuple[str, int]]:
    """The fields of one CSV record with the offset of each field's text in the line."""
    (values,) = list(csv.reader(io.StringIO(line))) or [[]]
    found, at = [], 0
    for value in values:
        quoted = line.startswith('"', at)
        start = at + 1 if quoted else at
        found.append((value, start))
        at = start + len(value.replace('"', '""')) + (2 if quoted else 1)
    return found


def source() -> Source:
    """The source, built on first use."""
    from xxgk.sources import Source

    return Source("csvreport", sniff, read)


_CELL = re.compile(r"[^;\n]*")


def read_grid(text: str, start: int, end: int) -> Grid:
    """Split each ``;`` line of the block into cells with their absolute offsets."""
    from xxgk.layouts import Grid, GridCell

    rows = []
    problems = []
    at = start
    for line in text[start:end].split("\n"):
        if _SEPARATOR in line:
            cells = []
            for found in _CELL.finditer(line):
                if found.start() and line[found.start() - 1] != _SEPARATOR:
                    continue  # the empty match after a cell
                raw = found.group()
                lead = len(raw) - len(raw.lstrip())
                value = raw.strip()
                cells.append(GridCell(value, at + found.start() + lead,
                                      at + found.start() + lead + len(value)))
            rows.append(tuple(cells))
        elif line.strip():
            problems.append((at, at + len(line), "text that is not a row"))
        at += len(line) + 1
    return Grid("semicolon", tuple(rows), tuple(problems))


def layout() -> Layout:
    """The grid reader, as a layout claiming the lines with a ``;``."""
    from xxgk.layouts import Layout

    return Layout("semicolon", None, lambda block: 1.0 if _SEPARATOR in block else 0.0,
                  re.compile(r"[^\n]*;"), reader=read_grid)
