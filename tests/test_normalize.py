"""Tests for xxgk.normalize: the rules, the offset map and its properties."""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xxgk.normalize as normalize_module
from xxgk.model import Span
from xxgk.normalize import NormalizedText, OffsetMap, normalize

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SEEDS = sorted(SEED_DIR.glob("*.txt"))


def seed(prefix: str) -> str:
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def naive_positions(original: str) -> list[tuple[int, int]]:
    """(line, column) of every original index 0..len, computed the slow obvious way."""
    positions = []
    line, column = 1, 1
    for index, char in enumerate(original):
        positions.append((line, column))
        if char == "\r" and original[index + 1 : index + 2] == "\n":
            column += 1  # the LF of a CRLF pair is on the same line
        elif char in "\r\n":
            line, column = line + 1, 1
        else:
            column += 1
    positions.append((line, column))
    return positions


def check_map(result: NormalizedText) -> None:
    """Every normalised character maps back to the original character it came from."""
    text, original, offsets = result.text, result.original, result.offsets
    assert offsets.to_original(len(text)) == len(original)
    # Group normalised characters by the original character they map to; each group
    # is what normalising that original character on its own gives.
    groups: dict[int, str] = {}
    previous = -1
    for index, char in enumerate(text):
        start, end = offsets.to_original(index), offsets.original_end(index)
        assert start >= previous  # monotone
        assert end == start + 1
        previous = start
        groups[start] = groups.get(start, "") + char
    for start, produced in groups.items():
        assert normalize(original[start : start + 1]).text == produced, (start, produced)


# --- rule 1: line breaks ---------------------------------------------------------------


def test_crlf_gives_the_same_text_as_lf_with_the_same_positions() -> None:
    lf = seed("000")
    crlf = lf.replace("\n", "\r\n")
    a, b = normalize(lf), normalize(crlf)
    assert a.text == b.text
    assert len(a.text) == len(lf)
    assert "\r" not in b.text
    for index in range(len(a.text)):
        span_a, span_b = a.offsets.span(index, index + 1), b.offsets.span(index, index + 1)
        if a.text[index] == "\n":
            # The LF of a CRLF pair is one column further right; both end on the next line.
            assert (span_a.line, span_a.end_line, span_a.end_column) == (
                span_b.line,
                span_b.end_line,
                span_b.end_column,
            )
            assert crlf[b.offsets.to_original(index)] == "\n"
        else:
            assert span_a == span_b
    lines = lf.split("\n")
    for number in (1, 2, 100, len(lines)):
        assert a.offsets.line_text(number) == b.offsets.line_text(number) == lines[number - 1]


