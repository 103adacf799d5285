"""Chains between years and the comparison of two reports, on pairs made from the corpus
(tests/pairs.py: one pair whose chains break on purpose, one whose chains hold)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from random import Random

from hypothesis import given
from hypothesis import strategies as st

import xxgk
from xxgk.chains import Yearly, check_chains, link_pair, yearly
from xxgk.cli import main
from xxgk.compare import compare

from . import pairs


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def _old() -> xxgk.Report:
    return xxgk.parse_file(pairs.OLD)


def test_the_pairs_are_sound_reports_of_one_agency() -> None:
    for text in (pairs.broken(), pairs.intact()):
        report = xxgk.parse(text, source="new.txt")
        assert (report.agency, report.year, report.template) == (
            "西城区住房和城乡建设委员会", 2022, "2021")
        assert not report.errors  # its own arithmetic holds: only the chains can break


def test_broken_pair_gives_both_chain_findings_with_both_places() -> None:
    text = pairs.broken()
    links = link_pair(_old(), xxgk.parse(text, source="new.txt"))
    assert [(link.diagnostic.code, link.severity.value) for link in links] == [
        ("C601", "error"), ("C602", "warning")]
    carried, in_force = links
    # C601 at the new report's 二、上年结转 / 总计 (3), the old one's 四、结转 / 总计 (2)
    old_text = pairs.OLD.read_text(encoding="utf-8")
    assert carried.diagnostic.span is not None and carried.related is not None
    assert carried.diagnostic.source == "new.txt"
    carried_line = pairs.line_of(text, "二、上年结转政府信息公开申请数量 |") + 7
    assert carried.diagnostic.span.line == carried_line
    assert carried.related.span is not None
    assert carried.related.span.line == pairs.line_of(old_text, "四、结转下年度继续办理 |") + 7
    assert carried.related.source == str(pairs.OLD)
    assert "(总计 3 ≠ 2, 自然人 3 ≠ 2)" in carried.diagnostic.message
    # C602 shows the arithmetic: 31 + 4 − 2 = 33 against 31 printed
    assert "规范性文件: 31 + 4 − 2 = 33" in in_force.diagnostic.message
    assert "现行有效件数 of 2022 is 31" in in_force.diagnostic.message
    assert in_force.diagnostic.span is not None and in_force.related is not None
    assert in_force.related.span is not None
    assert in_force.diagnostic.span.line == pairs.line_of(text, "行政规范性文件 |") + 3
    assert in_force.related.span.line == pairs.line_of(old_text, "行政规范性文件 |") + 3
    data = carried.to_dict()
    assert data["related"]["source"] == str(pairs.OLD) and data["source"] == "new.txt"


def test_intact_pair_gives_no_finding_and_the_changed_cells() -> None:
    found = compare(_old(), xxgk.parse(pairs.intact(), source="new.txt"))
    assert found.links == ()
    assert [(c.table, c.row, c.column, c.old and c.old.value, c.new and c.new.value, c.change)
            for c in found.differing()] == [
        ("active_disclosure", "normative_documents", "in_force", 31, 33, 2),
        ("applications", "carried_over", "natural_person", 3, 2, -1),
        ("applications", "carried_over", "total", 3, 2, -1),
        ("applications", "carried_forward", "natural_person", 2, 1, -1),
        ("applications", "carried_forward", "total", 2, 1, -1),
    ]
    assert len(found.changes) > 100 and found.differing()[0].label == "规范性文件 / 现行有效件数"


def test_compare_of_other_agency_or_years_warns_and_still_compares() -> None:
    other = xxgk.parse(pairs.moved_on(pairs.OLD.read_text(encoding="utf-8"), 2)
                       .replace("西城区", "东城区"), source="far.txt")
    found = compare(_old(), other)
    (link,) = found.links
    assert link.diagnostic.code == "C604" and link.severity is xxgk.Severity.WARNING
    assert "different agencies" in link.diagnostic.message
    assert "not adjacent (2021 then 2023)" in link.diagnostic.message
    assert found.changes and not found.differing()


def test_check_chains_groups_orders_and_names_gaps() -> None:
    old = _old()
    base = pairs.OLD.read_text(encoding="utf-8")
    reports = [
        xxgk.parse(pairs.moved_on(base, 3), source="2024.txt"),  # after a gap of two years
        xxgk.parse(pairs.intact(), source="2022.txt"),
        old,
        xxgk.parse(pairs.broken(), source="2022-again.txt"),  # a second 2022
        xxgk.parse(base.replace("2021年", "二〇二一年"), source="noyear.txt"),
    ]
    links = check_chains(reports)
    assert [(link.diagnostic.code, link.diagnostic.source) for link in links] == [
        ("C606", "noyear.txt"), ("C605", "2022-again.txt"), ("C603", "2024.txt")]
    gap = links[-1]
    assert "no report of 西城区住房和城乡建设委员会 for 2023, between 2022 and 2024" in (
        gap.diagnostic.message)
    assert gap.related is not None and gap.related.source == "2022.txt"
    # the library takes Yearly records as well, and a caller's own grouping
    slim = [yearly(old), yearly(xxgk.parse(pairs.broken(), source="b.txt"))]
    assert [link.diagnostic.code for link in check_chains(slim)] == ["C601", "C602"]
    split = check_chains(slim, groups={"b.txt": "another"})
    assert split == []


def test_cli_check_across_years(tmp_path: Path) -> None:
    paths = pairs.write(tmp_path / "broken", new_2022=pairs.broken())
    status, out, _ = _run("check", "--across-years", str(paths["old"].parent), "-j", "1")
    assert status == 1
    line = pairs.line_of(pairs.broken(), "二、上年结转政府信息公开申请数量 |") + 7
    head = f"{paths['new_2022']}:{line}:1: "
    assert head + "error[C601]" in out
    assert f"= note: {paths['old']}:" in out
    assert "warning[C602]" in out
    assert out.splitlines()[-1] == "2 files, 1 error, 1 warning, 0 info"
    status, out, err = _run("check", "--across-years", str(paths["old"].parent),
                            "--format", "json", "-j", "1")
    listed = json.loads(out)
    assert [e["source"] for e in listed] == [str(paths["new_2022"]), str(paths["old"])]
    chain = [d for d in listed[0]["diagnostics"] if d["code"].startswith("C")]
    assert [d["code"] for d in chain] == ["C601", "C602"]
    assert chain[0]["related"]["source"] == str(paths["old"])
    assert err.splitlines()[-1] == "2 files, 1 error, 1 warning, 0 info"
    intact = pairs.write(tmp_path / "intact", new_2022=pairs.intact())
    status, out, _ = _run("check", "--across-years", str(intact["old"].parent), "-j", "1")
    assert status == 0 and "[C6" not in out
    status, out, _ = _run("check", "--across-years", str(paths["old"].parent), "-j", "1",
                          "--select", "C601")
    assert status == 1 and out.count("error[") == 1 and "C602" not in out
    # an explicit grouping keeps the two apart
    groups = tmp_path / "groups.csv"
    groups.write_text(f"file,agency\n{paths['new_2022']},其他机关\n", encoding="utf-8")
    status, out, _ = _run("check", "--across-years", "--groups", str(groups),
                          str(paths["old"]), str(paths["new_2022"]), "-j", "1")
    assert status == 0 and "[C6" not in out


def test_cli_compare_text_json_csv(tmp_path: Path) -> None:
    paths = pairs.write(tmp_path, new=pairs.intact())
    status, out, _ = _run("compare", str(paths["old"]), str(paths["new"]))
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("old: ")
    assert "(西城区住房和城乡建设委员会, 2021, template 2021)" in lines[0]
    assert "       31        33        +2  规范性文件 / 现行有效件数  " \
           "(active_disclosure/normative_documents/in_force)" in lines
    status, out, _ = _run("compare", str(paths["old"]), str(paths["new"]), "--format", "json")
    data = json.loads(out)
    assert data["new"]["year"] == 2022 and data["diagnostics"] == []
    assert data["cells"][0] == {"table": "active_disclosure", "row": "normative_documents",
                                "column": "in_force", "label": "规范性文件 / 现行有效件数",
                                "old": 31, "new": 33, "change": 2, "old_raw": "31",
                                "new_raw": "33"}
    _, out, _ = _run("compare", str(paths["old"]), str(paths["new"]), "--format", "csv", "--all")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:7] == ["table", "row", "column", "label", "old", "new", "change"]
    assert len(rows) - 1 == len(compare(_old(), xxgk.parse(pairs.intact())).changes)
    broken = pairs.write(tmp_path / "b", new=pairs.broken())
    status, out, _ = _run("compare", str(broken["old"]), str(broken["new"]))
    assert status == 1 and "no cell differs" in out and "error[C601]" in out


def test_a_chain_a_blank_cell_keeps_from_being_checked_is_named() -> None:
    """As in the crawled 平潭 2022/2023 texts, where 行政规范性文件's run-together numbers
    cannot be split: the chain is not checked, and that is said (C607, info)."""
    text = pairs.intact().replace("行政规范性文件 |\n4 |\n2 |\n33 |\n",
                                  "行政规范性文件 |\n4 |\n2 |\n/ |\n")
    links = link_pair(_old(), xxgk.parse(text, source="new.txt"))
    assert [(link.diagnostic.code, link.severity.value) for link in links] == [("C607", "info")]
    assert links[0].diagnostic.message.startswith(
        "the documents-in-force chain of 规范性文件 not checked between 2021 and 2022")
    assert links[0].diagnostic.span is not None
    assert links[0].diagnostic.span.line == pairs.line_of(text, "行政规范性文件 |") + 3


_CRAWL = Path(__file__).resolve().parents[1] / "corpus" / "crawl"


def test_pingtan_2022_to_2023_crawled_texts() -> None:
    """The issue's real chain (numbers read by eye in the crawled samples, copied into
    corpus/crawl): 2022 carried forward 0 in every column and 2023 carried over 0 — the
    carried-over chain holds. 行政规范性文件 is 2022: 88 issued, 55 repealed, 698 in force
    (the HTML page prints them so); 2023: 77 / 132 / 470. But the crawled texts print
    '8855698' and '77132470', which no equation of the template can cut (S301, null): the
    documents-in-force chain is named as not checked (C607), with both places, never passed
    over in silence and never computed from a guessed cut."""
    old_path, new_path = (_CRAWL / f"pingtan_{y}_flat.txt" for y in (2022, 2023))
    old, new = xxgk.parse_file(old_path), xxgk.parse_file(new_path)
    assert old.applications is not None and new.applications is not None
    assert (old.agency, old.year, new.agency, new.year) == (
        "平潭综合实验区", 2022, "平潭综合实验区", 2023)
    links = check_chains([old, new])
    assert not [link for link in links if link.diagnostic.code == "C601"]
    forward = old.applications["carried_forward"]
    carried = new.applications["carried_over"]
    assert [forward[c].value for c in forward] == [carried[c].value for c in carried] == [0] * 7
    in_force = [link for link in links if link.diagnostic.code in ("C602", "C607")]
    assert [link.diagnostic.code for link in in_force] == ["C607"]
    (link,) = in_force
    assert link.related is not None and link.related.source == str(old_path)
    assert link.diagnostic.source == str(new_path)
    assert link.diagnostic.message.startswith(
        "the documents-in-force chain of 规范性文件 not checked between 2022 and 2023")
    assert link.severity is xxgk.Severity.INFO


_FORWARD_TOTAL = ("applications", "carried_forward", "total")
_CARRIED_TOTAL = ("applications", "carried_over", "total")


def _yearly_of(year: int, carried: int, forward: int, source: str) -> Yearly:
    from xxgk.model import Cell, Span

    span = Span(1, 1, 1, 2)
    return Yearly(source, "某某局", year, "2021", {
        _CARRIED_TOTAL: Cell(carried, str(carried), span),
        _FORWARD_TOTAL: Cell(forward, str(forward), span)})


@given(st.lists(st.tuples(st.integers(2019, 2026), st.integers(0, 3), st.integers(0, 3)),
                min_size=1, max_size=6, unique_by=lambda t: t[0]),
       st.randoms(use_true_random=False))
def test_chain_findings_do_not_depend_on_the_order_of_the_reports(
    years: list[tuple[int, int, int]], random: Random
) -> None:
    """Grouped and ordered by year, whatever the input order; each adjacent pair whose
    carried-over chain breaks gives one C601, each gap one C603."""
    reports = [_yearly_of(y, c, f, f"{y}.txt") for y, c, f in years]
    found = check_chains(reports)
    shuffled = list(reports)
    random.shuffle(shuffled)
    assert check_chains(shuffled) == found
    ordered = sorted(years)
    breaks = sum(1 for (y0, _, f0), (y1, c1, _) in itertools.pairwise(ordered)
                 if y1 == y0 + 1 and f0 != c1)
    gaps = sum(1 for (y0, _, _), (y1, _, _) in itertools.pairwise(ordered) if y1 > y0 + 1)
    assert sorted(link.diagnostic.code for link in found) == ["C601"] * breaks + ["C603"] * gaps
