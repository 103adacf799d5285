"""The State Council template as data: canonical names and their printed Chinese labels.

These names are the public, stable names of the output (JSON keys, CSV columns,
diagnostic messages); see ``shared/spec/templates.md``. Nothing here parses: the
grammars in ``grammar/templates/`` say how labels are written, this module says what
the rows and columns are called and which columns each row has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = [
    "APPLICANT_COLUMNS",
    "COLUMN_LABELS",
    "REVIEW_COLUMNS",
    "REVIEW_GROUPS",
    "ROW_LABELS",
    "TABLE_LABELS",
    "TEMPLATES",
    "columns_of",
    "label",
    "rows_of",
]

TEMPLATES: Final = ("2019", "2021")

TABLE_LABELS: Final = {
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
}

# --- Table active_disclosure -------------------------------------------------------

_AD_2021: Final[dict[str, tuple[str, ...]]] = {
    "rules": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "administrative_licensing": ("decisions",),
    "administrative_penalty": ("decisions",),
    "administrative_enforcement": ("decisions",),
    "administrative_fees": ("amount",),
}
_AD_2019: Final[dict[str, tuple[str, ...]]] = {
    "rules": ("produced", "published", "published_total"),
    "normative_documents": ("produced", "published", "published_total"),
    "administrative_licensing": ("previous_items", "change", "decisions"),
    "other_administrative_services": ("previous_items", "change", "decisions"),
    "administrative_penalty": ("previous_items", "change", "decisions"),
    "administrative_enforcement": ("previous_items", "change", "decisions"),
    "administrative_fees": ("previous_items", "change"),
    "centralized_procurement": ("items", "amount"),
}

# --- Table applications --------------------------------------------------------------

APPLICANT_COLUMNS: Final = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_organization",
    "legal_service_agency",
    "other_organization",
    "total",
)

_RESULT_ROWS: Final = (
    "results.granted",
    "results.partially_granted",
    "results.withheld.state_secret",
    "results.withheld.prohibited_by_law",
    "results.withheld.security_stability",
    "results.withheld.third_party_rights",
    "results.withheld.internal_affairs",
    "results.withheld.process_information",
    "results.withheld.enforcement_case_file",
    "results.withheld.administrative_inquiry",
    "results.unavailable.not_held",
    "results.unavailable.needs_creation",
    "results.unavailable.still_unclear",
    "results.not_processed.petition",
    "results.not_processed.duplicate",
    "results.not_processed.publication",
    "results.not_processed.excessive",
    "results.not_processed.confirmation",
)
_OTHER_2019: Final = ("results.other.total",)
_OTHER_2021: Final = (
    "results.other.no_correction",
    "results.other.unpaid_fee",
    "results.other.other",
)


def _app_rows(other: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    names = ("new_received", "carried_over", *_RESULT_ROWS, *other, "results.total",
             "carried_forward")
    return {name: APPLICANT_COLUMNS for name in names}


# --- Table review_litigation ---------------------------------------------------------

REVIEW_GROUPS: Final = ("administrative_review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS: Final = ("upheld", "corrected", "other", "pending", "total")

_REVIEW: Final[dict[str, tuple[str, ...]]] = {group: REVIEW_COLUMNS for group in REVIEW_GROUPS}

_LAYOUT: Final[dict[str, dict[str, dict[str, tuple[str, ...]]]]] = {
    "2019": {
        "active_disclosure": _AD_2019,
        "applications": _app_rows(_OTHER_2019),
        "review_litigation": _REVIEW,
    },
    "2021": {
        "active_disclosure": _AD_2021,
        "applications": _app_rows(_OTHER_2021),
        "review_litigation": _REVIEW,
    },
}


def rows_of(template: str, table: str) -> tuple[str, ...]:
    """The canonical row names of ``table`` in ``template``, in printed order."""
    return tuple(_LAYOUT[template][table])


def rows_as_printed(template: str, table: str, printed: Iterable[str]) -> tuple[str, ...]:
    """The rows of ``table`` in ``template`` as a report printed it: a 2021 report that
    prints （六）其他处理 as one row (``results.other.total``, the 2019 form) and none of its
    sub-rows has that row in their place."""
    rows = rows_of(template, table)
    present = set(printed)
    if (template == "2021" and table == "applications" and "results.other.total" in present
            and not any(r.startswith("results.other.") and r != "results.other.total"
                        for r in present)):
        at = rows.index("results.other.no_correction")
        rows = (*rows[:at], "results.other.total",
                *(r for r in rows[at:] if not r.startswith("results.other.")))
    return rows


def columns_of(template: str, table: str, row: str) -> tuple[str, ...]:
    """The canonical column names of ``row``; empty when the template lacks the row."""
    columns = _LAYOUT[template][table].get(row, ())
    if not columns and row == "results.other.total" and table == "applications":
        return APPLICANT_COLUMNS  # the 2019 form of （六）其他处理 in a 2021 report
    return columns


# --- Printed labels (simplified characters), for messages --------------------------------

ROW_LABELS: Final = {
    "active_disclosure": {
        "rules": "规章",
        "normative_documents": "规范性文件",
        "administrative_licensing": "行政许可",
        "other_administrative_services": "其他对外管理服务事项",
        "administrative_penalty": "行政处罚",
        "administrative_enforcement": "行政强制",
        "administrative_fees": "行政事业性收费",
        "centralized_procurement": "政府集中采购",
    },
    "applications": {
        "new_received": "一、本年新收政府信息公开申请数量",
        "carried_over": "二、上年结转政府信息公开申请数量",
        "results.granted": "（一）予以公开",
        "results.partially_granted": "（二）部分公开",
        "results.withheld.state_secret": "（三）不予公开 1.属于国家秘密",
        "results.withheld.prohibited_by_law": "（三）不予公开 2.其他法律行政法规禁止公开",
        "results.withheld.security_stability": "（三）不予公开 3.危及“三安全一稳定”",
        "results.withheld.third_party_rights": "（三）不予公开 4.保护第三方合法权益",
        "results.withheld.internal_affairs": "（三）不予公开 5.属于三类内部事务信息",
        "results.withheld.process_information": "（三）不予公开 6.属于四类过程性信息",
        "results.withheld.enforcement_case_file": "（三）不予公开 7.属于行政执法案卷",
        "results.withheld.administrative_inquiry": "（三）不予公开 8.属于行政查询事项",
        "results.unavailable.not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
        "results.unavailable.needs_creation": "（四）无法提供 2.没有现成信息需要另行制作",
        "results.unavailable.still_unclear": "（四）无法提供 3.补正后申请内容仍不明确",
        "results.not_processed.petition": "（五）不予处理 1.信访举报投诉类申请",
        "results.not_processed.duplicate": "（五）不予处理 2.重复申请",
        "results.not_processed.publication": "（五）不予处理 3.要求提供公开出版物",
        "results.not_processed.excessive": "（五）不予处理 4.无正当理由大量反复申请",
        "results.not_processed.confirmation":
            "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "results.other.total": "（六）其他处理",
        "results.other.no_correction": "（六）其他处理 1.申请人无正当理由逾期不补正",
        "results.other.unpaid_fee": "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
        "results.other.other": "（六）其他处理 3.其他",
        "results.total": "（七）总计",
        "carried_forward": "四、结转下年度继续办理",
    },
    "review_litigation": {
        "administrative_review": "行政复议",
        "litigation_direct": "行政诉讼 未经复议直接起诉",
        "litigation_after_review": "行政诉讼 复议后起诉",
    },
}

COLUMN_LABELS: Final = {
    "active_disclosure": {
        "issued": "本年制发件数",
        "repealed": "本年废止件数",
        "in_force": "现行有效件数",
        "decisions": "处理决定数量",
        "amount": "金额",
        "produced": "本年新制作数量",
        "published": "本年新公开数量",
        "published_total": "对外公开总数量",
        "previous_items": "上一年项目数量",
        "change": "本年增/减",
        "items": "采购项目数量",
    },
    "applications": {
        "natural_person": "自然人",
        "commercial_enterprise": "商业企业",
        "research_institution": "科研机构",
        "social_welfare_organization": "社会公益组织",
        "legal_service_agency": "法律服务机构",
        "other_organization": "其他",
        "total": "总计",
    },
    "review_litigation": {
        "upheld": "结果维持",
        "corrected": "结果纠正",
        "other": "其他结果",
        "pending": "尚未审结",
        "total": "总计",
    },
}


def label(table: str, row: str, column: str | None = None) -> str:
    """``（七）总计 / 自然人``: a cell named by its printed labels, for messages."""
    row_label = ROW_LABELS.get(table, {}).get(row, row)
    if column is None:
        return row_label
    return f"{row_label} / {COLUMN_LABELS.get(table, {}).get(column, column)}"
