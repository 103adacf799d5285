"""Make the synthetic PDFs of the test corpus from the five seed reports.

    python tools/make_pdfs.py            # writes corpus/pdf/seed_*.pdf and tests/pdf/*.pdf

Each seed (corpus/seeds/*.txt, both templates) is read by xxgk itself (its normalised text,
its outline, its tables' grids) and printed again as a PDF the way a report printed from
Word looks: prose lines wrapped at the page width, every table drawn with ruled cells (a
rectangle stroked around each cell), numbers centred in narrow columns, labels wrapped in
their cell ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)" over two lines), a cell
printed over several lines kept so (the vertical header "自" / "然" / "人"), tables broken
across pages, the page number "- N -" at the foot of every page (written first on the
page, as Word does: text extraction gives it first). Seed 001 gets a running head on
every page and an appendix table after the report; seed 003 is printed in a smaller page
so that more tables break. Besides the corpus: an image-only PDF (a scan, no text layer)
and an encrypted one, for the error tests.

The text is set in reportlab's STSong-Light, a CID font every PDF reader has: nothing is
embedded, so the files stay small (10-30 KB). Deterministic: the same seeds give the same
bytes (reportlab's invariant mode).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xxgk.document import read_outline  # noqa: E402
from xxgk.layouts import read_grid  # noqa: E402
from xxgk.normalize import normalize  # noqa: E402

FONT = "STSong-Light"
PROSE, TABLE = 12.0, 9.0
MARGIN = 56.0
NUMBER = re.compile(r"[?]*[+\-]?[\d.,/—-]*[?]*(?:万元|元)?")

rl_config.invariant = 1  # no creation date or random id: the same input, the same bytes
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

Item = tuple[str, str] | tuple[str, list[list[str]]]


def items(text: str) -> Iterator[Item]:
    """The seed as xxgk reads it: ``("line", text)`` for prose, ``("table", rows)`` for
    each table block (its grid's rows of cell texts)."""
    norm = normalize(text).text
    outline = read_outline(norm)
    blocks = [*outline.title, *outline.preamble,
              *(block for _, blocks in outline.sections for block in blocks), *outline.trailer]
    tables = {b.start: b for b in blocks if b.kind == "TABLE"}
    done: set[int] = set()
    at = 0
    for line in norm.split("\n"):
        start, at = at, at + len(line) + 1
        block = next((b for b in tables.values() if b.start <= start < b.end), None)
        if block is None:
            if line.strip():
                yield "line", line.strip()
            continue
        if block.start not in done:
            done.add(block.start)
            grid = read_grid(norm, block.start, block.end)
            if grid is not None:
                yield "table", [[cell.text for cell in row] for row in grid.rows]


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (its own line breaks kept)."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for char in part:
            if line and pdfmetrics.stringWidth(line + char, FONT, size) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


class Printer:
    """Lays prose and ruled tables out on pages of a reportlab canvas."""

    def __init__(self, out: io.BytesIO, size: tuple[float, float], head: str | None,
                 ruled: bool = True) -> None:
        self.canvas = Canvas(out, pagesize=size, invariant=1)
        self.ruled = ruled
        self.width, self.height = size
        self.head = head
        self.page = 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.canvas.setFont(FONT, 10)
        # the page number first, as Word writes its footer before the body
        self.canvas.drawCentredString(self.width / 2, 30, f"- {self.page} -")
        if self.head:
            self.canvas.drawCentredString(self.width / 2, self.height - 30, self.head)
        self.y = self.height - MARGIN

    def line(self, text: str) -> None:
        for part in wrap(text, self.width - 2 * MARGIN, PROSE):
            if self.y - PROSE * 1.6 < MARGIN:
                self.new_page()
            self.y -= PROSE * 1.6
            self.canvas.setFont(FONT, PROSE)
            self.canvas.drawString(MARGIN, self.y, _visible(part))

    def table(self, rows: list[list[str]]) -> None:
        self.y -= 6
        full = self.width - 2 * MARGIN
        for row in rows:
            widths = _widths(row, full)
            lines = [wrap(cell, w - 4, TABLE) for cell, w in zip(row, widths, strict=True)]
            height = max(len(cell) for cell in lines) * TABLE * 1.3 + 6
            if self.y - height < MARGIN:  # the table breaks here and goes on overleaf
                self.new_page()
            top = self.y
            x = MARGIN
            self.canvas.setFont(FONT, TABLE)
            for cell, w, text in zip(lines, widths, row, strict=True):
                if self.ruled:
                    self.canvas.rect(x, top - height, w, height, stroke=1, fill=0)
                numeric = bool(NUMBER.fullmatch(text.strip()))
                y = top - 3 - TABLE
                for piece in cell:
                    piece = _visible(piece)
                    if numeric:
                        self.canvas.drawCentredString(x + w / 2, y, piece)
                    else:
                        self.canvas.drawString(x + 2, y, piece)
                    y -= TABLE * 1.3
                x += w
            self.y = top - height
        self.y -= 6

    def save(self) -> None:
        self.canvas.save()


def _visible(text: str) -> str:
    """``text``, with a space after a lone Chinese character: PDFium drops a text object
    of one glyph of a font it has no metrics for (STSong-Light is not embedded), so the
    vertical header "自" / "然" / "人" would vanish; a real report embeds its fonts."""
    return text + " " if len(text) == 1 and not text.isascii() else text


def _widths(row: list[str], full: float) -> list[float]:
    """Column widths: the numbers at the end of a row narrow, its labels share the rest."""
    numbers = 0
    for text in reversed(row):
        if not NUMBER.fullmatch(text.strip()) or (not text.strip() and numbers == len(row) - 1):
            break
        numbers += 1
    labels = len(row) - numbers
    if labels == 0:
        return [full / len(row)] * len(row)
    each = min(34.0, full * 0.6 / numbers) if numbers else 0.0
    rest = (full - each * numbers) / labels
    return [rest] * labels + [each] * numbers


def print_report(text: str, size: tuple[float, float] = A4, head: str | None = None,
                 appendix: list[list[str]] | None = None, ruled: bool = True,
                 scan: bool = False) -> bytes:
    """The PDF of a report's text (see the module docstring); ``ruled=False`` draws no
    rules around the cells (a table xxgk does not find), ``scan`` adds a page that is
    only a picture."""
    out = io.BytesIO()
    printer = Printer(out, size, head, ruled)
    for kind, content in items(text):
        if kind == "line":
            assert isinstance(content, str)
            printer.line(content)
        else:
            assert isinstance(content, list)
            printer.table(content)
    if appendix:
        printer.line("附件:网站栏目更新情况")
        printer.table(appendix)
    if scan:
        printer.new_page()
        printer.canvas.drawInlineImage(_picture(), 0, 0, size[0], size[1])
    printer.save()
    return out.getvalue()


def _picture() -> Any:
    """A small grey picture of lines of text, as a scanner makes."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (120, 170), 255)
    draw = ImageDraw.Draw(picture)
    for k in range(12):
        draw.line((15, 20 + 11 * k, 105 - 9 * (k % 3), 20 + 11 * k), fill=0, width=2)
    return picture


def image_only() -> bytes:
    """A one-page PDF that is a picture of a page (a scan): no text layer."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.drawInlineImage(_picture(), 0, 0, A4[0], A4[1])
    canvas.save()
    return out.getvalue()


def encrypted(text: str) -> bytes:
    """A PDF that opens only with a password."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1,
                    encrypt=StandardEncryption("secret", canPrint=0))
    canvas.setFont(FONT, PROSE)
    canvas.drawString(MARGIN, 700, text)
    canvas.save()
    return out.getvalue()


APPENDIX = [["栏目", "更新条数", "访问量"], ["通知公告", "12", "3021"], ["政策解读", "4", "877"]]


def main() -> None:
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    out = ROOT / "corpus" / "pdf"
    out.mkdir(exist_ok=True)
    for seed in seeds:
        number = seed.name[:3]
        text = seed.read_text(encoding="utf-8")
        if number == "001":
            data = print_report(text, head="政府信息公开工作年度报告", appendix=APPENDIX)
        elif number == "003":
            data = print_report(text, size=A5)
        else:
            data = print_report(text)
        (out / f"seed_{number}.pdf").write_bytes(data)
    errors = ROOT / "tests" / "pdf"
    errors.mkdir(exist_ok=True)
    (errors / "image_only.pdf").write_bytes(image_only())
    (errors / "encrypted.pdf").write_bytes(encrypted("政府信息公开工作年度报告"))
    seed_004 = seeds[4].read_text(encoding="utf-8")
    (errors / "unruled.pdf").write_bytes(print_report(seed_004, ruled=False))
    (errors / "scanned_page.pdf").write_bytes(print_report(seed_004, scan=True))


if __name__ == "__main__":
    main()