def test_crlf_positions() -> None:
    result = normalize("甲乙\r\n丙\r\n")
    assert result.text == "甲乙\n丙\n"
    offsets = result.offsets
    assert [offsets.to_original(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert offsets.position(offsets.to_original(3)) == (2, 1)
    assert offsets.span(3, 4) == Span(2, 1, 2, 2)
    assert offsets.span(2, 3) == Span(1, 4, 2, 1)  # the LF of the CRLF
    assert offsets.span(0, 5) == Span(1, 1, 3, 1)
    assert offsets.position(7) == (3, 1)
    assert offsets.line_text(1) == "甲乙"
    assert offsets.line_text(3) == ""


def test_leading_and_repeated_crlf() -> None:
    original = "\r\n\r\n甲\r\n\r\n乙\r\n"
    result = normalize(original)
    assert result.text == "\n\n甲\n\n乙\n"
    assert [original[result.offsets.to_original(i)] for i in range(len(result.text))] == list(
        result.text
    )
    assert result.offsets.to_original(len(result.text)) == len(original)
    assert result.offsets.position(result.offsets.to_original(2)) == (3, 1)
    check_map(result)


def test_lone_cr_is_a_line_break() -> None:
    result = normalize("a\rb\r\rc\n\rd")
    assert result.text == "a\nb\n\nc\n\nd"
    offsets = result.offsets
    assert all(offsets.to_original(i) == i for i in range(len(result.text) + 1))
    assert offsets.position(result.text.index("c")) == (4, 1)
    assert offsets.position(result.text.index("d")) == (6, 1)
    assert offsets.line_text(2) == "b"


# --- rule 2: deletions -------------------------------------------------------------------


def test_bookmark_artefact_in_seed_002() -> None:
    original = seed("002")
    assert "[bookmark: _GoBack]" in original
    result = normalize(original)
    assert "bookmark" not in result.text
    line = 9
    assert result.offsets.line_text(line).startswith("[bookmark: _GoBack]（五）")
    after = result.text.index("(五)回应关切")
    assert result.offsets.position(result.offsets.to_original(after)) == (
        line,
        len("[bookmark: _GoBack]") + 1,
    )
    assert result.offsets.span(after, after + 3) == Span(line, 20, line, 23)
    # The line break before the artefact still maps to its own place.
    assert result.offsets.span(after - 1, after) == Span(
        line - 1, len(original.split("\n")[7]) + 1, line, 1
    )


def test_other_bookmark_names_and_position_after_them() -> None:
    result = normalize("前[bookmark: OLE_LINK1]后[bookmark: ]完")
    assert result.text == "前后完"
    assert result.offsets.position(result.offsets.to_original(1)) == (1, 23)
    assert result.offsets.span(0, 1) == Span(1, 1, 1, 2)  # the artefact is not included
    assert result.offsets.span(0, 2) == Span(1, 1, 1, 24)


def test_bookmark_does_not_span_lines() -> None:
    assert normalize("[bookmark: a\nb]").text == "[bookmark: a\nb]"
    assert normalize("[bookmark: a\r\n]").text == "[bookmark: a\n]"


def test_zero_width_characters_are_deleted() -> None:
    original = "\ufeff甲\u200b\u200c乙\u200d\u2060丙\ufeff"
    result = normalize(original)
    assert result.text == "甲乙丙"
    offsets = result.offsets
    assert [original[offsets.to_original(i)] for i in range(3)] == ["甲", "乙", "丙"]
    assert offsets.span(0, 3) == Span(1, 2, 1, 9)
    assert offsets.to_original(3) == len(original)


def test_artefact_split_by_zero_width_is_still_deleted() -> None:
    result = normalize("甲[book\u200bmark: _GoBack]乙")
    assert result.text == "甲乙"
    assert result.offsets.to_original(1) == len("甲[book\u200bmark: _GoBack]")
    check_map(result)


def test_artefact_revealed_by_deleting_an_inner_one() -> None:
    result = normalize("甲[bookm[bookmark: x]ark: y]乙")
    assert result.text == "甲乙"
    check_map(result)


def test_full_width_bookmark_is_deleted() -> None:
    assert normalize("甲［bookmark：\u3000_GoBack］乙").text == "甲乙"


# --- rule 3: 1:1 mappings --------------------------------------------------------------


def test_full_width_forms_and_spaces() -> None:
    original = "（）：，；？！｜０１９ＡＺａｚ＄\u3000\u00a0"
    assert normalize(original).text == "():,;?!|019AZaz$  "


def test_other_punctuation_is_kept() -> None:
    for text in ("、。“”〔〕《》【】—…·", "‘’「」"):
        assert normalize(text).text == text


def test_seed_001_full_width_space_cell() -> None:
    original = seed("001")
    result = normalize(original)
    number = 33
    assert result.offsets.line_text(number) == "\t \u30000"
    line_start = sum(len(line) + 1 for line in result.text.split("\n")[: number - 1])
    assert result.text[line_start : line_start + 4] == "\t  0"
    # The cell after the tab, with its two spaces, and the digit alone.
    assert result.offsets.span(line_start + 1, line_start + 4) == Span(number, 2, number, 5)
    assert result.offsets.span(line_start + 3, line_start + 4) == Span(number, 4, number, 5)
    assert original[result.offsets.to_original(line_start + 2)] == "\u3000"


def test_seed_004_question_mark_noise_is_unchanged() -> None:
    result = normalize(seed("004"))
    assert "| ?0 | 0? |" in result.text
    assert "？" not in result.text


# --- rule 4: traditional to simplified -------------------------------------------------


def test_seed_003_traditional() -> None:
    original = seed("003")
    result = normalize(original)
    assert len(result.text) == len(original)
    assert "张家港市卫健委" in result.text
    assert "張家港市衛健委" in original
    index = result.text.index("张家港市卫健委")
    assert original[result.offsets.to_original(index) :].startswith("張家港市衛健委")
    assert result.text.split("\n")[2].startswith("(一)强化组织领导")
    assert "(七)总计" in result.text
    assert "(一)予以公开" in result.text


def test_full_width_traditional_total() -> None:
    result = normalize("（七）總計")
    assert result.text == "(七)总计"
    assert result.offsets.span(0, 5) == Span(1, 1, 1, 6)


def test_phrase_conversion_keeps_the_map() -> None:
    result = normalize("乾隆年間乾淨的頭髮")
    assert result.text == "乾隆年间干净的头发"
    assert all(result.offsets.to_original(i) == i for i in range(len(result.text) + 1))


def test_simplified_seeds_are_unchanged_apart_from_width() -> None:
    for prefix in ("000", "001", "004"):
        original = seed(prefix)
        result = normalize(original)
        assert len(result.text) == len(original)
        assert result.offsets.starts == (0,)


def test_converter_is_cached() -> None:
    assert normalize_module._converter() is normalize_module._converter()


class _LengthChangingConverter:
    """甲 becomes two characters, 丁 disappears, 總 becomes 总 — also inside phrases."""

    def convert(self, text: str) -> str:
        return text.replace("甲", "乙丙").replace("丁", "").replace("總", "总")


@contextmanager
def length_changing_converter() -> Iterator[None]:
    with mock.patch.object(normalize_module, "_converter", _LengthChangingConverter):
        yield


def test_fallback_when_conversion_changes_length() -> None:
    with length_changing_converter():
        original = "總甲甲\r\n中丁文\u200b\nabc總"
        result = normalize(original)
        assert result.text == "总乙丙乙丙\n中文\nabc总"
        offsets = result.offsets
        assert [offsets.to_original(i) for i in range(len(result.text) + 1)] == [
            0, 1, 1, 2, 2, 4, 5, 7, 9, 10, 11, 12, 13, 14,
        ]  # fmt: skip
        assert offsets.span(1, 3) == Span(1, 2, 1, 3)  # both pieces of 甲 cover 甲
        assert offsets.span(2, 3) == Span(1, 2, 1, 3)
        assert offsets.span(6, 8) == Span(2, 1, 2, 4)  # 中文 covers the deleted 丁
        assert offsets.span(9, 12) == Span(3, 1, 3, 4)
        check_map(result)


def test_fallback_only_for_lines_whose_length_changes() -> None:
    with length_changing_converter():
        result = normalize("總計\n甲\n總")
        assert result.text == "总計\n乙丙\n总"
        assert (result.offsets.starts, result.offsets.shifts) == ((0, 4), (0, -1))
        check_map(result)


# --- the offset map ---------------------------------------------------------------------


def test_empty_text() -> None:
    result = normalize("")
    assert result.text == ""
    assert result.offsets.to_original(0) == 0
    assert result.offsets.span(0, 0) == Span(1, 1, 1, 1)
    assert result.offsets.position(0) == (1, 1)
    assert result.offsets.line_text(1) == ""


def test_empty_span_is_at_start() -> None:
    result = normalize("ab\u200bc")
    assert result.offsets.span(2, 2) == Span.point(1, 4)
    assert result.offsets.span(3, 3) == Span.point(1, 5)


def test_out_of_range() -> None:
    offsets = normalize("甲\n乙").offsets
    for call in (
        lambda: offsets.to_original(-1),
        lambda: offsets.to_original(4),
        lambda: offsets.original_end(4),
        lambda: offsets.position(4),
        lambda: offsets.span(2, 1),
        lambda: offsets.span(0, 4),
        lambda: offsets.line_text(0),
        lambda: offsets.line_text(3),
    ):
        with pytest.raises(IndexError):
            call()


def test_picklable() -> None:
    result = normalize("甲\r\n[bookmark: _GoBack]（總）")
    clone = pickle.loads(pickle.dumps(result))
    assert clone == result
    assert isinstance(clone.offsets, OffsetMap)
    assert clone.offsets.span(0, len(clone.text)) == result.offsets.span(0, len(result.text))


@pytest.mark.parametrize("path", SEEDS, ids=[path.name[:3] for path in SEEDS])
def test_seeds_map_exactly(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    result = normalize(original)
    check_map(result)
    assert normalize(result.text).text == result.text
    positions = naive_positions(original)
    assert all(result.offsets.position(i) == positions[i] for i in range(len(original) + 1))


# --- properties ---------------------------------------------------------------------------

_TOKENS = [
    *"aZ09 .:[]|",
    *"總計國際衛生復議",
    *"总计国际卫生复议中文",
    *"０９１（）：，；？！｜［］",
    "\u3000",
    "\u00a0",
    *"\u200b\u200c\u200d\u2060\ufeff",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "[bookmark: _GoBack]",
    "[bookmark: ",
    "、。“”〔〕",
]
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_PLAIN_TOKENS = [token for token in _TOKENS if "bookmark" not in token and token not in _ZERO_WIDTH]
# Half the examples without zero-width characters and artefacts (the CRLF fast path).
texts = st.one_of(
    st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join),
    st.lists(st.sampled_from(_PLAIN_TOKENS), max_size=40).map("".join),
)
_BREAK = re.compile(r"\r\n|\r|\n")


@settings(max_examples=200, derandomize=True, deadline=None)
@given(texts)
def test_every_character_maps_back(original: str) -> None:
    result = normalize(original)
    check_map(result)
    for index in range(len(result.text)):
        start = result.offsets.to_original(index)
        assert (
            normalize(original[start : result.offsets.original_end(index)]).text
            == result.text[index]
        )


@settings(max_examples=200, derandomize=True, deadline=None)
@given(texts)
def test_positions_agree_with_a_naive_count(original: str) -> None:
    offsets = normalize(original).offsets
    positions = naive_positions(original)
    for index in range(len(original) + 1):
        assert offsets.position(index) == positions[index]
    lines = _BREAK.split(original)
    assert [offsets.line_text(n) for n in range(1, len(lines) + 1)] == lines
    with pytest.raises(IndexError):
        offsets.line_text(len(lines) + 1)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(texts)
def test_spans_cover_the_original_characters(original: str) -> None:
    result = normalize(original)
    offsets = result.offsets
    for index in range(len(result.text)):
        span = offsets.span(index, index + 1)
        assert (span.line, span.column) == offsets.position(offsets.to_original(index))
        assert (span.end_line, span.end_column) == offsets.position(offsets.original_end(index))
    if result.text:
        whole = offsets.span(0, len(result.text))
        assert (whole.line, whole.column) <= (whole.end_line, whole.end_column)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(texts)
def test_idempotent(original: str) -> None:
    once = normalize(original).text
    again = normalize(once)
    assert again.text == once
    assert again.offsets.starts == (0,)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    st.lists(st.sampled_from([*_TOKENS, "甲", "總甲", "甲甲"]), max_size=30).map("".join),
    st.booleans(),
)
def test_fallback_maps_every_piece(original: str, delete: bool) -> None:
    # Either expansions (甲 → 乙丙) or deletions (丁 → nothing), so that a line's length
    # changes whenever its conversion is not 1:1.
    if delete:
        original = original.replace("甲", "丁")
    with length_changing_converter():
        result = normalize(original)
        check_map(result)
        positions = naive_positions(original)
        for index in range(len(original) + 1):
            assert result.offsets.position(index) == positions[index]
