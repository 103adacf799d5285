"""Render the five seeds as Word files, built on the official blank 2021 form.

Usage: ``python tools/make_docx.py [OUTDIR]`` (default ``corpus/docx``). Each ``.docx``
takes the package of ``template_2021_blank.docx`` (styles, fonts, settings: the file as
the State Council's form ships it) with a body written here: the seed's paragraphs and its
three tables with merged header cells (``w:gridSpan`` across columns, ``w:vMerge`` down
rows), vertical headers (``w:textDirection tbRlV``), and the applications table split in
two before （四）无法提供 by an empty paragraph (Word's "split table"), the label cell spanning
the cut restarted, empty, in the second part.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_tables import ROOT, SEEDS, Cell, Seed, load

BLANK = Path(__file__).resolve().parent / "template_2021_blank.docx"  # the official blank form
_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_FONT = '<w:rPr><w:rFonts w:hint="eastAsia" w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/>' \
        '<w:sz w:val="32"/></w:rPr>'


def _para(text: str, *, center: bool = False, bold: bool = False) -> str:
    ppr = '<w:pPr><w:pStyle w:val="2"/>' + ('<w:jc w:val="center"/>' if center else "") + \
        "</w:pPr>"
    rpr = _FONT.replace("</w:rPr>", "<w:b/></w:rPr>") if bold else _FONT
    # a run split in two as Word does after an edit, and a tab inside the first line
    half = len(text) // 2
    runs = "".join(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                   for part in (text[:half], text[half:]) if part)
    return f"<w:p>{ppr}{runs}</w:p>"


def _grid(rows: list[list[Cell]]) -> list[list[tuple[Cell, bool]]]:
    """Each row as Word stores it: the cells printed in it, and below a cell spanning rows
    a continuation cell (``True``) at its grid column."""
    width = sum(c.colspan for c in rows[0])
    below: dict[int, tuple[Cell, int]] = {}  # grid column -> (cell, rows left)
    out: list[list[tuple[Cell, bool]]] = []
    for row in rows:
        cells = iter(row)
        placed: list[tuple[Cell, bool]] = []
        column = 0
        while column < width:
            if column in below:
                cell, left = below.pop(column)
                placed.append((cell, True))
                if left > 1:
                    below[column] = (cell, left - 1)
                column += cell.colspan
                continue
            cell = next(cells, None)
            if cell is None:
                break
            placed.append((cell, False))
            if cell.rowspan > 1:
                below[column] = (cell, cell.rowspan - 1)
            column += cell.colspan
        out.append(placed)
    return out


def _tc(cell: Cell, continued: bool) -> str:
    props = ""
    if cell.colspan > 1:
        props += f'<w:gridSpan w:val="{cell.colspan}"/>'
    if cell.rowspan > 1:
        props += '<w:vMerge/>' if continued else '<w:vMerge w:val="restart"/>'
    if cell.vertical:
        props += '<w:textDirection w:val="tbRlV"/>'
    if continued:
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>"
    lines = ["".join(cell.lines)] if cell.vertical else cell.lines
    paras = "".join(_para(line, center=True) for line in lines) or "<w:p/>"
    return f'<w:tc><w:tcPr><w:tcW w:w="900" w:type="dxa"/>{props}</w:tcPr>{paras}</w:tc>'


def _table(rows: list[list[tuple[Cell, bool]]], width: int) -> str:
    grid = "".join('<w:gridCol w:w="900"/>' for _ in range(width))
    body = "".join("<w:tr>" + "".join(_tc(c, k) for c, k in row) + "</w:tr>" for row in rows)
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="7"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblBorders><w:top w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/>'
            '<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/>'
            f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>")


def _split(rows: list[list[Cell]]) -> int | None:
    """Where the applications table is split: at the row of （四）无法提供."""
    for k, row in enumerate(rows):
        if any(c.lines and c.lines[0].startswith("（四）") for c in row):
            return k
    return None


def _tables(rows: list[list[Cell]]) -> str:
    width = sum(c.colspan for c in rows[0])
    grid = _grid(rows)
    cut = _split(rows)
    if cut is None:
        return _table(grid, width)
    first = [list(r) for r in grid[:cut]]
    second = [list(r) for r in grid[cut:]]
    # a cell spanning the cut: clipped above, printed again below
    for row in second:
        for k, (cell, continued) in enumerate(row):
            if continued and not any(c is cell and not more for r in second for c, more in r):
                clone = Cell([], cell.colspan, sum(
                    1 for r in second if any(c is cell for c, _ in r)), cell.vertical,
                    cell.value, cell.header)
                row[k] = (clone, False)
                for later in second:
                    for j, (c, _) in enumerate(later):
                        if c is cell:
                            later[j] = (clone, True)
                row[k] = (clone, False)
    return _table(first, width) + "<w:p/>" + _table(second, width)


def document(seed: Seed) -> str:
    """The ``word/document.xml`` of ``seed``."""
    parts = [_para(seed.title, center=True, bold=True), "<w:p/>"]
    for block in seed.blocks:
        parts.append(_para(block) if isinstance(block, str) else _tables(block))
    section = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_NS}>'
            f'<w:body>{"".join(parts)}{section}</w:body></w:document>')


def render(seed: Seed, blank: Path = BLANK) -> bytes:
    """The bytes of the ``.docx`` for ``seed``."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(out, "w",
                                                           zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document(seed).encode("utf-8") if info.filename == "word/document.xml" \
                else source.read(info)
            target.writestr(info, data)
    return out.getvalue()


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "corpus" / "docx"
    out.mkdir(parents=True, exist_ok=True)
    for path in SEEDS:
        seed = load(path)
        target = out / f"seed_{seed.name}.docx"
        target.write_bytes(render(seed))
        print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
