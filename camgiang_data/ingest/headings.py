"""A new report's sections: the previous report's headings found in its text, whatever their case, numbering
style, punctuation and years; where each runs; the opening before the first of them.

`find_headings` matches headings (`heading_key` says how they are compared); `read_sections` gives what the
pipeline needs of them: the sections kept, dropped and reworded, their spans in the normalised text, and the
report's opening (section "0"), so that a figure before every recognised heading is not dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

OPENING_SECTION = "0"  # the code of a report's opening, before its first recognised heading


# The numbering that may open a heading, in any style: 'I.', 'II -', '1.', '1.2.', '2)', 'a)', 'A-', '(3)', bullets.
_HEADING_NUMBERING = re.compile(r"(?:[-+*•#>_]\s*)*(?:\(?(?:[IVXLC]+|[A-ZĐa-zđ]|\d+(?:\.\d+)*)\s*[.):\-–]+\s*)?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def heading_key(text: str) -> tuple[str, list[int], bool]:
    """How a heading is compared: without its numbering, lower case, tone marks off ('hoá' = 'hóa'),
    punctuation as space, years as '####'. Returns the key, for each key character the offset just after it in
    `text`, and whether a numbering opened the text."""
    from ..checks.provenance import fold  # old and new tone-mark placement agree

    numbering = _HEADING_NUMBERING.match(text)
    begin = numbering.end() if numbering else 0
    numbered = bool(numbering and re.search(r"[\dA-Za-zĐđ]", text[:begin]))
    years = {i for m in _YEAR.finditer(text) for i in range(m.start(), m.end())}
    key, ends = [], []
    for i in range(begin, len(text)):
        ch = text[i]
        if i in years:
            folded = "#"
        elif ch.isalnum():
            folded = fold(ch)
        else:
            folded = " "
        for c in folded:
            if c == " " and (not key or key[-1] == " "):
                continue
            key.append(c)
            ends.append(i + 1)
    while key and key[-1] == " ":
        key.pop()
        ends.pop()
    return "".join(key), ends, numbered


def _occurrence(heading: str, line: str) -> str | None:
    """The start of `line` that prints `heading` (whatever its case, numbering style, punctuation and years), or
    None. A heading's words must stand at the start of a line that is a heading: numbered, or holding little
    else, or in capitals; a sentence that merely begins with the same words is not one."""
    want, _, _ = heading_key(heading)
    if not want:
        return None
    have, ends, numbered = heading_key(line)
    if not have.startswith(want) or (len(have) > len(want) and have[len(want)] != " "):
        return None
    end = ends[len(want) - 1]
    if heading.rstrip().endswith(":") and re.match(r"\s+\w", line[end:]):
        return None  # 'Về xã hội:' ends at its colon: '2. Về xã hội hóa giáo dục' is another heading
    rest = line[end:].strip(" :.;-–*_")
    letters = [c for c in line[:end] if c.isalpha()]
    capitals = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    if not (numbered or capitals or len(rest) <= 3):
        return None
    if numbered and rest and not capitals and len(rest) > 150 and len(want) < 12:
        return None  # '1. Về …' opening a long paragraph on a short key: too weak to place a section
    return line[:end]


def find_headings(text: str, sections: list[dict], offset: int = 0) -> list[dict]:
    """The sections whose heading begins a line of `text`, in the order they stand there, each with the
    heading as printed there. Headings are compared by `heading_key`: a report that prints 'Phần thứ nhất' for
    'PHẦN THỨ NHẤT', '1)' for 'I.', 'Văn hóa' for 'Văn hoá' or 'NĂM 2023' for 'NĂM 2022' still has them
    (`offset`, how many years this report is after theirs, is kept for callers; years never decide a match).

    A heading may be printed more than once (or its words may begin another line): each is taken at its first
    free line after the previous heading found and after its parent's heading, else after its parent, else
    anywhere.
    """
    from ..checks.provenance import normalise

    lines = [normalise(line).lstrip("*#_> ").strip() for line in text.split("\n")]
    taken: set[int] = set()
    position: dict[str, int] = {}
    printed: dict[str, str] = {}
    previous = -1
    for row in sections:
        heading = normalise(row.get("heading") or "")
        if not heading:
            continue
        hits = [(i, found) for i, line in enumerate(lines) if i not in taken and line
                and (found := _occurrence(heading, line)) is not None]
        parents = [c for c in position if row["code"].startswith(c + ".")]
        parent = position[max(parents, key=len)] if parents else -1
        chosen = next((h for h in hits if h[0] > previous and h[0] > parent), None)
        if chosen is None:
            chosen = next((h for h in hits if h[0] > parent), hits[0] if hits else None)
        if chosen is None:
            continue
        taken.add(chosen[0])
        position[row["code"]], printed[row["code"]] = chosen
        previous = chosen[0]
    by_code = {r["code"]: r for r in sections}
    return [{**by_code[c], "heading": printed[c]} for c in sorted(position, key=position.get)]


def _innermost(spans: dict, start: int, end: int) -> str | None:
    inside = [s for s in spans.values() if s.start <= start and end <= s.end]
    return max(inside, key=lambda s: (s.start, len(s.code))).code if inside else None


@dataclass
class Sections:
    kept: list[dict]  # the sections found in the text, each with its heading as printed there
    dropped: list[dict]  # known sections not found
    reworded: list[dict]  # found, printed otherwise than known (years moved on, case, numbering)
    spans: dict = field(default_factory=dict)  # code -> provenance.Span in the normalised text
    opening: dict | None = None  # the opening's row (code "0"), its heading the text's first line
    opening_span: object | None = None

    def section_of(self, start: int, end: int) -> str | None:
        """The innermost section holding [start, end) of the normalised text; the opening, before every
        heading; None outside all."""
        section = _innermost(self.spans, start, end)
        if section is None and start >= 0 and self.opening_span is not None \
                and self.opening_span.start <= start and end <= self.opening_span.end:
            section = OPENING_SECTION
        return section


def read_sections(text: str, known: dict[str, dict], offset: int, fields: list[str], label: str) -> Sections:
    """Find `known` sections (code -> row) in `text`; `fields`: the columns of sections.csv."""
    from ..checks.provenance import normalise, section_spans

    known = {c: r for c, r in known.items() if c != OPENING_SECTION}  # the opening is this text's own
    kept = find_headings(text, list(known.values()), offset)
    kept_codes = {r["code"] for r in kept}
    result = Sections(kept, [r for c, r in known.items() if c not in kept_codes],
                      [r for r in kept if normalise(r["heading"]) != normalise(known[r["code"]]["heading"])])
    frame = pd.DataFrame(kept, columns=fields)
    frame.insert(0, "_row", range(2, len(kept) + 2))
    result.spans, _ = section_spans(text, frame, label)
    first_line = next((line for line in (normalise(x).lstrip("*#_> ").strip() for x in text.split("\n")) if line), "")
    if first_line:
        result.opening = {"code": OPENING_SECTION, "heading": first_line,
                          "title_en": "The report's opening, before its first recognised heading"}
        spans, _ = section_spans(text, pd.DataFrame([{"_row": 2, **result.opening}, *[
            {"_row": i + 3, **r} for i, r in enumerate(kept)]]), label)
        result.opening_span = spans.get(OPENING_SECTION)
    return result
