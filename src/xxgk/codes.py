"""Every diagnostic code xxgk gives: what it means and what to do (``xxgk explain CODE``).

Codes by their first letter: ``P`` reading the document, ``H``/``W``/``S`` the HTML, Word
and crawled-text sources, ``V`` a cell's value, ``A``/``R``/``D`` the template's arithmetic,
``T`` the template's fit, ``M`` metadata, ``K`` the keys (agency, year), ``C`` the chains
between two years' reports, ``X`` a user check.
"""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["CODES", "Code", "explain"]


@attrs.frozen
class Code:
    """One diagnostic code: its severity, what it means, what a user can do about it."""

    code: str
    severity: str
    meaning: str
    action: str


def _c(code: str, severity: str, meaning: str, action: str) -> tuple[str, Code]:
    return code, Code(code, severity, meaning, action)


CODES: Final[dict[str, Code]] = dict([
    _c("P101", "error", "a table block in no layout xxgk knows: none of its numbers were read",
       "look at the block's text (`xxgk text FILE`); if the numbers are there in a regular "
       "form, file an issue with the file, or register a layout (see the README)"),
    _c("P102", "warning", "an expected section heading is not there (placed where it belonged)",
       "check the report: a heading printed in another form is not recognised; the tables "
       "are still looked for by their content"),
    _c("P103", "error", "text in a table block that the layout could not place in a cell",
       "read the text at the place given; the table's cells around it may be misread"),
    _c("P104", "warning", "a row that does not fit the template; its cells are kept under "
       "its printed label", "compare the row's label with the template's (spec/templates.md)"),
    _c("P105", "warning", "a statistical table is missing from the report",
       "check that the report prints it; an image or an attachment is not read"),
    _c("P106", "error", "the review/litigation table ends before its 15 numbers",
       "the table was cut short (a page break, a missing cell): read the report's table"),
    _c("P107", "error", "the template version (2019 or 2021) could not be decided",
       "the tables were not read by any template; see the other diagnostics"),
    _c("P108", "warning", "a table block outside the three statistical tables was not read",
       "nothing to do unless the block holds the statistics"),
    _c("P109", "warning", "numbers that were not read, where they stand: beyond a row's "
       "columns, in a row printed twice, inside a label or a header cell",
       "read the place given: a number may belong to a cell the layout did not see"),
    _c("P110", "error", "HTML markup in a file read as text (markup after the first 4 KB of "
       "a file not named .html): tags are not stripped",
       "save the page as .html (or give it a doctype or <html> at the start): xxgk reads "
       "HTML pages as pages"),
    _c("P111", "error", "neither a section heading nor a table: the input does not read as "
       "an annual report", "check that the file is an annual report, and that its text is "
       "there (`xxgk text FILE`): a scanned PDF has none"),
    _c("P112", "error", "a PDF page that is only a picture (no text but its page number): "
       "what it shows was not read", "run OCR on the PDF (e.g. ocrmypdf FILE.pdf OUT.pdf) "
       "and read the result"),
    _c("H101", "warning", "an HTML page with no report markers (no section title, no "
       "statistical table): its whole visible text was read",
       "check that the page holds the report (and not only a link to an attachment); if it "
       "does, its section titles are written in a way xxgk does not recognise: file an issue"),
    _c("H102", "warning", "a table inside an HTML table cell: its cells were read as lines "
       "of the outer cell", "check the numbers of that cell against the page"),
    _c("W101", "warning", "a table inside a Word table cell: its cells were read as lines of "
       "the outer cell", "check the numbers of that cell against the document"),
    _c("S301", "warning", "crawled text: digits run together that read several ways, as good as "
       "each other; the cells where the readings differ are null",
       "read the cells in the original page (the candidates are in the message and its "
       "notes); see docs/crawled-text.md"),
    _c("S302", "info", "crawled text: a row's boundaries between numbers were inferred from the "
       "template's equations, not printed",
       "nothing to do; check the row in the original page if a number matters"),
    _c("S303", "warning", "crawled text: no reading of a table's run-together numbers satisfies "
       "every equation; the one shown breaks the fewest",
       "the report's own totals are wrong or a digit was lost; the checker's errors show "
       "which equations break, at their cells"),
    _c("S304", "warning", "crawled text: a row's digits have too many readings to search; "
       "the row is not read",
       "read the row in the original page"),
    _c("S305", "warning", "crawled text: a row's digits cannot be the row's numbers "
       "(too few digits, a leading zero); the row is not read",
       "read the row in the original page; a digit or label may be missing"),
    _c("V201", "info", "a number read through noise (`?0`, full-width digits, a padded cell)",
       "nothing to do: the value is what the cell printed"),
    _c("V202", "warning", "no number printed in a value position (the value is null)",
       "a blank or '/' cell: it is not taken as 0, and sums that involve it are not checked"),
    _c("V203", "error", "a value position holding text that is not a number",
       "read the cell: the column may be shifted, or the text misplaced"),
    _c("A101", "error", "applications: a row's 总计 is not the sum of the six applicant columns",
       "an error in the report itself, or a misread cell: compare with the printed table"),
    _c("A102", "error", "applications: a column's （七）总计 is not the sum of the outcome rows",
       "the notes list the addends; an error in the report or a misread cell"),
    _c("A103", "error", "applications: 一 + 二 ≠ （七）总计 + 四 in a column",
       "the report's balance does not hold: new + carried over must be handled + carried "
       "forward"),
    _c("R101", "error", "review/litigation: a group's 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结",
       "an error in the report or a misread cell"),
    _c("D101", "warning", "2019 template: 对外公开总数量 < 本年新公开数量",
       "the total published cannot be below this year's; check the report"),
    _c("T301", "warning", "a row or column of the report's template that the table lacks",
       "check the printed table: a row left out, or printed in a form xxgk does not read"),
    _c("T302", "warning", "a row or column foreign to the report's template",
       "the report mixes templates (2019/2021); its cells are kept"),
    _c("M401", "warning", "the report is issued before its reporting year ends",
       "the date or the year is wrong in the report (or the year was misread)"),
    _c("M402", "warning", "the title, header, statistics period and body name different years",
       "check which is the reporting year; `year_from` says which one xxgk took"),
    _c("K501", "warning", "the agency read looks wrong: a leftover prefix (标题:, 年), a digit, "
       "or no word naming an organ or a place level",
       "check the title and signature; group reports explicitly with `--groups FILE.csv`"),
    _c("K502", "warning", "the title, the crawler's header and the signature name different "
       "agencies", "check which agency the report is by; `agency_from` says which one xxgk "
       "took"),
    _c("C601", "error", "carried-over chain: 二、上年结转 of a year ≠ 四、结转下年度继续办理 "
       "of the year before, for the same agency",
       "one of the two reports is wrong (both places are given); check both"),
    _c("C602", "warning", "documents-in-force chain: last year's 现行有效件数 + this year's "
       "本年制发件数 − 本年废止件数 ≠ this year's 现行有效件数 (2021 template)",
       "often not an error: normative documents expire without being repealed; the "
       "message shows the arithmetic"),
    _c("C603", "warning", "a year is missing between two reports of one agency",
       "the chain cannot be checked across the gap; add the missing year's report"),
    _c("C604", "warning", "compared reports are of different agencies or not adjacent years",
       "the comparison is still shown; the chain checks are not run"),
    _c("C605", "warning", "two reports of one agency for the same year",
       "a duplicate or a misread year; the first one is used in the chain"),
    _c("C606", "warning", "a report with no agency or no year is left out of the chains",
       "give the grouping explicitly with `--groups FILE.csv` (file,agency[,year])"),
    _c("C607", "info", "a chain between years was not checked: a cell it involves printed no "
       "number or was not read", "read the cells named; the chain holds or breaks by them"),
    _c("X001", "error", "a (user-registered) check raised, yielded something other than a "
       "Diagnostic, or placed one outside the report; the other checks still ran",
       "fix the check named in the message"),
])
"""Code → :class:`Code`, for every code xxgk itself gives."""


def explain(code: str) -> str | None:
    """The text ``xxgk explain CODE`` prints (``None`` for an unknown code)."""
    found = CODES.get(code.strip().upper())
    if found is None:
        return None
    return (f"{found.code} ({found.severity}): {found.meaning}\n"
            f"what to do: {found.action}\n")
