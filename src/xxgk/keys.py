"""A report's keys — its agency and reporting year — read from every place that states them.

The agency is read from the title, the crawler's header line (``标题: …``), the signature
and the preamble; the year from the title, the header, the statistics period (统计期限 …)
and the body. One source is chosen (see :func:`read_keys`), the others are checked
against it, and what disagrees or looks wrong is reported:

========  ========  ===================================================================
``K501``  warning   the agency read looks wrong (a leftover prefix such as ``标题:`` or
                    ``年``, a digit, no word naming an organ or a place level)
``K502``  warning   the title, header and signature name different agencies
========  ========  ===================================================================

(The years are compared by the ``M402`` rule of :mod:`xxgk.checks`, over the
:class:`~xxgk.model.YearMention` values read here.) :class:`Keys` says which source each
key came from; :class:`~xxgk.model.Report` carries it as ``agency_from``/``year_from``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import attrs

from .document import Block, Outline
from .model import Diagnostic, Severity, Span, YearMention
from .normalize import NormalizedText

__all__ = ["AGENCY_SOURCES", "YEAR_SOURCES", "Keys", "agency_key", "looks_wrong", "read_keys"]

AGENCY_SOURCES = ("title", "header", "signature", "preamble")
"""Where an agency can come from, in the order they are preferred (but see read_keys)."""
YEAR_SOURCES = ("title", "header", "period", "body")
"""Where a year can come from, in the order they are preferred."""

_YEAR = re.compile(r"(20\d{2})\s*年")
_PERIOD = re.compile(r"(?:统计期限|统计期间|期限为|期限自)[^。]{0,8}?(20\d{2})\s*年")
_TITLE_AGENCY = re.compile(r"(.+?)(?:20\d{2}\s*年度?|政府信息公开|年度)")
_BARE_LEVEL = ("区", "县", "市", "省", "镇", "乡", "旗", "州")
_AGENCY = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:卫生健康委员会|委员会|卫健委|局|委|办公室|人民政府|政府|中心|厅))"
)
# The crawler's header block: "标题: 平潭综合实验区2022年度政府信息公开工作年度报告".
_HEADER = re.compile(r"^[ \t]*标题[ \t]*:[ \t]*(\S[^\n]*)$", re.MULTILINE)
_HEADER_LINES = 12  # the header stands in the first lines of a crawled file
# What an agency's name ends with: an organ (局, 委员会, 办公室, 人民政府, 中心 …) or a
# place whose government reports under its own name (平潭综合实验区, 某某镇, 某某街道).
_ORGAN_ENDS = (*"局委办厅院部署会府所站队区县市省镇乡旗州盟室处司馆社团校行",
               "中心", "街道", "管委会", "集团", "公司")
_PREFIX_JUNK = re.compile(r"^(?:标题\s*:|年度|年|度|[\s\d:：,，.。、()（）《》\"“”-])+")
_LEADING_YEAR = re.compile(r"^\s*20\d{2}\s*年度?\s*")


@attrs.frozen
class Keys:
    """The agency and year of a report, where each came from, and what was found about them.

    ``agency_from`` is one of :data:`AGENCY_SOURCES` (``None`` with no agency);
    ``year_from`` one of :data:`YEAR_SOURCES`; ``mentions`` every stated year (for M402);
    ``diagnostics`` the K5xx findings, located in the normalised text's offsets' terms
    (their spans are already spans of the user's file).
    """

    agency: str | None
    agency_from: str | None
    year: int | None
    year_from: str | None
    mentions: tuple[YearMention, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def read_keys(norm: NormalizedText, outline: Outline) -> Keys:
    """The keys of the report whose normalised text is ``norm`` and outline ``outline``.

    Agency: the title's words before the year or ``政府信息公开`` (after a
    crawler's ``标题:`` prefix and a leading year are taken off; a district or
    county named bare gets the city the preamble names it with: 洪泽区人民政府
    becomes 淮安市洪泽区人民政府), unless they start with a bare level character
    (``区卫生健康局``, a name cut short), in which case the signature when it ends
    with them; then the crawler's header line; then the signature; then the first
    organ name in the preamble. Year: the first of title, header, period, most
    frequent in the body. Never raises.
    """
    title_text = "".join(_text(norm, b) for b in outline.title)
    header = _header(norm)
    title_is_header = bool(title_text) and header is not None and _HEADER.match(title_text)
    if title_is_header:
        title_text = ""  # the title block is the crawler's header line: read it as that
    found: dict[str, tuple[str, Span]] = {}
    title = _title_agency(title_text)
    if title is not None and outline.title:
        found["title"] = (title, _span(norm, outline.title[0].start, outline.title[-1].end))
    if header is not None:
        name = _title_agency(header[0])
        if name is not None:
            found["header"] = (name, header[1])
    if outline.signature is not None and _text(norm, outline.signature):
        found["signature"] = (_text(norm, outline.signature),
                              _span(norm, outline.signature.start, outline.signature.end))
    for block in outline.preamble:
        match = _AGENCY.search(_text(norm, block))
        if match:
            found["preamble"] = (match.group(1), _span(norm, block.start, block.end))
            break
    chosen = _choose(found)
    if chosen in ("title", "header"):
        name, span = found[chosen]
        found[chosen] = (_qualified(name, norm, outline), span)
    diagnostics = _agency_findings(found, chosen)
    mentions = _years(norm, outline, header, bool(title_is_header))
    year = mentions[0].year if mentions else None
    return Keys(
        agency=None if chosen is None else found[chosen][0],
        agency_from=chosen,
        year=year,
        year_from=mentions[0].where if mentions else None,
        mentions=mentions,
        diagnostics=tuple(diagnostics),
    )


# A county-level government named bare in its title ("洪泽区人民政府") and with its city in
# the preamble: "本报告由淮安市洪泽区人民政府办公室根据《条例》…编制" (corpus/pdf/
# huaian_hongze_2023.pdf, page 1). The city is the 2-4 characters before 市/州/盟 that follow
# a function word or punctuation, so that "本报告由" is not taken into the name.
_CITY_BEFORE = r"(?:^|(?<=[由据为是在的与和及、,;:(\s]))([\u4e00-\u9fff]{2,4}?[市州盟])"
_COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,6}?[区县旗]")


def _qualified(agency: str, norm: NormalizedText, outline: Outline) -> str:
    """``agency`` with its city before it, when it names a district or county bare and the
    preamble names the same agency with its city (see _CITY_BEFORE); else ``agency``."""
    if not _COUNTY.match(agency) or any(ch in agency[:4] for ch in "市省州盟"):
        return agency
    pattern = re.compile(_CITY_BEFORE + re.escape(agency))
    for block in outline.preamble[:3]:
        match = pattern.search(_text(norm, block))
        if match:
            return match.group(1) + agency
    return agency


def _choose(found: dict[str, tuple[str, Span]]) -> str | None:
    title = found.get("title", found.get("header"))
    where = "title" if "title" in found else "header"
    signature = found.get("signature")
    if title is not None and not title[0].startswith(_BARE_LEVEL):
        return where
    if signature is not None and (title is None or signature[0].endswith(title[0])):
        return "signature"
    if title is not None:
        return where
    return "preamble" if "preamble" in found else None


def looks_wrong(agency: str) -> str | None:
    """Why ``agency`` does not look like an agency's name (``None`` when it does)."""
    if _PREFIX_JUNK.match(agency):
        return f"it starts with {agency[:3]!r}, a leftover of the text around it"
    if any(ch.isdigit() for ch in agency):
        return "it holds a digit"
    if not agency.endswith(_ORGAN_ENDS):
        return "it ends with no word naming an organ or a place level (局, 委员会, 人民政府, 区 …)"
    return None


