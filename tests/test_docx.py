"""The Word source: .docx reports read into records whose spans name the paragraph or the
table, row and cell of the Word file."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

import xxgk
from xxgk.sources import choose, read_source

from .conftest import seed

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "corpus" / "docx"
BLANK = ROOT / "tools" / "template_2021_blank.docx"
sys.path.insert(0, str(ROOT / "tools"))

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str) -> bytes:
    """A minimal .docx whose body is ``body`` (WordprocessingML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml",
                         f"<w:document {_W}><w:body>{body}</w:body></w:document>")
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_a_seed_as_a_word_file_gives_the_seeds_cells_named_by_table_row_and_cell(
    number: str,
) -> None:
    document = DOCX / f"seed_{number}.docx"
    plain = xxgk.parse_file(seed(number))
    report = xxgk.parse_file(document)
    assert (report.agency, report.year, report.template) == \
        (plain.agency, plain.year, plain.template)
    read = read_source(document.read_bytes(), str(document))
    lines = read.text.split("\n")
    count = 0
    for name, table in plain.tables.items():
        assert table is not None
        mine = report.tables[name]
        assert mine is not None
        for row, column, cell in table.cells():
            found = mine[row][column]
            assert found.value == cell.value, (name, row, column)
            span = found.span
            assert span.part is not None and span.part.startswith("table "), span
            assert lines[span.line - 1][span.column - 1:span.end_column - 1] == \
                found.raw.strip()
            count += 1
    assert count == sum(len(list(t.cells())) for t in plain.tables.values() if t)
    # the applications table is split in two: its cells lie in two Word tables
    applications = report.applications
    assert applications is not None
    parts = {c.span.part.split(",")[0] for _, _, c in applications.cells() if c.span.part}
    assert len(parts) == 2


def test_the_generator_makes_the_committed_files() -> None:
    if not BLANK.exists():
        pytest.skip("the blank 2021 form is not here")
    from make_docx import render
    from seed_tables import load

    for number in ("000", "004"):
        made = render(load(seed(number)))
        with zipfile.ZipFile(io.BytesIO(made)) as new, \
                zipfile.ZipFile(DOCX / f"seed_{number}.docx") as old:
            assert new.read("word/document.xml") == old.read("word/document.xml")


def test_merged_cells_once_where_they_start_and_parts_name_them() -> None:
    body = (_p("一、总体情况")
            + "<w:tbl><w:tr>"
            + '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + _p("甲") + "</w:tc>"
            + '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' + _p("乙") + "</w:tc></w:tr>"
            + "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
            + "<w:tc>" + _p("1") + "</w:tc><w:tc>" + _p("2") + _p("3") + "</w:tc></w:tr>"
            + "</w:tbl>" + _p("二、主动公开政府信息情况"))
    read = read_source(_docx(body), "m.docx")
    assert read.text == "一、总体情况\n\n\t甲\n\t乙\n\n\t1\n\t2\n3\n\n二、主动公开政府信息情况\n"
    assert read.map is not None
    assert read.map.span(read.text.index("2"), read.text.index("2") + 1).part == \
        "table 1, row 2, cell 3"
    assert read.map.span(0, 1).part == "paragraph 1"
    assert read.map.span(read.text.index("二"), read.text.index("二") + 1).part == \
        "paragraph 2"
    one = read.text.index("1")
    span = read.map.span(one, one + 1)  # line and column in the text the source made
    assert (span.line, span.column, span.part) == (6, 2, "table 1, row 2, cell 2")


def test_word_breaks_tabs_deleted_text_and_field_codes() -> None:
    body = ('<w:p><w:r><w:t>本年新</w:t></w:r><w:r><w:br/></w:r><w:r><w:tab/>'
            '<w:t xml:space="preserve">制作 </w:t></w:r>'
            '<w:del><w:r><w:delText>删去</w:delText></w:r></w:del>'
            '<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>数量</w:t></w:r></w:p>')
    assert read_source(_docx(body), "b.docx").text == "本年新\n制作 数量\n"


def test_a_table_in_a_table_is_read_and_said() -> None:
    inner = "<w:tbl><w:tr><w:tc>" + _p("1") + "</w:tc><w:tc>" + _p("2") + "</w:tc></w:tr></w:tbl>"
    body = "<w:tbl><w:tr><w:tc>" + _p("a") + inner + "</w:tc></w:tr></w:tbl>"
    read = read_source(_docx(body), "n.docx")
    assert "\ta\n1\n2\n" in read.text
    assert [d.code for d in read.diagnostics] == ["W101"]


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04broken", "damaged zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "libreoffice --headless"),
])
def test_broken_and_legacy_word_files_are_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(xxgk.ParseError, match=message):
        xxgk.parse(data, source="r.doc")


def test_a_zip_that_is_not_a_word_file_and_a_damaged_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.txt", "一、总体情况")
    with pytest.raises(xxgk.ParseError, match="no Word document"):
        xxgk.parse(out.getvalue(), source="r.zip")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    with pytest.raises(xxgk.ParseError, match="not well-formed"):
        xxgk.parse(out.getvalue(), source="r.docx")


def test_word_support_is_installed_so_not_installed_never_shows() -> None:
    data = _docx(_p("一、总体情况"))
    assert choose(data, "r.docx").name == "docx"
    report = xxgk.parse(data, source="r.docx")
    assert all("not installed" not in d.message for d in report.diagnostics)


def test_the_blank_2021_form_reads_as_a_report_with_no_numbers() -> None:
    if not BLANK.exists():
        pytest.skip("the blank 2021 form is not here")
    report = xxgk.parse_file(BLANK)
    assert report.template == "2021"
    assert all(cell.value is None for table in report.tables.values() if table is not None
               for _, _, cell in table.cells())
    assert any(d.severity == xxgk.Severity.ERROR for d in report.diagnostics)  # not clean
    assert all(d.span is None or d.span.part for d in report.diagnostics)


def test_content_controls_around_rows_and_hidden_runs() -> None:
    row = "<w:tr><w:tc>" + _p("规章") + "</w:tc><w:tc>" + _p("5") + "</w:tc></w:tr>"
    hidden = ('<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
              "<w:r><w:t>可见</w:t></w:r></w:p>")
    body = (hidden + "<w:tbl><w:sdt><w:sdtContent>" + row + "</w:sdtContent></w:sdt></w:tbl>")
    assert read_source(_docx(body), "c.docx").text == "可见\n\n\t规章\n\t5\n\n"
