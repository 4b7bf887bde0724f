"""Fill a new year's facts from its report text, using last year's facts as templates; never guess.

Reports of the same district follow one template: a figure stands among the same words year after year
("Tổng thu ngân sách năm … là: <number> đạt <number>% kế hoạch"), while the numbers around it change. So each
stated fact of the previous year (a *template*: its quote and as_written) teaches where its figure stands:

1. **Read** a text into *positions*: every number that may be a figure (not a date, a year, a document number,
   a heading's numbering, *Khu 3*, *Covid-19* …), taken as the report prints it (``58 tỷ 123 triệu đồng``,
   ``2,44 %``, each part of ``2.319/2446``), with the words left and right of it in its sentence and the heading
   it stands under. Words are folded (lower case, no tone marks, *giảm*/*tăng* one direction token, *là*, *còn*
   and qualifiers such as *ước đạt trên* dropped); every other number is ``#`` (numbers change from year to
   year) except a label's digits (*tiêm 1 mũi*, *lần thứ 4*).
2. **Learn a key** per template, on last year's text: the words that follow its number up to the end of its
   clause (what it counts: *trường hợp F0*, *vụ đánh bạc*, *2 tầng 6 phòng trường Mầm non*), a label before it,
   and as few more words as make it unique: next to the number, elsewhere in its sentence (*HK* vs *HL*) or in
   its heading (*Trường Tiểu học* vs *Trường Mầm non*, *Dịp tết nguyên đán:*), such that no other number of
   last year's report that could carry the figure fits. A template no key sets apart is not used: last year's
   words did not tell its figure apart either.
3. **Match** every key against the new text. A figure is *sure* when the places its key fits hold readable
   numbers whose unit suits the indicator, giving one value, at places no other template's key points to.
   Several values are a *conflict*; no place, an unreadable number, no giảm/tăng for a change, or a place claimed
   by two templates leave it *missing*, with the reason. Nothing is ever filled from a near match.

Keys learn best on last year's whole report (``template_text``); without it they learn on the templates' quotes
alone, which finds fewer figures (bench/extraction_quality.py measures both). The engine returns candidates;
assigning sections and writing files is the caller's (``camgiang extract``).

What it cannot do: read a figure whose words were reworded around it (a synonym, an inserted word, another
word order) or a list item moved away from the words that set it apart; those stay missing, for review. And it
does not understand meaning: where the very words that set a figure apart last year stand by another figure
this year, it would fill it. The test reports hold such near matches (a Covid count of the year where 2021 had
the third wave's, a primary-school building where 2021 planned a preschool one); the keys keep every one empty,
but no rule on words can promise that for all.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import numbers, units
from ..checks import plausibility
from ..checks.provenance import fold, normalise

__all__ = ["Candidate", "Extraction", "extract"]


@dataclass(frozen=True)
class Candidate:
    """A figure found in the new text, ready to become a facts row (the caller adds the section)."""

    indicator_id: str
    year: int
    kind: str
    mention: int
    value: float
    unit: str
    qualifier: str | None
    estimated: bool
    as_written: str
    quote: str  # verbatim (whitespace-normalised) excerpt of the new text containing as_written
    start: int  # offset of the quote in provenance.normalise(text)
    unit_as_written: str = ""  # a table's unit cell, when the number is printed apart from its unit
    at: int = -1  # offset of the number itself in provenance.normalise(text): one number is one figure


@dataclass(frozen=True)
class Extraction:
    found: list[Candidate]  # sure figures only
    missing: list[dict]  # templates with no sure match: indicator_id, kind, mention, name_vi, name_en, reason
    conflicts: list[tuple[str, str, int, list[Candidate]]]  # (indicator_id, kind, mention, differing candidates)


# --- vocabulary ----------------------------------------------------------------------------------------------


_NUMBER_TOKEN, _SLASH, _DIRECTION, _FILLER = "#", "/", "±", "~"
_PLACEHOLDERS = {_NUMBER_TOKEN, _SLASH, _DIRECTION}
_DIRECTIONS = {"giảm": -1, "tăng": 1}  # the sign of a change, not where it stands
# Words that come and go next to a number from one year to the next (qualifiers, estimates, 'là', 'còn'):
# dropped from anchors, so that 'là: ước đạt trên 55,1' and 'đạt 57', 'hộ nghèo còn 1,6%' and 'hộ nghèo 1,6%'
# stand in the same place. Matched with their tone marks: 'từ' is a filler, 'tự' (in 'tự tử') is not.
_FILLERS = {"là", "còn", "trên", "hơn", "vượt", "dưới", "gần", "khoảng", "từ", "ước"}
_FILLER_PAIRS = {tuple(p.split()) for p in ("xấp xỉ", "trở lên", "tối thiểu", "ít nhất", "ước tính")}
_QUALIFYING = _FILLERS | {w for pair in _FILLER_PAIRS for w in pair} | {"đạt"}  # words parse_quantity reads

_NUM = r"\d+(?:[.,]\d+)*"
_UNIT_WORDS = r"(?:%|đồng(?!\s*chí)|đ(?!/)|vnđ|tấn/ha|tạ/ha|ha(?!/))(?!\w)"
# A number that may be a figure: not glued to a word, a code or a date (F0, Covid-19, 13-NQ, 30/11/2021), but
# possibly to its unit (7.804.089.625đ); at most one slash (a fraction such as 2.319/2446).
_CLUSTER = re.compile(
    rf"(?<![\w.,/-])(?P<a>{_NUM})(?:/(?P<b>{_NUM}))?(?=$|[^\w/.,-]|[.,](?!\d)|(?i:{_UNIT_WORDS}|tỷ|tỉ|triệu))")
# The amount words and the unit that belong to as_written (docs/data-format.md): 58 tỷ 123 triệu đồng, 2,44 %.
_TAIL = re.compile(
    rf"(?:\s*(?:tỷ|tỉ|triệu|nghìn|ngàn)(?!\w)(?:\s+{_NUM}(?![\w/-]|[.,]\d))?)*(?:\s?{_UNIT_WORDS})?", re.IGNORECASE)
_SCALE_WORD = re.compile(r"tỷ|tỉ|triệu|nghìn|ngàn", re.IGNORECASE)
_TOKEN = re.compile(r"(?P<word>[^\W\d_]\w*(?:/[^\W\d_]\w*)*)|(?P<num>\d[\w.,/]*)")
# The numbering that opens a heading or a numbered list item: 'I.', 'A-', '1.2.', '- 3)'.
_NUMBERING = re.compile(r"(?:[-+*•]\s*)*(?:[IVX]+|[A-ZĐ]|\d+(?:\.\d+)*)\s*[.)–-]\s*(?=\S)")

# Numbers that are not figures, by the words around them (the non-figures of camgiang_data.coverage, without its
# bare 'd/m' date, which would also swallow fractions such as 9/9: a fraction's part is at most its base).
# Dates, years and document numbers change every year: in anchors they are '#' like figures. Labels stay: 'tiêm
# 1 mũi' and 'tiêm 2 mũi', 'Khu 3', 'lần thứ 4' are told apart by their digits.
_CHANGING = (
    r"\d{1,2}/\d{1,2}/\d{4}|(?:ngày|dịp|khánh|lễ) \d{1,2}(?:/\d{1,2})?\b|tháng \d{1,2}\b",
    r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)(?:\s*[–-]\s*(?:19|20)\d{2}\b)?",
    r"Số:?\s*\d+/|\b(?:Nghị quyết|Quyết định|Nghị định|Đề án số|Thông tư|Chỉ thị)\s+\d+|ISO \d+:\s*\d{4}",
)
_LABELS = (
    r"Covid\s*[–-]\s*19",
    r"\bKhu \d+\b|điểm dân cư số \d+|\bđường \d+\b|giai đoạn \d+\b",
    r"(?:lần|đợt|đợt dịch|kỳ họp|khóa|khoá) thứ \d+|\bmũi \d+\b|\btiêm \d+ mũi\b",
    r"tuổi \d+|dưới 40|\d+\s*[–-]\s*\d+ tháng|khối [\d,]+|(?<!số )lớp \d+\b",
    r"\d+ tại chỗ",
)
_FIRST = r"(?=[0-9ndkltsqđcigm])"  # the letters these contexts start with: a cheap test that makes them fast
_NON_FIGURE = re.compile(_FIRST + "(?:" + "|".join(f"(?:{p})" for p in _CHANGING + _LABELS) + ")", re.IGNORECASE)
_LABEL = re.compile(_FIRST + "(?:" + "|".join(f"(?:{p})" for p in _LABELS) + ")", re.IGNORECASE)


# --- reading a text into positions ---------------------------------------------------------------------------


@dataclass
class _Position:
    """One number that may be a figure, with what stands around it."""

    start: int  # of as_written, in the normalised text
    end: int
    as_written: str
    sentence: int
    role: str = "single"  # or "numerator" / "base" of a fraction such as 2.319/2446
    left: tuple[str, ...] = ()  # anchor words of its sentence before it, nearest last
    right: tuple[str, ...] = ()  # and after it
    quantity: numbers.Quantity | None = None
    error: str | None = None  # why parse_quantity could not read it
    unit: str | None = None  # printed unit or counting noun (a unit code), None when bare
    money_words: bool = False  # tỷ/triệu/nghìn printed: an amount in đồng even without 'đồng'
    qualifier: str | None = None
    estimated: bool = False
    direction: int = 0  # giảm -1, tăng +1, none 0: the nearest one after the previous figure
    direction_at: int | None = None  # where that word stands in the normalised text
    parens: int = 0  # how many parentheses are open before it in its sentence: a part, not the whole
    after: int = 0  # where the words after it begin (after the base, for a fraction's numerator)
    required: int = 0  # how many of its right words any key must keep (see _phrase)
    clause_left: int = 0  # how many of its left words stand in its own clause (after the last , ; ( or ))
    clause_right: int = 0  # and of its right words, before the next one
    left_words: frozenset[str] = frozenset()  # the same words as sets, for keys that want them anywhere
    right_words: frozenset[str] = frozenset()


@dataclass
class _Sentence:
    start: int
    end: int
    words: frozenset[str]  # its anchor words
    heading: frozenset[str]  # anchor words of the heading (and lead-in line such as 'Dịp tết nguyên đán:') above


@dataclass
class _Reading:
    text: str  # as provenance.normalise gives it
    sentences: list[_Sentence]
    positions: list[_Position]
    groups: dict | None = None  # positions by printed unit, made when learning keys
    counts: dict | None = None  # sentences per word, made when learning keys


def _split(raw: str) -> tuple[str, list[tuple[int, int, bool]]]:
    """The normalised text and its sentences (start, end, whole line?): lines, cut again at '. ', '! ', '? '.

    The text is normalised exactly as provenance.normalise does, so that quotes and offsets hold there; line
    breaks are noted while collapsing whitespace, because a heading or list item ends with its line. The
    numbering of a heading ('1.1. Trường Mầm non') is not a sentence end.
    """
    lines = [words for line in re.split(r"[\r\n]", unicodedata.normalize("NFC", raw))
             if (words := re.findall(r"\S+", line))]
    text = " ".join(" ".join(words) for words in lines)
    line_starts, offset = [], 0
    for words in lines:
        line_starts.append(offset)
        offset += sum(map(len, words)) + len(words)
    out = []
    for l0, l1 in zip(line_starts, [s - 1 for s in line_starts[1:]] + [len(text)]):
        numbering = _NUMBERING.match(text, l0, l1)
        begin = numbering.end() if numbering else l0
        cuts = [m.end() for m in re.finditer(r"[.!?](?= )", text[begin:l1])]
        starts = [l0] + [begin + c + 1 for c in cuts]
        ends = [begin + c for c in cuts] + [l1]
        whole = len(starts) == 1
        out.extend((s0, s1, whole) for s0, s1 in zip(starts, ends) if text[s0:s1].strip())
    return text, out


def _anchor_words(tokens: list[str]) -> list[str]:
    """Tokens as anchors compare them: fillers dropped, giảm/tăng one direction token."""
    return [_DIRECTION if t[0] == _DIRECTION else t for t in tokens if t[0] != _FILLER]


def _word(raw: str) -> str:
    """The token of one word: '~' + a filler, '±' + giảm/tăng, else the folded word."""
    lower = unicodedata.normalize("NFC", raw.lower())
    if lower in _FILLERS:
        return _FILLER + lower
    return _DIRECTION + lower if lower in _DIRECTIONS else fold(lower)


def _tokens(text: str, s0: int, s1: int, figures: dict[int, int]) -> list[tuple[str, int]]:
    """Folded tokens of text[s0:s1] with their offsets; each figure (start -> end) is one '#' token, so is any
    other number but a label's."""
    out, pos, starts = [], s0, sorted(figures)
    labels: list[tuple[int, int]] | None = None
    while pos < s1:
        if pos in figures:
            out.append((_NUMBER_TOKEN, pos))
            pos = figures[pos]
            continue
        m = _TOKEN.search(text, pos, s1)
        if m is None:
            break
        k = bisect.bisect_left(starts, pos)
        if k < len(starts) and starts[k] <= m.start():  # a figure comes first (its digits are not a word)
            pos = starts[k]
            continue
        if m.lastgroup == "num":  # a label keeps its digits ('tiêm 1 mũi'); a date or year is '#'
            labels = _spans(_LABEL, text, s0, s1) if labels is None else labels
            out.append((m.group() if _covered(labels, m.start(), m.end()) else _NUMBER_TOKEN, m.start()))
        else:
            out.append((_word(m.group()), m.start()))
            pair = (text[out[-2][1]:m.start()].strip().lower(), m.group().lower()) if len(out) > 1 else None
            if pair in _FILLER_PAIRS:  # 'trở lên', 'ước tính': fillers together only
                out[-2:] = [(_FILLER + pair[0], out[-2][1]), (_FILLER + pair[1], m.start())]
        pos = m.end()
    return out


