"""The 勾稽关系 and sanity rules of ``xxgk.checks``, on reports built by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xxgk
from xxgk import spec
from xxgk.checks import RULES, check, is_selected, rule
from xxgk.model import Cell, Diagnostic, Report, Severity, Span, Table, YearMention

from .conftest import seed

Value = int | Decimal | None
Values = Mapping[str, Mapping[str, Mapping[str, Value]]]

# --- builders ---------------------------------------------------------------------------


def build(
    template: str | None,
    tables: Values,
    *,
    year: int | None = 2020,
    issued: dt.date | None = None,
    year_mentions: tuple[YearMention, ...] = (),
) -> Report:
    """A report whose every cell sits alone on its own line (distinct spans)."""
    line = 100
    built: dict[str, Table | None] = {}
    for name, rows in tables.items():
        start = line
        cells: dict[str, dict[str, Cell]] = {}
        for row, columns in rows.items():
            cells[row] = {}
            for column, value in columns.items():
                raw = "/" if value is None else str(value)
                cells[row][column] = Cell(value, raw, Span(line, 2, line, 2 + len(raw)))
                line += 1
        built[name] = Table(name, template, cells, Span(start, 1, line, 1))
        line += 10
    return Report(
        source="test.txt",
        agency="测试局",
        year=year,
        template=template,
        issued=issued,
        title=None,
        sections=(),
        tables=built,
        year_mentions=year_mentions,
    )


def zeros(template: str) -> dict[str, dict[str, dict[str, Value]]]:
    """Every table, row and column of ``template``, all 0."""
    return {
        table: {
            row: dict.fromkeys(spec.columns_of(template, table, row), 0)
            for row in spec.rows_of(template, table)
        }
        for table in spec.TABLE_LABELS
    }


def rebalance(values: dict[str, dict[str, dict[str, Value]]]) -> None:
    """Recompute the applications totals (A101, A102) and ``new_received`` (A103) from
    the outcome rows, ``carried_over`` and ``carried_forward``."""
    apps = values[APP]
    outcome_rows = [r for r in apps if r.startswith("results.") and r != "results.total"]
    for column in SIX:
        outcome = sum(apps[r][column] or 0 for r in outcome_rows)
        apps["results.total"][column] = outcome
        carried = (apps["carried_forward"][column] or 0) - (apps["carried_over"][column] or 0)
        apps["new_received"][column] = outcome + carried
    for columns in apps.values():
        columns["total"] = sum(columns[c] or 0 for c in SIX)


def consistent(template: str) -> dict[str, dict[str, dict[str, Value]]]:
    """A table set of ``template`` with distinct non-zero numbers that all add up."""
    values = zeros(template)
    apps = values[APP]
    for i, row in enumerate(r for r in apps if r.startswith("results.") and r != "results.total"):
        for j, column in enumerate(SIX):
            apps[row][column] = (i + 2 * j) % 5
    for j, column in enumerate(SIX):
        apps["carried_forward"][column] = j
        apps["carried_over"][column] = j % 2
    rebalance(values)
    for k, group in enumerate(spec.REVIEW_GROUPS):
        parts = {"upheld": k + 1, "corrected": k, "other": 2, "pending": 1}
        values["review_litigation"][group] = {**parts, "total": sum(parts.values())}
    if template == "2019":
        values["active_disclosure"]["rules"] = {"produced": 1, "published": 2, "published_total": 9}
    return values


def span_of(report: Report, table: str, row: str, column: str) -> Span:
    found = report.tables[table]
    assert found is not None
    return found[row][column].span


def codes(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [d.code for d in diagnostics]


def only(code: str, report: Report) -> Diagnostic:
    """The one diagnostic of ``report``, which must have ``code``."""
    found = check(report)
    assert codes(found) == [code], [d.message for d in found]
    return found[0]


APP = "applications"
SIX = ("natural_person", "commercial_enterprise", "research_institution",
       "social_welfare_organization", "legal_service_agency", "other_organization")  # fmt: skip
ALL_CODES = ("A101", "A102", "A103", "R101", "D101", "T301", "T302", "M401", "M402")


@pytest.fixture
def restore_rules() -> Iterator[None]:
    saved = dict(RULES)
    yield
    RULES.clear()
    RULES.update(saved)


# --- the registry ---------------------------------------------------------------------------


def test_registry_holds_the_documented_codes() -> None:
    assert tuple(RULES) == ALL_CODES
    errors = {code for code, entry in RULES.items() if entry.severity is Severity.ERROR}
    assert errors == {"A101", "A102", "A103", "R101"}
    for code, entry in RULES.items():
        assert entry.code == code and entry.summary and "\n" not in entry.summary


def test_a_rule_registered_in_a_test_runs_and_can_be_removed(restore_rules: None) -> None:
    report = build(None, {})

    @rule("X901", "info", "a rule that always speaks")
    def speak(report: Report) -> Iterator[Diagnostic]:
        yield Diagnostic("X901", Severity.INFO, f"agency is {report.agency}")

    assert RULES["X901"].severity is Severity.INFO
    assert [d.message for d in check(report)] == ["agency is 测试局"]
    assert check(report, ignore=["X"]) == ()
    del RULES["X901"]
    assert check(report) == ()


@pytest.mark.parametrize("yielded, reason", [
    (lambda: (_ for _ in ()).throw(KeyError("row")), "KeyError('row')"),  # raises
    (lambda: ["not a diagnostic"], "it yielded a str, not a Diagnostic"),
    (lambda: [Diagnostic("X902", Severity.ERROR, "tuple", (3, 1, 3, 2))],  # type: ignore[arg-type]
     "its span is a tuple, not a Span"),
    (lambda: [Diagnostic("X902", Severity.ERROR, "far", Span(99999, 1, 99999, 2))],
     "it placed a finding at 99999:1-99999:2, outside the report's"),
])
def test_a_broken_user_check_is_x001_and_the_report_is_read(
    restore_rules: None, yielded: Any, reason: str
) -> None:
    """X001 (README): a check that raises, yields something other than a Diagnostic or
    places one outside the report is reported, and the report and the other checks
    stand; it used to make parse() raise for every file."""

    @rule("X902", "error", "a broken check")
    def broken(report: Report) -> Iterable[Diagnostic]:
        return yielded()  # type: ignore[no-any-return]

    report = xxgk.parse(seed("003").read_bytes(), "003.txt")
    x001 = [d for d in report.diagnostics if d.code == "X001"]
    assert len(x001) == 1 and x001[0].message.startswith("check X902 failed: ")
    assert reason in x001[0].message
    assert [d.code for d in report.errors if d.code != "X001"] == [
        "A102", "A103", "A102", "A103", "R101"]


def test_registering_a_taken_or_malformed_code_fails(restore_rules: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        rule("A101", Severity.ERROR, "again")
    with pytest.raises(ValueError, match="letters followed by digits"):
        rule("a-1", Severity.ERROR, "bad")


# --- every rule: one report that breaks only it, one that satisfies it ---------------------


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_consistent_report_has_no_diagnostics(template: str) -> None:
    report = build(
        template,
        consistent(template),
        issued=dt.date(2021, 1, 19),
        year_mentions=(
            YearMention("title", 2020, Span(1, 1, 1, 5)),
            YearMention("body", 2020, Span(3, 1, 3, 5)),
        ),
    )
    assert check(report) == ()


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("code", ALL_CODES)
def test_each_rule_is_satisfied_by_a_consistent_report(template: str, code: str) -> None:
    report = build(template, consistent(template), issued=dt.date(2021, 3, 1))
    assert check(report, select=[code]) == ()


def test_a101_row_total_differs_from_the_applicant_columns() -> None:
    row = {**dict.fromkeys(SIX, 0), "commercial_enterprise": 2, "total": 3}
    report = build(None, {APP: {"new_received": row}})
    found = only("A101", report)
    assert found.severity is Severity.ERROR
    assert found.span == span_of(report, APP, "new_received", "total")
    assert found.cells == (
        (APP, "new_received", "total"),
        *((APP, "new_received", column) for column in SIX),
    )
    assert found.message.startswith("一、本年新收政府信息公开申请数量 / 总计 is 3 but ")
    assert found.message.endswith(" add up to 2")
    assert "自然人" in found.message and "法律服务机构" in found.message


def test_a101_satisfied() -> None:
    row = {**dict.fromkeys(SIX, 1), "total": 6}
    assert check(build(None, {APP: {"new_received": row}})) == ()


def test_a102_outcome_total_differs_from_its_rows() -> None:
    report = build(
        None,
        {
            APP: {
                "results.granted": {"natural_person": 1},
                "results.withheld.state_secret": {"natural_person": 0},
                "results.total": {"natural_person": 0},
            }
        },
    )
    found = only("A102", report)
    assert found.message == "（七）总计 / 自然人 is 0 but its rows add up to 1"
    assert found.span == span_of(report, APP, "results.total", "natural_person")
    assert found.cells == (
        (APP, "results.total", "natural_person"),
        (APP, "results.granted", "natural_person"),
        (APP, "results.withheld.state_secret", "natural_person"),
    )


def test_a102_satisfied() -> None:
    rows = {"results.granted": {"total": 1}, "results.total": {"total": 1}}
    assert check(build(None, {APP: rows})) == ()


@pytest.mark.parametrize(
    ("template", "other_rows"),
    [
        ("2019", {"results.other.total": 4}),
        ("2021", {"results.other.no_correction": 1, "results.other.unpaid_fee": 1,
                  "results.other.other": 2}),
        # 2019's one row and 2021's sub-rows together: the sub-rows count, not the subtotal.
        ("2021", {"results.other.total": 4, "results.other.no_correction": 4}),
    ],
)  # fmt: skip
def test_a102_counts_the_other_rows_present(template: str, other_rows: dict[str, int]) -> None:
    rows: dict[str, dict[str, Value]] = {r: {"total": v} for r, v in other_rows.items()}
    good = build(template, {APP: {**rows, "results.total": {"total": 4}}})
    assert check(good, select=["A102"]) == ()
    bad = build(template, {APP: {**rows, "results.total": {"total": 3}}})
    assert only("A102", attrs.evolve(bad, template=None)).message.endswith("add up to 4")


def test_a103_balance_fails() -> None:
    report = build(
        None,
        {
            APP: {
                "new_received": {"natural_person": 1},
                "carried_over": {"natural_person": 0},
                "results.total": {"natural_person": 0},
                "carried_forward": {"natural_person": 0},
            }
        },
    )
    found = only("A103", report)
    assert found.message == (
        "一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = 1 + 0 but "
        "（七）总计 + 四、结转下年度继续办理 = 0 + 0 in 自然人"
    )
    assert found.span == span_of(report, APP, "results.total", "natural_person")
    assert found.cells == tuple(
        (APP, row, "natural_person")
        for row in ("results.total", "new_received", "carried_over", "carried_forward")
    )


def test_a103_satisfied() -> None:
    rows = {"new_received": 3, "carried_over": 2, "results.total": 4, "carried_forward": 1}
    report = build(None, {APP: {row: {"total": value} for row, value in rows.items()}})
    assert check(report) == ()


def test_r101_group_total_differs() -> None:
    groups: dict[str, dict[str, Value]] = {
        group: dict.fromkeys(spec.REVIEW_COLUMNS, 0) for group in spec.REVIEW_GROUPS
    }
    groups["litigation_direct"]["upheld"] = 2
    report = build(None, {"review_litigation": groups})
    found = only("R101", report)
    assert found.message == (
        "行政诉讼 未经复议直接起诉 / 总计 is 0 but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 2"
    )
    assert found.span == span_of(report, "review_litigation", "litigation_direct", "total")
    assert found.cells == tuple(
        ("review_litigation", "litigation_direct", column)
        for column in ("total", "upheld", "corrected", "other", "pending")
    )


def test_r101_satisfied() -> None:
    group = {"upheld": 1, "corrected": 2, "other": 3, "pending": 4, "total": 10}
    assert check(build(None, {"review_litigation": {"administrative_review": group}})) == ()


def test_d101_published_total_below_published() -> None:
    rows = {"rules": {"produced": 0, "published": 5, "published_total": 3}}
    report = build(None, {"active_disclosure": rows})
    found = only("D101", report)
    assert found.severity is Severity.WARNING
    assert found.message == "规章 / 对外公开总数量 is 3, less than 本年新公开数量 5"
    assert found.span == span_of(report, "active_disclosure", "rules", "published_total")
    assert found.cells == (
        ("active_disclosure", "rules", "published_total"),
        ("active_disclosure", "rules", "published"),
    )


def test_d101_satisfied_and_published_may_exceed_produced() -> None:
    rows = {"normative_documents": {"produced": 0, "published": 5, "published_total": 5}}
    assert check(build(None, {"active_disclosure": rows})) == ()


def test_t301_missing_row() -> None:
    values = consistent("2021")
    del values[APP]["results.other.other"]  # as in seed 004
    rebalance(values)
    report = build("2021", values)
    found = only("T301", report)
    assert found.severity is Severity.WARNING
    assert found.message == (
        "（六）其他处理 3.其他 is missing from 收到和处理政府信息公开申请情况 (template 2021)"
    )
    total = span_of(report, APP, "results.total", "natural_person")
    assert found.span == Span.point(total.line, total.column)  # where the row belongs
    assert found.cells == tuple(
        (APP, "results.other.other", column) for column in spec.APPLICANT_COLUMNS
    )


def test_t301_missing_cell_and_missing_column() -> None:
    values = consistent("2021")
    del values["active_disclosure"]["rules"]["repealed"]
    one = build("2021", values)
    found = only("T301", one)
    assert found.message == "规章 lacks 本年废止件数 in 主动公开政府信息情况 (template 2021)"
    assert found.cells == (("active_disclosure", "rules", "repealed"),)
    end = span_of(one, "active_disclosure", "rules", "in_force")
    assert found.span == Span.point(end.end_line, end.end_column)

    del values["active_disclosure"]["normative_documents"]["repealed"]
    both = only("T301", build("2021", values))
    assert (
        both.message == "column 本年废止件数 is missing from 主动公开政府信息情况 (template 2021)"
    )
    assert both.cells == (
        ("active_disclosure", "rules", "repealed"),
        ("active_disclosure", "normative_documents", "repealed"),
    )


def test_t302_foreign_row_and_column() -> None:
    values = consistent("2021")
    values["review_litigation"]["合计"] = {"total": 0}
    report = build("2021", values)
    found = only("T302", report)
    assert found.message == (
        "合计 is not a row of 政府信息公开行政复议、行政诉讼情况 (template 2021)"
    )
    assert found.span == span_of(report, "review_litigation", "合计", "total")
    assert found.cells == (("review_litigation", "合计", "total"),)

    values = consistent("2019")
    values["active_disclosure"]["administrative_fees"]["decisions"] = 3  # a 2019 column
    values["active_disclosure"]["rules"]["备注"] = None  # foreign to the whole table
    report = build("2019", values)
    found_all = check(report)
    assert codes(found_all) == ["T302", "T302"]
    messages = {d.cells[0]: d.message for d in found_all}
    assert messages[("active_disclosure", "administrative_fees", "decisions")] == (
        "行政事业性收费 / 处理决定数量 is not a cell of 主动公开政府信息情况 (template 2019)"
    )
    assert messages[("active_disclosure", "rules", "备注")] == (
        "column 备注 is not a column of 主动公开政府信息情况 (template 2019)"
    )


def test_t3xx_skipped_without_a_template() -> None:
    values: dict[str, dict[str, dict[str, Value]]] = {"review_litigation": {"合计": {"x": 0}}}
    assert check(build(None, values)) == ()
    assert check(build("2030", values)) == ()  # an unknown template is no template


def test_t301_satisfied_by_the_2021_rows_2019_lacks() -> None:
    report = build("2021", consistent("2021"))
    assert check(report, select=["T3"]) == ()


def test_m401_issued_before_the_year_ends() -> None:
    report = build(None, {}, year=2023, issued=dt.date(2023, 1, 18))
    found = only("M401", report)
    assert found.severity is Severity.WARNING
    assert found.message == "issued 2023-01-18 is before the end of reporting year 2023"
    assert found.span is None and found.cells == ()
    assert codes(check(attrs.evolve(report, issued=dt.date(2023, 12, 31)))) == ["M401"]


def test_m401_satisfied() -> None:
    assert check(build(None, {}, year=2023, issued=dt.date(2024, 1, 18))) == ()
    assert check(build(None, {}, year=None, issued=dt.date(2023, 1, 18))) == ()


def test_m402_years_disagree() -> None:
    mentions = (
        YearMention("title", 2020, Span(1, 1, 1, 5)),
        YearMention("period", 2019, Span(2, 7, 2, 11)),
        YearMention("body", 2018, Span(5, 1, 5, 5)),
    )
    found = only("M402", build(None, {}, year=2020, year_mentions=mentions))
    assert found.message == "the period says 2019 but the title says 2020"
    assert found.span == Span(2, 7, 2, 11)
    # Without a reporting year, the first mention is the reference.
    found = only("M402", build(None, {}, year=None, year_mentions=mentions[1:]))
    assert found.message == "the body says 2018 but the period says 2019"


def test_m402_satisfied() -> None:
    mentions = (
        YearMention("title", 2020, Span(1, 1, 1, 5)),
        YearMention("body", 2020, Span(3, 1, 3, 5)),
    )
    assert check(build(None, {}, year=2021, year_mentions=mentions)) == ()


# --- seed 003, rebuilt by hand -------------------------------------------------------------


def seed_003() -> Report:
    values = zeros("2019")
    values["active_disclosure"]["normative_documents"]["published_total"] = 34
    values["active_disclosure"]["administrative_licensing"] = {
        "previous_items": 8, "change": 5, "decisions": 1552}  # fmt: skip
    values["active_disclosure"]["other_administrative_services"] = {
        "previous_items": 23, "change": 2, "decisions": 30731}  # fmt: skip
    values["active_disclosure"]["administrative_penalty"] = {
        "previous_items": 203, "change": 0, "decisions": 68}  # fmt: skip
    values["active_disclosure"]["administrative_enforcement"]["previous_items"] = 5
    for row in ("new_received", "results.withheld.prohibited_by_law"):
        values[APP][row].update(natural_person=1, total=1)
    values["review_litigation"]["litigation_direct"]["upheld"] = 2
    return build("2019", values, year=2020, issued=dt.date(2021, 1, 19))


SEED_003_FINDINGS = {
    ("A102", (APP, "results.total", "natural_person")),
    ("A102", (APP, "results.total", "total")),
    ("A103", (APP, "results.total", "natural_person")),
    ("A103", (APP, "results.total", "total")),
    ("R101", ("review_litigation", "litigation_direct", "total")),
}


def test_seed_003_fails_exactly_where_the_spec_says() -> None:
    report = seed_003()
    found = check(report)
    assert {(d.code, d.cells[0]) for d in found} == SEED_003_FINDINGS
    assert len(found) == len(SEED_003_FINDINGS)
    assert all(d.severity is Severity.ERROR for d in found)
    for d in found:
        assert d.span == span_of(report, *d.cells[0])
    messages = {(d.code, d.cells[0][2]): d.message for d in found}
    assert messages["A102", "total"] == "（七）总计 / 总计 is 0 but its rows add up to 1"
    assert messages["A103", "natural_person"].endswith(
        "= 1 + 0 but （七）总计 + 四、结转下年度继续办理 = 0 + 0 in 自然人"
    )
    assert [d.span for d in found] == sorted(d.span for d in found if d.span)  # source order


def test_render_shows_path_line_column_and_a_caret() -> None:
    found = check(seed_003(), select=["A102"])[0]
    assert found.span is not None
    located = attrs.evolve(found, source="003.txt", line_text="\t0")
    line = found.span.line
    assert located.render().splitlines() == [
        f"003.txt:{line}:2: error[A102]: （七）总计 / 自然人 is 0 but its rows add up to 1",
        f"  {line} | " + " 0",
        "      |  ^",
    ]


# --- selection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (None, (), ["A102", "A102", "A103", "A103", "R101"]),
        (["A1"], (), ["A102", "A102", "A103", "A103"]),
        (["A102"], (), ["A102", "A102"]),
        ("a102", (), ["A102", "A102"]),  # a bare string is one code; case does not matter
        (None, ["A"], ["R101"]),
        (None, "A10", ["R101"]),
        (["A1"], ["A103"], ["A102", "A102"]),
        (["A103"], ["A1"], ["A103", "A103"]),  # the more specific prefix wins
        (["A1"], ["A1"], []),  # a tie goes to ignore
        ([], (), []),
        (["R", "A103"], (), ["A103", "A103", "R101"]),
    ],
)
def test_select_and_ignore(
    select: list[str] | str | None, ignore: list[str] | str, expected: list[str]
) -> None:
    assert sorted(codes(check(seed_003(), select=select, ignore=ignore))) == expected


def test_is_selected_serves_the_parsers_codes_too() -> None:
    assert is_selected("P101")
    assert not is_selected("P101", select=["A"])
    assert is_selected("V201", select=["V2"], ignore=["V"])


# --- nulls and robustness ----------------------------------------------------------------------


def test_null_cells_are_not_zeros() -> None:
    values = zeros("2019")
    values[APP]["new_received"].update(natural_person=1, total=None)  # A101 row: skipped
    values[APP]["results.granted"]["commercial_enterprise"] = None  # A102 column: skipped
    values[APP]["results.total"].update(commercial_enterprise=7, total=8)
    values[APP]["carried_forward"]["commercial_enterprise"] = None  # A103 column: skipped
    values[APP]["results.granted"].update(natural_person=1, total=None)
    values[APP]["results.total"]["natural_person"] = 1
    values["review_litigation"]["administrative_review"].update(upheld=None, total=5)
    found = check(build("2019", values))
    assert found == (), [d.message for d in found]


def test_missing_tables_and_rows_are_skipped() -> None:
    report = build("2021", {})
    assert check(attrs.evolve(report, tables={APP: None, "review_litigation": None})) == ()


_COUNT = st.integers(min_value=0, max_value=40)


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from(["2019", "2021"]),
    counts=st.lists(_COUNT, min_size=200, max_size=200),
    nulls=st.sets(st.integers(min_value=0, max_value=250), max_size=30),
)
def test_consistent_tables_never_err_whatever_is_null(
    template: str, counts: list[int], nulls: set[int]
) -> None:
    values = zeros(template)
    apps = values[APP]
    outcome_rows = [r for r in apps if r.startswith("results.") and r != "results.total"]
    numbers = iter(counts)
    for row in [*outcome_rows, "carried_over", "carried_forward"]:
        for column in SIX:
            apps[row][column] = next(numbers)
    rebalance(values)
    for group in spec.REVIEW_GROUPS:
        parts = {c: next(numbers) for c in ("upheld", "corrected", "other", "pending")}
        values["review_litigation"][group] = {**parts, "total": sum(parts.values())}
    addresses = [(t, r, c) for t, rows in values.items() for r, cols in rows.items() for c in cols]
    for index in nulls:
        if index < len(addresses):
            table, row, column = addresses[index]
            values[table][row][column] = None
    report = build(template, values)
    found = check(report, select=["A", "R"])
    assert found == (), [d.message for d in found]


_ROWS = st.sampled_from(
    [*spec.rows_of("2021", APP), "results.other.total", *spec.REVIEW_GROUPS, "rules",
     "normative_documents", "administrative_fees", "合计", "备注"]
)  # fmt: skip
_COLUMNS = st.sampled_from(
    [*spec.APPLICANT_COLUMNS, *spec.REVIEW_COLUMNS, "published", "published_total", "x"]
)
_VALUES = st.one_of(
    st.none(), st.integers(-5, 5), st.decimals(allow_nan=False, allow_infinity=False, places=2)
)


@settings(max_examples=150, deadline=None)
@given(
    template=st.sampled_from([None, "2019", "2021", "1999"]),
    tables=st.dictionaries(
        st.sampled_from([*spec.TABLE_LABELS, "other_table"]),
        st.dictionaries(_ROWS, st.dictionaries(_COLUMNS, _VALUES, max_size=8), max_size=12),
        max_size=4,
    ),
    year=st.one_of(st.none(), st.integers(2000, 2030)),
    issued=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2031, 12, 31))),
    mention_years=st.lists(st.integers(2000, 2030), max_size=4),
)
def test_rules_never_raise(
    template: str | None,
    tables: Values,
    year: int | None,
    issued: dt.date | None,
    mention_years: list[int],
) -> None:
    mentions = tuple(
        YearMention("body", y, Span(i + 1, 1, i + 1, 5)) for i, y in enumerate(mention_years)
    )
    report = build(template, tables, year=year, issued=issued, year_mentions=mentions)
    for found in check(report):
        assert found.code in RULES
        assert found.severity is RULES[found.code].severity
        assert "\n" not in found.message
        if found.code in {"A101", "A102", "A103", "R101", "D101"}:
            table = report.tables[found.cells[0][0]]
            assert table is not None
            assert all(table.get(r, c) is not None for _, r, c in found.cells)
            assert all(table[r][c].value is not None for _, r, c in found.cells)
