"""Spot values of the tables issue, read against the seed texts, and table-level behaviour."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from lark import Lark, Token

import xxgk
from xxgk import tables

from .conftest import seed


def _cell(name: str, table: str, row: str, column: str) -> xxgk.Cell:
    return _in(xxgk.parse_file(seed(name)), table, row, column)


@pytest.mark.parametrize(("name", "table", "row", "column", "value", "raw", "line"), [
    ("000", "active_disclosure", "administrative_penalty", "change", -16, "-16", 53),
    ("002", "active_disclosure", "centralized_procurement", "amount", Decimal("55566.88"),
     "55566.88万元", 83),
    ("002", "active_disclosure", "administrative_licensing", "change", -22, "减22", 40),
    ("003", "active_disclosure", "normative_documents", "published_total", 34, "34", 33),
    ("003", "review_litigation", "litigation_direct", "upheld", 2, "2", 384),
    ("004", "active_disclosure", "administrative_licensing", "decisions", 476, "476", 13),
    ("000", "applications", "results.total", "natural_person", 1, "1", 341),
    ("002", "applications", "results.total", "total", 3, "3", 337),
])
def test_spot_values(name: str, table: str, row: str, column: str, value: object, raw: str,
                     line: int) -> None:
    cell = _cell(name, table, row, column)
    assert (cell.value, cell.raw, cell.span.line) == (value, raw, line)


def test_amount_units() -> None:
    assert _cell("002", "active_disclosure", "centralized_procurement", "amount").unit == "万元"
    # the 2021 fee column's header fixes the unit
    assert _cell("001", "active_disclosure", "administrative_fees", "amount").unit == "万元"
    # a bare 2019 amount has no unit
    assert _cell("000", "active_disclosure", "centralized_procurement", "amount").unit is None


def test_noise_is_read_as_zero_with_an_info_diagnostic() -> None:
    report = xxgk.parse_file(seed("004"))
    noisy = [cell for table in report.tables.values() if table
             for _, _, cell in table.cells() if "?" in cell.raw]
    assert len(noisy) == 162 and all(cell.value == 0 for cell in noisy)
    infos = {(d.span.line, d.span.column) for d in report.diagnostics
             if d.code == "V201" and d.span is not None}
    assert {(c.span.line, c.span.column) for c in noisy} <= infos
    assert all(d.severity is xxgk.Severity.INFO for d in report.diagnostics if d.code == "V201")


def test_every_seed_has_every_cell_of_its_template() -> None:
    from xxgk import spec

    for name, missing in (("000", 0), ("001", 0), ("002", 0), ("003", 0), ("004", 7)):
        report = xxgk.parse_file(seed(name))
        assert report.template is not None
        absent = [(t, r, c) for t in ("active_disclosure", "applications", "review_litigation")
                  for r in spec.rows_of(report.template, t)
                  for c in spec.columns_of(report.template, t, r)
                  if (table := report.tables[t]) is None or table.get(r, c) is None]
        # 004 prints no "3.其他" row under （六）其他处理: its seven cells are absent
        assert len(absent) == missing, absent


def test_a_missing_table_is_null_with_a_warning() -> None:
    text = seed("000").read_text(encoding="utf-8")
    start = text.index("四、政府信息公开行政复议")
    end = text.index("五、存在问题")
    report = xxgk.parse(text[:start] + text[end:])
    assert report.review_litigation is None
    assert [d.code for d in report.diagnostics if d.code in ("P102", "P105")] == ["P102", "P105"]


def test_a_table_shaped_like_one_read_before_is_filled_without_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The template grammar sees only token types: a table printed with the same types as
    one read before is filled from the remembered parse, with its own numbers."""
    starts: list[str] = []
    real = tables._runner

    def counting(parser: Lark) -> Callable[[list[Token], str | None], Any]:
        parse = real(parser)

        def counted(tokens: list[Token], start: str | None) -> Any:
            starts.append(str(start))
            return parse(tokens, start)

        return counted

    text = seed("000").read_text(encoding="utf-8")
    # the same report, every number printed one cell per line made 7 larger
    changed = re.sub(r"(?m)^\t(\d+)$", lambda m: f"\t{int(m.group(1)) + 7}", text)
    monkeypatch.setattr(tables, "_runner", counting)
    tables._planner.cache_clear()
    try:
        first = xxgk.parse(text)
        assert sorted(starts) == ["active_disclosure_2019", "applications_2019",
                                  "review_litigation"]
        second = xxgk.parse(changed)
        assert len(starts) == 3  # the same shapes: not parsed again
        tables._planner.cache_clear()
        fresh = xxgk.parse(changed)
        assert len(starts) == 6
    finally:
        tables._planner.cache_clear()
    assert second == fresh
    total = _in(second, "applications", "results.total", "total")
    assert total.value == _in(first, "applications", "results.total", "total").value + 7
    assert total.raw == str(total.value)


def _in(report: xxgk.Report, table: str, row: str, column: str) -> xxgk.Cell:
    parsed = report.tables[table]
    assert parsed is not None
    return parsed[row][column]


