"""PDF reports: the PDF source, its layout, and every cell placed on its page.

The real sample (corpus/pdf/huaian_hongze_2023.pdf, 淮安市洪泽区人民政府 2023) is read
against the page as printed; the synthetic PDFs of the five seeds (tools/make_pdfs.py)
must give the seeds' cells; what cannot be read (a scan, an encrypted or damaged file, a
PDF without pypdfium2 installed) is one clear ParseError.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pdfium = pytest.importorskip("pypdfium2")

import xxgk  # noqa: E402
from xxgk import ParseError  # noqa: E402
from xxgk.grammars import grammar_dir  # noqa: E402
from xxgk.layouts import PARSER_OPTIONS  # noqa: E402
from xxgk.model import Report, Severity  # noqa: E402
from xxgk.serialize import to_dict  # noqa: E402
from xxgk.sources import choose, pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "pdf" / "huaian_hongze_2023.pdf"
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
ERRORS = Path(__file__).resolve().parent / "pdf"


@pytest.fixture(scope="module")
def sample() -> Report:
    return xxgk.parse_file(SAMPLE)


def _values(report: Report) -> dict[tuple[str, str, str], object]:
    return {(name, row, column): cell.value for name, table in report.tables.items()
            if table is not None for row, column, cell in table.cells()}


# ---- the real sample -----------------------------------------------------------------------

# Every number of the three tables, read off the rendered pages (pdftoppm -r 80).
SAMPLE_ROWS = {
    ("active_disclosure", "rules"): [0, 0, 0],
    ("active_disclosure", "normative_documents"): [0, 5, 5],
    ("active_disclosure", "administrative_licensing"): [550],
    ("active_disclosure", "administrative_penalty"): [4119],
    ("active_disclosure", "administrative_enforcement"): [195],
    ("active_disclosure", "administrative_fees"): [Decimal("7730.28")],
    ("applications", "new_received"): [21, 0, 0, 0, 0, 0, 21],
    ("applications", "results.partially_granted"): [4, 0, 0, 0, 0, 0, 4],
    ("applications", "results.withheld.state_secret"): [1, 0, 0, 0, 0, 0, 1],
    ("applications", "results.withheld.prohibited_by_law"): [0] * 7,
    ("applications", "results.withheld.process_information"): [1, 0, 0, 0, 0, 0, 1],
    ("applications", "results.withheld.enforcement_case_file"): [1, 0, 0, 0, 0, 0, 1],
    ("applications", "results.unavailable.not_held"): [10, 0, 0, 0, 0, 0, 10],
    ("applications", "results.unavailable.needs_creation"): [3, 0, 0, 0, 0, 0, 3],
    ("applications", "results.not_processed.petition"): [1, 0, 0, 0, 0, 0, 1],
    ("applications", "results.total"): [21, 0, 0, 0, 0, 0, 21],
    ("applications", "carried_forward"): [0] * 7,
    ("review_litigation", "numbers"): [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
}


def test_sample_metadata_and_tables(sample: Report) -> None:
    assert (sample.year, sample.template) == (2023, "2021")
    assert sample.agency is not None and sample.agency.endswith("洪泽区人民政府")
    counts = {name: sum(1 for _ in table.cells()) for name, table in sample.tables.items()
              if table is not None}
    # 6 + 161 (23 printed rows of 7: its (六)其他处理 is one row) + 15
    assert counts == {"active_disclosure": 10, "applications": 161, "review_litigation": 15}
    for (name, row), values in SAMPLE_ROWS.items():
        table = sample.tables[name]
        assert table is not None
        if name == "review_litigation":
            got = [cell.value for _, _, cell in table.cells()]
        else:
            got = [cell.value for cell in table[row].values()]
        assert got == values, (name, row)


def test_sample_check_flags_the_review_totals_and_nothing_else(sample: Report) -> None:
    errors = [d for d in sample.diagnostics if d.severity is Severity.ERROR]
    assert [d.code for d in errors] == ["R101", "R101"]
    target = pdf.read(SAMPLE.read_bytes(), None).map
    assert target is not None
    for diagnostic in errors:
        span = diagnostic.span
        assert span is not None and span.page == 4
        assert target.line_text(span) == "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"
        assert span.box is not None
    # the printed totals: the fifth and the fifteenth number of the line
    assert sorted(d.span.column for d in errors if d.span) == [10, 30]
    rendered = errors[0].render()
    assert re.match(r"\S*huaian_hongze_2023\.pdf:4:44:(10|30): error\[R101\]", rendered)


def _page_lines(target: str, page: int) -> list[str]:
    return [line.rstrip("\r") for line in target.split("\f")[page - 1].split("\n")]


def test_every_cell_is_placed_on_its_digits(sample: Report) -> None:
    """Page, line and column point at the cell's digits in the page's extracted text, and
    its box is where PDFium finds those digits on the page."""
    data = SAMPLE.read_bytes()
    target = pdf.read(data, None).map
    assert target is not None
    document = pdfium.PdfDocument(data)
    checked = 0
    try:
        for _, _, cell in (c for t in sample.tables.values() if t for c in t.cells()):
            span = cell.span
            assert span.page is not None and span.box is not None
            line = _page_lines(target.target, span.page)[span.line - 1]
            assert line[span.column - 1:span.end_column - 1] == cell.raw
            x0, y0, x1, y1 = span.box
            page = document[span.page - 1]
            found = page.get_textpage().get_text_bounded(x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1)
            assert found.strip() == cell.raw, (cell.raw, found)
            checked += 1
    finally:
        document.close()
    assert checked == 186


def test_sections_carry_page_and_box(sample: Report) -> None:
    kinds = [s.kind for s in sample.sections]
    assert kinds == ["overview", "active_disclosure", "applications", "review_litigation",
                     "problems", "other_matters"]
    pages = [s.span.page for s in sample.sections]
    assert pages == [1, 2, 3, 4, 4, 5]
    assert all(s.span.box is not None for s in sample.sections)


def test_json_carries_page_and_box(sample: Report) -> None:
    data = to_dict(sample)
    spans = [cell["span"] for table in data["tables"].values() for row in table.values()
             for cell in row.values()]
    assert len(spans) == 186
    assert all(s["page"] in (2, 3, 4) and len(s["box"]) == 4 for s in spans)
    assert data["format"] == "pdf"


# ---- the text the layouts read ---------------------------------------------------------------


def test_sample_tables_are_written_one_row_a_line() -> None:
    text = pdf.read(SAMPLE.read_bytes(), None).text
    lines = text.split("\n")
    assert "三、本年度办理结果\t（一）予以公开\t0\t0\t0\t0\t0\t0\t0\t" in lines
    assert "（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1\t" in lines
    assert ("5.要求行政机关确认或重 新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\t") in lines
    assert "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0\t" in lines
    assert "- 4 -" in lines  # page furniture stays a line of its own
    assert "\f" not in text


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_copied_characters_map_back_to_themselves(data: st.DataObject) -> None:
    """Every character of the text the layouts read is the target character it maps to,
    but the tabs and line breaks the source puts between cells and rows."""
    read = _sample_read()
    assert read.map is not None
    index = data.draw(st.integers(0, len(read.text) - 1))
    char = read.text[index]
    begin, stop = read.map.target_range(index, index + 1)
    if char in "\t\n":  # a point between two cells, or the line break it stands for
        assert read.map.target[begin:stop] in ("", "\n", "\r\n", "\f")
    else:
        assert read.map.target[begin:stop] == char


_READ: list[object] = []


def _sample_read() -> xxgk.sources.SourceText:
    if not _READ:
        _READ.append(pdf.read(SAMPLE.read_bytes(), None))
    found = _READ[0]
    assert isinstance(found, xxgk.sources.SourceText)
    return found


def test_target_is_the_pages_joined_by_form_feeds() -> None:
    data = SAMPLE.read_bytes()
    read = pdf.read(data, None)
    assert read.map is not None and read.format == "pdf"
    document = pdfium.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    assert read.map.target == "\f".join(pages)
    assert len(read.map.boxes) == len(read.map.target)


def test_layout_grammar_is_conflict_free() -> None:
    from lark import Lark

    Lark.open(str(grammar_dir() / "layouts/pdf_row.lark"), parser="lalr", strict=True,
              **PARSER_OPTIONS)


# ---- the seeds, printed as PDFs ----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_pdf_gives_the_seed_cells(seed: Path) -> None:
    text = xxgk.parse_file(seed)
    printed = xxgk.parse_file(ROOT / "corpus" / "pdf" / f"seed_{seed.name[:3]}.pdf")
    assert _values(printed) == _values(text)
    assert len(_values(printed)) > 150
    assert (printed.agency, printed.year, printed.template) == (text.agency, text.year,
                                                                text.template)
    assert [s.kind for s in printed.sections] == [s.kind for s in text.sections]
    # the seeds' own findings, but for how numbers are padded (V201: a PDF keeps no
    # padding and shows 004's "?0" noise cell by cell) and the appendix table printed
    # after seed 001 (P108)
    assert sorted(d.code for d in printed.diagnostics if d.code not in ("P108", "V201")) == (
        sorted(d.code for d in text.diagnostics if d.code != "V201"))


def test_appendix_table_is_reported_not_mixed() -> None:
    report = xxgk.parse_file(ROOT / "corpus" / "pdf" / "seed_001.pdf")
    appendix = [d for d in report.diagnostics if d.code == "P108"]
    assert len(appendix) == 1 and appendix[0].span is not None and appendix[0].span.page
    assert all("栏目" not in row for t in report.tables.values() if t for row in t.rows)


def test_parse_many_reads_pdfs_in_workers() -> None:
    files = [SAMPLE, *sorted((ROOT / "corpus" / "pdf").glob("seed_*.pdf"))]
    alone = [xxgk.parse_file(f) for f in files]
    together = list(xxgk.parse_many(files, jobs=2, errors="raise"))
    assert [_values(r) for r in together] == [_values(r) for r in alone]
    assert [[d.span for d in r.diagnostics] for r in together] == [
        [d.span for d in r.diagnostics] for r in alone]


# ---- what cannot be read ----------------------------------------------------------------------


def test_image_only_pdf_has_no_text_layer() -> None:
    with pytest.raises(ParseError, match=r"no text layer: scanned PDF\? run OCR first"):
        xxgk.parse_file(ERRORS / "image_only.pdf")


def test_encrypted_pdf() -> None:
    with pytest.raises(ParseError, match="encrypted PDF"):
        xxgk.parse_file(ERRORS / "encrypted.pdf")


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_pdf(cut: float) -> None:
    data = (ROOT / "corpus" / "pdf" / "seed_004.pdf").read_bytes()
    with pytest.raises(ParseError) as raised:
        xxgk.parse(data[:int(len(data) * cut)], source="cut.pdf")
    assert "\n" not in str(raised.value)


def test_garbage_after_the_magic() -> None:
    with pytest.raises(ParseError, match="damaged PDF"):
        xxgk.parse(b"%PDF-1.7\n" + b"\x00garbage" * 100, source="x.pdf")


def test_without_pypdfium2_the_install_command_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_installed", lambda: False)
    data = SAMPLE.read_bytes()
    with pytest.raises(ParseError, match=re.escape("pip install 'xxgk[pdf]'")):
        choose(data, "report.pdf")
    with pytest.raises(ParseError, match=re.escape("pip install 'xxgk[pdf]'")):
        xxgk.parse(data, source="report.pdf")


def test_sniff() -> None:
    assert pdf.sniff(b"%PDF-1.4\n...", None) > 0.5
    assert pdf.sniff(b"\n\n%PDF-1.4\n", "a.pdf") > 0.5
    assert pdf.sniff(b"plain text %PDF", None) == 0
    assert pdf.sniff(b"", None) == 0


def test_a_page_that_is_a_picture_is_an_error_at_that_page() -> None:
    report = xxgk.parse_file(ERRORS / "scanned_page.pdf")
    found = [d for d in report.diagnostics if d.code == "P112"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].span is not None and found[0].span.page == 4
    text = xxgk.parse_file(next(s for s in SEEDS if s.name.startswith("004")))
    assert _values(report) == _values(text)


def test_tables_without_rules_are_not_read_and_say_so() -> None:
    """A table drawn without rules is not found: the report is not passed as clean."""
    report = xxgk.parse_file(ERRORS / "unruled.pdf")
    assert not _values(report)
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 3  # one for each statistical section whose table was not read


# ---- the geometry ------------------------------------------------------------------------------

_EDGES = st.lists(st.tuples(st.sampled_from([10.0, 10.3, 10.45, 20.0, 50.0]),
                            st.floats(0, 100), st.floats(0, 30)), max_size=12)


@given(_EDGES, st.floats(0, 130))
def test_merged_edges_cover_what_the_edges_cover(edges: list[tuple[float, float, float]],
                                                 probe: float) -> None:
    """Merging collinear edges neither loses nor adds a point of any edge (positions
    within half a point are one line)."""
    from xxgk.sources.pdf_geometry import _TOLERANCE, _merged

    segments = [(at, low, low + length) for at, low, length in edges]
    merged = _merged(segments)
    for at, low, high in segments:
        if low <= probe <= high:
            assert any(abs(m_at - at) <= 0.5 and m_low <= probe <= m_high
                       for m_at, m_low, m_high in merged)
    for m_at, m_low, m_high in merged:
        if m_low <= probe <= m_high:
            assert any(abs(m_at - at) <= 0.5 and low - _TOLERANCE <= probe <= high + _TOLERANCE
                       for at, low, high in segments)


def test_page_furniture_goes_after_the_page_content() -> None:
    """Seed 001's PDF: the footer the generator (like Word) writes first and the running
    head on every page are read after each page's content, so the report opens with its
    title; a paragraph wrapped at the right margin is one line again."""
    lines = pdf.read((ROOT / "corpus" / "pdf" / "seed_001.pdf").read_bytes(), None).text
    text = lines.split("\n")
    assert text[:2] == ["尚志市卫生健康局2021年政府信息", "公开工作年度报告"]
    footers = [k for k, line in enumerate(text) if re.fullmatch(r"- \d -", line)]
    assert len(footers) == 4
    assert all(text[k + 1] == "政府信息公开工作年度报告" for k in footers)
    assert text[2].startswith("本报告依据") and text[2].endswith("电话:0451-53320190。")
