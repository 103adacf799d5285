"""The ``xxgk`` command: ``parse`` reports into JSON/CSV, ``check`` them like a compiler.

Exit status: 0 all good; 1 ``check`` found an error-severity diagnostic; 2 some input
could not be read (each such file is named on stderr in one line, the others are still
processed). Heavy modules are imported lazily so ``xxgk --version`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import ParseError

if TYPE_CHECKING:
    from .model import Diagnostic, Report

__all__ = ["main"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xxgk")
    except PackageNotFoundError:  # pragma: no cover
        return "0+unknown"


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="Read open-government-information annual reports (政府信息公开工作年度报告).",
    )
    parser.add_argument("--version", action="version", version=f"xxgk {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="read reports and print their records")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories")
    p.add_argument("--format", choices=("json", "jsonl", "csv"), default="json",
                   help="json: one object per file (an array for several); jsonl: one line "
                        "per file; csv: one line per printed cell (default: json)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="processes reading the files: N-1 workers and this one, which reads "
                        "while it waits for them (default: every core; 1: this process alone)")

    c = sub.add_parser("check", help="check reports' arithmetic and report diagnostics")
    c.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories")
    c.add_argument("--select", type=_codes, default=None, metavar="CODES",
                   help="only these codes or prefixes, comma-separated (e.g. A1,R101)")
    c.add_argument("--ignore", type=_codes, default=[], metavar="CODES",
                   help="leave out these codes or prefixes")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--show", choices=("error", "warning", "info"), default="warning",
                   metavar="SEVERITY",
                   help="print diagnostics of this severity and above: error, warning "
                        "(default) or info; all are counted in the summary and in JSON")

    k = sub.add_parser("corpus", help="grammar regression corpus: compare or refresh snapshots")
    from .corpus import add_arguments

    add_arguments(k)
    return parser


def _read_each(paths: Sequence[str], errors: TextIO) -> Iterator[Report | ParseError]:
    """Every file of ``paths`` read, in order, one at a time (nothing kept): its report,
    or the error (printed)."""
    from .batch import _parse_walked, iter_paths

    for name in iter_paths(paths):
        try:
            yield _parse_walked(name)
        except ParseError as error:
            print(f"xxgk: error: {error}", file=errors)
            yield error


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def _format_record(fmt: str, report: Report) -> str:
    """One report as output text (runs in the process that read the report)."""
    from .serialize import csv_rows, to_json

    if fmt == "jsonl":
        return to_json(report, indent=None) + "\n"
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(csv_rows(report))
        return buffer.getvalue()
    if fmt == "json-item":  # an element of the top-level array, indented one level
        return "  " + to_json(report).replace("\n", "\n  ")
    return to_json(report) + "\n"


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


def _cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import contextlib
    import functools

    from .batch import ParseFailure, iter_paths, map_reports
    from .serialize import CSV_HEADER

    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    fmt = args.format
    if fmt == "json" and not single:
        fmt = "json-item"
    progress = None
    if err.isatty() and not out.isatty():  # a bar between records on one screen: no
        progress = _Progress(err, sum(1 for _ in iter_paths(args.paths)))
    if args.format == "csv":
        import csv

        csv.writer(out, lineterminator="\n").writerow(CSV_HEADER)
    failed = written = 0
    results = map_reports(functools.partial(_format_record, fmt), args.paths, args.jobs)
    with contextlib.closing(results):
        for _, result in results:
            if isinstance(result, ParseFailure):
                failed += 1
                if progress is not None:
                    progress.clear()
                print(f"xxgk: error: {result}", file=err)
            elif fmt == "json-item":
                out.write(",\n" if written else "[\n")
                out.write(result)
                written += 1
            else:
                out.write(result)
                written += 1
            if fmt != "json-item":
                out.flush()
            if progress is not None:
                progress.step()
    if progress is not None:
        progress.finish()
    if fmt == "json-item":
        if written:
            out.write("\n]\n")
        elif not failed:
            out.write("[]\n")
    return 2 if failed else 0


def _selected(diagnostics: Sequence[Diagnostic], args: argparse.Namespace) -> list[Diagnostic]:
    from .checks import is_selected

    return [d for d in diagnostics if is_selected(d.code, select=args.select, ignore=args.ignore)]


_SHOWN = {"error": ("error",), "warning": ("error", "warning"),
          "info": ("error", "warning", "info")}


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from .model import Severity
    from .serialize import to_dict

    counts = {severity: 0 for severity in Severity}
    files = failed = 0
    # Reports are checked one at a time and let go (a corpus of any size in flat memory);
    # --format json writes the list as it goes, laid out as json.dumps(list, indent=2).
    for report in _read_each(args.paths, err):
        files += 1
        entry: dict[str, object] | None = None
        if isinstance(report, ParseError):  # unreadable: in the JSON list too
            failed += 1
            entry = {"source": report.source, "error": report.message, "diagnostics": []}
        else:
            chosen = _selected(report.diagnostics, args)
            for d in chosen:
                counts[d.severity] += 1
            if args.format == "text":
                shown = _SHOWN[args.show]
                for d in chosen:
                    if d.severity.value in shown:
                        out.write(d.render() + "\n")
            else:
                data = to_dict(report)
                entry = {"source": report.source,
                         "diagnostics": [x for x, d in zip(data["diagnostics"],
                                                            report.diagnostics, strict=True)
                                         if d in chosen]}
        if args.format == "json" and entry is not None:
            item = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(("[\n  " if files == 1 else ",\n  ") + item)
    if args.format == "json":
        out.write("\n]\n" if files else "[]\n")
    summary = (f"{files} file{'s' if files != 1 else ''}, "
               f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}, "
               f"{counts[Severity.WARNING]} warning"
               f"{'s' if counts[Severity.WARNING] != 1 else ''}, "
               f"{counts[Severity.INFO]} info")
    if failed:
        summary += f", {failed} unreadable"
    print(summary, file=err if args.format == "json" else out)
    if failed:
        return 2
    return 1 if counts[Severity.ERROR] else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "paths") and not any(arg.startswith("-") for arg in extra):
        args.paths = [*args.paths, *extra]  # paths after an option: `parse a -j 2 b`
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "check":
        from .checks import is_known

        if args.select is not None and not args.select:  # `--select "$UNSET"`
            print("xxgk check: error: --select: no code given (it would select nothing)",
                  file=err)
            return 2
        for option, codes in (("--select", args.select or ()), ("--ignore", args.ignore)):
            unknown = [code for code in codes if not is_known(code)]
            if unknown:  # a typo would otherwise select nothing, and pass
                print(f"xxgk check: error: {option}: no diagnostic code is or starts with "
                      f"{', '.join(unknown)} (see the README's Diagnostics)", file=err)
                return 2
    output: TextIO = out
    handle = None
    if getattr(args, "output", None):
        try:
            handle = open(args.output, "w", encoding="utf-8")
        except OSError as error:
            print(f"xxgk: error: cannot write {args.output}: {error.strerror}", file=err)
            return 2
        output = handle
    try:
        if args.command == "parse":
            return _cmd_parse(args, output, err)
        if args.command == "corpus":
            from .corpus import run

            return run(args, output, err)
        return _cmd_check(args, output, err)
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
