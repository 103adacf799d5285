"""What xxgk saw in a file: the text its locations count in, lines numbered (``xxgk text``).

For a plain-text file that is its decoded text; for a file read by a source with a map,
the map's ``target`` (the decoded HTML, a PDF's page texts, a Word file's text). A PDF's
pages (separated by ``\\f`` in the target) each open with a ``--- page N ---`` line and
number their lines from 1, so that ``file.pdf:PAGE:LINE:COL`` can be found.
"""

from __future__ import annotations

from ._model import SourceText

__all__ = ["numbered", "show_source"]


def numbered(text: str) -> list[str]:
    """``text``'s lines as ``"    7 | line"`` (1-based; CRLF is one break, as in spans)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a final line break ends the last line, it opens none
    return [f"{number:>5} | {line}" for number, line in enumerate(lines, 1)]


def show_source(read: SourceText) -> str:
    """The text ``xxgk text`` prints for ``read``: lines numbered; with a map, its
    ``target``, page by page when the source has pages."""
    if read.map is None:
        return "".join(line + "\n" for line in numbered(read.text))
    target = read.map.target
    if not read.map.pages and "\f" not in target:
        return "".join(line + "\n" for line in numbered(target))
    out = []
    for page, text in enumerate(target.split("\f"), 1):
        out.append(f"--- page {page} ---\n")
        out.extend(line + "\n" for line in numbered(text))
    return "".join(out)
