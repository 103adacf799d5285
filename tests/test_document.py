"""The document stage over the seeds: metadata, sections, spans into the original file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
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


def _spaced_claims() -> Any:
    """The claims of the example extension's spaced layout (tests/ext_example), imported
    from its source folder: the core itself claims no spaced line."""
    import importlib.util

    path = Path(__file__).parent / "ext_example" / "src" / "xxgk_spaced" / "__init__.py"
    spec = importlib.util.spec_from_file_location("xxgk_spaced_claims", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.claims


def _table_lines(text: str, spaced: bool = True) -> list[str]:
    """The lines of ``text`` that the outline puts in table blocks (with the example's
    spaced layout claiming its lines as well as the built-in layouts, when ``spaced``)."""
    from xxgk.document import _default_claims, read_outline

    claims = [*_default_claims(), (_spaced_claims(), 1)] if spaced else None
    outline = read_outline(text, claims)
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
    from xxgk.document import _default_claims, read_outline

    claims = [*_default_claims(), (_spaced_claims(), 1)]
    kinds = [head.kind for head, _ in read_outline(spaced_heading, claims).sections]
    assert kinds == ["overview", "active_disclosure"]
    # after a tab table, spaced lines are not pulled in
    tabbed = "\n".join(["二、主动公开政府信息情况", "\t行政处罚", "\t9", *fees])
    assert _table_lines(tabbed) == ["\t行政处罚", "\t9"]
    # and without the spaced layout, the core claims no spaced line at all
    assert _table_lines(text, spaced=False) == []


def test_a_layout_owns_the_lines_it_claims() -> None:
    """A registered layout's claim makes table lines of lines no built-in layout knows;
    fewer than its ``min_run`` together stay prose."""
    from xxgk.document import _default_claims, read_outline

    rows = ["规章;0;1", "规范性文件;2;3"]
    text = "\n".join(["二、主动公开政府信息情况", *rows, "三、收到和处理政府信息公开申请情况",
                      "说明;见下"])
    claims = [*_default_claims(), (re.compile(r"[^;\n]+;"), 2)]
    outline = read_outline(text, claims)
    blocks = [text[b.start:b.end] for _, items in outline.sections for b in items
              if b.kind == "TABLE"]
    assert blocks == ["\n".join(rows)]