def agency_key(agency: str) -> str:
    """``agency`` as a grouping key: spaces, punctuation and a leftover ``标题:``/year
    prefix removed (the text is already simplified and half-width)."""
    text = _LEADING_YEAR.sub("", _PREFIX_JUNK.sub("", agency))
    return re.sub(r"[\s\W_]+", "", text)


def _agency_findings(found: dict[str, tuple[str, Span]], chosen: str | None) -> list[Diagnostic]:
    result = []
    if chosen is not None:
        name, span = found[chosen]
        why = looks_wrong(name)
        if why is not None:
            result.append(Diagnostic("K501", Severity.WARNING,
                                     f"the agency read from the {chosen}, {name!r}, looks "
                                     f"wrong: {why}", span))
    named = [(where, found[where]) for where in ("title", "header", "signature")
             if where in found]
    for (first, (a, _)), (second, (b, span)) in itertools.pairwise(named):
        ka, kb = agency_key(a), agency_key(b)
        if ka and kb and ka not in kb and kb not in ka:
            result.append(Diagnostic("K502", Severity.WARNING,
                                     f"the {first} names the agency {a!r} but the {second} "
                                     f"names {b!r}", span))
    return result


def _title_agency(title: str) -> str | None:
    """The agency in a title: its words before the year or 政府信息公开 (``None`` when
    fewer than two characters are left)."""
    text = _LEADING_YEAR.sub("", title.strip())
    match = _TITLE_AGENCY.match(text) if text else None
    if match is None or len(match.group(1)) < 2:
        return None
    return match.group(1).strip()


def _header(norm: NormalizedText) -> tuple[str, Span] | None:
    head = norm.text.split("\n", _HEADER_LINES)[:_HEADER_LINES]
    match = _HEADER.search("\n".join(head))
    if match is None:
        return None
    return match.group(1).strip(), _span(norm, match.start(1), match.end(1))


def _years(norm: NormalizedText, outline: Outline, header: tuple[str, Span] | None,
           title_is_header: bool) -> tuple[YearMention, ...]:
    mentions: list[YearMention] = []
    for block in outline.title:
        match = _YEAR.search(norm.text, block.start, block.end)
        if match:
            mentions.append(YearMention("header" if title_is_header else "title",
                                        int(match.group(1)),
                                        _span(norm, match.start(1), match.end(1))))
            break
    if header is not None and not title_is_header:
        match = _YEAR.search(header[0])
        if match:
            mentions.append(YearMention("header", int(match.group(1)), header[1]))
    body = list(outline.preamble)
    if outline.sections:
        body.extend(outline.sections[0][1])
    for block in body:
        match = _PERIOD.search(norm.text, block.start, block.end)
        if match:
            mentions.append(YearMention("period", int(match.group(1)),
                                        _span(norm, match.start(1), match.end(1))))
            break
    counts: Counter[int] = Counter()
    first: dict[int, tuple[int, int]] = {}
    for block in body:
        if block.kind != "TEXT":
            continue
        for match in _YEAR.finditer(norm.text, block.start, block.end):
            value = int(match.group(1))
            counts[value] += 1
            first.setdefault(value, (match.start(1), match.end(1)))
    if counts:
        value = counts.most_common(1)[0][0]
        mentions.append(YearMention("body", value, _span(norm, *first[value])))
    return tuple(mentions)


def _text(norm: NormalizedText, block: Block | None) -> str:
    return "" if block is None else norm.text[block.start:block.end].strip()


def _span(norm: NormalizedText, start: int, end: int) -> Span:
    return norm.offsets.span(start, end)