_PER = re.compile(r"\s*/\s*([^\W\d_]+(?:\s*/\s*[^\W\d_]+)?)")


def _parse_at(text: str, pos: _Position, noun_from: int, sentence_start: int) -> None:
    """Read as_written, the counting noun after it, and the qualifier or estimate words just before it."""
    written = pos.as_written
    try:
        q = numbers.parse_quantity(written)
    except ValueError as exc:
        pos.error = str(exc)
        return
    pos.quantity, pos.unit = q, q.unit
    pos.money_words = bool(_SCALE_WORD.search(written))
    per = _PER.match(text, pos.end)
    if per and (q.unit == "VND" or pos.money_words):  # '1.500.000 đồng/người': a sum per person, not a total
        try:
            pos.unit = numbers.parse_quantity(f"{written}/{per.group(1)}").unit
        except ValueError:
            pos.quantity, pos.error = None, f"an amount per {per.group(1)}"
            return
    following = text[noun_from:noun_from + 60].split()
    if q.unit is None:
        for n in (3, 2, 1):  # 'khu dân cư', 'trường hợp', 'hộ'
            try:
                noun = numbers.parse_quantity(f"{written} {' '.join(following[:n]).rstrip('.,;:)')}")
            except ValueError:
                continue
            if noun.unit is not None and len(following) >= n:
                pos.unit = noun.unit
                break
    before = [w.strip(":") for w in text[max(sentence_start, pos.start - 40):pos.start].split()][-3:]
    while before and before[0].lower() not in _QUALIFYING:
        before.pop(0)  # only qualifier and estimate words can belong to the number
    more = " trở lên" if [fold(w.strip(".,;:)")) for w in following[:2]] == ["trơ", "lên"] else ""
    for k in range(len(before), -1, -1):  # 'ước đạt trên 55,1 triệu đồng', 'từ 10 % trở lên'
        prefix = " ".join(w for w in before[len(before) - k:] if w)
        for tail in (more, "") if more else ("",):
            try:
                full = numbers.parse_quantity(f"{prefix} {written}{tail}".strip())
            except ValueError:
                continue
            pos.qualifier, pos.estimated = full.qualifier, full.estimated
            return


