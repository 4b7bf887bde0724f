"""Provenance: every figure's words and sentence really stand in the source, in the section it names."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import numbers, units
from ..errors import Problem, ProblemList
from ..store import YearData


def normalise(text: str) -> str:
    """NFC and single spaces: the form quotes are compared in (line breaks in the source do not matter)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lower case without tone marks ('hoá', 'hóa' give 'hoa'): old and new spellings of a word agree.

    Vowel shapes (ă â ê ô ơ ư) and đ are kept, so words stay distinct enough for multi-word anchors.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


@dataclass(frozen=True)
class Span:
    code: str
    start: int
    end: int


def section_spans(source: str, sections: pd.DataFrame, label: str) -> tuple[dict[str, Span], list[Problem]]:
    """Where each section runs in the normalised source: from its heading to the next heading outside it.

    Headings are looked for in order, each after the previous one, so a heading text repeated in the report
    (such as a second 'B.') is found at its own place.
    """
    text = normalise(source)
    problems = ProblemList()
    found: list[tuple[str, int]] = []
    position = 0
    for row in sections.to_dict("records"):
        heading = normalise(row["heading"] or "")
        at = text.find(heading, position) if heading else -1
        if at < 0:
            problems.add(file=label, row=int(row["_row"]), column="heading", check="provenance",
                         expected="a heading that occurs in source.txt after the previous heading", found=row["heading"])
            continue
        found.append((row["code"], at))
        position = at + len(heading)
    spans = {}
    for i, (code, start) in enumerate(found):
        end = next((s for c, s in found[i + 1:] if not c.startswith(code + ".")), len(text))
        spans[code] = Span(code, start, end)
    return spans, problems.items


def stands_whole(number: str, text: str) -> bool:
    """True when `number` occurs in `text` as a whole number: "9" not inside "19" or "9,5"."""
    at = text.find(number)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(number): at + len(number) + 2]
        if not (before.isdigit() or before in ".,") and not (after[:1].isdigit() or
                                                               (after[:1] in ".," and after[1:2].isdigit())):
            return True
        at = text.find(number, at + 1)
    return False


def _in_section(text: str, quote: str, span: Span | None) -> bool:
    if span is None:
        return True  # an unknown section is reported by the reference check
    at = text.find(quote)
    while at >= 0:
        if span.start <= at and at + len(quote) <= span.end:
            return True
        at = text.find(quote, at + 1)
    return False


def check_provenance(data: YearData, facts: pd.DataFrame) -> list[Problem]:
    """as_written stands in quote, quote stands in the source (in its section), and as_written parses to value.

    A row's source is its year's own report, or the report of its `source_year` (a target carried in from the
    previous report is checked against that report's text and sections). Figures not filled yet are skipped.
    """
    problems = ProblemList()
    sources: dict[int, tuple[str, dict[str, Span]] | None] = {}

    def source(year: int) -> tuple[str, dict[str, Span]] | None:
        if year not in sources:
            found = data.source_of(year)
            text = normalise(found.text) if found is not None else ""
            if not text:
                sources[year] = None  # a missing or empty source is reported where it is required
            else:
                own = year == data.year
                spans, span_problems = section_spans(found.text, found.sections,
                                                     data.label("sections.csv") if own else f"{year}/sections.csv")
                if own:  # another year's headings are that year's problem
                    problems.items.extend(span_problems)
                sources[year] = (text, spans)
        return sources[year]

    source(data.year)
    for row in facts.to_dict("records"):
        stated = row["basis"] == "stated"
        label = data.label("facts.csv" if stated else "derivations.csv")
        where = {"file": label, "row": int(row["_row"]), "check": "provenance"}
        quote = normalise(row["quote"]) if isinstance(row["quote"], str) else ""
        if not quote:
            continue  # a figure not filled yet, or the required-field check already reported it
        source_year = row.get("source_year", pd.NA)
        source_year = data.year if source_year is None or pd.isna(source_year) else int(source_year)
        checked = source(source_year)
        if checked is None:
            continue
        text, spans = checked
        of = "source.txt" if source_year == data.year else f"{source_year}/source.txt (its source_year)"
        if quote not in text:
            problems.add(column="quote", expected=f"a verbatim excerpt of {of}", found=row["quote"],
                         hint=_longest_prefix_hint(quote, text), **where)
            continue
        if not _in_section(text, quote, spans.get(row["section"])):
            problems.add(column="section", expected=f"the section in which the quote stands"
                         + ("" if source_year == data.year else f" in {of}"),
                         found=row["section"], **where)
        if stated:
            _check_number(row, quote, where, problems)
    return problems.items


def _longest_prefix_hint(quote: str, text: str) -> str:
    lo, hi = 0, len(quote)
    while lo < hi:  # binary search for the longest prefix that still occurs
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return f"the source agrees up to {quote[max(0, lo - 30):lo]!r}, then differs at {quote[lo:lo + 30]!r}"


def _check_number(row: dict, quote: str, where: dict, problems: ProblemList) -> None:
    as_written = row["as_written"]
    if not isinstance(as_written, str):
        return
    if not stands_whole(normalise(as_written), quote):
        problems.add(column="as_written", expected="a number that stands (whole) in the quote", found=as_written,
                     **where)
    unit_words = row.get("unit_as_written")
    unit_words = unit_words if isinstance(unit_words, str) and unit_words.strip() else ""
    if unit_words and normalise(unit_words) not in quote:
        problems.add(column="unit_as_written", expected="a unit that stands in the quote (its table cell)",
                     found=unit_words, **where)
    expression = f"{as_written} {unit_words}" if unit_words else as_written
    try:
        quantity = numbers.parse_quantity(expression)
    except ValueError as exc:
        problems.add(column="unit_as_written" if unit_words else "as_written", expected="one number expression",
                     found=expression, hint=str(exc), **where)
        return
    value = row["value"]
    if pd.isna(value):
        return
    if quantity.unit is not None and row["unit"] in units.UNITS and quantity.unit in units.UNITS \
            and not units.comparable(quantity.unit, row["unit"]):
        problems.add(column="unit", expected=f"a unit like {quantity.unit} (as written: {expression!r})",
                     found=row["unit"], **where)
    signed = row["kind"] in ("change", "target_change")
    stated = abs(value) if signed else value
    if not math.isclose(stated, quantity.value, rel_tol=1e-12, abs_tol=1e-9):
        problems.add(column="value", expected=f"{quantity.value:.15g}, the value of as_written {expression!r}",
                     found=f"{value:.15g}", **where)
    if signed and value != 0:
        word = "giảm" if value < 0 else "tăng"
        other = "tăng" if value < 0 else "giảm"
        lowered = quote.lower()
        if word not in lowered and other in lowered:
            problems.add(column="value", expected=f"a {'negative' if other == 'giảm' else 'positive'} change "
                         f"(the quote says {other!r})", found=f"{value:g}", **where)
