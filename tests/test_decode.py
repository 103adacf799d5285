"""Tests for xxgk.decode: encodings, byte-order marks and located failures."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from xxgk.decode import decode
from xxgk.errors import ParseError

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "seeds").glob("*.txt"))


@pytest.fixture(params=SEEDS, ids=[path.name[:3] for path in SEEDS])
def seed_text(request: pytest.FixtureRequest) -> str:
    path: Path = request.param
    return path.read_bytes().decode("utf-8")


def test_seeds_exist() -> None:
    assert len(SEEDS) >= 5


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), id="utf-16-le"),
        pytest.param(lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16-native"),
        pytest.param(lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"), id="utf-32-le"),
        pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
    ],
)
def test_seed_in_every_encoding_decodes_to_the_same_text(
    seed_text: str, encode: Callable[[str], bytes]
) -> None:
    assert decode(encode(seed_text), "seed") == seed_text


def test_gbk_and_gb2312_read_as_gb18030() -> None:
    text = "政府信息公开工作年度报告（七）总计"
    assert decode(text.encode("gbk")) == text
    assert decode(text.encode("gb2312")) == text


def test_utf8_is_tried_before_gb18030() -> None:
    # Valid UTF-8 that would also be (wrong) valid GB18030.
    data = "中文".encode()
    data.decode("gb18030")
    assert decode(data) == "中文"


def test_only_the_leading_bom_is_stripped() -> None:
    assert decode(codecs.BOM_UTF8 + "a\ufeffb".encode()) == "a\ufeffb"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF8 + b"\n\n"],
    ids=["zero-bytes", "whitespace", "utf8-bom", "utf16-bom", "bom-newlines"],
)
def test_empty_input(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        decode(data, "empty.txt")
    assert info.value.message == "empty input"
    assert info.value.offset == 0
    assert info.value.source == "empty.txt"


def test_full_width_spaces_only_is_empty() -> None:
    with pytest.raises(ParseError, match="empty input"):
        decode("\u3000\u3000\n".encode())


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (bytes(range(256)) * 4, 0),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", 8),
        ("正文".encode() + b"\x00abc", 6),
    ],
    ids=["all-bytes", "png-header", "nul-after-text"],
)
def test_binary_input_with_nul(data: bytes, offset: int) -> None:
    with pytest.raises(ParseError) as info:
        decode(data, "blob")
    assert info.value.message.startswith("binary input")
    assert info.value.offset == offset
    assert info.value.context is not None


def test_nul_in_utf16_is_binary_at_its_byte_offset() -> None:
    data = codecs.BOM_UTF16_LE + "ab\x00c".encode("utf-16-le")
    with pytest.raises(ParseError, match="binary input") as info:
        decode(data)
    assert info.value.offset == 2 + 4


def test_control_characters_in_head_are_binary() -> None:
    data = "报告".encode() + b"\x01x\x02y\x03" + "文本".encode() * 1000
    with pytest.raises(ParseError, match="binary input") as info:
        decode(data)
    assert info.value.offset == 6


def test_control_character_ratio_is_binary() -> None:
    # Spread out (fewer than 3 per 1000 characters at the start) but > 1% overall.
    data = ("文" * 999 + "\x07").encode() + ("ab\x1b" * 100).encode()
    with pytest.raises(ParseError, match="binary input") as info:
        decode(data)
    assert info.value.offset == 999 * 3


def test_a_few_control_characters_are_tolerated() -> None:
    text = "报告\x0c第一页\x1b" + "正文" * 200 + "\x07" + "\v\t\r\n"
    assert decode(text.encode()) == text


def test_c1_control_offset_in_utf8_bytes() -> None:
    text = "文" + "\x85\x86\x87" + "字" * 10
    with pytest.raises(ParseError, match="binary input") as info:
        decode(text.encode())
    assert info.value.offset == 3


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"abc\x80def", 3),
        (b"\xff\xff\xff", 0),
        # UTF-8 fails at 0, GB18030 decodes 中文 and fails later: its offset is used.
        ("中文".encode("gb18030") + b"\x80x", 4),
        # UTF-8 gets further than GB18030.
        ("中文".encode() + b"\xff", 6),
    ],
    ids=["ascii-then-0x80", "ff", "gb-further", "utf8-further"],
)
def test_undecodable_input_names_the_offset(data: bytes, offset: int) -> None:
    with pytest.raises(ParseError) as info:
        decode(data, "bad.txt")
    error = info.value
    assert not isinstance(error, UnicodeDecodeError)
    assert error.offset == offset
    assert f"byte {offset}" in error.message
    assert "UTF-8" in error.message and "GB18030" in error.message
    assert error.source == "bad.txt"
    assert str(error).startswith("bad.txt: byte")


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (codecs.BOM_UTF8 + b"ok\xc3", 5),
        (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00", 6),
        (codecs.BOM_UTF16_BE + b"\xd8\x00\x00\x41", 2),
    ],
    ids=["utf8-bom-truncated", "utf16-odd-length", "utf16-lone-surrogate"],
)
def test_invalid_after_bom(data: bytes, offset: int) -> None:
    with pytest.raises(ParseError) as info:
        decode(data)
    assert info.value.offset == offset
    assert f"byte {offset}" in info.value.message


def test_never_unicode_decode_error_on_random_bytes() -> None:
    import random

    rng = random.Random(20240601)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        try:
            decode(data)
        except ParseError as error:
            assert error.offset is not None
            assert 0 <= error.offset <= len(data)
