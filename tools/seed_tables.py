"""The seeds as documents to render: their prose and their three tables laid out as the
State Council templates print them (merged header cells as rowspan/colspan), filled with
the numbers the seed prints. Shared by ``make_html.py`` and ``make_docx.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import xxgk
from xxgk import spec
from xxgk.document import read_outline
from xxgk.normalize import normalize
from xxgk.pipeline import table_blocks

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("[0-9][0-9][0-9]_*.txt"))


@dataclass
class Cell:
    """A printed cell: its lines, spans, and whether it is a vertical header or a value."""

    lines: list[str]
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False
    value: bool = False
    header: bool = False


@dataclass
class Seed:
    """A seed to render: its name, title, and blocks (a paragraph: ``str``; a table:
    rows of :class:`Cell`)."""

    name: str
    title: str
    blocks: list[str | list[list[Cell]]] = field(default_factory=list)


def _h(text: str, colspan: int = 1, rowspan: int = 1, vertical: bool = False) -> Cell:
    lines = list(text) if vertical else text.split("\n")
    return Cell(lines, colspan, rowspan, vertical, header=True)


def _v(report: xxgk.Report, table: str, row: str, column: str) -> Cell:
    found = report.tables.get(table)
    cell = None if found is None else found.get(row, column)
    raw = "" if cell is None else " ".join(cell.raw.split())
    return Cell([raw] if raw else [], value=True)


_AD_GROUPS = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "rules"), ("行政规范性文件", "normative_documents")]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "administrative_licensing")]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         [("行政处罚", "administrative_penalty"), ("行政强制", "administrative_enforcement")]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"],
         [("行政事业性收费", "administrative_fees")]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", "rules"), ("规范性文件", "normative_documents")]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "administrative_licensing"),
          ("其他对外管理服务事项", "other_administrative_services")]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", "administrative_penalty"), ("行政强制", "administrative_enforcement")]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
         [("行政事业性收费", "administrative_fees")]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
         [("政府集中采购", "centralized_procurement")]),
    ],
}


def active_disclosure(report: xxgk.Report, template: str) -> list[list[Cell]]:
    """The 主动公开 table: four columns, a group title spanning them over each group."""
    rows: list[list[Cell]] = []
    for title, heads, items in _AD_GROUPS[template]:
        rows.append([_h(title, colspan=4)])
        wide = 4 - len(heads)
        rows.append([_h("信息内容"), *[_h(h, colspan=wide if k == len(heads) - 1 else 1)
                                       for k, h in enumerate(heads)]])
        for label, name in items:
            columns = spec.columns_of(template, "active_disclosure", name)
            values = [_v(report, "active_disclosure", name, c) for c in columns]
            values[-1].colspan = 4 - len(columns)
            rows.append([_h(label), *values])
    return rows


_OTHER_2021 = ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
               "3.其他")


def applications(report: xxgk.Report, template: str) -> list[list[Cell]]:
    """The 申请 table: three label columns and seven applicant columns under a three-row
    header (自然人 printed vertically)."""
    rows: list[list[Cell]] = [
        [_h("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            colspan=3, rowspan=3), _h("申请人情况", colspan=7)],
        [_h("自然人", rowspan=2, vertical=True), _h("法人或其他组织", colspan=5),
         _h("总计", rowspan=2)],
        [_h("商业\n企业"), _h("科研\n机构"), _h("社会公益组织"), _h("法律服务机构"), _h("其他")],
    ]
    printed = report.tables.get("applications")
    names = tuple(n for n in spec.rows_of(template, "applications")
                  if printed is None or n in printed)  # the rows the seed prints
    results = [n for n in names if n.startswith("results.")]
    groups: dict[str, list[str]] = {}
    for name in results:
        parts = name.split(".")
        if len(parts) == 3 and parts[2] != "total":
            groups.setdefault(parts[1], []).append(name)
    seen: set[str] = set()
    for name in names:
        values = [_v(report, "applications", name, c) for c in spec.APPLICANT_COLUMNS]
        label = spec.ROW_LABELS["applications"][name]
        row: list[Cell] = []
        if name == results[0]:
            row.append(_h("三、本年度办理结果", rowspan=len(results)))
        if not name.startswith("results."):
            row.append(_h(label, colspan=3))
        else:
            group = name.split(".")[1]
            if group in groups:
                head, _, sub = label.partition(" ")
                if group not in seen:
                    seen.add(group)
                    row.append(_h(head, rowspan=len(groups[group])))
                if group == "other" and template == "2021":
                    sub = _OTHER_2021[groups[group].index(name)]
                row.append(_h(sub))
            else:
                if name == "results.partially_granted":
                    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
                row.append(_h(label, colspan=2))
        rows.append(row + values)
    return rows


def review(report: xxgk.Report) -> list[list[Cell]]:
    """The 复议/诉讼 table: fifteen columns under a three-row header, the result headers
    printed vertically."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    rows = [
        [_h("行政复议", colspan=5), _h("行政诉讼", colspan=10)],
        [*[_h(h, rowspan=2, vertical=True) for h in heads], _h("总计", rowspan=2),
         _h("未经复议直接起诉", colspan=5), _h("复议后起诉", colspan=5)],
        [*[_h(h, vertical=True) for h in heads], _h("总计"),
         *[_h(h, vertical=True) for h in heads], _h("总计")],
        [_v(report, "review_litigation", group, column)
         for group in spec.REVIEW_GROUPS for column in spec.REVIEW_COLUMNS],
    ]
    return rows


def load(path: Path) -> Seed:
    """The seed at ``path``: its prose paragraphs and its three tables in order."""
    text = path.read_text(encoding="utf-8")
    report = xxgk.parse(text)
    template = report.template or "2021"
    norm = normalize(text)
    outline = read_outline(norm.text)
    spans: list[tuple[int, int, str | None]] = []
    for name, block in table_blocks(norm, outline):
        spans.append((norm.offsets.to_original(block.start),
                      norm.offsets.original_end(block.end - 1), name))
    makers = {"active_disclosure": lambda: active_disclosure(report, template),
              "applications": lambda: applications(report, template),
              "review_litigation": lambda: review(report)}
    seed = Seed(path.stem.split("_")[0], report.title or "")
    at = 0
    done: set[str] = set()
    title_lines = report.title or ""
    for start, end, name in [*spans, (len(text), len(text), None)]:
        for line in text[at:start].splitlines():
            line = line.strip()
            if line and line not in title_lines:
                seed.blocks.append(line)
        if name is not None and name not in done:
            done.add(name)
            seed.blocks.append(makers[name]())
        at = max(at, end)
    return seed
