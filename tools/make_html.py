"""Render the five seeds as HTML pages, the way government sites serve them.

Usage: ``python tools/make_html.py [OUTDIR]`` (default ``corpus/html``). Each page holds a
seed's prose and its three tables with the templates' merged header cells (``colspan``,
``rowspan``), and each seed exercises one thing real pages do:

* ``seed_000``: a whole page (navigation, scripts, styles, footer) with Word-export table
  markup (``mso-`` styles, ``<o:p>``, ``<span>`` soup, ``&nbsp;`` padding), UTF-8;
* ``seed_001``: the same kind of page encoded in GB2312, declared by ``<meta charset>``;
* ``seed_002``: a bare fragment (no ``<html>``/``<body>``), cells broken with ``<br>``;
* ``seed_003``: a page in traditional characters, ``<font>`` markup, entities;
* ``seed_004``: an HTML5 page, ``<th>`` headers in ``<thead>``, ``<nav>``/``<footer>``.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_tables import ROOT, SEEDS, Cell, Seed, load

_MSO = ("width:60.0pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;\n"
        "padding:0cm 5.4pt 0cm 5.4pt")


def _attrs(cell: Cell) -> str:
    out = ""
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    return out


def _cell_word(cell: Cell) -> str:
    """A cell as Word's "save as web page" writes it."""
    paras = []
    for line in cell.lines or [""]:
        text = html.escape(line, quote=False) if line else "&nbsp;"
        if cell.value and line:
            text = f'<span lang=EN-US style="font-size:12.0pt">{text}</span>' \
                   '<span style="mso-spacerun:yes">&nbsp;</span>'
        else:
            text = f'<span style="font-family:仿宋_GB2312;mso-ascii-font-family:\n' \
                   f'&quot;Times New Roman&quot;">{text}</span>'
        paras.append(f'<p class=MsoNormal align=center style="text-align:center">{text}'
                     '<o:p></o:p></p>')
    return (f'<td width=80 valign=center{_attrs(cell)} style="{_MSO}">'
            + "".join(paras) + "</td>")


def _cell_br(cell: Cell) -> str:
    return f"<td{_attrs(cell)}>" + "<br />".join(html.escape(x) for x in cell.lines) + "</td>"


def _cell_font(cell: Cell) -> str:
    inner = "".join(f"<div>{html.escape(x)}</div>" for x in cell.lines)
    return f'<td{_attrs(cell)}><font face="宋体" size="3">{inner}</font></td>'


def _cell_th(cell: Cell) -> str:
    tag = "th" if cell.header and not cell.value else "td"
    inner = "<br>".join(html.escape(x) for x in cell.lines)
    return f"<{tag}{_attrs(cell)}>{inner}</{tag}>"


def _table(rows: list[list[Cell]], style: str) -> str:
    render = {"word": _cell_word, "br": _cell_br, "font": _cell_font, "th": _cell_th}[style]
    out = ['<table class="MsoNormalTable" border=1 cellspacing=0 cellpadding=0>' if style ==
           "word" else '<table border="1">']
    header = style == "th"
    if header:
        out.append("<thead>")
    for row in rows:
        if header and not any(c.header for c in row):
            out.append("</thead><tbody>")
            header = False
        out.append("<tr>" + "".join(render(c) for c in row) + "</tr>\n")
    out.append("</tbody></table>" if style == "th" else "</table>")
    return "\n".join(out)


def _body(seed: Seed, style: str, para: str) -> str:
    parts = []
    for block in seed.blocks:
        if isinstance(block, str):
            parts.append(para.format(html.escape(block, quote=False)))
        else:
            parts.append(_table(block, style))
    return "\n".join(parts)


_CHROME_HEAD = """<script type="text/javascript">var _hmt = _hmt || []; if (a < b && c > d)
{{ document.write("<div class='nav'>一、总体情况</div>"); }}</script>
<style>.nav {{ color: #333 }} td {{ mso-border-alt: solid windowtext .5pt }}</style>"""

_NAV = """<div class="header"><ul class="menu"><li><a href="/">首页</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/zwgk/nb/">政府信息公开年报</a></li>
</ul><form action="/search"><input name="q" value="搜索"><button>搜索</button></form></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt;
<a href="/zwgk/">政务公开</a> &gt; 年报</div>"""

_FOOTER = """<div class="side"><h3>相关文章</h3><ul><li>2019年政府信息公开工作年度报告</li>
</ul></div><div class="footer">主办单位：本机关 &nbsp; 网站标识码：1234567890 &copy; 版权所有</div>
<script>window.onload = function () { share('weixin'); };</script>"""


def _page(seed: Seed, style: str, para: str, charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{html.escape(seed.title)}_政府信息公开年报</title>
{_CHROME_HEAD}
</head>
<body>
{_NAV}
<div class="article"><div class="article_title">{html.escape(seed.title)}</div>
<div class="info"><span>来源：本机关</span><span>时间：2021-01-20</span></div>
<div class="article_content"><div class=TRS_Editor>
{_body(seed, style, para)}
</div></div></div>
{_FOOTER}
</body>
</html>
"""


def _page5(seed: Seed) -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(seed.title)}</title>
<link rel="stylesheet" href="/s.css"></head>
<body><nav><a href="/">首页</a> | <a href="/zwgk/">一、总体情况 栏目</a></nav>
<main><article><h1>{html.escape(seed.title)}</h1>
{_body(seed, "th", "<p>{}</p>")}
</article></main>
<footer><p>版权所有 &copy; 2024</p></footer>
<script>console.log("<table><tr><td>1</td></tr></table>")</script>
</body></html>
"""


def render(seed: Seed) -> tuple[str, bytes]:
    """The file name and bytes of the page for ``seed``."""
    word_para = ('<p class=MsoNormal style="text-indent:32.0pt;mso-char-indent-count:2.0">'
                 '<span style="font-family:仿宋_GB2312">{}</span><o:p></o:p></p>')
    if seed.name == "000":
        return "seed_000.html", _page(seed, "word", word_para).encode("utf-8")
    if seed.name == "001":
        page = _page(seed, "word", word_para, charset="gb2312")
        return "seed_001.html", page.encode("gb18030")
    if seed.name == "002":
        title = f"<p><strong>{html.escape(seed.title)}</strong></p>\n"
        return "seed_002.html", (title + _body(seed, "br", "<p>{}</p>")).encode("utf-8")
    if seed.name == "003":
        import opencc

        page = _page(seed, "font", '<p><font face="仿宋">{}</font></p>')
        page = opencc.OpenCC("s2t").convert(page)
        return "seed_003.html", page.encode("utf-8")
    return f"seed_{seed.name}.html", _page5(seed).encode("utf-8")


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "corpus" / "html"
    out.mkdir(parents=True, exist_ok=True)
    for path in SEEDS:
        name, data = render(load(path))
        (out / name).write_bytes(data)
        print(out / name)


if __name__ == "__main__":
    main(sys.argv[1:])
