"""The document stage over the seeds: metadata, sections, spans into the original file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark

import xxgk
from xxgk.grammars import grammar_dir
from xxgk.normalize import normalize

from .conftest import seed

EXPECTED = {
    # agency, year, template, issued, title
    "000": ("道里区卫生健康局", 2020, "2019", None,
            "道里区卫生健康局2020年政府信息公开工作年度报告"),
    "001": ("尚志市卫生健康局", 2021, "2021", None,
            "尚志市卫生健康局2021年政府信息公开工作年度报告"),
    "002": ("拱墅区卫生健康局", 2020, "2019", dt.date(2021, 1, 19),
            "区卫生健康局2020年度政府信息公开工作年度报告"),
    "003": ("张家港市卫健委", 2020, "2019", dt.date(2021, 1, 19), None),
    "004": ("城东区卫生健康局", 2023, "2021", dt.date(2023, 1, 18),
            "城东区卫生健康局政府信息公开工作年度报告"),
}

SECTIONS = {
    "000": [("一", "overview"), ("二", "active_disclosure"), ("三", "applications"),
            ("四", "review_litigation"), ("五", "problems"), ("六", "other_matters")],
    "001": [("一", "overview"), (None, "active_disclosure"), (None, "applications"),
            (None, "review_litigation"), (None, "problems"), (None, "other_matters")],
    "002": [("一", "overview"), ("二", "active_disclosure"), ("三", "applications"),
            ("四", "review_litigation"), ("五", "problems"), ("六", "other_matters")],
    "003": [("一", "extra"), ("二", "extra"), ("三", "active_disclosure"), ("四", "applications"),
            ("五", "review_litigation"), ("六", "problems"), ("七", "other_matters")],
    "004": [("一", "overview"), ("二", "active_disclosure"), (None, "applications"),
            ("四", "review_litigation"), ("五", "problems"), ("六", "other_matters")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(name: str) -> None:
    report = xxgk.parse_file(seed(name))
    assert (report.agency, report.year, report.template, report.issued, report.title) == \
        EXPECTED[name]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_sections(name: str) -> None:
    report = xxgk.parse_file(seed(name))
    assert [(s.number, s.kind) for s in report.sections] == SECTIONS[name]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_section_spans_point_at_their_titles(name: str) -> None:
    """Every section span covers exactly the heading as printed in the original file."""
    original = seed(name).read_text(encoding="utf-8").split("\n")
    for section in xxgk.parse_file(seed(name)).sections:
        span = section.span
        assert span.line == span.end_line
        printed = original[span.line - 1][span.column - 1:span.end_column - 1]
        assert printed == printed.strip()
        expected = section.title if section.number is None else f"{section.number}、{section.title}"
        assert normalize(printed).text == expected


def test_document_grammar_is_conflict_free() -> None:
    Lark.open(str(grammar_dir() / "document.lark"), parser="lalr", lexer="basic", strict=True)


def test_template_grammar_is_conflict_free() -> None:
    Lark.open(str(grammar_dir() / "templates" / "template.lark"), parser="lalr", lexer="basic",
              strict=True, start=["active_disclosure_2019", "active_disclosure_2021",
                                  "applications_2019", "applications_2021", "review_litigation"])


def test_extra_sections_keep_their_titles() -> None:
    titles = [s.title for s in xxgk.parse_file(seed("003")).sections if s.kind == "extra"]
    assert titles == ["政务公开标准化建设情况", "政务公开内容发布情况"]


@given(st.text(alphabet=" \t\u3000ab规1|", max_size=40))
def test_a_spaced_line_is_found_as_the_anchored_pattern_found_it(line: str) -> None:
    """The spaced-row test ("  " in the line, then a search) says what the earlier
    anchored ``.*\\S {2,}\\S`` match said, for any line."""
    from xxgk.document import _SPACED_LINE

    before = re.match(r".*\S {2,}\S", line) is not None
    assert ("  " in line and _SPACED_LINE.search(line) is not None) == before


def _table_lines(text: str) -> list[str]:
    """The lines of ``text`` that the outline puts in table blocks."""
    from xxgk.document import read_outline

    outline = read_outline(text)
    blocks = [b for b in outline.preamble if b.kind == "TABLE"] + [
        b for _, items in outline.sections for b in items if b.kind == "TABLE"]
    return [line for b in blocks for line in text[b.start:b.end].splitlines()]


def test_a_short_spaced_run_next_to_a_spaced_table_is_table() -> None:
    """A sub-table of two spaced lines after a spaced table and its one-line caption is
    table too (tests/ext_example/sample/spaced_2021.txt, 第二十条第（八）项); two spaced
    lines apart from any spaced table stay prose, and a tab table takes no spaced line."""
    table = ["信息内容  本年处理决定数量", "行政处罚  9", "行政强制  1"]
    fees = ["信息内容  本年收费金额", "行政事业性收费  0"]
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第（六）项", *table,
                      "第二十条第（八）项", *fees, "三、收到和处理政府信息公开申请情况"])
    assert _table_lines(text) == [*table, "第二十条第（八）项", *fees]
    # the same two lines, a paragraph away from the table: prose (fewer than three)
    apart = "\n".join(["二、主动公开政府信息情况", *table,
                       "本年度我局共收取行政事业性收费零元，具体情况如下表所示，特此说明。",
                       *fees])
    assert _table_lines(apart) == table
    # a section heading printed with two spaces is not pulled in
    spaced_heading = "\n".join(["一、总体情况", "二、  主动公开政府信息情况",
                                "第二十条第（六）项", *table])
    assert _table_lines(spaced_heading) == table
    from xxgk.document import read_outline

    kinds = [head.kind for head, _ in read_outline(spaced_heading).sections]
    assert kinds == ["overview", "active_disclosure"]
    # after a tab table, spaced lines are not pulled in
    tabbed = "\n".join(["二、主动公开政府信息情况", "\t行政处罚", "\t9", *fees])
    assert _table_lines(tabbed) == ["\t行政处罚", "\t9"]
