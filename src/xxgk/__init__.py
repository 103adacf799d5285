"""xxgk: read China's open-government-information annual reports into checked records.

>>> import xxgk
>>> report = xxgk.parse_file("corpus/seeds/000_e3df90ef1548b389.txt")  # doctest: +SKIP
>>> report.agency, report.year, report.template                         # doctest: +SKIP
('道里区卫生健康局', 2020, '2019')
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .errors import ParseError
from .model import Cell, Diagnostic, Report, Section, Severity, Span, Table, YearMention
from .speed import set_fast_path

if TYPE_CHECKING:
    from .batch import ParseFailure, parse_many
    from .export import to_dataframe
    from .pipeline import parse, parse_file

try:
    __version__ = version("xxgk")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "Cell",
    "Diagnostic",
    "ParseError",
    "ParseFailure",
    "Report",
    "Section",
    "Severity",
    "Span",
    "Table",
    "YearMention",
    "__version__",
    "parse",
    "parse_file",
    "parse_many",
    "set_fast_path",
    "to_dataframe",
]


if not TYPE_CHECKING:  # to a type checker the names above are the module's (no Any)

    def __getattr__(name: str) -> Any:
        # The pipeline (Lark, OpenCC) is imported on first use, so that importing the
        # package, or running ``xxgk --version``, stays fast.
        if name in ("parse", "parse_file"):
            from . import pipeline

            return getattr(pipeline, name)
        if name in ("parse_many", "ParseFailure"):
            from . import batch

            return getattr(batch, name)
        if name == "to_dataframe":  # pandas and pyarrow: pip install 'xxgk[parquet]'
            from . import export

            return export.to_dataframe
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