def test_what_the_plans_keep_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [seed(name) for name in ("000", "001", "002", "003", "004")]
    tables._planner.cache_clear()
    try:
        for path in paths:
            xxgk.parse_file(path)
        planner = tables._planner(tables._parser())
        assert len(planner.plans) >= 5  # each seed's tables, none longer than the limit
        assert planner.kept == sum(len(key[2]) for key in planner.plans)
        # a budget of two tables' tokens: the plans are forgotten whenever it would be passed
        tables._planner.cache_clear()
        monkeypatch.setattr(tables, "_PLANS_TOKENS", 260)
        planner = tables._planner(tables._parser())
        for path in paths:
            xxgk.parse_file(path)
            assert 0 < planner.kept <= 260
            assert planner.kept == sum(len(key[2]) for key in planner.plans)
        # token lists longer than the limit (a table repeated, merged) are not kept at all
        tables._planner.cache_clear()
        monkeypatch.setattr(tables, "_PLAN_TOKENS", 30)
        planner = tables._planner(tables._parser())
        report = xxgk.parse_file(paths[0])
        assert planner.plans == {} and planner.kept == 0
        assert report.tables == xxgk.parse_file(paths[0]).tables
    finally:
        tables._planner.cache_clear()


def _review_cut(name: str, numbers: int) -> str:
    """Seed ``name`` with only the first ``numbers`` of its review table's 15 numbers:
    seed 000 prints them one per line (tab cells), seed 004 on one bar row."""
    text = seed(name).read_text(encoding="utf-8")
    if name == "000":
        lines = text.split("\n")
        first = 425  # 0-based index of line 426, the first of the 15 "\t0" lines
        assert lines[first:first + 15] == ["\t0"] * 15
        del lines[first + numbers:first + 15]
        return "\n".join(lines)
    row = "0? | ?0 | ?0 | 0? | 0? | 0? | 0? | ?0 | 0? | ?0 | 0? | 0? | ?0 | ?0 | 0 |"
    assert text.count(row) == 1
    cells = row.split(" | ")[:numbers]
    return text.replace(row, " | ".join(cells) + " |" if cells else "")


@pytest.mark.parametrize("name", ["000", "004"])
@pytest.mark.parametrize("numbers", [0, 7, 14, 15])
def test_a_review_table_cut_short_is_an_error(name: str, numbers: int) -> None:
    """P106 (README): fewer than the review table's 15 numbers printed, whether none at
    all (the header only) or a row of numbers cut short, is an error where the table
    ends; the numbers printed are kept all the same."""
    report = xxgk.parse(_review_cut(name, numbers))
    found = [d for d in report.diagnostics if d.code == "P106"]
    if numbers == 15:
        assert found == []
        return
    assert len(found) == 1 and found[0].severity == "error"
    assert f"({numbers} printed)" in found[0].message
    table = report.review_litigation
    assert table is not None
    kept = [cell for row in table.rows.values() for cell in row.values()]
    assert len(kept) == numbers


_FEES_2021 = "\t本年收费金额（单位：万元）\n\n\t行政事业性收费\n\t0\n"  # seed 001, lines 63-66


@pytest.mark.parametrize(("name", "printed", "edited", "raw", "unit"), [
    # the 2021 template's own header: 万元
    ("001", _FEES_2021, _FEES_2021, "0", "万元"),
    # a header naming another unit: that one (it used to be 万元 whatever the header said)
    ("001", _FEES_2021, _FEES_2021.replace("万元", "元").replace("\t0", "\t1234"), "1234", "元"),
    # a unit taken whole, not the 元 at its end
    ("001", _FEES_2021, _FEES_2021.replace("万元", "千元").replace("\t0", "\t12"), "12", "千元"),
    ("001", _FEES_2021, _FEES_2021.replace("万元", "百万元").replace("\t0", "\t3"), "3", "百万元"),
    ("001", _FEES_2021, _FEES_2021.replace("万元", "元/件").replace("\t0", "\t5"), "5", "元/件"),
    # 2019 (seed 002, lines 79-83): the unit printed in the cell, in the header, nowhere
    ("002", "\t55566.88万元\n", "\t55566.88万元\n", "55566.88万元", "万元"),
    ("002", "\t采购总金额\n", "\t采购总金额（万元）\n", "55566.88万元", "万元"),
])
def test_an_amount_takes_the_unit_its_header_names(
    name: str, printed: str, edited: str, raw: str, unit: str | None
) -> None:
    text = seed(name).read_text(encoding="utf-8")
    assert text.count(printed) == 1
    table = xxgk.parse(text.replace(printed, edited)).active_disclosure
    assert table is not None
    row = "administrative_fees" if name == "001" else "centralized_procurement"
    cell = table.get(row, "amount")
    assert cell is not None and (cell.raw, cell.unit) == (raw, unit)


def test_an_amount_printed_bare_under_a_header_without_unit_has_none() -> None:
    """2019, seed 002 with the unit taken out of the cell: no unit anywhere, null."""
    text = seed("002").read_text(encoding="utf-8").replace("\t55566.88万元\n", "\t55566.88\n")
    table = xxgk.parse(text).active_disclosure
    assert table is not None
    cell = table.get("centralized_procurement", "amount")
    assert cell is not None and (cell.raw, cell.unit) == ("55566.88", None)
    header = xxgk.parse(text.replace("\t采购总金额\n", "\t采购总金额（万元）\n")).active_disclosure
    assert header is not None
    cell = header.get("centralized_procurement", "amount")
    assert cell is not None and (cell.raw, cell.unit) == ("55566.88", "万元")
