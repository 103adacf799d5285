"""The ``xxgk`` command: ``parse`` reports into records, ``check`` them like a compiler,
``compare`` two years, ``stats`` over a corpus, ``explain`` a code, ``text`` what was read.

Exit status: 0 all good; 1 an error-severity diagnostic (``parse``, ``check``,
``compare``); 2 some input could not be read (each such file is named on stderr in one
line, the others are still processed) or the command line was wrong. ``-`` as a path
reads standard input. Heavy modules are imported lazily so ``xxgk --version`` starts fast.
The JSON each command writes has one shape whatever its input (see docs/cli.md).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, TypeVar

import attrs

from .errors import ParseError

if TYPE_CHECKING:
    from .batch import ParseFailure
    from .chains import Link, Yearly
    from .model import Diagnostic, Report

__all__ = ["main"]

T = TypeVar("T")

STDIN = "-"
"""The path that names standard input."""
STDIN_NAME = "<stdin>"
"""The source name of a report read from standard input."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xxgk")
    except PackageNotFoundError:  # pragma: no cover
        return "0+unknown"


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


_JOBS_HELP = ("processes reading the files: N-1 workers and this one, which reads while it "
              "waits for them (default: every core; 1: this process alone)")
_PATHS_HELP = "report files or directories; - reads standard input"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="Read open-government-information annual reports (政府信息公开工作年度报告).",
    )
    parser.add_argument("--version", action="version", version=f"xxgk {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="read reports and print their records")
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument("--format", choices=("json", "jsonl", "csv", "xlsx", "parquet"),
                   default="json",
                   help="json: an array of report objects (always an array); jsonl: one "
                        "report object per line; csv: the long table, one line per printed "
                        "cell; xlsx: one workbook (needs -o and xxgk[xlsx]); parquet: the "
                        "long table (needs -o and xxgk[parquet]) (default: json)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help=_JOBS_HELP)

    c = sub.add_parser("check", help="check reports' arithmetic and report diagnostics")
    c.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    c.add_argument("--select", type=_codes, default=None, metavar="CODES",
                   help="only these codes or prefixes, comma-separated (e.g. A1,R101)")
    c.add_argument("--ignore", type=_codes, default=[], metavar="CODES",
                   help="leave out these codes or prefixes")
    c.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="text (default); json: an array of {source, diagnostics} per file; "
                        "jsonl: the same objects, one per line")
    c.add_argument("--show", choices=("error", "warning", "info"), default="warning",
                   metavar="SEVERITY",
                   help="print diagnostics of this severity and above: error, warning "
                        "(default) or info; all are counted in the summary and in JSON")
    c.add_argument("--across-years", action="store_true",
                   help="also check the chains between one agency's reports of adjacent "
                        "years (C601-C606)")
    c.add_argument("--groups", metavar="CSV",
                   help="with --across-years: a CSV of file,agency rows grouping the "
                        "reports (files it does not name are grouped by their agency)")
    c.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    c.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help=_JOBS_HELP)

    m = sub.add_parser("compare", help="compare two reports cell by cell (this year against "
                                       "last year) and check the chains between them")
    m.add_argument("old", metavar="OLD", help="the earlier report (- for standard input)")
    m.add_argument("new", metavar="NEW", help="the later report (- for standard input)")
    m.add_argument("--all", action="store_true", dest="every",
                   help="every cell, not only those that differ")
    m.add_argument("--format", choices=("text", "json", "csv"), default="text")
    m.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")

    t = sub.add_parser("stats", help="corpus statistics: templates and years, what was read, "
                                     "diagnostics by code, granted and corrected shares")
    t.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    t.add_argument("--format", choices=("text", "json"), default="text")
    t.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    t.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help=_JOBS_HELP)

    e = sub.add_parser("explain", help="what a diagnostic code means and what to do")
    e.add_argument("codes", nargs="+", metavar="CODE")

    x = sub.add_parser("text", help="print the text xxgk read from each file, lines numbered "
                                    "(page by page for a PDF), where its locations point")
    x.add_argument("paths", nargs="+", metavar="FILE", help="report files; - reads stdin")

    k = sub.add_parser("corpus", help="grammar regression corpus: compare or refresh snapshots")
    from .corpus import add_arguments

    add_arguments(k)
    return parser


