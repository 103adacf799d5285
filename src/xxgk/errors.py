"""The one exception the package raises: :class:`ParseError`, for input that is not text."""

from __future__ import annotations

__all__ = ["ParseError"]


class ParseError(Exception):
    """Input that cannot be read as a report at all (binary, empty, missing, a directory).

    Everything short of that is reported as a :class:`xxgk.Diagnostic` on the returned
    report. ``source`` names the input, ``offset`` is the byte offset where decoding
    failed (when it did), ``line``/``column`` a 1-based text position when one is known,
    and ``context`` a short excerpt around the failure.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        offset: int | None = None,
        line: int | None = None,
        column: int | None = None,
        context: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.offset = offset
        self.line = line
        self.column = column
        self.context = context

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        elif self.offset is not None:
            where += f": byte {self.offset}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:  # picklable across worker processes
        return (
            _rebuild,
            (self.message, self.source, self.offset, self.line, self.column, self.context),
        )


def _rebuild(
    message: str,
    source: str | None,
    offset: int | None,
    line: int | None,
    column: int | None,
    context: str | None,
) -> ParseError:
    return ParseError(
        message, source=source, offset=offset, line=line, column=column, context=context
    )
