"""No silent zero: a report says how much of its template it read, and a statistical
section whose table was not read is an error, in every format."""

from __future__ import annotations

import re

import xxgk
from xxgk import spec
from xxgk.model import Severity

from .conftest import seed


def _without_table(text: str, heading: str, next_heading: str) -> str:
    start = text.index(heading) + len(heading)
    end = text.index(next_heading, start)
    return text[:start] + "\n本年度情况见下表。\n\n" + text[end:]


def test_a_whole_report_reads_every_cell_of_its_template() -> None:
    report = xxgk.parse_file(seed("000"))
    assert (report.coverage.read, report.coverage.expected) == (198, 198)
    assert report.coverage.complete and report.coverage.share == 1.0


def test_a_section_whose_table_was_not_read_is_an_error_at_its_heading() -> None:
    text = seed("000").read_text(encoding="utf-8")
    heading = re.search(r"三、[^\n]*收到和处理政府信息公开申请情况", text)
    assert heading is not None
    cut = _without_table(text, heading.group(), "四、")
    report = xxgk.parse(cut, source="cut.txt")
    (found,) = [d for d in report.diagnostics if d.code == "P105"]
    assert found.severity is Severity.ERROR
    assert found.span is not None
    assert cut.splitlines()[found.span.line - 1].strip().startswith("三、")
    assert report.applications is None
    assert report.coverage.read == 198 - 7 * len(spec.rows_of("2019", "applications"))
    assert not report.coverage.complete


def test_a_table_with_no_section_heading_is_still_a_warning() -> None:
    report = xxgk.parse("某某局2021年政府信息公开工作年度报告\n一、总体情况\n本年度工作正常。\n",
                        source="short.txt")
    found = [d for d in report.diagnostics if d.code == "P105"]
    assert found and all(d.severity is Severity.WARNING for d in found)
    assert report.coverage.read == 0 and report.coverage.expected == 200


def test_cells_a_source_could_not_decide_are_not_read() -> None:
    """The crawled 2022 page prints 行政规范性文件's three numbers run together
    ('8855698'), which no equation decides: printed, null, S301, and not counted as read."""
    from .conftest import ROOT

    report = xxgk.parse_file(ROOT / "corpus" / "crawl" / "pingtan_2022_flat.txt")
    assert "S301" in [d.code for d in report.diagnostics]
    assert (report.coverage.read, report.coverage.expected) == (197, 200)
    assert not report.coverage.complete


def test_empty_cells_at_the_end_of_a_table_are_cells() -> None:
    """A tab-only line is an empty cell of the tab_cell layout, also after the table's last
    number: a page whose review row ends in five empty cells (<td>&nbsp;</td>, as the 2019
    report of 上海市人民政府办公厅 prints its 复议后起诉 group) keeps 15 cells, five of them
    null, and no P106 'ends before its 15 numbers'."""
    text = seed("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines[:443]) if line == "\t0")
    for i in range(last - 4, last + 1):
        lines[i] = "\t"
    report = xxgk.parse("\n".join(lines))
    table = report.review_litigation
    assert table is not None
    assert [cell.value for _, _, cell in table.cells()] == [0] * 10 + [None] * 5
    assert "P106" not in [d.code for d in report.diagnostics]
    assert report.coverage.complete
