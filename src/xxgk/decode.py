"""Turn the bytes of a report into text, or fail with a located :class:`ParseError`.

Reports come as UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 with a
byte-order mark, or a legacy Chinese encoding (GB2312/GBK, read as their superset
GB18030). :func:`decode` detects which, strictly: a byte sequence that is valid in none
of them, binary data (NUL bytes or too many control characters) and empty input raise
:class:`ParseError` with the byte offset at fault; :class:`UnicodeDecodeError` never
escapes.
"""

from __future__ import annotations

import codecs
import re

from xxgk.errors import ParseError

__all__ = ["check_text", "decode"]

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not belong in text (C0 except \t \n \v \f \r, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Nothing but whitespace, byte-order marks and zero-width characters.
_BLANK = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]*")
_CONTROL_RATIO = 0.01
_CONTROL_HEAD = 1000
_CONTROL_HEAD_LIMIT = 3
_CONTEXT_BYTES = 8


def decode(data: bytes, source: str | None = None) -> str:
    """Decode the bytes of a report to text, the byte-order mark removed.

    UTF-32/UTF-16/UTF-8 are recognised by their byte-order mark; without one the input
    is read as UTF-8 if it is valid UTF-8, else as GB18030 (which covers GBK and
    GB2312). Raises :class:`ParseError` (with ``source`` and the byte ``offset``) for
    empty input, binary input and input that is valid in none of these encodings.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, len(bom), encoding, source)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _binary(data, nul, _nul_reason(data), source)
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError as gb_error:
            offset = max(utf8_error.start, gb_error.start)
            raise ParseError(
                f"cannot decode input at byte {offset}: tried UTF-8 (invalid byte at"
                f" {utf8_error.start}) and GB18030 (invalid byte at {gb_error.start})",
                source=source,
                offset=offset,
                context=_hex_context(data, offset),
            ) from None
    _check_text(text, data, 0, encoding, source)
    return text


def _decode_with_bom(data: bytes, skip: int, encoding: str, source: str | None) -> str:
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        offset = skip + error.start
        raise ParseError(
            f"cannot decode input at byte {offset}: invalid {encoding.upper()}"
            f" after a {encoding.upper()} byte-order mark ({error.reason})",
            source=source,
            offset=offset,
            context=_hex_context(data, offset),
        ) from None
    _check_text(text, data, skip, encoding, source)
    return text


def _binary_in(text: str) -> tuple[int, str] | None:
    """Where ``text`` shows it is binary data, and why: a NUL character, or control
    characters beyond a small share (``None`` for text)."""
    first = _CONTROL.search(text)
    if first is None:
        return None
    index = first.start()
    if text[index] == "\x00":
        return index, "NUL character"
    controls = len(_CONTROL.findall(text))
    in_head = len(_CONTROL.findall(text, 0, _CONTROL_HEAD))
    if controls <= _CONTROL_RATIO * len(text) and in_head < _CONTROL_HEAD_LIMIT:
        return None
    return index, f"{controls} control characters"


def _check_text(text: str, data: bytes, skip: int, encoding: str, source: str | None) -> None:
    """Reject blank text and text with too many control characters."""
    if _BLANK.fullmatch(text) is not None:
        raise ParseError("empty input", source=source, offset=0)
    found = _binary_in(text)
    if found is not None:
        index, reason = found
        raise _binary(data, skip + _byte_length(text[:index], encoding), reason, source)


def _nul_reason(data: bytes) -> str:
    """Why NUL bytes make the input unreadable: most often UTF-16 saved without its
    byte-order mark (a NUL at every other byte of ASCII-range text)."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > 0.3 * (len(head) / 2) and min(even, odd) < 0.05 * (len(head) / 2):
        return "NUL bytes at every other byte: UTF-16 without a byte-order mark? NUL byte"
    return "NUL byte"


def check_text(text: str, source: str | None = None) -> None:
    """For text handed over as ``str``: the checks :func:`decode` applies after decoding
    (empty, or control characters as binary data has them), reported with a line and
    column instead of a byte offset."""
    if _BLANK.fullmatch(text):
        raise ParseError("empty input", source=source, offset=0)
    found = _binary_in(text)
    if found is None:
        return
    index, reason = found
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    raise ParseError(f"binary data in text ({reason})", source=source, line=line,
                     column=column, context=repr(text[max(index - 8, 0):index + 8]))


def _byte_length(text: str, encoding: str) -> int:
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError:  # pragma: no cover - strict decoding round-trips
        return len(text)


def _binary(data: bytes, offset: int, reason: str, source: str | None) -> ParseError:
    return ParseError(
        f"binary input ({reason} at byte {offset})",
        source=source,
        offset=offset,
        context=_hex_context(data, offset),
    )


def _hex_context(data: bytes, offset: int) -> str:
    """The bytes around ``offset`` in hex, the one at ``offset`` bracketed."""
    before = data[max(offset - _CONTEXT_BYTES, 0) : offset].hex(" ")
    at = data[offset : offset + 1].hex()
    after = data[offset + 1 : offset + 1 + _CONTEXT_BYTES].hex(" ")
    return " ".join(part for part in (before, f"[{at}]" if at else "[]", after) if part)
