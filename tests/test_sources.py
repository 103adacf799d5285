"""The source stage: a source registered from outside turns its format into text, and every
span of the report points into the user's file through the source's map."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxgk
from xxgk.sources import (
    Source,
    SourceMapBuilder,
    SourceText,
    register_source,
    sources,
    unregister_source,
)

from .conftest import seed

_MAGIC = b"QUOTED-REPORT\n"


def _read_quoted(data: bytes, name: str | None) -> SourceText:
    """A toy format: a magic line, then every line of a report behind ``> `` (the way an
    e-mail quotes it). The source drops the quote marks and maps the rest back."""
    target = data.decode("utf-8")
    builder = SourceMapBuilder(target)
    at = len(_MAGIC)
    for line in target[at:].splitlines(keepends=True):
        body = line[2:] if line.startswith("> ") else line
        builder.copy(body, at + len(line) - len(body))
        at += len(line)
    return SourceText(builder.text(), builder.build(), "quoted")


QUOTED = Source("quoted", lambda data, name: 1.0 if data.startswith(_MAGIC) else 0.0,
                _read_quoted)


@pytest.fixture
def quoted() -> Iterator[None]:
    register_source(QUOTED)
    try:
        yield
    finally:
        unregister_source("quoted")


def _quote(text: str) -> bytes:
    return _MAGIC + "".join(f"> {line}" for line in text.splitlines(keepends=True)).encode()


@pytest.mark.usefixtures("quoted")
def test_a_registered_source_reads_its_format_with_spans_in_the_users_file() -> None:
    text = seed("000").read_text(encoding="utf-8")
    direct = xxgk.parse(text)
    data = _quote(text)
    report = xxgk.parse(data, source="x.quoted")
    assert "quoted" in [s.name for s in sources()]
    lines = data.decode().split("\n")
    read = 0
    for name, table in report.tables.items():
        assert table is not None
        plain = direct.tables[name]
        assert plain is not None
        for row, column, cell in table.cells():
            assert cell.value == plain[row][column].value
            span = cell.span
            # the user's file has one more line (the magic) and two more columns ("> ")
            assert (span.line, span.column) == (plain[row][column].span.line + 1,
                                                plain[row][column].span.column + 2)
            assert lines[span.line - 1][span.column - 1:span.end_column - 1] == cell.raw
            read += 1
    assert read > 150
    assert [d.code for d in report.diagnostics] == [d.code for d in direct.diagnostics]
    for found in report.diagnostics:
        if found.span is not None and found.line_text is not None:
            assert found.line_text == lines[found.span.line - 1]


def test_without_the_source_the_format_is_text() -> None:
    report = xxgk.parse(_quote(seed("000").read_text(encoding="utf-8")))
    assert all(d.span is None or d.span.page is None for d in report.diagnostics)


def test_a_broken_source_is_one_parse_error(tmp_path: Path) -> None:
    def boom(data: bytes, name: str | None) -> SourceText:
        raise RuntimeError("cannot")

    register_source(Source("boom", lambda data, name: 1.0 if data.startswith(b"BOOM") else 0,
                           boom))
    try:
        with pytest.raises(xxgk.ParseError, match="boom source failed: RuntimeError: cannot"):
            xxgk.parse(b"BOOM and more", source="b.txt")
    finally:
        unregister_source("boom")


_PIECES = st.lists(st.tuples(st.booleans(), st.text("ab\n\t", min_size=1, max_size=5)),
                   max_size=12)


@given(_PIECES)
def test_a_copied_character_maps_to_itself_and_a_made_one_to_its_point(
    pieces: list[tuple[bool, str]],
) -> None:
    target = "".join(text for copied, text in pieces if copied)
    builder = SourceMapBuilder(target)
    at = 0
    expected: list[tuple[int, int]] = []
    for copied, text in pieces:
        if copied:
            builder.copy(text, at)
            expected.extend((at + i, at + i + 1) for i in range(len(text)))
            at += len(text)
        else:
            builder.put(text, at)
            expected.extend((at, at) for _ in text)
    made = builder.build()
    assert builder.text() == "".join(text for _, text in pieces)
    for index, (begin, stop) in enumerate(expected):
        assert made.target_range(index, index + 1) == (begin, stop)
        span = made.span(index, index + 1)
        line = target.count("\n", 0, begin) + 1
        assert span.line == line
        assert span.column == begin - (target.rfind("\n", 0, begin) + 1) + 1


def test_pages_count_lines_from_one_and_boxes_join() -> None:
    target = "a\nbc\fd\nef"
    boxes = [(0.0, 0.0, 1.0, 1.0), None, (1.0, 0.0, 2.0, 1.0), (2.0, 0.0, 3.0, 2.0), None,
             (5.0, 5.0, 6.0, 6.0), None, (7.0, 7.0, 8.0, 8.0), (8.0, 7.0, 9.0, 9.0)]
    builder = SourceMapBuilder(target)
    builder.copy(target, 0)
    made = builder.build(pages=[5], boxes=boxes)
    first = made.span(2, 4)
    assert (first.page, first.line, first.column, first.end_column) == (1, 2, 1, 3)
    assert first.box == (1.0, 0.0, 3.0, 2.0)
    second = made.span(7, 9)
    assert (second.page, second.line, second.column) == (2, 2, 1)
    assert second.box == (7.0, 7.0, 9.0, 9.0)
    assert made.line_text(second) == "ef"


def test_a_diagnostic_on_a_very_long_line_shows_a_window_with_the_caret_in_place() -> None:
    """A minified page is one long line: the rendered diagnostic shows the span with some
    context, the caret under it, not 250 000 characters."""
    from xxgk.model import Diagnostic, Span

    line = "<td>" * 500 + "<p>12</p>" + "</td>" * 500
    column = line.index("12") + 1
    found = Diagnostic("A101", "error", "m", Span(1, column, 1, column + 2), source="x.html",
                       line_text=line)
    _, shown, caret = found.render().split("\n")
    assert len(shown) < 200 and shown.startswith("    1 | …") and shown.endswith("…")
    assert shown[caret.index("^"):caret.index("^") + 2] == "12"