def _spans(pattern: re.Pattern, text: str, s0: int, s1: int, reach: int = 40) -> list[tuple[int, int]]:
    """Where the non-figure contexts of `pattern` (a date, 'Khu 3' …) stand around text[s0:s1]."""
    return [m.span() for m in pattern.finditer(text, max(0, s0 - reach), min(len(text), s1 + reach))]


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _figures(text: str, s0: int, s1: int, skip_to: int) -> list[_Position]:
    """The numbers of one sentence that may be figures, with their as_written and quantity."""
    found: list[_Position] = []
    reached = skip_to  # numbers inside '58 tỷ 123 triệu' or a heading's numbering are not figures of their own
    non_figures = _spans(_NON_FIGURE, text, s0, s1) if any(c.isdigit() for c in text[s0:s1]) else []
    for m in _CLUSTER.finditer(text, s0, s1):
        if m.start() < reached or _covered(non_figures, m.start(), m.end()):
            continue
        if m["b"] is not None:
            try:
                if numbers.parse_number(m["a"]) > numbers.parse_number(m["b"]):
                    continue  # 27/7: a date, not a part of a whole
            except ValueError:
                pass
            for group, role in (("a", "numerator"), ("b", "base")):
                pos = _Position(m.start(group), m.end(group), m[group], -1, role=role, after=m.end())
                _parse_at(text, pos, m.end(), s0)
                found.append(pos)
            reached = m.end()
            continue
        tail = _TAIL.match(text, m.end(), s1)
        pos = _Position(m.start(), tail.end(), text[m.start():tail.end()], -1, after=tail.end())
        _parse_at(text, pos, tail.end(), s0)
        found.append(pos)
        reached = tail.end()
    return found


def _read(raw: str) -> _Reading:
    """Read a report text into its sentences and the positions of its possible figures."""
    text, spans = _split(raw)
    sentences: list[_Sentence] = []
    positions: list[_Position] = []
    heading: frozenset[str] = frozenset()
    lead_in: frozenset[str] = frozenset()
    for s0, s1, whole_line in spans:
        numbering = _NUMBERING.match(text, s0, s1) if whole_line or s0 == 0 or text[s0 - 1] == " " else None
        found = _figures(text, s0, s1, numbering.end() if numbering else s0)
        figures = {p.start: p.end for p in found}
        toks = _tokens(text, s0, s1, figures)
        folded = [t for t, _ in toks]
        words = frozenset(w for w in _anchor_words(folded) if w not in _PLACEHOLDERS)
        if whole_line and not found and s1 - s0 <= 120:  # a heading, or a lead-in line such as 'Trong đó:'
            if numbering:
                heading, lead_in = words, frozenset()
            elif text[s0:s1].rstrip(" *").endswith(":") and s1 - s0 <= 80:
                lead_in = words
        si = len(sentences)
        sentences.append(_Sentence(s0, s1, words, heading | lead_in))
        where = {start: i for i, (_, start) in enumerate(toks)}
        for pos in found:
            i = where[pos.start]
            left, right = folded[:i], folded[i + 1:]
            if pos.role == "numerator":  # keep the slash: numerator and base are told apart by it
                right = [_SLASH] + right
            elif pos.role == "base":
                left = left + [_SLASH]
            pos.sentence, pos.left, pos.right = si, tuple(_anchor_words(left)), tuple(_anchor_words(right))
            pos.left_words, pos.right_words = frozenset(pos.left), frozenset(pos.right)
            pos.required = _phrase(text, toks, pos.after, s1) + (2 if pos.role == "numerator" else 0)
            pos.clause_left, pos.clause_right = _clause(text, toks, i, s0, s1, pos)
            pos.direction, pos.direction_at = _direction(toks[:i], figures)
            before = text[s0:pos.start]
            pos.parens = max(0, before.count("(") - before.count(")"))
            positions.append(pos)
    return _Reading(text, sentences, positions)


_CLAUSE_END = re.compile(r"[;()]|,(?!\d)")


def _clause(text: str, toks: list[tuple[str, int]], i: int, s0: int, s1: int, pos: _Position) -> tuple[int, int]:
    """How many anchor words before and after a number stand in its own clause (between , ; ( ) marks)."""
    marks = [m.start() for m in _CLAUSE_END.finditer(text, s0, pos.start)]
    begin = marks[-1] if marks else s0
    stop = _CLAUSE_END.search(text, pos.after, s1)
    end = stop.start() if stop else s1
    before = len(_anchor_words([t for t, at in toks[:i] if at > begin])) + (pos.role == "base")
    after = len(_anchor_words([t for t, at in toks[i + 1:] if at < end])) + 2 * (pos.role == "numerator")
    return before, after


_PHRASE_END = re.compile(r"[;:()=!?\[\]“”\"…]|[,.](?!\d)")
_PHRASE_WORDS = 8


def _phrase(text: str, toks: list[tuple[str, int]], start: int, end: int) -> int:
    """How many anchor words (other numbers as '#') follow a number up to the end of its clause, at most eight.

    They say what the number counts ('trường hợp F0', 'liều dịch tả', '2 tầng 6 phòng trường Mầm non') and
    every key keeps them: '1.860 trường hợp mắc Covid-19' is not the F0 count, '01 vụ tổ chức …' is not the
    gambling cases, '2 tầng 8 phòng trường Tiểu học' is not the preschool building. A giảm/tăng ends them.
    """
    stop = _PHRASE_END.search(text, start, end)
    stop_at = stop.start() if stop else end
    words = _anchor_words([t for t, at in toks if start <= at < stop_at])
    if _DIRECTION in words:
        words = words[:words.index(_DIRECTION)]
    return min(len(words), _PHRASE_WORDS)


def _direction(before: list[tuple[str, int]], figures: dict[int, int]) -> tuple[int, int | None]:
    """The nearest giảm (-1) or tăng (+1) before a number, and where, not looking back past the previous figure."""
    for word, start in reversed(before):
        if start in figures:
            break
        if word[0] == _DIRECTION:
            return _DIRECTIONS[word[1:]], start
    return 0, None


# --- templates: where each figure stood last year ------------------------------------------------------------

_CHANGE_KINDS = ("change", "target_change")
_MAX_LEFT, _MAX_RIGHT, _MAX_EXTRA = 12, 8, 2
_LOOSE_DIMENSIONS = ("count", "ordinal", "time")  # figures often printed without their noun


@dataclass(frozen=True)
class _Key:
    """Where a figure stands: words ending just before it and beginning just after it; if need be, words found
    anywhere before or after it in its sentence, and words of the heading it stands under."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    heading: frozenset[str] = frozenset()

    def fits(self, pos: _Position, sentence: _Sentence) -> bool:
        return ((not self.left or pos.left[-len(self.left):] == self.left)
                and pos.right[:len(self.right)] == self.right
                and self.before <= pos.left_words and self.after <= pos.right_words
                and self.heading <= sentence.heading)

    def describe(self) -> str:
        text = f"'{' '.join(self.left)} <số> {' '.join(self.right)}'".replace("' ", "'").replace(" '", "'")
        for words, where in ((self.before, "before it"), (self.after, "after it"), (self.heading, "in the heading")):
            if words:
                text += f", with {', '.join(sorted(words))} {where}"
        return text


@dataclass
class _Template:
    indicator_id: str
    year: int  # in the new report
    kind: str
    mention: int
    unit: str  # of the facts row: percent, pp, VND_per_person_year …
    name_vi: str
    name_en: str
    quote: str
    as_written: str
    position: _Position | None = None
    key: _Key | None = None
    problem: str | None = None  # why it cannot be used

    @property
    def identity(self) -> tuple[str, int, str, int]:
        return self.indicator_id, self.year, self.kind, self.mention


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _templates(templates: pd.DataFrame, catalog: pd.DataFrame, year: int, template_year: int) -> list[_Template]:
    """The rows of last year's facts that can teach: stated, filled in, quoting that year's own report."""
    names = {r["indicator_id"]: r for r in catalog.to_dict("records")}
    frame = templates.sort_values("_row") if "_row" in templates else templates
    out = []
    for row in frame.to_dict("records"):
        if _text(row.get("basis")) not in ("", "stated"):
            continue
        source_year = _text(row.get("source_year"))
        if source_year and int(float(source_year)) != template_year:
            continue  # carried in from an older report: its words are not in last year's text
        quote, as_written = normalise(_text(row.get("quote"))), normalise(_text(row.get("as_written")))
        if not quote or not as_written or pd.isna(row.get("year")) or pd.isna(row.get("mention")):
            continue  # an unfilled row teaches nothing
        if _text(row.get("unit_as_written")):
            continue  # a table cell, its unit in another cell: the table reader reads tables (a key would
            # find the bare number and lose the unit: '57,4' for 57,4 triệu đồng)
        info = names.get(row["indicator_id"], {})
        out.append(_Template(
            indicator_id=row["indicator_id"], year=year + int(row["year"]) - template_year, kind=row["kind"],
            mention=int(row["mention"]), unit=_text(row.get("unit")) or _text(info.get("unit")),
            name_vi=_text(info.get("name_vi")), name_en=_text(info.get("name_en")),
            quote=quote, as_written=as_written))
    return out


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _place(tpls: list[_Template], reading: _Reading) -> dict[int, tuple]:
    """Tie each template to its number in last year's text; returns position index -> template identity.

    Templates sharing a quote and an as_written ('9/9': numerator and base; '02 đ/c … 02 đ/c') take the
    occurrences in the order of the facts file, which is the order of the text. A quote printed twice (in the
    summary and in part A) goes to the first place no other template has taken.
    """
    owner: dict[int, tuple] = {}
    groups: dict[tuple[str, str], list[_Template]] = defaultdict(list)
    for t in tpls:
        groups[(t.quote, t.as_written)].append(t)
    spans = {q: _occurrences(reading.text, q) for q in {t.quote for t in tpls}}
    starts = [p.start for p in reading.positions]
    for (quote, written), group in sorted(groups.items(), key=lambda g: len(spans[g[0][0]]) != 1):
        for at in spans[quote]:
            spots = [i for i in range(bisect.bisect_left(starts, at), bisect.bisect_left(starts, at + len(quote)))
                     if reading.positions[i].end <= at + len(quote) and reading.positions[i].as_written == written]
            if len(spots) == len(group) and not any(i in owner for i in spots):
                for t, i in zip(group, spots):
                    t.position, owner[i] = reading.positions[i], t.identity
                break
        for t in group:
            if t.position is None:
                t.problem = (f"its as_written {written!r} does not stand as a figure in its quote in the "
                             f"{'last report' if spans[quote] else 'template text (the quote is not there)'}")
    return owner


def _printed(pos: _Position) -> str | None:
    return pos.unit or ("VND" if pos.money_words else None)


def _compatible(pos: _Position, t: _Template) -> bool:
    """Can the number at pos be this template's figure, judging by its unit? Bare numbers only where usual."""
    bare_before = t.position is not None and _printed(t.position) is None
    return _units_agree(_printed(pos), t.unit, bare_before)


@lru_cache(maxsize=1024)
def _units_agree(printed: str | None, unit: str, bare_before: bool) -> bool:
    """A printed unit (or noun) of the same kind as the row's; counts must name the same thing; a bare number only
    where last year's was bare too, or for counts, levels and durations, which are often printed bare."""
    if unit not in units.UNITS:
        return False
    dimension = units.unit(unit).dimension
    if printed is None:
        return bare_before or dimension in _LOOSE_DIMENSIONS
    if printed not in units.UNITS or not units.comparable(printed, unit):
        return False
    if printed.startswith("VND_per_") and printed != unit:
        return False  # '1.000.000đ/suất' is a sum per gift, no total (a total may be printed without its '/người')
    return dimension != "count" or unit == "count" or printed == unit  # 06 hộ is not 06 vụ


def _by_printed_unit(reading: _Reading) -> dict[str | None, list[tuple[int, _Position]]]:
    """Positions grouped by their printed unit ('unreadable' for numbers parse_quantity cannot read); cached."""
    if reading.groups is None:
        reading.groups = defaultdict(list)
        for i, p in enumerate(reading.positions):
            reading.groups["unreadable" if p.quantity is None else _printed(p)].append((i, p))
    return reading.groups


def _learn_key(t: _Template, reading: _Reading, owner: dict[int, tuple], extras: bool) -> None:
    """The cheapest key that no other possible figure of last year's text fits (see the module docstring).

    Every key keeps the words that say what the number counts (_phrase) and, when its sentence has words before
    the number, at least one of them: the label ('Dư nợ cho vay', 'tiếp nhận … vụ việc'), not only the noun.
    Cost: one per word next to the number, two per word required elsewhere in the sentence or in the heading
    (only when learning on the full text: quotes alone do not show whole sentences); two real words at least.
    Other numbers take part only as '#': 'after the number of X' is a fine key in a list.
    """
    pos = t.position
    sentence = reading.sentences[pos.sentence]
    bare_before = _printed(pos) is None
    rivals = [(p, reading.sentences[p.sentence])
              for printed, group in _by_printed_unit(reading).items()
              if printed in ("unreadable", None) or _units_agree(printed, t.unit, bare_before)
              for i, p in group if owner.get(i) != t.identity]
    has_label = any(w not in _PLACEHOLDERS for w in pos.left)
    best: tuple | None = None
    by_left = rivals
    for a in range(min(len(pos.left), _MAX_LEFT) + 1):
        if best is not None and a > best[0][0]:
            break
        left = pos.left[len(pos.left) - a:]
        by_left = [r for r in by_left if not a or r[0].left[-a:] == left]
        pool = by_left
        for b in range(pos.required, max(pos.required, min(len(pos.right), _MAX_RIGHT)) + 1):
            right = pos.right[:b]
            pool = [r for r in pool if r[0].right[:b] == right]
            near = [w for w in left + right if w not in _PLACEHOLDERS]
            if not near or (best is not None and a + b > best[0][0]):
                continue
            labelled = not has_label or any(w not in _PLACEHOLDERS for w in left)
            more = _extra_words(pool, pos, sentence, set(near), labelled, reading) if extras else \
                {} if not pool and labelled else None
            n_more = sum(map(len, more.values())) if more is not None else 0
            if more is None or len(near) + n_more < 2:
                continue
            beyond = max(0, a - pos.clause_left) + max(0, b - pos.clause_right)  # words of the next clauses
            cost = (a + b + 1.5 * beyond + 2 * n_more, n_more, b)
            if best is None or cost < best[0]:
                best = (cost, _Key(left, right, **{k: frozenset(v) for k, v in more.items()}))
    if best is None:
        t.problem = "its words in the last report do not set it apart from other figures there"
    else:
        t.key = best[1]


_GROUPS = ("before", "heading", "after")


def _sentence_counts(reading: _Reading) -> dict[str, int]:
    """In how many sentences (or headings) of a text each word stands; cached on the reading."""
    if reading.counts is None:
        reading.counts = defaultdict(int)
        for s in reading.sentences:
            for w in s.words | s.heading:
                reading.counts[w] += 1
    return reading.counts


def _extra_words(pool: list[tuple[_Position, _Sentence]], pos: _Position, sentence: _Sentence, near: set[str],
                 labelled: bool, reading: _Reading) -> dict[str, list[str]] | None:
    """Fewest words of the sentence (before or after the number) or heading that rule out every rival left in
    `pool`, and give the key a label if it has none; None if more than _MAX_EXTRA would be needed.

    Greedy: the word that rules out most rivals; on a tie words before the number, then heading words (a lead-in
    such as 'Dịp tết nguyên đán:'), then words after it; among those the rarest in last year's text (a
    distinctive 'HK' rather than 'có'), then the nearest.
    A label alone is the first word of the sentence: in a list, the head, not a neighbouring item.
    """
    rarity = _sentence_counts(reading)
    chosen: dict[str, list[str]] = {"before": [], "after": [], "heading": []}
    order = ([("before", w) for w in dict.fromkeys(reversed(pos.left)) if w not in _PLACEHOLDERS]
             + [("heading", w) for w in sorted(sentence.heading)]
             + [("after", w) for w in dict.fromkeys(pos.right) if w not in _PLACEHOLDERS])
    order = [(where, w) for where, w in order if where == "heading" or w not in near]

    def has(where: str, word: str, p: _Position, s: _Sentence) -> bool:
        return word in (p.left_words if where == "before" else p.right_words if where == "after" else s.heading)

    while pool or not labelled:
        if sum(map(len, chosen.values())) == _MAX_EXTRA:
            return None
        offer = [(where, w) for where, w in order if w not in chosen[where] and (labelled or where == "before")]
        if not offer:
            return None
        if not pool:  # only a label is wanted: the head of the sentence, its most stable part
            chosen["before"].append(next(w for where, w in reversed(offer) if where == "before"))
            return chosen
        counts: dict[tuple[str, str], int] = defaultdict(int)
        wanted = {where: {w for wh, w in offer if wh == where} for where in _GROUPS}
        for p, s in pool:
            for where, words in (("before", p.left_words), ("after", p.right_words), ("heading", s.heading)):
                for w in wanted[where] & words:
                    counts[where, w] += 1
        kept = [(counts[where, w], _GROUPS.index(where), rarity.get(w, 0), n) for n, (where, w) in enumerate(offer)]
        i = min(kept)[-1]
        if pool and kept[i][0] == len(pool):
            return None  # no word rules out any rival
        where, word = offer[i]
        chosen[where].append(word)
        labelled = labelled or where == "before"
        pool = [(p, s) for p, s in pool if has(where, word, p, s)]
    return chosen


# --- matching the new text ------------------------------------------------------------------------------------


def _value(pos: _Position, t: _Template) -> float:
    return pos.direction * pos.quantity.value if t.kind in _CHANGE_KINDS else pos.quantity.value


def _quote(reading: _Reading, pos: _Position) -> tuple[str, int]:
    """The sentence around a figure, verbatim, and its offset; a long one cut down to the figure's clause.

    It keeps the giảm/tăng that signs a change, and leaves out list bullets and Markdown emphasis marks.
    """
    text, sentence = reading.text, reading.sentences[pos.sentence]
    s0, s1 = sentence.start, sentence.end
    keep0 = pos.start if pos.direction_at is None else min(pos.start, pos.direction_at)
    keep1 = pos.end
    for sep in ("*", ";", ","):
        if sep != "*" and s1 - s0 <= 250:
            break
        cut0, cut1 = text.rfind(sep, s0, keep0), text.find(sep, keep1, s1)
        if sep == "," and cut0 >= 0:  # keep the clause before too: 'Tỷ lệ hộ nghèo 1,82%, tăng 0,11%'
            earlier = text.rfind(sep, s0, cut0)
            cut0 = earlier if earlier >= 0 and keep0 - earlier <= 150 else cut0
        s0 = cut0 + 1 if cut0 >= 0 else s0
        s1 = cut1 if cut1 >= 0 else s1
    numbering = _NUMBERING.match(text, s0, keep0)  # '3. Bình quân thu nhập …': the list number is not quoted
    s0 = numbering.end() if numbering and s0 == sentence.start else s0
    while s0 < keep0 and text[s0] in " -+•:.,;()":
        s0 += 1
    while s1 > keep1 and text[s1 - 1] in " -+•:,;(":
        s1 -= 1
    return text[s0:s1], s0


def _candidate(t: _Template, reading: _Reading, pos: _Position) -> Candidate:
    quote, start = _quote(reading, pos)
    return Candidate(t.indicator_id, t.year, t.kind, t.mention, _value(pos, t), t.unit, pos.qualifier,
                     pos.estimated, pos.as_written, quote, start, at=pos.start)


# --- precision guards: where a place fits the words but not the figure, the figure is left empty ---------------

# After giảm/tăng, these words make the number a change ('giảm 1,01%', 'tăng thêm 12 hộ') …
_CHANGE_GAP = {"thêm", "được", "khoảng", "gần", "trên", "hơn", "là", "ước", "đạt", "so"}
# … and these the level it reached ('giảm còn 1,6%', 'tăng lên 8 tỷ đồng').
_LEVEL_GAP = {"còn", "xuống", "lên", "đến", "tới"}


def _reads_as(text: str, pos: _Position) -> str | None:
    """'change' when a giảm/tăng stands just before the number, 'level' when it says what was reached, else None."""
    if pos.direction_at is None:
        return None
    words = [w.strip(":,").lower() for w in text[pos.direction_at:pos.start].split()[1:]]
    words = [w for w in words if w]
    if any(w in _LEVEL_GAP for w in words):
        return "level"
    if len(words) <= 2 and all(w in _CHANGE_GAP for w in words):
        return "change"
    # 'giảm tỷ lệ hộ nghèo 0,5%': the change word opens the clause the number closes
    if len(words) <= 6 and not re.search(r"[,;:()]", text[pos.direction_at:pos.start]):
        return "change"
    return None


_OF_PLAN = re.compile(r"\s*(?:%\s*)?(?:so với\s+)?(?:kh\b|kế hoạch|chỉ tiêu (?:huyện )?giao)", re.IGNORECASE)


def _of_plan(text: str, pos: _Position) -> bool:
    """Is the number followed by KH / kế hoạch: 'đạt 140% KH' is a plan attainment, whatever words precede it."""
    return bool(_OF_PLAN.match(text, pos.end))


def _guard(t: _Template, p: _Position, text: str, last_text: str, ranges: dict[str, str]) -> str | None:
    """Why the number at p cannot be t's figure although the words fit (None: nothing against it)."""
    change = t.kind in _CHANGE_KINDS
    then = _reads_as(last_text, t.position) if t.position is not None else None
    now = _reads_as(text, p)
    if not change and now == "change" and then != "change":
        return f"a giảm/tăng stands just before {p.as_written!r}: a change, not the level"
    if change and now == "level" and then != "level":
        return f"{p.as_written!r} is the level reached (giảm còn / tăng lên), not the change"
    if t.kind in ("target", *_CHANGE_KINDS) and _of_plan(text, p) and not (t.position and _of_plan(last_text, t.position)):
        return f"{p.as_written!r} is followed by KH / kế hoạch: a plan attainment, not a {t.kind}"
    if t.position is not None and p.parens > 0 and t.position.parens == 0:
        return f"{p.as_written!r} stands inside parentheses, where last year's figure did not: a part is not its whole"
    if p.quantity is not None and t.unit in units.UNITS:
        rng = plausibility.allowed(t.kind, t.unit, ranges.get(t.indicator_id))
        if rng is not None and not rng.holds(_value(p, t)):
            return f"{p.as_written!r} is not {rng.text()}"
    return None


_TASK_WORDS = re.compile(r"nhiệm vụ|phương hướng|giải pháp|kế hoạch", re.IGNORECASE)


def _tasks_start(raw: str, normal: str, next_year: int) -> int | None:
    """Where the part about the next year's tasks and targets begins ('PHẦN THỨ HAI', 'PHẦN II. NHIỆM VỤ NĂM
    2023', 'V. Phương hướng, nhiệm vụ năm 2023'), in the normalised text; None when no heading says so. Only a
    line opened by 'Phần' or a numbering counts: a report's title names next year's tasks too."""
    lines = [line for line in (normalise(x).lstrip("*#_> ").strip() for x in raw.split("\n")) if line]
    at = 0
    for i, line in enumerate(lines):
        at = max(at, normal.find(line, at))
        low = line.lower()
        part = re.match(r"phần\b", low)
        numbered = re.match(r"(?:[ivx]+|\d+|[a-zđ])\s*[.)\-–]\s", low)
        if len(line) > 120 or not (part or numbered):
            continue
        following = lines[i + 1].lower() if i + 1 < len(lines) else ""
        if part and (re.search(r"phần\s+(?:thứ\s+hai|ii|2)\b", low)
                     or (_TASK_WORDS.search(low) and str(next_year) in low)
                     or (_TASK_WORDS.search(following) and str(next_year) in following)):
            return at
        if numbered and _TASK_WORDS.search(low) and str(next_year) in low:
            return at
    return None


def _judge(t: _Template, places: list[_Position], text: str = "", last_text: str = "",
           ranges: dict[str, str] | None = None, parts: tuple | None = None) -> tuple[str, object]:
    """('found', places) | ('conflict', places) | ('missing', reason) from the places a key fits: places of
    another unit are not the figure's; an unreadable number, a change without giảm/tăng, or a place a guard
    speaks against (_guard) makes it unsure."""
    usable = [p for p in places if p.quantity is None or _compatible(p, t)]
    if not usable:
        if places:
            shown = ", ".join(f"{p.as_written!r} ({_printed(p) or 'no unit'})" for p in places)
            return "missing", f"where its words stand, the numbers are not in {t.unit}: {shown}"
        return "missing", f"no number stands where its words do ({t.key.describe()})"
    for p in usable:
        if p.quantity is None:
            return "missing", f"the number where its words stand is unreadable: {p.as_written!r}"
        if t.kind in _CHANGE_KINDS and not p.direction:
            return "missing", f"no giảm/tăng says which way {p.as_written!r} changed"
        reason = _guard(t, p, text, last_text, ranges or {})
        if reason:
            return "missing", reason
        if parts is not None and t.position is not None:
            then, now = parts  # where the next year's tasks begin, last year and this year
            if then is not None and now is not None and (t.position.start >= then) != (p.start >= now):
                where = "the next year's tasks" if p.start >= now else "the year's results"
                return "missing", (f"{p.as_written!r} stands among {where}, where last year's figure did not: "
                                   "a result is not a target, nor a target a result")
    if len({_value(p, t) for p in usable}) > 1:
        return "conflict", usable
    return "found", usable


def _unbound_attainment(t: _Template, pos: _Position, sure: dict[tuple, _Position],
                        templates: dict[tuple, _Template], reading: _Reading) -> str | None:
    """'đạt x% kế hoạch' belongs to the subject of its clause. Where last year's attainment stood in the sentence
    of its indicator's actual figure, this year's must stand by that figure too (or, where the figure itself was
    not found, by a number in its unit): a '99,13% so với kế hoạch' of the rice area is no attainment of the
    credit fund's loans, and 'Nông lâm nghiệp chiếm 18%, đạt 100% KH' none of the production value."""
    if t.kind != "plan_attainment" or t.position is None:
        return None
    actual = templates.get((t.indicator_id, t.year, "actual", 1))
    if actual is None or actual.position is None or actual.position.sentence != t.position.sentence:
        return None  # last year it stood apart from its subject too: nothing to hold it to
    now = sure.get(actual.identity)
    if now is not None:
        bound = now.sentence == pos.sentence
    else:
        bound = any(p.sentence == pos.sentence and p is not pos and p.quantity is not None and _compatible(p, actual)
                    for p in reading.positions)
    if not bound:
        return (f"{pos.as_written!r} is an attainment, but no {actual.unit} figure of {t.indicator_id} stands in "
                "its sentence, as last year")
    return None


def extract(text: str, templates: pd.DataFrame, catalog: pd.DataFrame, year: int, template_year: int, *,
            template_text: str | None = None, reading: "_Reading | None" = None) -> Extraction:
    """Find in `text` (the report of `year`) the figures that `templates` (stated facts of `template_year`) hold.

    `reading` is this text as `_read` gives it, when the caller has it already. `template_text`, the report of
    `template_year`, lets keys be learnt on whole sentences and headings; without
    it they are learnt on the templates' quotes alone (fewer figures found, none less sure). Returns the sure
    figures, the templates left missing with the reason, and the conflicts (different values where one
    template's words stand). Template years map by their offset: a 2021 report's 2022 targets are 2023 targets.
    """
    tpls = _templates(templates, catalog, year, template_year)
    full = bool(template_text and template_text.strip())
    last = _read(template_text if full else "\n".join(dict.fromkeys(t.quote for t in tpls)))
    owner = _place(tpls, last)
    for t in tpls:
        if t.position is not None:
            _learn_key(t, last, owner, extras=full)
    reading = reading if reading is not None else _read(text)  # the caller's reading of this text, if any
    parts = (_tasks_start(template_text, last.text, template_year + 1) if full else None,
             _tasks_start(text, reading.text, year + 1))
    ranges = {}
    if "value_range" in catalog:
        ranges = {i: r for i, r in zip(catalog["indicator_id"], catalog["value_range"]) if isinstance(r, str) and r}
    by_word: dict[tuple[str, str], list[_Position]] = defaultdict(list)  # ('left'|'right', next word) -> positions
    for p in reading.positions:
        by_word["left", p.left[-1] if p.left else ""].append(p)
        by_word["right", p.right[0] if p.right else ""].append(p)
    verdicts: list[tuple[str, object]] = []
    claims: dict[int, set[tuple]] = defaultdict(set)  # id of a position -> templates whose key points there
    for t in tpls:
        if t.key is None:
            verdicts.append(("missing", t.problem))
            continue
        near = by_word["left", t.key.left[-1]] if t.key.left else by_word["right", t.key.right[0]]
        places = [p for p in near if t.key.fits(p, reading.sentences[p.sentence])]
        verdicts.append(_judge(t, places, reading.text, last.text, ranges, parts))
        for p in places:
            if p.quantity is None or _compatible(p, t):  # a place its words point to, whatever the verdict
                claims[id(p)].add(t.identity)
    sure = {t.identity: detail[0] for t, (verdict, detail) in zip(tpls, verdicts) if verdict == "found"}
    by_identity = {t.identity: t for t in tpls}
    found, missing, conflicts = [], [], []
    for t, (verdict, detail) in zip(tpls, verdicts):
        if verdict == "found":
            others = set().union(*(claims[id(p)] for p in detail)) - {t.identity}
            unbound = _unbound_attainment(t, detail[0], sure, by_identity, reading)
            if unbound:
                verdict, detail = "missing", unbound
            elif not others:
                found.append(_candidate(t, reading, detail[0]))
                continue
            else:
                verdict, detail = "missing", (f"{detail[0].as_written!r} stands where the words of "
                                              f"{', '.join(sorted(' '.join(map(str, o)) for o in others))} point too")
        if verdict == "conflict":
            conflicts.append((t.indicator_id, t.kind, t.mention, [_candidate(t, reading, p) for p in detail]))
        else:
            missing.append({"indicator_id": t.indicator_id, "year": t.year, "kind": t.kind, "mention": t.mention,
                            "name_vi": t.name_vi, "name_en": t.name_en, "reason": detail})
    return Extraction(found, missing, conflicts)


# --- candidates for a person to choose from ---------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A number of the new text that could be a figure still missing: for the analyst to accept or not."""

    as_written: str
    value: float  # as printed (a change's sign is the analyst's to confirm from the sentence)
    quote: str
    start: int  # of the quote in provenance.normalise(text)


def suggestions(text: str, unit: str, kind: str, words: str, limit: int = 3) -> list[Suggestion]:
    """Up to `limit` numbers of `text` in a unit that fits `unit` (for a change, after giảm/tăng), in the
    sentences that share most words with `words` (the indicator's name, last year's sentence): candidates a
    person reads and accepts, never filled by themselves."""
    reading = _read(text)
    wanted = {w for w in _anchor_words([_word(m.group()) for m in re.finditer(r"[^\W\d_]+", words)])
              if w not in _PLACEHOLDERS and len(w) > 1}
    scored = []
    for pos in reading.positions:
        if pos.quantity is None or not _units_agree(_printed(pos), unit, False):
            continue
        if kind in _CHANGE_KINDS and not pos.direction:
            continue
        if kind not in _CHANGE_KINDS and _reads_as(reading.text, pos) == "change":
            continue  # 'giảm 0,51%' is no level
        sentence = reading.sentences[pos.sentence]
        overlap = len(wanted & (sentence.words | sentence.heading))
        if overlap:
            scored.append((-overlap, pos.start, pos))
    out: list[Suggestion] = []
    for _, _, pos in sorted(scored, key=lambda s: s[:2]):
        quote, start = _quote(reading, pos)
        if any(s.quote == quote and s.as_written == pos.as_written for s in out):
            continue
        out.append(Suggestion(pos.as_written, pos.quantity.value, quote, start))
        if len(out) == limit:
            break
    return out
