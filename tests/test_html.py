"""The HTML source: pages as sites serve them read into records whose every span is the
line and column of its text in the page on disk."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.sources import choose, read_source
from xxgk.sources.html import sniff_html

from .conftest import seed

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "corpus" / "html"
PINGTAN = HTML / "pingtan_2022.html"
sys.path.insert(0, str(ROOT / "tools"))


def _located(report: xxgk.Report, text: str) -> int:
    """Check that every cell's span covers its raw text in ``text`` (the decoded file);
    return how many cells there are."""
    lines = text.split("\n")
    count = 0
    for name, table in report.tables.items():
        assert table is not None, name
        for row, column, cell in table.cells():
            span = cell.span
            assert span.line == span.end_line, (row, column, span)
            found = lines[span.line - 1][span.column - 1:span.end_column - 1]
            assert found == cell.raw.strip(), (name, row, column, span, found, cell.raw)
            count += 1
    return count


def test_the_pingtan_page_is_read_whole_and_every_cell_is_where_the_page_has_it() -> None:
    report = xxgk.parse_file(PINGTAN)
    assert (report.agency, report.year, report.template) == ("平潭综合实验区", 2022, "2021")
    assert report.title == "平潭综合实验区2022年度政府信息公开工作年度报告"
    assert report.diagnostics == ()  # its totals hold: 72 + 3 = 75, 74 + 1 = 75 + 0
    text = PINGTAN.read_text(encoding="utf-8")
    counts = {name: len(list(t.cells())) for name, t in report.tables.items() if t}
    assert counts == {"active_disclosure": 10, "applications": 175, "review_litigation": 15}
    assert _located(report, text) == 200
    applications = report.applications
    assert applications is not None
    assert applications["results.total"]["natural_person"].value == 72
    assert applications["results.other.other"]["commercial_enterprise"].value == 2
    assert report.active_disclosure is not None
    fees = report.active_disclosure["administrative_fees"]["amount"]
    assert (str(fees.value), fees.span.line) == ("9116.36", 442)
    lines = text.split("\n")
    assert [s.kind for s in report.sections][:4] == [
        "overview", "active_disclosure", "applications", "review_litigation"]
    for section in report.sections:  # headings point at their title in the page
        at = lines[section.span.line - 1][section.span.column - 1:section.span.end_column - 1]
        assert section.title in at


def test_the_pages_chrome_never_becomes_text() -> None:
    text = read_source(PINGTAN.read_bytes(), str(PINGTAN)).text
    for furniture in ("文字版", "文件下载", "相关链接", "function", "来源", "{", "mso-", "<span"):
        assert furniture not in text
    assert text.startswith("平潭综合实验区2022年度政府信息公开工作年度报告\n\n本报告根据")
    assert text.rstrip().endswith("2022年，无收取信息处理费情况。")


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_a_seed_rendered_as_a_page_gives_the_seeds_cells_located_in_the_page(
    number: str,
) -> None:
    from make_html import render
    from seed_tables import load

    name, data = render(load(seed(number)))
    page = HTML / name
    assert page.read_bytes() == data, "corpus/html is out of date: python tools/make_html.py"
    plain = xxgk.parse_file(seed(number))
    report = xxgk.parse_file(page)
    assert (report.agency, report.year, report.template) == \
        (plain.agency, plain.year, plain.template)
    for name_, table in plain.tables.items():
        assert table is not None
        mine = report.tables[name_]
        assert mine is not None
        for row, column, cell in table.cells():
            assert mine[row][column].value == cell.value, (name_, row, column)
    assert _located(report, xxgk.decode.decode(data)) == sum(
        len(list(t.cells())) for t in plain.tables.values() if t)


def test_a_gb2312_page_is_decoded_by_its_bytes_and_a_big5_one_by_its_meta() -> None:
    body = "<p>二、主动公开政府信息情况</p><table><tr><td>規章</td><td>7</td></tr></table>"
    gb = f'<html><head><meta charset="gb2312"></head><body>{body}</body></html>'
    read = read_source(gb.encode("gb18030"), "p.html")
    assert "\t規章\n\t7" in read.text
    body = "<p>二、主動公開政府資訊情況</p><table><tr><td>規章</td><td>7</td></tr></table>"
    big5 = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">' \
           f"</head><body>{body}</body></html>"
    assert "\t規章\n\t7" in read_source(big5.encode("big5"), "p.html").text
    assert "\t規章\n\t7" in read_source(big5, "p.html").text  # a str: its declaration is stale


def test_entities_spans_and_breaks_inside_cells() -> None:
    page = ("<table><tr><td>本年新<br />制作数量</td><td>&nbsp;&#49;&#50;&nbsp;</td>"
            "<td></td><td><p>商业</p><p>企业</p></td><td>A&amp;B</td></tr></table>"
            "<p>三、收到和处理政府信息公开申请情况</p>")
    read = read_source(page.encode(), "f.html")
    assert read.text.startswith("\n\t本年新\n制作数量\n\t12\n\t\n\t商业\n企业\n\tA&B\n")
    assert read.map is not None
    twelve = read.text.index("12")
    span = read.map.span(twelve, twelve + 2)  # two entities: "&#49;&#50;" in the page
    assert page[span.column - 1:span.end_column - 1] == "&#49;&#50;"


def test_a_fragment_without_html_or_body_is_a_page() -> None:
    fragment = seed("000").read_text(encoding="utf-8")
    html = "".join(f"<p>{line}</p>\n" for line in fragment.split("\n")[:8])
    assert choose(html.encode(), None).name == "html"
    assert "一、总体情况" in read_source(html.encode()).text


def test_sniffing_html_and_text() -> None:
    assert sniff_html(b"<!DOCTYPE html><html>", None) > 0.9
    assert sniff_html(b"  <html lang=zh>", None) > 0.9
    assert sniff_html("<p>一</p><p>二</p><div>三</div>".encode(), None) > 0.5
    assert sniff_html("一、总体情况\n《中华人民共和国政府信息公开工作年度报告格式》".encode(),
                      "a.txt") == 0
    assert choose(seed("000").read_bytes(), "x.txt").name == "text"


def test_markup_after_the_first_4_kb_of_a_text_file_is_still_p110() -> None:
    text = seed("000").read_text(encoding="utf-8")
    text = text.replace("二、主动公开政府信息情况",
                        "<div><p>二、主动公开政府信息情况</p><table><tr><td>x</td></tr></table></div>")
    assert text.encode().index(b"<div>") > 4096
    report = xxgk.parse(text.encode(), source="a.txt")
    assert [d.code for d in report.diagnostics if d.code == "P110"] == ["P110"]
    assert not any(d.code == "P110" for d in xxgk.parse(text.encode(), "a.html").diagnostics)


_REPORT = ("<p>一、总体情况</p><p>正文</p><p>三、收到和处理政府信息公开申请情况</p>"
           "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td></tr></table>")


@pytest.mark.parametrize("page", [
    _REPORT[:-30],  # truncated in the middle of a cell
    "<html><body><div><p>一、总体情况<p>正文<table><tr><td>1<td>2<tr><td>3",  # unclosed
    "<p>一、总体情况</p><table><tr><td>a</td><td><table><tr><td>1</td></tr></table></td></tr>"
    "</table>",  # a table in a table
    "<html><body><p>hello</p></body></html>",  # no report at all
    "<![foo[ bar ]]><p>一、总体情况</p><p>a</p><p>b</p>",  # a marked section the parser refuses
    "</td></tr></table></div></body><p>一、总体情况</p><p>a</p>",  # end tags with no start
    "<p>一、总体情况</p><script>var a = '<p>六、其他需要报告的事项</p>';</script><p>b</p>",
])
def test_bad_pages_give_a_report_with_diagnostics(page: str) -> None:
    report = xxgk.parse(page.encode(), source="bad.html")
    assert report.diagnostics  # never a clean report from a broken or empty page
    text = read_source(page.encode(), "bad.html").text
    assert "六、其他需要报告的事项" not in text  # a script's text is never report text


def test_a_table_in_a_table_is_read_as_lines_of_its_cell_and_said() -> None:
    page = ("<p>一、总体情况</p><table><tr><td>信息内容</td><td>x<table><tr><td>1</td><td>2</td>"
            "</tr></table></td></tr></table>")
    read = read_source(page.encode(), "n.html")
    assert "\t信息内容\n\tx\n1\n2\n" in read.text
    (nested,) = [d for d in read.diagnostics if d.code == "H102"]
    assert nested.span is not None and page[nested.span.column - 1:].startswith("<table><tr><td>1")


def test_a_page_laid_out_in_tables_reads_its_report_table_as_a_table() -> None:
    report_table = ("<table><tr><td>信息内容</td><td>本年制发件数</td></tr>"
                    "<tr><td>规章</td><td>3</td></tr></table>")
    page = ("<html><body><table><tr><td><a href='/'>首页</a> 网站导航</td></tr>"
            "<tr><td><table><tr><td><p>二、主动公开政府信息情况</p>" + report_table +
            "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table></td></tr>"
            "<tr><td>版权所有</td></tr></table></body></html>")
    read = read_source(page.encode(), "layout.html")
    assert read.text == ("二、主动公开政府信息情况\n\n\t信息内容\n\t本年制发件数\n\n\t规章\n\t3\n\n"
                         "三、收到和处理政府信息公开申请情况\n")
    assert read.diagnostics == ()


def test_a_large_page_is_read() -> None:
    row = "<tr><td>1.属于国家秘密</td>" + "<td><span>0</span></td>" * 7 + "</tr>\n"
    page = ("<html><body><div>" + _REPORT + "<table>" + row * 20000 + "</table></div>"
            "</body></html>")
    read = read_source(page.encode(), "big.html")
    assert read.text.count("\t1.属于国家秘密") == 20000


_TAGS = st.sampled_from(["<p>", "</p>", "<td>", "</td>", "<tr>", "<table>", "</table>", "<br>",
                         "<div>", "</div>", "&nbsp;", "&lt;", "&#49;", "&", "<", "一、总体情况",
                         "1", " ", "\n", "\t", "<o:p></o:p>", "<span style='a:b'>", "</span>",
                         "<!-- c -->", "<script>x</script>", "<![if !x]>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_TAGS, max_size=40))
def test_any_markup_reads_and_every_copied_character_is_the_pages(parts: list[str]) -> None:
    page = "<html>" + "".join(parts)
    try:
        read = read_source(page.encode(), "h.html")
    except xxgk.ParseError:
        return
    made = read.map
    assert made is not None
    for index, char in enumerate(read.text):
        begin, stop = made.target_range(index, index + 1)
        if stop - begin == 1 and char not in "\n\t ":
            assert page[begin] == char


def test_a_page_saved_by_word_as_web_page() -> None:
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>x</o:Author></o:DocumentProperties>
</xml><![endif]--><style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>
<p class=MsoNormal><![if !supportLists]><span>一、</span><![endif]><span
style='font-family:仿宋_GB2312'>总体情况<o:p></o:p></span></p>
<p class=MsoNormal><span style='display:none;mso-hide:all'>隐藏的字</span>正文。</p>
<p class=MsoNormal>二、主动公开政府信息情况</p>
<table class=MsoNormalTable border=1><tr><td><p class=MsoNormal>信息内容<o:p></o:p></p></td>
<td><p class=MsoNormal>本年制发件数</p></td></tr></table></div></body></html>"""
    read = read_source(page.encode("gb18030"), "word.htm")
    assert read.text == ("一、总体情况\n正文。\n二、主动公开政府信息情况\n\n\t信息内容\n"
                         "\t本年制发件数\n\n")


def test_a_title_in_spans_above_the_report_is_its_title() -> None:
    page = ("<html><body><div class='nav'>首页</div><h2><span>平潭综合实验区</span>"
            "<span>2022年度政府信息公开工作年度报告</span></h2><div class='content'>"
            "<p>一、总体情况</p><p>正文</p><p>二、主动公开政府信息情况</p></div></body></html>")
    report = xxgk.parse(page.encode(), "t.html")
    assert report.title == "平潭综合实验区2022年度政府信息公开工作年度报告"
    assert report.agency == "平潭综合实验区"
    assert "首页" not in read_source(page.encode(), "t.html").text


def _calls(page: bytes) -> int:
    """How many Python function calls reading ``page`` makes (a count of work that does
    not depend on the machine's speed)."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        read_source(page, "deep.html")
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("unit", ["<table><tr><td>x", "<div><span>x", "<p>一、总体情况<td>1",
                                  "<header><ul><li>x"])
def test_deeply_nested_unclosed_markup_is_read_in_linear_work(unit: str) -> None:
    small, large = (_calls(("<p>二、主动公开政府信息情况</p>" + unit * n).encode())
                    for n in (300, 1200))
    assert large < 4 * small * 1.3  # four times the page: about four times the work
