"""Agency and year: read from title, crawler header, signature and preamble, and checked."""

from __future__ import annotations

import xxgk
from xxgk import serialize
from xxgk.keys import agency_key, looks_wrong

from .conftest import seed

_SEED_001 = seed("001").read_text(encoding="utf-8")
_TITLE = "尚志市卫生健康局2021年政府信息\n\n公开工作年度报告\n"


def _with_head(head: str, body: str = _SEED_001) -> xxgk.Report:
    assert body.startswith(_TITLE)
    return xxgk.parse(head + body[len(_TITLE):], source="crawled.txt")


def test_printed_title_is_the_source_and_the_record_says_so() -> None:
    report = xxgk.parse_file(seed("001"))
    assert (report.agency, report.agency_from) == ("尚志市卫生健康局", "title")
    assert (report.year, report.year_from) == (2021, "title")
    assert not [d for d in report.diagnostics if d.code.startswith("K")]
    back = serialize.from_dict(serialize.to_dict(report))
    assert (back.agency_from, back.year_from) == ("title", "title")


def test_crawler_header_is_read_without_its_prefix() -> None:
    head = ("标题: 尚志市卫生健康局2021年度政府信息公开工作年度报告\n"
            "发布时间: 2022-01-20 10:00\n栏目: 政府信息公开年报\n\n")
    report = _with_head(head)
    assert (report.agency, report.agency_from) == ("尚志市卫生健康局", "header")
    assert (report.year, report.year_from) == (2021, "header")
    assert not [d for d in report.diagnostics if d.code.startswith("K")]


def test_header_and_signature_naming_different_agencies_is_k502() -> None:
    head = "标题: 海林市卫生健康局2021年度政府信息公开工作年度报告\n\n"
    body = _SEED_001.rstrip() + "\n\n尚志市卫生健康局\n2022年1月20日\n"
    report = _with_head(head, body)
    found = [d for d in report.diagnostics if d.code == "K502"]
    assert len(found) == 1, [d.code for d in report.diagnostics]
    assert found[0].message == ("the header names the agency '海林市卫生健康局' but the "
                                "signature names '尚志市卫生健康局'")
    assert found[0].span is not None
    text = head + body[len(_TITLE):]
    signature_line = text[:text.rindex("尚志市卫生健康局\n2022")].count("\n") + 1
    assert found[0].span.line == signature_line


def test_leading_year_is_not_part_of_the_agency() -> None:
    report = _with_head("2021年尚志市卫生健康局政府信息公开工作年度报告\n")
    assert report.agency == "尚志市卫生健康局"


def test_agency_that_looks_wrong_is_k501() -> None:
    report = _with_head("年度工作情况政府信息公开工作年度报告\n")
    found = [d for d in report.diagnostics if d.code == "K501"]
    assert len(found) == 1 and "looks wrong" in found[0].message, report.agency
    assert found[0].severity is xxgk.Severity.WARNING


def test_looks_wrong_and_key() -> None:
    assert looks_wrong("标题: 平潭综合实验区") is not None
    assert looks_wrong("年上海市人民政府") is not None
    assert looks_wrong("工作报告摘要") is not None
    assert looks_wrong("平潭综合实验区") is None
    assert looks_wrong("上海市人民政府") is None
    assert agency_key("标题: 平潭 综合实验区") == "平潭综合实验区"
    assert agency_key("2022年度平潭综合实验区") == "平潭综合实验区"


def test_a_district_named_bare_in_its_title_takes_its_city_from_the_preamble() -> None:
    """The title prints 洪泽区人民政府, the preamble 本报告由淮安市洪泽区人民政府办公室…
    (corpus/pdf/huaian_hongze_2023.pdf, page 1): the agency is 淮安市洪泽区人民政府; a
    preamble naming no city leaves the title's name, and 本报告由 is never taken in."""
    body = ("一、总体情况\n2023年，洪泽区人民政府坚持依法公开。\n"
            "二、主动公开政府信息情况\n本年度主动公开信息1136条。\n")
    head = "洪泽区人民政府\n2023年政府信息公开工作年度报告\n"
    preamble = "本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。\n"
    report = xxgk.parse(head + preamble + body)
    assert (report.agency, report.agency_from) == ("淮安市洪泽区人民政府", "title")
    bare = xxgk.parse(head + "本报告由洪泽区人民政府办公室编制。\n" + body)
    assert bare.agency == "洪泽区人民政府"
    city = xxgk.parse("淮安市卫生健康委员会\n2023年政府信息公开工作年度报告\n" + preamble + body)
    assert city.agency == "淮安市卫生健康委员会"
