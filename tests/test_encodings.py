"""The same report as traditional/GB18030/UTF-8-BOM/UTF-16/CRLF gives the same records,
with spans that are right in each file, and unreadable input fails cleanly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from xxgk.decode import decode
from xxgk.serialize import to_dict

from .conftest import seed


def _variants(text: str) -> dict[str, bytes]:
    crlf = text.replace("\n", "\r\n")
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gb18030": text.encode("gb18030"),
        "utf-16": text.encode("utf-16"),
        "crlf": crlf.encode("utf-8"),
        "crlf-gb18030": crlf.encode("gb18030"),
    }


def _lines(decoded: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", decoded)


def _check_spans(report: xxgk.Report, data: bytes) -> int:
    lines = _lines(decode(data))
    checked = 0
    for table in report.tables.values():
        assert table is not None
        for _, _, cell in table.cells():
            span = cell.span
            if span.line == span.end_line and cell.raw:
                line = lines[span.line - 1]
                assert line[span.column - 1:span.end_column - 1] == cell.raw
                checked += 1
    for section in report.sections:
        span = section.span
        assert lines[span.line - 1][span.column - 1:span.end_column - 1].strip()
    return checked


@pytest.mark.parametrize("name", ["003", "002", "004"])
def test_encodings_and_line_ends_give_the_same_records(name: str) -> None:
    text = seed(name).read_text(encoding="utf-8")
    reports = {kind: xxgk.parse(data, source="x") for kind, data in _variants(text).items()}
    baseline = to_dict(reports["utf-8"])
    for kind, report in reports.items():
        assert to_dict(report) == baseline, kind
    for kind, data in _variants(text).items():
        assert _check_spans(reports[kind], data) >= 190, kind


def test_traditional_and_simplified_give_the_same_numbers() -> None:
    import opencc

    traditional = seed("003").read_text(encoding="utf-8")
    simplified = opencc.OpenCC("t2s").convert(traditional)
    a, b = xxgk.parse(traditional), xxgk.parse(simplified)
    assert a.agency == b.agency == "张家港市卫健委"
    for name in ("active_disclosure", "applications", "review_litigation"):
        ta, tb = a.tables[name], b.tables[name]
        assert ta is not None and tb is not None
        assert [(r, c, x.value, x.span) for r, c, x in ta.cells()] == \
            [(r, c, x.value, x.span) for r, c, x in tb.cells()]
    # raw text stays in the original script
    assert a.applications is not None
    assert a.applications["results.total"]["total"].raw == "0"


@pytest.mark.parametrize("data", [b"", b"   \n\t ", bytes(range(256)) * 4,
                                  b"\xff\xfe\xfa\x80\x81"])
def test_unreadable_bytes_raise_parse_error(data: bytes) -> None:
    with pytest.raises(xxgk.ParseError) as info:
        xxgk.parse(data, source="bad.txt")
    assert info.value.source == "bad.txt"
    assert info.value.offset is not None or info.value.line is not None


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image: .* run OCR"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"legacy Word \(\.doc\).*convert-to docx"),
    (b"PK\x03\x04" + bytes(40), "damaged zip"),
    (b"{\\rtf1\\ansi hello}", "an RTF file"),
])
def test_known_binary_formats_name_themselves(data: bytes, says: str) -> None:
    """A format xxgk does not read is named, with what to do, in one line; never
    "binary input (NUL byte at …)"."""
    with pytest.raises(xxgk.ParseError, match=says) as info:
        xxgk.parse(data, source="bad.doc")
    assert "\n" not in str(info.value) and "NUL" not in str(info.value)


def test_a_zip_that_is_not_a_report_says_so(tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "一、总体情况")
    with pytest.raises(xxgk.ParseError, match="zip archive with no Word document"):
        xxgk.parse(buffer.getvalue(), source="a.zip")


def test_missing_file_and_directory_raise_parse_error(tmp_path: Path) -> None:
    with pytest.raises(xxgk.ParseError, match="no such file"):
        xxgk.parse_file(tmp_path / "missing.txt")
    with pytest.raises(xxgk.ParseError, match="directory"):
        xxgk.parse_file(tmp_path)


@pytest.mark.parametrize("make", ["binary", "empty", "directory", "missing"])
def test_cli_unreadable_input_is_one_line_and_exit_2(tmp_path: Path, make: str) -> None:
    path = tmp_path / "input.txt"
    if make == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "directory":
        path = tmp_path / "dir"  # a directory that holds no report file
        path.mkdir()
    result = subprocess.run([sys.executable, "-m", "xxgk", "parse", str(path), "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr
