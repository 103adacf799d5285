"""Template-grammar snippet cases (tests/grammar/templates/cases.txt), tree-sitter style."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from xxgk.layouts import read_grid
from xxgk.normalize import normalize
from xxgk.tables import lex_grid, read_table

CASES = Path(__file__).parent / "grammar" / "templates" / "cases.txt"


@attrs.frozen
class Case:
    name: str
    table: str
    template: str
    text: str
    rows: tuple[str, ...]
    diagnostics: tuple[str, ...]
    error: bool


def _cases() -> Iterator[Case]:
    body = "\n".join(line for line in CASES.read_text(encoding="utf-8").split("\n")
                     if not line.startswith("#"))
    for match in re.finditer(r"=== (.+?) ===\n@ (\w+) (\d{4})\n(.*?)\n---\n(.*?)(?=\n===|\Z)",
                             body, re.S):
        name, table, template, text, expected = match.groups()
        lines = [line for line in expected.strip().split("\n") if line.strip()]
        diagnostics = tuple(line for line in lines if re.fullmatch(r"[A-Z]\d{3} \d+:\d+", line))
        rows = tuple(line for line in lines if line not in diagnostics)
        yield Case(name, table, template, text + "\n", rows, diagnostics, name.endswith(":error"))


CASE_LIST = list(_cases())


def _value(value: object) -> str:
    return "∅" if value is None else str(value)


@pytest.mark.parametrize("case", CASE_LIST, ids=[c.name for c in CASE_LIST])
def test_template_snippet(case: Case) -> None:
    norm = normalize(case.text)
    grid = read_grid(norm.text)
    assert grid is not None and not grid.problems
    table, diagnostics = read_table(case.table, case.template, lex_grid(grid), norm)
    rows = tuple(f"{row}: " + " ".join(_value(cell.value) for cell in cols.values())
                 for row, cols in table.rows.items())
    assert rows == case.rows
    found = tuple(f"{d.code} {d.span.line}:{d.span.column}" for d in diagnostics
                  if d.span is not None and d.code != "V201")
    assert found == case.diagnostics
    assert case.error == bool(found)


def test_enough_cases() -> None:
    assert len(CASE_LIST) >= 12
    assert sum(c.error for c in CASE_LIST) >= 4
