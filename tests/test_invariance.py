"""Layout invariance: the same tables, rendered in every layout (and in traditional
characters) with random numbers, read back as exactly the numbers rendered."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk import spec

# Printed label cells of each row, as the seeds print them (simplified characters).
_AD_LABELS = {
    "rules": ["规章"],
    "normative_documents": ["规范性文件"],
    "administrative_licensing": ["行政许可"],
    "other_administrative_services": ["其他对外管理服务事项"],
    "administrative_penalty": ["行政处罚"],
    "administrative_enforcement": ["行政强制"],
    "administrative_fees": ["行政事业性收费"],
    "centralized_procurement": ["政府集中采购"],
}
# Header rows preceding the first row of each 第二十条 group.
_AD_GROUPS = {
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         ["rules", "normative_documents"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         ["administrative_licensing", "other_administrative_services"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         ["administrative_penalty", "administrative_enforcement"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["administrative_fees"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["centralized_procurement"]),
    ],
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         ["rules", "normative_documents"]),
        ("第二十条第（五）项", ["本年处理决定数量"], ["administrative_licensing"]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         ["administrative_penalty", "administrative_enforcement"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["administrative_fees"]),
    ],
}


def _app_labels(row: str) -> list[str]:
    label = spec.ROW_LABELS["applications"][row]
    if row == "results.granted":
        return ["三、本年度办理结果", label]
    if row in ("results.partially_granted",):
        return [label + "（区分处理的，只计这一情形，不计其他情形）"]
    parts = label.split(" ")
    if row.startswith("results.other.") and row != "results.other.total":
        parts = [p if not p.startswith(("1.", "2.")) else p + "、行政机关不再处理其政府信息公开申请"
                 for p in parts]
    first_of_group = row.endswith((".state_secret", ".not_held", ".petition", ".no_correction"))
    return parts if first_of_group or len(parts) == 1 else parts[1:]


Rows = list[list[str]]


def _tables(template: str, values: dict[tuple[str, str, str], str]) -> dict[str, Rows]:
    ad: Rows = []
    for article, headers, rows in _AD_GROUPS[template]:
        ad.append([article])
        ad.append(["信息内容", *headers])
        for row in rows:
            ad.append([*_AD_LABELS[row], *(values["active_disclosure", row, c]
                                           for c in spec.columns_of(template, "active_disclosure",
                                                                    row))])
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    app: Rows = [[note, "申请人情况"],
                 ["自然人", "法人或其他组织", "总计"],
                 ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    for row in spec.rows_of(template, "applications"):
        app.append([*_app_labels(row), *(values["applications", row, c]
                                         for c in spec.APPLICANT_COLUMNS)])
    review: Rows = [["行政复议", "行政诉讼"],
                    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
                     "复议后起诉"],
                    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
                    [values["review_litigation", g, c]
                     for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS]]
    return {"active_disclosure": ad, "applications": app, "review_litigation": review}


def _tab_cell(rows: Rows) -> str:
    return "\n\n".join("\n".join(f"\t{cell}" for cell in row) for row in rows)


def _pipe_cell(rows: Rows) -> str:
    return "\n".join("|\n" + "\n".join(f"{cell} |" for cell in row) for row in rows)


def _bar_row(rows: Rows) -> str:
    return "\n".join(" | ".join(row) + " |" for row in rows)


def _markdown(rows: Rows) -> str:
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


LAYOUTS: dict[str, Callable[[Rows], str]] = {
    "tab_cell": _tab_cell, "pipe_cell": _pipe_cell, "bar_row": _bar_row, "markdown": _markdown,
}


def _document(template: str, layout: str, values: dict[tuple[str, str, str], str]) -> str:
    tables = {name: LAYOUTS[layout](rows) for name, rows in _tables(template, values).items()}
    year = 2020 if template == "2019" else 2022
    return "\n".join([
        "某某区卫生健康局",
        f"{year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"{year}年，我局认真贯彻落实《条例》。",
        "二、主动公开政府信息情况", tables["active_disclosure"],
        "三、收到和处理政府信息公开申请情况", tables["applications"],
        "四、政府信息公开行政复议、行政诉讼情况", tables["review_litigation"],
        "五、存在的主要问题及改进情况", "无。",
        "六、其他需要报告的事项", "无。", "",
    ])


def _printed(column: str, number: int, style: int) -> tuple[str, int | Decimal]:
    """A cell's printed text in one of the styles seen in the seeds, and its value."""
    if column == "change":
        signed = number - 50
        if style % 2 and signed:
            return (f"增{signed}" if signed > 0 else f"减{-signed}"), signed
        return (f"+{signed}" if signed > 0 else str(signed)), signed
    if column == "amount":
        amount = Decimal(number) / 100
        return (f"{amount}万元" if style % 2 else str(amount)), amount
    return str(number), number


def _cells(template: str) -> list[tuple[str, str, str]]:
    return [(table, row, column)
            for table in ("active_disclosure", "applications", "review_litigation")
            for row in spec.rows_of(template, table)
            for column in spec.columns_of(template, table, row)]


_S2T = opencc.OpenCC("s2t")


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    template=st.sampled_from(["2019", "2021"]),
    layout=st.sampled_from(sorted(LAYOUTS)),
    traditional=st.booleans(),
    data=st.data(),
)
def test_every_layout_reads_back_the_numbers_rendered(
    template: str, layout: str, traditional: bool, data: st.DataObject
) -> None:
    cells = _cells(template)
    numbers = data.draw(st.lists(st.integers(0, 99999), min_size=len(cells), max_size=len(cells)))
    style = data.draw(st.integers(0, 3))
    printed = {ref: _printed(ref[2], n, style) for ref, n in zip(cells, numbers, strict=True)}
    text = _document(template, layout, {ref: p[0] for ref, p in printed.items()})
    if traditional:
        text = _S2T.convert(text)
    report = xxgk.parse(text, source=f"{layout}.txt")
    assert report.template == template
    unexpected = [d for d in report.diagnostics if d.code.startswith(("P", "V", "T"))]
    assert not unexpected, [d.render() for d in unexpected]
    for (table, row, column), (raw, value) in printed.items():
        parsed = report.tables[table]
        assert parsed is not None, table
        cell = parsed[row][column]
        assert cell.value == value, (table, row, column, raw)
        assert cell.raw == (_S2T.convert(raw) if traditional else raw)
        line = text.split("\n")[cell.span.line - 1]
        assert line[cell.span.column - 1:cell.span.end_column - 1] == cell.raw
