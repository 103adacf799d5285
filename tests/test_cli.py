"""`xxgk check` and `xxgk parse` as a user runs them."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk import Report
from xxgk.cli import main

from .conftest import ROOT, seed


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_check_seed_003_reports_the_cells_at_fault() -> None:
    status, out, _ = _run("check", str(seed("003")))
    assert status == 1
    heads = [line for line in out.splitlines() if ": error[" in line]
    where = [(h.split(":")[1], h.split("error[")[1][:4]) for h in heads]
    assert where == [("333", "A102"), ("333", "A103"), ("339", "A102"), ("339", "A103"),
                     ("388", "R101")]
    assert "（七）总计 / 自然人 is 0 but its rows add up to 1" in out
    assert out.splitlines()[-1] == "1 file, 5 errors, 0 warnings, 0 info"


@pytest.mark.parametrize("name", ["000", "001", "002", "004"])
def test_check_clean_seeds_exit_0(name: str) -> None:
    status, out, _ = _run("check", str(seed(name)))
    assert status == 0
    assert ": error[" not in out


def test_check_004_warns_about_its_date_and_repairs_its_noise() -> None:
    status, out, _ = _run("check", str(seed("004")), "--show", "info")
    assert status == 0
    assert "warning[M401]: issued 2023-01-18 is before the end of reporting year 2023" in out
    assert out.count("info[V201]") == 162
    assert "   60 | 2023年1月18日" in out


def test_select_and_ignore_filter_codes_and_prefixes() -> None:
    status, out, _ = _run("check", str(seed("003")), "--select", "R")
    assert status == 1 and out.count("error[") == 1 and "error[R101]" in out
    status, out, _ = _run("check", str(seed("003")), "--ignore", "A1,R101")
    assert status == 0 and "error[" not in out
    _, out, _ = _run("check", str(seed("003")), "--select", "A1", "--ignore", "A103")
    assert out.count("error[A102]") == 2 and "A103" not in out
    status, out, _ = _run("check", str(seed("004")), "--select", "p1,v2,x001,t3,m4",
                          "--show", "info")
    assert status == 0 and out.count("info[V201]") == 162 and "warning[M401]" in out


@pytest.mark.parametrize("codes", ["", ",", " "])
def test_an_empty_select_is_refused(codes: str) -> None:
    """`--select "$CODES"` with CODES unset would select nothing and pass."""
    status, out, err = _run("check", str(seed("003")), "--select", codes)
    assert (status, out) == (2, "")
    assert err == "xxgk check: error: --select: no code given (it would select nothing)\n"
    assert _run("check", str(seed("003")), "--ignore", codes)[0] == 1  # ignores nothing


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_code_is_refused_not_silently_matched(option: str) -> None:
    """`--select A1O1` (a letter O) would select nothing and report a clean file."""
    status, out, err = _run("check", str(seed("003")), option, "A101,A1O1,ZZZ")
    assert status == 2 and out == ""
    assert err == ("xxgk check: error: " + option + ": no diagnostic code is or starts with "
                   "A1O1, ZZZ (see the README's Diagnostics)\n")


def test_every_diagnostic_code_is_explained() -> None:
    """`xxgk explain`'s table, the rules and the reading codes agree, every code the
    package's source gives is among them, and the README's Diagnostics table names no
    other (the keys' and chains' codes are in docs/cli.md and `xxgk explain`)."""
    from xxgk.checks import READING_CODES, RULES
    from xxgk.codes import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Diagnostics", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"\b[A-Z]\d{3}\b", table))
    assert listed <= set(CODES)
    assert set(RULES) | READING_CODES <= set(CODES)
    given = {node.value for path in (ROOT / "src" / "xxgk").rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and re.fullmatch(r"[A-Z]\d{3}", node.value)}
    assert len(given) > 20
    assert given == set(CODES), given ^ set(CODES)


def test_check_json_lists_diagnostics_per_file() -> None:
    status, out, err = _run("check", str(seed("003")), "--format", "json")
    assert status == 1
    (entry,) = json.loads(out)
    codes = [d["code"] for d in entry["diagnostics"] if d["severity"] == "error"]
    assert codes == ["A102", "A103", "A102", "A103", "R101"]
    first = entry["diagnostics"][0]
    assert first["cells"][0] == ["applications", "results.total", "natural_person"]
    assert first["span"] == {"line": 333, "column": 1, "end_line": 333, "end_column": 2}
    assert err.strip() == "1 file, 5 errors, 0 warnings, 0 info"


def test_check_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    status, out, err = _run("check", str(bad), str(seed("000")))
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "bad.txt" in err
    assert out.splitlines()[-1] == "2 files, 0 errors, 0 warnings, 0 info, 1 unreadable"
    # --format json lists it too, in input order, with the reason
    status, out, err = _run("check", str(bad), str(seed("000")), "--format", "json")
    assert status == 2
    listed = json.loads(out)
    assert [entry["source"] for entry in listed] == [str(bad), str(seed("000"))]
    assert listed[0]["diagnostics"] == [] and listed[0]["error"].startswith("binary input")
    assert "error" not in listed[1]
    assert err.splitlines()[-1] == "2 files, 0 errors, 0 warnings, 0 info, 1 unreadable"


def test_parse_json_is_an_array_even_for_one_file() -> None:
    status, out, _ = _run("parse", str(seed("002")), "--format", "json")
    assert status == 0
    (data,) = json.loads(out)  # one shape whatever the input: an array of reports
    assert data["agency"] == "拱墅区卫生健康局"
    amount = data["tables"]["active_disclosure"]["centralized_procurement"]["amount"]
    assert amount["value"] == 55566.88 and amount["unit"] == "万元"
    assert amount["raw"] == "55566.88万元"


def test_parse_csv_long_format() -> None:
    status, out, _ = _run("parse", str(seed("000")), "--format", "csv")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("source,agency,year,template,table,row,column,value,raw,line,column_no,"
                        "unit,page,box")
    assert len(lines) == 1 + 198
    assert any(line.endswith("active_disclosure,administrative_penalty,change,-16,-16,53,2,,,")
               for line in lines)
    assert all(line.startswith("corpus/seeds/000_e3df90ef1548b389.txt,道里区卫生健康局,2020,2019,")
               or line.startswith(str(seed("000")) + ",道里区卫生健康局,2020,2019,")
               for line in lines[1:])
    # an amount keeps its unit (seed 002: 55566.88万元 at 83:2)
    _, out, _ = _run("parse", str(seed("002")), "--format", "csv")
    assert any(line.endswith("centralized_procurement,amount,55566.88,55566.88万元,83,2,万元,,")
               for line in out.splitlines())


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "xxgk", "--version"], capture_output=True,
                            text=True, check=True, cwd=ROOT)
    assert result.stdout.startswith("xxgk ")


def test_readme_library_example_holds() -> None:
    """The values the README's Library section shows are what the library returns."""
    import xxgk

    report = xxgk.parse_file(seed("000"))
    assert (report.agency, report.year, report.template, report.issued) == \
        ("道里区卫生健康局", 2020, "2019", None)
    assert report.applications is not None and report.active_disclosure is not None
    cell = report.applications["results.total"]["natural_person"]
    assert (cell.value, cell.raw, cell.span) == (1, "1", xxgk.Span(341, 2, 341, 3))
    assert report.active_disclosure["administrative_penalty"]["change"].value == -16
    assert [r.agency for r in xxgk.parse_many([seed("000")], jobs=1)] == ["道里区卫生健康局"]


