"""The crawled-text source: sniffing, re-flowing, locations, and the corpus property.

The property (issue 17): take any parsed corpus report, print its tables run together
(with and without spaces between the numbers, simplified or traditional), read it back,
and every number is the same, or null with a diagnostic naming the cell (S301/S304/
S305) — never a different number, unless the report's own arithmetic is broken and the
cell is marked as chosen by arithmetic.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pytest

from xxgk import parse
from xxgk.corpus import find_documents
from xxgk.model import Report
from xxgk.sources import choose, read_source
from xxgk.sources.crawl import sniff_crawl

ROOT = Path(__file__).resolve().parents[1]
CRAWL = ROOT / "corpus" / "crawl"
SAMPLE_2022 = CRAWL / "pingtan_2022_flat.txt"


def _cells(report: Report) -> dict[tuple[str, str, str], object]:
    found: dict[tuple[str, str, str], object] = {}
    for name, table in report.tables.items():
        if table is None:
            continue
        for row, columns in table.rows.items():
            for column, cell in columns.items():
                if cell is not None:
                    found[(name, row, column)] = cell.value
    return found


# --- The source ----------------------------------------------------------------------------


def test_the_crawler_header_is_sniffed_and_plain_reports_are_not() -> None:
    assert sniff_crawl(SAMPLE_2022.read_bytes(), None) == 0.9
    assert choose(SAMPLE_2022.read_bytes()).name == "crawl"
    for folder in ("seeds", "synthetic"):
        for path in (ROOT / "corpus" / folder).glob("*.*"):
            if path.suffix in (".txt", ".md"):
                assert choose(path.read_bytes(), path.name).name == "text", path.name


def test_a_body_of_run_together_labels_is_sniffed_without_the_header() -> None:
    body = SAMPLE_2022.read_text(encoding="utf-8").split("\n", 9)[9]
    assert sniff_crawl(body.encode(), None) == 0.6


def test_metadata_comes_from_the_title_not_the_crawler_prefix() -> None:
    for year in (2019, 2022, 2023):
        report = parse((CRAWL / f"pingtan_{year}_flat.txt").read_bytes(), "x.txt")
        assert report.agency == "平潭综合实验区"
        assert report.year == year
        assert report.title is not None and not report.title.startswith("标题")
        assert report.template == ("2019" if year == 2019 else "2021")


def test_every_number_s_span_is_exactly_its_digits() -> None:
    text = SAMPLE_2022.read_text(encoding="utf-8")
    lines = text.split("\n")
    report = parse(SAMPLE_2022.read_bytes(), "x.txt")
    seen = 0
    for table in report.tables.values():
        assert table is not None
        for columns in table.rows.values():
            for cell in columns.values():
                if cell is None or cell.value is None:
                    continue
                span = cell.span
                assert span is not None and span.line == span.end_line
                printed = lines[span.line - 1][span.column - 1:span.end_column - 1]
                assert printed == cell.raw, (cell, printed)
                seen += 1
    assert seen == 10 - 3 + 25 * 7 + 15  # every cell but the three undecided ones


def test_the_2022_numbers_are_those_of_the_html_page() -> None:
    # read by eye from shared/samples/pingtan_2022.html (its <td>s)
    report = parse(SAMPLE_2022.read_bytes(), "x.txt")
    cells = _cells(report)
    assert cells[("active_disclosure", "administrative_licensing", "decisions")] == 10690
    assert cells[("active_disclosure", "administrative_fees", "amount")] == Decimal("9116.36")
    assert [cells[("applications", "new_received", c)] for c in
            ("natural_person", "commercial_enterprise", "total")] == [71, 3, 74]
    assert [cells[("applications", "results.total", c)] for c in
            ("natural_person", "commercial_enterprise", "total")] == [72, 3, 75]
    assert cells[("applications", "results.other.other", "commercial_enterprise")] == 2
    assert cells[("applications", "results.unavailable.not_held", "total")] == 37
    assert [cells[("review_litigation", g, "total")] for g in
            ("administrative_review", "litigation_direct", "litigation_after_review")] == [2, 1, 0]
    # 88 | 55 | 698 on the page; "8855698" has 15 readings and no equation crosses it
    assert cells[("active_disclosure", "normative_documents", "issued")] is None
    s301 = [d for d in report.diagnostics if d.code == "S301"]
    assert len(s301) == 1 and "88 | 55 | 698" in s301[0].message
    assert set(s301[0].cells) == {("active_disclosure", "normative_documents", c)
                                  for c in ("issued", "repealed", "in_force")}
    assert not any(d.code == "V202" for d in report.diagnostics)
    assert not any(d.severity == "error" for d in report.diagnostics)


def test_a_row_split_by_arithmetic_is_marked() -> None:
    report = parse(SAMPLE_2022.read_bytes(), "x.txt")
    marked = {cell for d in report.diagnostics if d.code == "S302" for cell in d.cells}
    assert ("applications", "new_received", "natural_person") in marked
    # the review row was printed with spaces: its boundaries are printed, not inferred
    assert not any(cell[0] == "review_litigation" for cell in marked)


def test_wrong_totals_give_the_reading_that_breaks_fewest_and_the_checker_s_error() -> None:
    text = SAMPLE_2022.read_text(encoding="utf-8")
    # （七）总计 natural_person printed as 73 instead of 72: no split of "733000076"
    # … adds up across the table; the row itself still adds up (73+3=76)
    broken = text.replace("（七）总计 723000075", "（七）总计 733000076")
    report = parse(broken.encode(), "x.txt")
    codes = {d.code for d in report.diagnostics}
    assert "S303" in codes
    assert any(d.severity == "error" and d.code.startswith("A") for d in report.diagnostics)
    cells = _cells(report)
    assert cells[("applications", "results.total", "natural_person")] == 73


def test_an_impossible_run_is_reported_not_read() -> None:
    text = SAMPLE_2022.read_text(encoding="utf-8")
    report = parse(text.replace("行政强制0", "行政强制07").encode(), "x.txt")
    # "07" is not one number (leading zero) and the row holds one: nothing is read
    assert any(d.code == "S305" for d in report.diagnostics)
    assert _cells(report).get(("active_disclosure", "administrative_enforcement",
                               "decisions")) is None


def test_the_source_text_is_bar_rows_mapped_to_the_file() -> None:
    read = read_source(SAMPLE_2022.read_bytes(), "x.txt")
    assert read.format == "crawl"
    assert "一、本年新收政府信息公开申请数量 | 71 | 3 | 0 | 0 | 0 | 0 | 74 |" in read.text
    assert read.map is not None
    at = read.text.index("| 71 |") + 2
    span = read.map.span(at, at + 2)
    line = SAMPLE_2022.read_text(encoding="utf-8").split("\n")[span.line - 1]
    assert line[span.column - 1:span.end_column - 1] == "71"


# --- The corpus property ------------------------------------------------------------------

_DOCUMENTS = [d for d in find_documents([ROOT / "corpus"]) if d.parent.name != "crawl"]


@functools.cache
def _traditional(text: str) -> str:
    import opencc

    converter = opencc.OpenCC("s2t")
    return str(converter.convert(text))


def _number(value: object) -> str:
    return str(value)


_AD_HEADERS = {
    "2021": [("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数",
              ["rules", "normative_documents"]),
             ("第二十条第（五）项信息内容本年处理决定数量", ["administrative_licensing"]),
             ("第二十条第（六）项信息内容本年处理决定数量",
              ["administrative_penalty", "administrative_enforcement"]),
             ("第二十条第（八）项信息内容本年收费金额（单位：万元）", ["administrative_fees"])],
    "2019": [("第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量",
              ["rules", "normative_documents"]),
             ("第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量",
              ["administrative_licensing", "other_administrative_services"]),
             ("第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量",
              ["administrative_penalty", "administrative_enforcement"]),
             ("第二十条第（八）项信息内容上一年项目数量本年增/减", ["administrative_fees"]),
             ("第二十条第（九）项信息内容采购项目数量采购总金额", ["centralized_procurement"])],
}
_AD_LABELS = {"rules": "规章", "normative_documents": "行政规范性文件",
              "administrative_licensing": "行政许可",
              "other_administrative_services": "其他对外管理服务事项",
              "administrative_penalty": "行政处罚", "administrative_enforcement": "行政强制",
              "administrative_fees": "行政事业性收费", "centralized_procurement": "政府集中采购"}
_APP_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "results.granted": "三、本年度办理结果（一）予以公开",
    "results.partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "results.withheld.state_secret": "（三）不予公开1.属于国家秘密",
    "results.withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "results.withheld.security_stability": "3.危及“三安全一稳定”",
    "results.withheld.third_party_rights": "4.保护第三方合法权益",
    "results.withheld.internal_affairs": "5.属于三类内部事务信息",
    "results.withheld.process_information": "6.属于四类过程性信息",
    "results.withheld.enforcement_case_file": "7.属于行政执法案卷",
    "results.withheld.administrative_inquiry": "8.属于行政查询事项",
    "results.unavailable.not_held": "（四）无法提供1.本机关不掌握相关政府信息",
    "results.unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "results.unavailable.still_unclear": "3.补正后申请内容仍不明确",
    "results.not_processed.petition": "（五）不予处理1.信访举报投诉类申请",
    "results.not_processed.duplicate": "2.重复申请",
    "results.not_processed.publication": "3.要求提供公开出版物",
    "results.not_processed.excessive": "4.无正当理由大量反复申请",
    "results.not_processed.confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "results.other.total": "（六）其他处理",
    "results.other.no_correction":
        "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "results.other.unpaid_fee":
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "results.other.other": "3.其他",
    "results.total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
_APP_HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
               "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
_REVIEW_HEADER = ("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
                  "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")


def _row(values: list[object], spaced: bool) -> str | None:
    if any(v is None for v in values):
        return None  # a row with a cell the report does not print: left out
    return (" " if spaced else "").join(_number(v) for v in values)


def flatten(report: Report, *, spaced: bool) -> tuple[str, set[tuple[str, str, str]]]:
    """A crawled page of ``report``: its tables run together; and the cells printed."""
    assert report.template is not None
    printed: set[tuple[str, str, str]] = set()
    parts = [f"{report.agency}{report.year}年政府信息公开工作年度报告",
             " 一、总体情况 本年度工作情况如下。二、主动公开政府信息情况"]
    ad = report.tables.get("active_disclosure")
    for header, rows in _AD_HEADERS[report.template]:
        parts.append(header)
        for row in rows:
            columns = ad.rows.get(row, {}) if ad is not None else {}
            values = [c.value if c is not None else None for c in columns.values()]
            text = _row(values, spaced) if columns else None
            if text is not None:
                parts.append(_AD_LABELS[row] + text)
                printed.update(("active_disclosure", row, c) for c in columns)
    parts.append("三、收到和处理政府信息公开申请情况" + _APP_HEADER)
    app = report.tables.get("applications")
    for row, label in _APP_LABELS.items():
        columns = app.rows.get(row, {}) if app is not None else {}
        if len(columns) != 7:
            continue
        text = _row([c.value if c is not None else None for c in columns.values()], spaced)
        if text is not None:
            parts.append(label + text)
            printed.update(("applications", row, c) for c in columns)
    parts.append("四、政府信息公开行政复议、行政诉讼情况" + _REVIEW_HEADER)
    review = report.tables.get("review_litigation")
    if review is not None and len(review.rows) == 3:
        values = [c.value if c is not None else None
                  for columns in review.rows.values() for c in columns.values()]
        text = _row(values, spaced) if len(values) == 15 else None
        if text is not None:
            parts.append(text)
            printed.update(("review_litigation", g, c)
                           for g, columns in review.rows.items() for c in columns)
    parts.append("五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。")
    body = "".join(parts)
    head = (f"标题: {report.agency}{report.year}年政府信息公开工作年度报告\n"
            "发布时间: 2024-01-01 00:00\n==================== 正文 ====================\n")
    return head + body, printed


def _read_ok(report: Report) -> bool:
    return report.template is not None and report.agency is not None and report.year is not None


@pytest.mark.parametrize("document", _DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("spaced", [False, True], ids=["run_together", "spaced"])
@pytest.mark.parametrize("traditional", [False, True], ids=["simplified", "traditional"])
def test_a_corpus_report_printed_run_together_reads_back_the_same_numbers(
    document: Path, spaced: bool, traditional: bool
) -> None:
    original = parse(document.read_bytes(), document.name)
    if not _read_ok(original):
        pytest.skip("the report's template, agency or year is not read")
    text, printed = flatten(original, spaced=spaced)
    if traditional:
        text = _traditional(text)
    flat = parse(text.encode("utf-8"), "flat.txt")
    before, after = _cells(original), _cells(flat)
    named = {cell for d in flat.diagnostics if d.code in ("S301", "S304", "S305")
             for cell in d.cells}
    inferred = {cell for d in flat.diagnostics if d.code == "S302" for cell in d.cells}
    broken_originally = any(d.severity == "error" for d in original.diagnostics)
    for cell in sorted(printed):
        value = after.get(cell)
        if value == before[cell]:
            continue
        if value is None:
            assert cell in named, f"{cell}: null without a diagnostic naming it"
            continue
        # a different number: only where the report's own arithmetic is broken, and
        # then marked as read by arithmetic
        assert broken_originally and cell in inferred, (
            f"{cell}: {before[cell]!r} read back as {value!r}, silently")
    if spaced:  # printed boundaries decide everything
        assert not named, sorted(named)
