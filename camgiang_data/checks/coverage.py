"""Coverage: which numbers of the source text no fact accounts for.

Every number in a report is either a figure (then some stated fact's `as_written` covers it, inside that fact's
quote) or something else: a date, a document number, a name with a number in it, a heading's numbering. This
module lists the numbers that are neither, so that a figure left out of the data cannot go unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .provenance import normalise

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Contexts in which a number is not a figure. Each pattern must match text that contains the number.
NON_FIGURES: dict[str, str] = {
    "date": r"\d{1,2}/\d{1,2}/\d{4}|ngày \d{1,2} tháng \d{1,2} năm \d{4}|\b\d{1,2}/\d{1,2}\b(?=[;,. ]|$)",
    "year or period": r"\b(?:19|20)\d{2}\b(?:\s*[-–]\s*(?:19|20)\d{2}\b)?",
    "document number": r"(?:Số:?\s*\d+/[A-ZĐ-]+)|\b\d+-(?:NQ|ĐA)/[A-ZĐ]+|\d+/\d{4}/NĐ-CP|\b(?:NQ|QĐ-?)\s?\d+"
                       r"|(?:Nghị quyết|Quyết định|Nghị định)\s+\d+|ISO \d+:\s*\d{4}",
    "disease or case code": r"Covid\s*[-–]\s*19|\bF[0-3]\b|H5N1",
    "heading number": r"(?<!\S)\d+(?:\.\d+)*[.-](?=\s*[A-ZĐÂÊÔƠƯĂÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝ])",
    "place or project name": r"\bKhu \d+\b|điểm dân cư số \d+|\bđường \d+\b|giai đoạn \d+\b",
    "ordinal": r"(?:lần|đợt dịch|đợt dịch lần|kỳ họp) thứ \d+|\bmũi \d+\b|\btiêm \d+ mũi\b",
    "age or grade defining a group": r"tuổi \d+|dưới 40|đủ tuổi \d+|\d+\s*[–-]\s*\d+ tháng|khối [\d,]+|lớp \d+\b",
    "slogan": r"\d+ tại chỗ|“\d+K”",
}
_NON_FIGURE = re.compile("|".join(f"(?:{p})" for p in NON_FIGURES.values()))


@dataclass(frozen=True)
class Uncovered:
    text: str
    position: int  # in the whitespace-normalised source
    context: str


def covered_positions(source: str, facts: pd.DataFrame) -> set[int]:
    """Character positions of the normalised source that some stated fact's as_written covers."""
    text = normalise(source)
    covered: set[int] = set()
    stated = facts[facts["basis"] == "stated"]
    for quote, as_written in zip(stated["quote"], stated["as_written"]):
        if not isinstance(quote, str) or not isinstance(as_written, str):
            continue
        quote, number = normalise(quote), normalise(as_written)
        at = text.find(quote)
        while at >= 0:
            inner = quote.find(number)
            while inner >= 0:
                covered.update(range(at + inner, at + inner + len(number)))
                inner = quote.find(number, inner + 1)
            at = text.find(quote, at + 1)
    return covered


def uncovered_numbers(source: str, facts: pd.DataFrame) -> list[Uncovered]:
    """Numbers of the source that no fact covers and that stand in no known non-figure context."""
    text = normalise(source)
    covered = covered_positions(source, facts)
    out = []
    for m in _NUMBER.finditer(text):
        if any(i in covered for i in range(m.start(), m.end())) or _in_non_figure(text, m.start(), m.end()):
            continue
        out.append(Uncovered(m.group(), m.start(), text[max(0, m.start() - 50): m.end() + 30]))
    return out


def _in_non_figure(text: str, start: int, end: int, reach: int = 60) -> bool:
    """Does a non-figure context cover text[start:end]? Searched in a window around it (fast on long texts)."""
    lo = max(0, start - reach)
    for m in _NON_FIGURE.finditer(text, lo, min(len(text), end + reach)):
        if m.start() <= start and end <= m.end():
            return True
    return False
