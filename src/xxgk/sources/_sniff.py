"""Formats xxgk knows by their first bytes but reads with no source: one clear error each.

:func:`refuse` is called when no source claimed a file; it raises
:class:`~xxgk.errors.ParseError` naming the format and what to do for bytes that are an
image, a legacy Office file, a zip that is no Word file, RTF, a PDF with no PDF source
installed …, and returns for anything else (which is then read as text).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ParseError

__all__ = ["is_docx", "refuse"]

_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OLE: bytes = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP: bytes = b"PK\x03\x04"
_OCR = "xxgk reads text, not pictures: run OCR on it first"


def _extension(name: str | None) -> str:
    if not name:
        return ""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a zip holding a Word document (``word/document.xml``)."""
    if not data.startswith(_ZIP):
        return False
    names = _zip_names(data)
    return names is not None and "word/document.xml" in names


def refuse(data: bytes, name: str | None) -> None:
    """Raise :class:`ParseError` for a known format with no source; else return."""
    head = data[:16]
    ext = _extension(name)
    if head.startswith(b"%PDF") or (ext == "pdf" and b"%PDF" in data[:1024]):
        raise ParseError("a PDF file, and PDF support is not installed: "
                         "pip install 'xxgk[pdf]'", source=name)
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            raise ParseError(f"a {kind} image: {_OCR}", source=name)
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise ParseError(f"a WebP image: {_OCR}", source=name)
    if head.startswith(_OLE):
        kind = {"xls": "Excel (.xls)", "wps": "WPS (.wps)", "et": "WPS spreadsheet (.et)",
                "ppt": "PowerPoint (.ppt)"}.get(ext, "Word (.doc)")
        raise ParseError(f"a legacy {kind} file, which xxgk cannot read: convert it to .docx "
                         "first (libreoffice --headless --convert-to docx FILE)", source=name)
    if head.startswith(b"{\\rtf"):
        raise ParseError("an RTF file: convert it to .docx or text first "
                         "(libreoffice --headless --convert-to docx FILE)", source=name)
    if head.startswith(_ZIP) or (ext in ("docx", "xlsx", "zip", "ofd") and head[:2] == b"PK"):
        names = _zip_names(data)
        if names is None:
            raise ParseError(f"a damaged zip archive{' (.' + ext + ')' if ext else ''}: "
                             "it cannot be opened", source=name)
        if "word/document.xml" in names:
            raise ParseError("a Word (.docx) file, and Word support is not installed: "
                             "pip install 'xxgk[docx]'", source=name)
        if any(n.startswith("xl/") for n in names):
            raise ParseError("an Excel workbook: xxgk reads reports, not spreadsheets",
                             source=name)
        if "OFD.xml" in names:
            raise ParseError("an OFD document: export it to PDF first", source=name)
        raise ParseError("a zip archive with no Word document in it: unpack it and read "
                         "the report inside", source=name)