# --- Reading the inputs ------------------------------------------------------------------


def _keep(report: Report) -> Report:
    return report


def _from_stdin(func: Callable[[Report], T], stdin: BinaryIO) -> T | ParseFailure:
    from .batch import ParseFailure
    from .pipeline import parse

    try:
        return func(parse(stdin.read(), source=STDIN_NAME))
    except ParseError as error:
        return ParseFailure.from_error(error, STDIN_NAME)


def _results(func: Callable[[Report], T], paths: Sequence[str], jobs: int | None,
             stdin: BinaryIO) -> Iterator[tuple[str, T | ParseFailure]]:
    """``(name, func(report))`` for every file of ``paths`` in order (``-``: standard
    input, read in this process), or ``(name, ParseFailure)``; ``func`` runs where the
    report was read, so it must be picklable."""
    from .batch import map_reports

    run: list[str] = []

    def flush() -> Iterator[tuple[str, T | ParseFailure]]:
        if run:
            results = map_reports(func, list(run), jobs)
            run.clear()
            with contextlib.closing(results):
                yield from results

    for path in paths:
        if path == STDIN:
            yield from flush()
            yield STDIN_NAME, _from_stdin(func, stdin)
        else:
            run.append(path)
    yield from flush()


def _count_files(paths: Sequence[str]) -> int:
    from .batch import iter_paths

    return sum(1 for _ in iter_paths([p for p in paths if p != STDIN])) + paths.count(STDIN)


# --- parse -----------------------------------------------------------------------------


def _has_error(report: Report) -> bool:
    return bool(report.errors)


def _format_record(fmt: str, report: Report) -> tuple[str, bool]:
    """One report as output text, and whether it has an error-severity diagnostic (runs
    in the process that read the report)."""
    from .serialize import csv_rows, to_json

    if fmt == "jsonl":
        text = to_json(report, indent=None) + "\n"
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(csv_rows(report))
        text = buffer.getvalue()
    else:  # an element of the top-level array, indented one level
        text = "  " + to_json(report).replace("\n", "\n  ")
    return text, _has_error(report)


class _Progress:
    """``done/total, rate, ETA`` redrawn in place on a terminal, at most 10 times a second."""

    def __init__(self, err: TextIO, total: int) -> None:
        import time

        self._err = err
        self._total = total
        self._clock = time.monotonic
        self._start = self._clock()
        self._shown = 0.0
        self.done = 0

    def step(self) -> None:
        """One more file done; redraw at most ten times a second."""
        self.done += 1
        now = self._clock()
        if now - self._shown >= 0.1 or self.done == self._total:
            self._shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        left = (self._total - self.done) / rate if rate > 0 else 0.0
        width = 24
        filled = width * self.done // self._total if self._total else width
        bar = "#" * filled + "-" * (width - filled)
        minutes, seconds = divmod(int(left + 0.5), 60)
        self._err.write(f"\r[{bar}] {self.done}/{self._total}  {rate:,.1f} files/s  "
                        f"ETA {minutes:d}:{seconds:02d}\x1b[K")
        self._err.flush()

    def clear(self) -> None:
        """Wipe the bar, so that a message can be printed on its line."""
        self._err.write("\r\x1b[K")

    def finish(self) -> None:
        """Draw the final state and end the line."""
        if self._shown == 0.0 or self.done != self._total:
            self._draw(self._clock())
        self._err.write("\n")
        self._err.flush()


def _cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO) -> int:
    from .batch import ParseFailure

    if args.format in ("xlsx", "parquet"):
        return _parse_to_file(args, err, stdin)
    progress = None
    if err.isatty() and not out.isatty():  # a bar between records on one screen: no
        progress = _Progress(err, _count_files(args.paths))
    if args.format == "csv":
        import csv

        from .serialize import CSV_HEADER

        csv.writer(out, lineterminator="\n").writerow(CSV_HEADER)
    failed = written = 0
    errors = False
    array = args.format == "json"
    for _, result in _results(functools.partial(_format_record, args.format), args.paths,
                              args.jobs, stdin):
        if isinstance(result, ParseFailure):
            failed += 1
            if progress is not None:
                progress.clear()
            print(f"xxgk: error: {result}", file=err)
        else:
            text, has_error = result
            errors = errors or has_error
            if array:
                out.write(",\n" if written else "[\n")
            out.write(text)
            written += 1
        if not array:
            out.flush()
        if progress is not None:
            progress.step()
    if progress is not None:
        progress.finish()
    if array:
        out.write("\n]\n" if written else "[]\n")
    return 2 if failed else 1 if errors else 0


def _parse_to_file(args: argparse.Namespace, err: TextIO, stdin: BinaryIO) -> int:
    """``parse --format xlsx|parquet -o OUT``: the reports kept, then one file written."""
    from .batch import ParseFailure

    if not args.output:
        print(f"xxgk parse: error: --format {args.format} writes a file: give it with -o OUT",
              file=err)
        return 2
    try:
        if args.format == "xlsx":
            import openpyxl  # noqa: F401
        else:
            import pyarrow  # noqa: F401
    except ImportError:
        extra = "xlsx" if args.format == "xlsx" else "parquet"
        print(f"xxgk parse: error: --format {args.format} needs an extra: "
              f"pip install 'xxgk[{extra}]'", file=err)
        return 2
    reports: list[Report] = []
    failed = 0
    for _, result in _results(_keep, args.paths, args.jobs, stdin):
        if isinstance(result, ParseFailure):
            failed += 1
            print(f"xxgk: error: {result}", file=err)
        else:
            reports.append(result)
    from .export import write_parquet, write_xlsx

    try:
        (write_xlsx if args.format == "xlsx" else write_parquet)(reports, args.output)
    except OSError as error:
        print(f"xxgk: error: cannot write {args.output}: {error.strerror or error}", file=err)
        return 2
    return 2 if failed else 1 if any(r.errors for r in reports) else 0


# --- check -----------------------------------------------------------------------------


@attrs.frozen
class _Checked:
    """What ``check`` needs of one report (made where the report was read)."""

    source: str | None
    chosen: tuple[Diagnostic, ...]
    complete: bool  # every cell the template prints was read
    yearly: Yearly | None


def _check_one(select: list[str] | None, ignore: list[str], across: bool,
               report: Report) -> _Checked:
    from .checks import is_selected

    chosen = tuple(d for d in report.diagnostics
                   if is_selected(d.code, select=select, ignore=ignore))
    yearly = None
    if across:
        from .chains import yearly as make_yearly

        yearly = make_yearly(report)
    return _Checked(report.source, chosen, report.coverage.complete, yearly)


_SHOWN = {"error": ("error",), "warning": ("error", "warning"),
          "info": ("error", "warning", "info")}