def test_html_and_non_reports_are_errors_not_silent_successes(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("<html><body><p>hello</p><div>no report here</div></body></html>\n",
                    encoding="utf-8")  # a page is read as HTML, and this one holds no report
    other = tmp_path / "notes.txt"
    other.write_text("hello world\nthis is not a report\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# about these files\n", encoding="utf-8")
    status, out, _ = _run("check", str(tmp_path))
    assert status == 1
    assert "P110" not in out
    assert "warning[H101]: no report found in this page" in out
    assert out.count("error[P111]") == 2
    # not six missing sections and three missing tables each
    assert [line for line in out.splitlines() if "warning[" in line and "H101" not in line] == []
    assert out.splitlines()[-1].startswith("2 files,")  # README.md is not a report


def test_two_numbers_in_one_cell_are_not_read_as_one(tmp_path: Path) -> None:
    text = seed("004").read_text(encoding="utf-8").replace("规章 | 0 | ?0 | 0 |",
                                                           "规章 | 1 2 | ?0 | 0 |")
    report = xxgk_parse(text)
    assert report.active_disclosure is not None
    cell = report.active_disclosure["rules"]["issued"]
    assert cell.value is None and cell.raw == "1 2"
    assert any(d.code == "V203" and d.span == cell.span for d in report.diagnostics)


def xxgk_parse(text: str) -> Report:
    import xxgk

    return xxgk.parse(text)


def test_readme_check_example_is_a_real_run(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ xxgk check corpus/seeds/003_9b4f798751e8fc3c.txt\n"
    shown = readme[readme.index(command) + len(command):]
    shown = shown[:shown.index("```")]
    monkeypatch.chdir(ROOT)
    status, out, _ = _run("check", "corpus/seeds/003_9b4f798751e8fc3c.txt")
    assert status == 1
    assert out == shown


@pytest.mark.parametrize("command", [["check", "DIR", "--show", "info"],
                                     ["parse", "DIR", "--format", "jsonl", "--jobs", "1"]])
def test_a_reader_that_goes_away_is_not_a_success(tmp_path: Path, command: list[str]) -> None:
    """`xxgk … | head`: when the pipe breaks the command stops, quietly (no traceback,
    no 'Exception ignored'), with 141 as a tool ended by SIGPIPE would, not 0: files it
    did not get to were not checked."""
    text = seed("004").read_bytes()  # 164 info diagnostics each, with source lines
    for index in range(12):  # far more output than a pipe holds: ~570 KB, ~920 KB
        (tmp_path / f"r{index:02}.txt").write_bytes(text)
    argv = [str(tmp_path) if arg == "DIR" else arg for arg in command]
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err, err


def test_paths_may_follow_options() -> None:
    """`xxgk check a --select R b` reads both files (argparse alone refuses b)."""
    status, out, _ = _run("check", str(seed("003")), "--select", "R", str(seed("004")))
    assert status == 1 and out.splitlines()[-1] == (
        "2 files, 1 error, 0 warnings, 0 info, 1 read partly or not at all")  # 004: 193/200
    status, out, _ = _run("parse", str(seed("000")), "--format", "jsonl", str(seed("001")))
    assert status == 0 and len(out.splitlines()) == 2
    with pytest.raises(SystemExit) as stopped:
        _run("parse", str(seed("000")), "--bogus", "x")
    assert stopped.value.code == 2


def test_check_lets_each_report_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`xxgk check` over a corpus of any size: when a file is read, no report but the one
    before it is held (every file used to be read before anything was printed), and the
    JSON list,
    written as it goes, is laid out as json.dumps would lay out the whole list."""
    import gc
    import weakref

    from xxgk import batch

    read = batch._parse_walked
    made: list[weakref.ref[Report]] = []
    alive_when_read: list[int] = []

    def tracked(name: str) -> Report:
        gc.collect()
        alive_when_read.append(sum(ref() is not None for ref in made))
        report = read(name)
        made.append(weakref.ref(report))
        return report

    monkeypatch.setattr(batch, "_parse_walked", tracked)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01" * 10)
    files = [str(seed("003")), str(bad), str(seed("000")), str(seed("004"))]
    for fmt in ("text", "json"):
        made.clear()
        alive_when_read.clear()
        status, out, _ = _run("check", *files, "--format", fmt, "--jobs", "1")
        assert status == 2
        assert max(alive_when_read) <= 1, alive_when_read  # the one before, at most
    listed = json.loads(out)
    assert [entry["source"] for entry in listed] == files
    assert out == json.dumps(listed, ensure_ascii=False, indent=2) + "\n"
    status, out, _ = _run("check", str(tmp_path / "none"), "--format", "json")
    assert json.loads(out)[0]["error"] == "no such file"


# --- command-line habits (issue 18) ------------------------------------------------------


def _run_in(data: bytes, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err, stdin=io.BytesIO(data))
    return status, out.getvalue(), err.getvalue()


def test_dash_reads_standard_input() -> None:
    data = seed("000").read_bytes()
    status, out, err = _run_in(data, "parse", "-", "--format", "jsonl")
    assert (status, err) == (0, "")
    record = json.loads(out)
    assert record["source"] == "<stdin>" and record["agency"] == "道里区卫生健康局"
    status, out, _ = _run_in(seed("003").read_bytes(), "check", "-")
    assert status == 1 and out.startswith("<stdin>:333:1: error[A102]")
    status, out, _ = _run_in(data, "parse", str(seed("001")), "-", "--format", "jsonl", "-j", "1")
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(seed("001")),
                                                                         "<stdin>"]
    status, _, err = _run_in(b"", "parse", "-")
    assert status == 2 and err == "xxgk: error: <stdin>: byte 0: empty input\n"


def test_parse_exits_1_on_an_error_diagnostic_and_2_on_unreadable(tmp_path: Path) -> None:
    assert _run("parse", str(seed("000")))[0] == 0
    status, out, _ = _run("parse", str(seed("003")))
    assert status == 1 and json.loads(out)[0]["diagnostics"]
    not_a_report = tmp_path / "notes.txt"
    not_a_report.write_text("今天天气很好。\n明天也好。\n", encoding="utf-8")
    status, out, _ = _run("parse", str(not_a_report))
    assert status == 1 and json.loads(out)[0]["diagnostics"][0]["code"] == "P111"
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    status, out, err = _run("parse", str(binary), str(seed("000")), "-j", "1")
    assert status == 2 and len(json.loads(out)) == 1 and str(binary) in err


def test_check_jsonl_jobs_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "found.jsonl"
    files = [str(seed("003")), str(seed("000"))]
    status, out, err = _run("check", *files, "--format", "jsonl", "-j", "2", "-o", str(target))
    assert status == 1 and out == ""
    entries = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [e["source"] for e in entries] == files
    assert [d["code"] for d in entries[0]["diagnostics"]][:2] == ["A102", "A103"]
    assert err.splitlines()[-1].startswith("2 files, 5 errors")
    # the same entries as --format json, one per line
    _, out, _ = _run("check", *files, "--format", "json", "-j", "1")
    assert json.loads(out) == entries


def test_explain_every_code_and_refuse_unknown() -> None:
    from xxgk.codes import CODES

    for code in CODES:
        status, out, _ = _run("explain", code.lower())
        assert status == 0 and out.startswith(f"{code} ({CODES[code].severity}): ")
        assert "\nwhat to do: " in out
    status, out, err = _run("explain", "C602")
    assert "expire without being repealed" in out
    status, out, err = _run("explain", "A1O1")
    assert status == 2 and out == "" and "no diagnostic code 'A1O1'" in err


def test_stats_over_the_corpus() -> None:
    # the text collections (corpus/pdf holds the same seeds again, as PDFs)
    folders = [str(ROOT / "corpus" / "seeds"), str(ROOT / "corpus" / "synthetic")]
    status, out, _ = _run("stats", *folders, "-j", "1")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "11 reports"
    assert "  template 2019: 2020: 5" in lines
    assert "  template 2021: 2021: 3, 2022: 2, 2023: 1" in lines
    assert "tables read: fully 10, partly 1, not at all 0" in lines
    assert "  A102 error    2" in lines
    status, out, _ = _run("stats", *folders, "--format", "json", "-j", "1")
    data = json.loads(out)
    assert data["reports"] == 11 and data["reading"] == {"full": 10, "partial": 1, "none": 0}
    granted = data["granted_share"]
    assert granted["share"] == round((granted["granted"] + granted["partially_granted"])
                                     / granted["total"], 4)
    assert granted["reports"] == 11
    assert data["corrected_share"]["total"] == sum(
        g["total"] for g in data["corrected_share"]["groups"].values())
    assert data["diagnostics"]["V201"]["severity"] == "info"


def test_stats_counts_one_report_by_hand() -> None:
    """Seed 002 (拱墅区, 2019 template): 予以公开 and 部分公开 over （七）总计, by the table."""
    import xxgk

    report = xxgk.parse_file(seed("002"))
    table = report.applications
    assert table is not None
    granted = table["results.granted"]["total"].value
    partly = table["results.partially_granted"]["total"].value
    total = table["results.total"]["total"].value
    status, out, _ = _run("stats", str(seed("002")), "--format", "json")
    assert status == 0
    data = json.loads(out)["granted_share"]
    assert (data["granted"], data["partially_granted"], data["total"]) == (granted, partly,
                                                                            total)


def test_text_numbers_lines_and_pages(tmp_path: Path) -> None:
    from xxgk.sources import SourceMapBuilder, SourceText
    from xxgk.sources.show import show_source

    status, out, _ = _run("text", str(seed("000")))
    assert status == 0
    lines = out.splitlines()
    first = seed("000").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"    1 | {first[0]}" and len(lines) == len(first)
    # a paged target: each page opens with its header and counts its lines from 1
    target = "一、总体情况\n正文\f第二页\n表格"
    builder = SourceMapBuilder(target)
    builder.copy(target, 0)
    shown = show_source(SourceText(builder.text(), builder.build(pages=[target.index("\f") + 1]),
                                   "pdf"))
    assert shown == ("--- page 1 ---\n    1 | 一、总体情况\n    2 | 正文\n"
                     "--- page 2 ---\n    1 | 第二页\n    2 | 表格\n")
    status, out, err = _run("text", str(seed("000")), str(tmp_path / "missing.txt"))
    assert status == 2 and out.startswith(f"==> {seed('000')} <==\n")
    assert "missing.txt" in err
