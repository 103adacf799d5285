"""The sources shipped with xxgk besides plain text (each imports its library lazily)."""

from __future__ import annotations

from ._model import Source
from .crawl import CRAWL
from .docx import DOCX
from .html import HTML
from .pdf import PDF

__all__ = ["SOURCES"]

SOURCES: tuple[Source, ...] = (PDF, HTML, DOCX, CRAWL)
