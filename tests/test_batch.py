"""Batch reading: worker processes, input order, failures, streaming CLI output."""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import xxgk
from xxgk import batch, serialize
from xxgk.batch import ParseFailure, iter_paths, map_reports, parse_many
from xxgk.cli import main
from xxgk.errors import ParseError
from xxgk.model import Diagnostic, Report, Severity

from .conftest import seed

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))
BINARY = bytes(range(256)) * 4


@pytest.fixture(scope="module")
def seed_reports() -> dict[str, Report]:
    return {str(p): xxgk.parse_file(p) for p in SEEDS}


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    """A directory with an unreadable (binary) file and a good one."""
    (tmp_path / "a_binary.txt").write_bytes(BINARY)
    shutil.copy(SEEDS[0], tmp_path / "b_good.txt")
    return tmp_path


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def test_order_is_stable_with_two_jobs(seed_reports: dict[str, Report]) -> None:
    # Interleaved and repeated, small chunks: results must still come back in order.
    paths = [str(p) for p in SEEDS[::-1] + SEEDS + SEEDS[::2]]
    results = list(parse_many(paths, jobs=2, chunksize=1))
    assert [r.source for r in results] == paths
    assert all(isinstance(r, Report) for r in results)
    assert results == [seed_reports[p] for p in paths]


def _pid(report: Report) -> int:
    return os.getpid()


def test_two_jobs_are_a_worker_and_this_process() -> None:
    """With jobs=2 one worker reads files, and this process reads chunks while it would
    otherwise wait for that worker; results still come in input order."""
    paths = [str(p) for p in SEEDS * 8]
    results = list(map_reports(_pid, paths, jobs=2, chunksize=1))
    assert [name for name, _ in results] == paths
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2


def _fail_from_20(report: Report) -> str:
    if report.source is not None and Path(report.source).name >= "f20.txt":
        raise ValueError(f"failed on {Path(report.source).name}")
    return str(report.source)


def test_an_error_comes_at_its_files_turn(tmp_path: Path) -> None:
    """An exception raised by the function reaches the caller after the results of every
    file before it, whichever process read the file (this one reads chunks too)."""
    paths = []
    for i in range(40):
        path = tmp_path / f"f{i:02d}.txt"
        path.write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
        paths.append(str(path))
    got = []
    with pytest.raises(ValueError, match=r"failed on f20\.txt"):
        for name, _ in map_reports(_fail_from_20, paths, jobs=2, chunksize=1):
            got.append(name)
    assert got == paths[:20]


def test_serial_matches_parse_file(seed_reports: dict[str, Report]) -> None:
    results = list(parse_many(SEEDS, jobs=1))
    assert results == [seed_reports[str(p)] for p in SEEDS]


def test_directory_with_unreadable_file(mixed_dir: Path) -> None:
    results = list(parse_many([mixed_dir], jobs=2))
    assert len(results) == 2
    failure, report = results
    assert isinstance(failure, ParseFailure)
    assert failure.source.endswith("a_binary.txt")
    assert "binary input" in str(failure) and str(failure).startswith(failure.source)
    assert isinstance(report, Report) and report.source is not None
    assert report.source.endswith("b_good.txt")


def test_errors_raise_stops_at_first_failure(mixed_dir: Path) -> None:
    results = parse_many(mixed_dir, jobs=1, errors="raise")
    with pytest.raises(ParseError, match="binary input"):
        next(results)


def test_errors_argument_is_checked() -> None:
    with pytest.raises(ValueError, match="errors"):
        next(parse_many(SEEDS, errors="ignore"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="jobs"):
        list(map_reports(str, SEEDS, jobs=0))


def test_cli_reports_failure_and_exits_2(mixed_dir: Path) -> None:
    status, out, err = run_cli("parse", str(mixed_dir), "--jobs", "2", "--format", "jsonl")
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("xxgk: error: ") and "a_binary.txt" in lines[0]
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["source"].endswith("b_good.txt")


def test_cli_all_good_exits_0() -> None:
    status, out, err = run_cli("parse", *map(str, SEEDS[:2]), "--jobs", "2", "--format", "jsonl")
    assert (status, err) == (0, "")
    assert [json.loads(line)["source"] for line in out.splitlines()] == list(map(str, SEEDS[:2]))


def test_cli_csv_header_once(seed_reports: dict[str, Report]) -> None:
    paths = [str(p) for p in SEEDS[:2]]
    status, out, _ = run_cli("parse", *paths, "--format", "csv", "--jobs", "2")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(serialize.CSV_HEADER)
    assert sum(row == list(serialize.CSV_HEADER) for row in rows) == 1
    # Same bytes as the library's to_csv over the same reports.
    assert out == serialize.to_csv(seed_reports[p] for p in paths)


def test_cli_json_is_always_an_array(seed_reports: dict[str, Report]) -> None:
    one = str(SEEDS[0])
    status, out, _ = run_cli("parse", one)
    expected = json.dumps([serialize.to_dict(seed_reports[one])], ensure_ascii=False,
                          indent=2) + "\n"
    assert status == 0 and out == expected
    paths = [str(p) for p in SEEDS[:3]]
    status, out, _ = run_cli("parse", *paths, "--jobs", "2")
    expected = json.dumps([serialize.to_dict(seed_reports[p]) for p in paths],
                          ensure_ascii=False, indent=2) + "\n"
    assert status == 0 and out == expected


def test_cli_output_file(tmp_path: Path, seed_reports: dict[str, Report]) -> None:
    target = tmp_path / "out.jsonl"
    paths = [str(p) for p in SEEDS[:2]]
    status, out, _ = run_cli("parse", *paths, "--format", "jsonl", "-o", str(target))
    assert status == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert text == "".join(serialize.to_json(seed_reports[p], indent=None) + "\n"
                           for p in paths)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(mixed_dir: Path) -> None:
    out, err = io.StringIO(), _Terminal()
    assert main(["parse", str(mixed_dir), "--format", "jsonl", "--jobs", "1"], out, err) == 2
    shown = err.getvalue()
    assert "\r" in shown and "2/2" in shown and "files/s" in shown and "ETA" in shown
    assert "xxgk: error: " in shown and shown.endswith("\n")
    _, _, piped = run_cli("parse", str(mixed_dir), "--format", "jsonl", "--jobs", "1")
    assert "\r" not in piped and "ETA" not in piped


def test_iter_paths_walks_directories_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.TXT", "a/c/d.md", "a-b.htm", "a.txt", "x.expected.json",
                 "r.pdf", "a/c.html", ".h.txt", "README.md", "a/.git/x.txt",
                 ".venv/lib/y.md", "w.docx", "skip.doc", "skip.png"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    given = [str(tmp_path), str(tmp_path / "missing.txt")]
    expected = [str(p) for p in sorted(tmp_path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
                and not p.name.endswith(".expected.json") and p.name != "README.md"
                and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts)]
    assert len(expected) == 8
    assert list(iter_paths(given)) == [*expected, str(tmp_path / "missing.txt")]


def test_a_directory_without_reports_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_bytes(b"\x89PNG")
    for command in ("parse", "check"):
        status, _, err = run_cli(command, str(tmp_path))
        assert status == 2, command
        assert err.count("\n") == 1 and "is a directory with no report file" in err, err


def test_records_and_parse_file_are_picklable(seed_reports: dict[str, Report]) -> None:
    for report in seed_reports.values():
        copy = pickle.loads(pickle.dumps(report))
        assert copy == report
        assert copy.diagnostics == report.diagnostics
        assert [d.line_text for d in copy.diagnostics] == [d.line_text for d in
                                                            report.diagnostics]
    assert pickle.loads(pickle.dumps(xxgk.parse_file)) is xxgk.parse_file
    failure = ParseFailure("x.txt", "binary input", offset=3, context="00 [01]")
    assert pickle.loads(pickle.dumps(failure)) == failure
    error = pickle.loads(pickle.dumps(failure.error()))
    assert str(error) == str(failure) == "x.txt: byte 3: binary input"


def test_dask_bag_recipe(seed_reports: dict[str, Report]) -> None:
    """The recipe from the docs: a Dask bag of paths → long CSV rows (local scheduler)."""
    bag = pytest.importorskip("dask.bag")
    paths = [str(p) for p in SEEDS]
    rows = (bag.from_sequence(paths, npartitions=2)
            .map(xxgk.parse_file)
            .map(lambda report: list(serialize.csv_rows(report)))
            .flatten()
            .compute(scheduler="synchronous"))
    expected = [row for p in paths for row in serialize.csv_rows(seed_reports[p])]
    assert rows == expected
    assert len(rows) > 100


def _rule_z777(report: Report) -> list[Diagnostic]:  # module-level: picklable
    return [Diagnostic("Z777", Severity.INFO, "a check registered at run time")]


def _never(block: str) -> float:  # module-level: picklable
    return 0.0


def _names_in_force(report: Report) -> tuple[list[str], list[str], list[str]]:
    """What the process that read ``report`` has registered (run in the worker)."""
    from xxgk import checks, layouts, variants

    return (list(checks.RULES), [layout.name for layout in layouts.layouts()],
            [variant.name for variant in variants.template_variants()])


@pytest.fixture
def another_thread() -> Iterator[None]:
    """A second thread running, as in a notebook or a web app: workers are then started
    afresh (forkserver), not forked, and inherit nothing."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_workers_started_afresh_get_what_was_registered(
    tmp_path: Path, another_thread: None
) -> None:
    """Checks and template variants registered at run time hold in every worker too; they
    used to be missing from the workers (but not from the calling process, which reads
    some of the files), so one batch mixed results."""
    from xxgk import checks, variants

    assert batch._context().get_start_method() != "fork"
    text = seed("004").read_text(encoding="utf-8").replace("(七)总计 |", "(七)合计 |")
    names = []
    for index in range(6):
        (tmp_path / f"r{index}.txt").write_text(text, encoding="utf-8")
        names.append(str(tmp_path / f"r{index}.txt"))
    checks.rule("Z777", "info", "registered at run time")(_rule_z777)
    variants.register_template_variant(
        variants.TemplateVariant("heji", "%override L_TOTAL: /\\(七\\)(总计|合计)/\n"))
    from xxgk import layouts

    layouts.register_layout(layouts.Layout("bar_row_too", "layouts/bar_row.lark", _never))
    try:
        reports = list(parse_many(names, jobs=2, chunksize=1, errors="raise"))
        seen = {tuple(map(tuple, found)) for _, found in map_reports(
            _names_in_force, names, jobs=2, chunksize=1)}
    finally:
        del checks.RULES["Z777"]
        variants.unregister_template_variant("heji")
        layouts.unregister_layout("bar_row_too")
    assert len(seen) == 1  # the same in every process
    ((rules, layout_names, variant_names),) = seen
    assert rules[-1] == "Z777" and layout_names[-1] == "bar_row_too"
    assert variant_names == ("heji",)
    assert [any(d.code == "Z777" for d in r.diagnostics) for r in reports] == [True] * 6
    totals = [r.applications and r.applications.get("results.total", "total") for r in reports]
    assert all(cell is not None and cell.raw == "0?" for cell in totals), totals


def test_what_cannot_be_sent_to_fresh_workers_is_refused_at_the_call(
    another_thread: None,
) -> None:
    from xxgk import checks

    checks.rule("Z778", "info", "a lambda")(lambda report: [])
    try:
        with pytest.raises(ValueError, match="cannot be sent to worker processes"):
            parse_many([str(seed("000")), str(seed("001"))], jobs=2)
        assert len(list(parse_many([str(seed("000")), str(seed("001"))], jobs=1))) == 2
    finally:
        del checks.RULES["Z778"]


def test_what_is_registered_between_the_call_and_the_first_result_reaches_the_workers(
    tmp_path: Path, another_thread: None
) -> None:
    """The workers start, and take what is registered, when the first result is asked
    for; a check registered after the call and before that is in every report."""
    from xxgk import checks

    names = []
    for index in range(6):
        shutil.copy(SEEDS[0], tmp_path / f"r{index}.txt")
        names.append(str(tmp_path / f"r{index}.txt"))
    results = parse_many(names, jobs=2, chunksize=1, errors="raise")
    checks.rule("Z777", "info", "registered after the call")(_rule_z777)
    try:
        seen = [any(d.code == "Z777" for d in report.diagnostics) for report in results]
    finally:
        del checks.RULES["Z777"]
    assert seen == [True] * 6


def test_a_notebook_function_is_refused_at_the_call(
    monkeypatch: pytest.MonkeyPatch, another_thread: None
) -> None:
    """A check defined in a notebook (a __main__ without a file) pickles by name but no
    fresh worker can import it: refused at the call, not a broken pool later."""
    import types

    from xxgk import checks

    def notebook_check(report: Report) -> list[Diagnostic]:
        return []

    notebook_check.__module__ = "__main__"
    notebook_check.__qualname__ = "notebook_check"
    main = types.ModuleType("__main__")
    main.notebook_check = notebook_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", main)
    checks.rule("Z779", "info", "from a notebook")(notebook_check)
    try:
        with pytest.raises(ValueError, match="notebook_check is defined in an interactive"):
            parse_many([str(seed("000")), str(seed("001"))], jobs=2)
    finally:
        del checks.RULES["Z779"]


def test_workers_that_cannot_load_what_was_registered_stop_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, another_thread: None
) -> None:
    """A check from a module that exists only in this process: the workers cannot load
    it, and the batch stops with a RuntimeError saying so (not BrokenProcessPool)."""
    import types

    from xxgk import checks

    ghost = types.ModuleType("xxgk_test_ghost_module")

    def ghost_check(report: Report) -> list[Diagnostic]:
        return []

    ghost_check.__module__ = ghost.__name__
    ghost_check.__qualname__ = "ghost_check"
    ghost.ghost_check = ghost_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, ghost.__name__, ghost)
    checks.rule("Z780", "info", "from a module only this process has")(ghost_check)
    names = []
    for index in range(4):
        shutil.copy(SEEDS[0], tmp_path / f"r{index}.txt")
        names.append(str(tmp_path / f"r{index}.txt"))
    try:
        with pytest.raises(RuntimeError, match="the worker processes stopped"):
            list(parse_many(names, jobs=2, chunksize=1))
    finally:
        del checks.RULES["Z780"]