def _read_groups(path: str) -> dict[str, str]:
    """``file,agency`` rows of a CSV (a header row ``file,agency`` is skipped)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == ["file", "agency"]:
        rows = rows[1:]
    groups = {}
    for number, row in enumerate(rows, 1):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"row {number}: expected file,agency")
        groups[row[0].strip()] = row[1].strip()
    return groups


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO) -> int:
    from .batch import ParseFailure
    from .checks import is_selected
    from .model import Severity
    from .serialize import diagnostic_dict

    groups = None
    if args.groups:
        if not args.across_years:
            print("xxgk check: error: --groups goes with --across-years", file=err)
            return 2
        try:
            groups = _read_groups(args.groups)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            print(f"xxgk check: error: --groups {args.groups}: {error}", file=err)
            return 2
    counts = {severity: 0 for severity in Severity}
    files = failed = unread = 0
    shown = _SHOWN[args.show]
    entries: list[dict[str, Any]] = []  # kept only with --across-years
    yearlies: list[Yearly] = []
    check = functools.partial(_check_one, args.select, args.ignore, args.across_years)

    written = [0]

    def emit(entry: dict[str, Any]) -> None:
        if args.format == "json":
            item = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(("[\n  " if not written[0] else ",\n  ") + item)
        elif args.format == "jsonl":
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        written[0] += 1

    # Reports are checked as they come and let go (a corpus of any size in flat memory);
    # --format json writes the list as it goes, laid out as json.dumps(list, indent=2).
    for name, result in _results(check, args.paths, args.jobs, stdin):
        files += 1
        if isinstance(result, ParseFailure):
            failed += 1
            print(f"xxgk: error: {result}", file=err)
            entry: dict[str, Any] = {"source": result.source, "error": result.message,
                                     "diagnostics": []}
        else:
            unread += not result.complete
            for d in result.chosen:
                counts[d.severity] += 1
                if args.format == "text" and d.severity.value in shown:
                    out.write(d.render() + "\n")
            entry = {"source": result.source if result.source is not None else name,
                     "diagnostics": [diagnostic_dict(d) for d in result.chosen]}
            if result.yearly is not None:
                yearlies.append(result.yearly)
        if args.across_years:
            entries.append(entry)
        else:
            emit(entry)
    if args.across_years:
        from .chains import check_chains

        links: list[Link] = [link for link in check_chains(yearlies, groups)
                             if is_selected(link.diagnostic.code, select=args.select,
                                            ignore=args.ignore)]
        by_source = {entry["source"]: entry for entry in entries}
        for link in links:
            counts[link.severity] += 1
            if args.format == "text" and link.severity.value in shown:
                out.write(link.render() + "\n")
            owner = by_source.get(link.diagnostic.source)
            if owner is not None:
                owner["diagnostics"].append(link.to_dict())
        for entry in entries:
            emit(entry)
    if args.format == "json":
        out.write("\n]\n" if written[0] else "[]\n")
    summary = (f"{files} file{'s' if files != 1 else ''}, "
               f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}, "
               f"{counts[Severity.WARNING]} warning"
               f"{'s' if counts[Severity.WARNING] != 1 else ''}, "
               f"{counts[Severity.INFO]} info")
    if unread:
        summary += f", {unread} read partly or not at all"
    if failed:
        summary += f", {failed} unreadable"
    print(summary, file=err if args.format != "text" else out)
    if failed:
        return 2
    return 1 if counts[Severity.ERROR] else 0


# --- compare, stats, explain, text --------------------------------------------------------


def _read_one(path: str, stdin: BinaryIO) -> Report:
    from .pipeline import parse, parse_file

    if path == STDIN:
        return parse(stdin.read(), source=STDIN_NAME)
    return parse_file(path)


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO) -> int:
    from .compare import CSV_HEADER, compare
    from .model import Severity

    reports = []
    for path in (args.old, args.new):
        try:
            reports.append(_read_one(path, stdin))
        except ParseError as error:
            print(f"xxgk: error: {error}", file=err)
    if len(reports) != 2:
        return 2
    found = compare(reports[0], reports[1])
    if args.format == "json":
        out.write(json.dumps(found.to_dict(every=args.every), ensure_ascii=False, indent=2)
                  + "\n")
    elif args.format == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(found.rows(every=args.every))
        for link in found.links:
            print(link.render(), file=err)
    else:
        out.write(found.render(every=args.every))
    return 1 if any(link.severity is Severity.ERROR for link in found.links) else 0


def _cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO) -> int:
    from .batch import ParseFailure
    from .stats import Stats, facts

    stats = Stats()
    for _, result in _results(facts, args.paths, args.jobs, stdin):
        if isinstance(result, ParseFailure):
            stats.unreadable += 1
            print(f"xxgk: error: {result}", file=err)
        else:
            stats.add(result)
    if args.format == "json":
        out.write(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(stats.render())
    return 2 if stats.unreadable else 0


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checks import RULES
    from .codes import explain

    status = 0
    for code in args.codes:
        text = explain(code)
        rule = RULES.get(code.strip().upper())
        if text is None and rule is not None:  # a rule registered by a plug-in
            text = f"{rule.code} ({rule.severity.value}): {rule.summary}\n"
        if text is None:
            print(f"xxgk explain: error: no diagnostic code {code!r} "
                  "(codes are a letter and three digits, e.g. A101)", file=err)
            status = 2
            continue
        out.write(text)
    return status


def _cmd_text(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO) -> int:
    from .sources import read_source
    from .sources.show import show_source

    failed = 0
    for index, path in enumerate(args.paths):
        name = STDIN_NAME if path == STDIN else path
        try:
            if path == STDIN:
                data = stdin.read()
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
            if not data.strip():
                raise ParseError("empty input", source=name)
            shown = show_source(read_source(data, name))
        except ParseError as error:
            failed += 1
            print(f"xxgk: error: {error}", file=err)
            continue
        except OSError as error:
            failed += 1
            print(f"xxgk: error: {name}: cannot read the file: {error.strerror or error}",
                  file=err)
            continue
        if len(args.paths) > 1:
            out.write(("\n" if index else "") + f"==> {name} <==\n")
        out.write(shown)
    return 2 if failed else 0


# --- main ------------------------------------------------------------------------------

_BINARY_FORMATS = ("xlsx", "parquet")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None, stdin: BinaryIO | None = None) -> int:
    """Run the command line; returns the exit status. ``stdin`` is what ``-`` reads
    (default: the process's standard input, as bytes)."""
    out = out or sys.stdout
    err = err or sys.stderr
    stdin = stdin or sys.stdin.buffer
    parser = _build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "paths") and not any(
            arg.startswith("-") and arg != STDIN for arg in extra):
        args.paths = [*args.paths, *extra]  # paths after an option: `parse a -j 2 b`
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "check":
        from .checks import is_known
        from .codes import CODES

        if args.select is not None and not args.select:  # `--select "$UNSET"`
            print("xxgk check: error: --select: no code given (it would select nothing)",
                  file=err)
            return 2
        for option, codes in (("--select", args.select or ()), ("--ignore", args.ignore)):
            unknown = [code for code in codes  # the chains' codes are no rule's
                       if not is_known(code) and not any(k.startswith(code) for k in CODES)]
            if unknown:  # a typo would otherwise select nothing, and pass
                print(f"xxgk check: error: {option}: no diagnostic code is or starts with "
                      f"{', '.join(unknown)} (see the README's Diagnostics)", file=err)
                return 2
    output: TextIO = out
    handle = None
    if getattr(args, "output", None) and getattr(args, "format", None) not in _BINARY_FORMATS:
        try:
            handle = open(args.output, "w", encoding="utf-8")
        except OSError as error:
            print(f"xxgk: error: cannot write {args.output}: {error.strerror}", file=err)
            return 2
        output = handle
    commands: dict[str, Callable[[], int]] = {
        "parse": lambda: _cmd_parse(args, output, err, stdin),
        "check": lambda: _cmd_check(args, output, err, stdin),
        "compare": lambda: _cmd_compare(args, output, err, stdin),
        "stats": lambda: _cmd_stats(args, output, err, stdin),
        "explain": lambda: _cmd_explain(args, output, err),
        "text": lambda: _cmd_text(args, output, err, stdin),
    }
    try:
        if args.command == "corpus":
            from .corpus import run

            return run(args, output, err)
        return commands[args.command]()
    except BrokenPipeError:  # `xxgk parse … | head`: the reader has gone
        if out is sys.stdout:
            _silence_stdout()
        # What a Unix tool killed by SIGPIPE reports: not a success, since what was not
        # written was not checked either (and the same whichever file it stopped at).
        return _BROKEN_PIPE
    finally:
        if handle is not None:
            handle.close()


_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, as the shell reports a tool that SIGPIPE ended


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
