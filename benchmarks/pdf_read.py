"""PDF → checked records, against PDFium's own text extraction of the same files.

    python benchmarks/pdf_read.py                 # the corpus PDFs, best of 15 rounds
    python benchmarks/pdf_read.py --batch 1000    # and parse_many over 1 000 copies (memory)
    python benchmarks/pdf_read.py --write         # also rewrite its section of RESULTS.md

A plain script, not a test. Each round times, one after the other on the same bytes:

* ``extract``: what any PDF tool must do, pypdfium2 alone: open the document, and for each
  page its text page and ``get_text_range()``;
* ``located``: what any PDF tool must do to say where each character is, with pypdfium2's
  public API: the same text, plus every character's box (``get_charbox``) and the page's
  objects (its drawn rules);
* ``source``: xxgk's PDF source (:func:`xxgk.sources.pdf.read`): the same, plus every
  character's box, the page's drawn paths, the tables written one row a line, the map;
* ``parse``: :func:`xxgk.parse` of the file's bytes: the source, then normalisation, the
  outline, the layouts, the template, the checks: the report, every span placed.

Times are CPU seconds of this process (``time.process_time``), the best of the rounds, so
that the neighbours of a shared machine move them less; wall-clock times are printed too.
The issue's target: ``parse`` costs at most 1.3 × ``extract``. A reader that locates every
cell by page and box needs the boxes ``extract`` does not give: ``located`` is the floor for
that, and ``parse / located`` the ratio that measures xxgk's own work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import xxgk  # noqa: E402
from xxgk.sources import pdf  # noqa: E402

FILES = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))


def extract(data: bytes, *, boxes: bool = False) -> int:
    """PDFium's text extraction alone: the characters of every page; with ``boxes``, also
    every character's box and every page object, by the public API (the located floor)."""
    document = pdfium.PdfDocument(data)
    try:
        count = 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            count += len(textpage.get_text_range())
            if boxes:
                count += len([textpage.get_charbox(k) for k in range(textpage.count_chars())])
                count += len(list(page.get_objects()))
            textpage.close()
            page.close()
        return count
    finally:
        document.close()


def _best(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(rounds):
        c, w = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)


def machine() -> list[str]:
    lines = [f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
             f"- Python {platform.python_version()}, pypdfium2 {pdfium.PYPDFIUM_INFO}, "
             f"PDFium {pdfium.PDFIUM_INFO}"]
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        lines += ["- `lscpu | head`:", "", "```", *lscpu.splitlines()[:10], "```"]
    except (OSError, subprocess.CalledProcessError):
        lines.append(f"- {platform.platform()}, {os.cpu_count()} cores")
    return lines


def _runs(name: str, data: bytes) -> tuple[Callable[[], object], ...]:
    return (lambda: extract(data), lambda: extract(data, boxes=True), lambda: pdf.read(data, name),
            lambda: xxgk.parse(data, source=name))


def timing(rounds: int) -> list[str]:
    datas = [(path.name, path.read_bytes()) for path in FILES]
    for _, data in datas:  # warm up: grammars built, table shapes seen
        xxgk.parse(data)
    rows = ["| file | pages | extract ms | located ms | source ms | parse ms | parse / extract "
            "| parse / located |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    totals = [0.0, 0.0, 0.0, 0.0]
    walls = [0.0, 0.0, 0.0, 0.0]
    for name, data in datas:
        best: list[list[tuple[float, float]]] = [[], [], [], []]
        runs = _runs(name, data)
        for _ in range(rounds):  # the three take turns in each round
            for k, run in enumerate(runs):
                best[k].append(_best(run, 1))
        cpu = [min(t[0] for t in b) for b in best]
        wall = [min(t[1] for t in b) for b in best]
        for k in range(4):
            totals[k] += cpu[k]
            walls[k] += wall[k]
        pages = len(pdfium.PdfDocument(data))
        rows.append(f"| {name} | {pages} | {cpu[0] * 1e3:.1f} | {cpu[1] * 1e3:.1f} | "
                    f"{cpu[2] * 1e3:.1f} | {cpu[3] * 1e3:.1f} | {cpu[3] / cpu[0]:.2f} | "
                    f"{cpu[3] / cpu[1]:.2f} |")
    rows.append(f"| **all {len(datas)}** | | {totals[0] * 1e3:.1f} | {totals[1] * 1e3:.1f} | "
                f"{totals[2] * 1e3:.1f} | {totals[3] * 1e3:.1f} | "
                f"**{totals[3] / totals[0]:.2f}** | **{totals[3] / totals[1]:.2f}** |")
    rows += ["", f"Wall clock, all files: extract {walls[0] * 1e3:.1f} ms, located "
             f"{walls[1] * 1e3:.1f} ms, source {walls[2] * 1e3:.1f} ms, parse "
             f"{walls[3] * 1e3:.1f} ms. CPU times, best of {rounds} rounds."]
    return rows


def batch(copies: int) -> list[str]:
    """parse_many over ``copies`` hard links of the corpus PDFs, 2 processes: reports/s
    and peak memory (this process and its largest worker)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for k in range(copies):
            source = FILES[k % len(FILES)]
            target = Path(folder) / f"{k:05d}_{source.name}"
            os.link(source, target)
            paths.append(target)
        start = time.perf_counter()
        read = failed = 0
        for result in xxgk.parse_many(paths, jobs=2):
            if isinstance(result, xxgk.Report):
                read += 1
            else:
                failed += 1
        seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return [f"parse_many, 2 jobs, {copies} PDFs: {read} read, {failed} failed, "
            f"{read / seconds:.0f} reports/s; peak RSS {own:.0f} MB (this process), "
            f"{workers:.0f} MB (largest worker)."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=0, metavar="N",
                        help="also read N copies with parse_many (2 jobs)")
    parser.add_argument("--write", action="store_true",
                        help="rewrite the PDF section of benchmarks/RESULTS.md")
    args = parser.parse_args()
    out = ["# PDF benchmark (benchmarks/pdf_read.py)", "", *machine(), "", *timing(args.rounds)]
    if args.batch:
        out += ["", *batch(args.batch)]
    text = "\n".join(out) + "\n"
    print(text)
    if args.write:
        results = ROOT / "benchmarks" / "RESULTS.md"
        body = "\n".join(out[2:])  # without the title
        old = results.read_text(encoding="utf-8")
        head, rest = old.split("<!-- pdf -->\n", 1)
        results.write_text(f"{head}<!-- pdf -->\n{body}\n<!-- /pdf -->"
                           f"{rest.split('<!-- /pdf -->', 1)[1]}", encoding="utf-8")


if __name__ == "__main__":
    main()
