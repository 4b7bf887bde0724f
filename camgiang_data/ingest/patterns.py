"""Declarative indicator patterns (`camgiang_data/data/patterns.toml`): figures read by how reports name them.

The engine (`engine.py`) learns each figure's key from the previous report's exact words; these patterns say
what any report calls an indicator, so a new text in its own wording, or a key-figure table, still gives its
figures. Three uses, each on the reading the engine makes of the new text:

- `prose`: a name where it stands as a subject, and the numbers of its clause (and of the clauses after it that
  go on about it), each read as an actual, a target, an attainment or a change by the words around it;
- `table_rows`: a key-figure table's rows (`tables.find_tables`), a row's label matched against the names;
- `veto`: a figure a learnt key found, whose sentence the pattern rules out (the police's 'tiếp nhận' is not
  its 'hòa giải'; a rate under the new poverty criterion is not the old criterion's).

Precision first: a name followed by more words than a subject takes ('Giá trị sản xuất nông nghiệp'), two
numbers of one kind for one name, a number inside parentheses (a part), a number of the wrong unit or out of its
plausible range: none gives a figure. What is left out is listed (`Skipped`) for the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import numbers, units
from ..checks import plausibility, reading
from ..checks.provenance import fold
from . import engine
from .engine import Candidate

PATTERNS_PATH = Path(__file__).resolve().parents[1] / "data" / "patterns.toml"
KINDS = ("actual", "target", "plan_attainment", "change", "target_change")
CRITERIA = ("old", "new")
_CHANGE_KINDS = ("change", "target_change")


class PatternError(ValueError):
    """patterns.toml says something that cannot be used: the message names the entry and the key."""


@dataclass(frozen=True)
class Pattern:
    indicator_id: str
    unit: str
    names: tuple[str, ...]  # folded
    kinds: tuple[str, ...]
    has: tuple[str, ...] = ()  # folded; the sentence must hold one
    lacks: tuple[str, ...] = ()  # folded; the sentence must hold none
    criterion: str | None = None  # 'old' / 'new' for a poverty rate


@dataclass(frozen=True, eq=False)  # hashed by identity: the compiled names are cached per loaded file
class Patterns:
    indicators: tuple[Pattern, ...]
    after_name: frozenset[str]
    continues: frozenset[str]
    target_words: tuple[str, ...]
    target_openers: tuple[str, ...]
    label_tail: frozenset[str]
    criterion_words: dict[str, tuple[str, ...]]
    default_new_from: int | None
    by_id: dict[str, Pattern] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    indicator_id: str
    quote: str
    reason: str


def fold_text(text: str) -> str:
    """Fold character by character, so offsets in the folded text are offsets in the original; 'tỉ' as 'tỷ'."""
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f if len(f) == 1 else ch.lower()[:1] or ch)
    folded = "".join(out)
    return re.sub(r"(?<![^\W\d_])ti(?![^\W\d_])", "ty", folded)


def _phrases(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PatternError(f"{where}: {key!r} must be a list of phrases; found {value!r}")
    return tuple(" ".join(fold_text(v).split()) for v in value)


def parse(data: dict, label: str = "patterns.toml") -> Patterns:
    """The patterns of a parsed patterns.toml; PatternError names what is malformed."""
    clauses = data.get("clauses", {})
    criterion = data.get("criterion", {})
    indicators: list[Pattern] = []
    for n, entry in enumerate(data.get("indicator", []), 1):
        where = f"{label}, [[indicator]] number {n} ({entry.get('id', 'no id')})"
        unknown = set(entry) - {"id", "unit", "names", "kinds", "has", "lacks"}
        if unknown:
            raise PatternError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        ident, unit = entry.get("id"), entry.get("unit")
        if not isinstance(ident, str) or not isinstance(unit, str) or unit not in units.UNITS:
            raise PatternError(f"{where}: expected an 'id' and a 'unit' of units.py; found {ident!r}, {unit!r}")
        kinds = entry.get("kinds", [])
        if not kinds or any(k not in KINDS for k in kinds):
            raise PatternError(f"{where}: 'kinds' must list some of {', '.join(KINDS)}; found {kinds!r}")
        common = dict(unit=unit, names=_phrases(entry, "names", where), kinds=tuple(kinds),
                      has=_phrases(entry, "has", where), lacks=_phrases(entry, "lacks", where))
        if "{criterion}" in ident:
            indicators += [Pattern(ident.replace("{criterion}", c), criterion=c, **common) for c in CRITERIA]
        else:
            indicators.append(Pattern(ident, **common))
    ids = [p.indicator_id for p in indicators]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise PatternError(f"{label}: indicator(s) listed twice: {', '.join(doubled)}")
    words = {c: _phrases(criterion, c, f"{label}, [criterion]") for c in CRITERIA}
    return Patterns(
        tuple(indicators),
        frozenset(_phrases(clauses, "after_name", f"{label}, [clauses]")),
        frozenset(_phrases(clauses, "continues", f"{label}, [clauses]")),
        _phrases(clauses, "target_words", f"{label}, [clauses]"),
        _phrases(clauses, "target_openers", f"{label}, [clauses]"),
        frozenset(_phrases(clauses, "label_tail", f"{label}, [clauses]")),
        words, criterion.get("default_new_from"), {p.indicator_id: p for p in indicators})


@cache
def load(path: Path = PATTERNS_PATH) -> Patterns:
    return parse(reading.read_toml(path, f"camgiang_data/data/{path.name}"), path.name)


def check_against(patterns: Patterns, catalog_units: dict[str, str]) -> list[str]:
    """What in the patterns the catalogue contradicts: an id it lacks, a unit other than its own."""
    problems = []
    for p in patterns.indicators:
        if p.indicator_id not in catalog_units:
            problems.append(f"{p.indicator_id}: no such indicator in catalog.csv")
        elif catalog_units[p.indicator_id] != p.unit:
            problems.append(f"{p.indicator_id}: unit {p.unit} in patterns.toml, {catalog_units[p.indicator_id]} "
                            "in catalog.csv")
    return problems


# --- names in a text -----------------------------------------------------------------------------------------

@cache  # asked for each sentence and pattern: compiled once per set of phrases
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern | None:
    ordered = sorted(set(phrases), key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])")


@cache
def _names_regex(patterns: Patterns) -> tuple[re.Pattern | None, dict[str, list[Pattern]]]:
    owners: dict[str, list[Pattern]] = {}
    for p in patterns.indicators:
        for name in p.names:
            owners.setdefault(name, []).append(p)
    return _phrase_regex(tuple(owners)), owners


def _contains(folded: str, phrases: tuple[str, ...]) -> bool:
    regex = _phrase_regex(phrases)
    return bool(regex and regex.search(folded))


def _stands_as_subject(folded: str, end: int, limit: int, patterns: Patterns) -> bool:
    """A name names its indicator where what follows is a number, punctuation, the end, or a word a subject
    takes ('đạt', 'năm 2022'); 'Giá trị sản xuất nông nghiệp' names something else."""
    rest = folded[end:limit].lstrip()
    if not rest or rest[0].isdigit() or not (rest[0].isalpha()):
        return True
    word = re.match(r"[^\W\d_]+", rest).group()
    return word in patterns.after_name


def _depths(text: str, s0: int, s1: int) -> list[int]:
    depth, out = 0, []
    for ch in text[s0:s1]:
        if ch == "(":
            depth += 1
            out.append(depth)
            continue
        out.append(depth)
        if ch == ")":
            depth = max(0, depth - 1)
    return out


# --- criterion of a poverty rate -----------------------------------------------------------------------------

def _groups(text: str, s0: int, s1: int) -> list[tuple[int, int]]:
    """Top-level parenthesised groups of a sentence: (start, end) including the parentheses."""
    out, depth, start = [], 0, None
    for i in range(s0, s1):
        if text[i] == "(":
            if depth == 0:
                start = i
            depth += 1
        elif text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    if depth and start is not None:
        out.append((start, s1))
    return out


def criterion_at(rd: engine._Reading, folded: str, pos: engine._Position, patterns: Patterns) -> tuple[str | None, bool]:
    """The poverty criterion the number at pos is under, by the words of its sentence, and whether the words
    said so (False: nothing said, or both said). A criterion named in parentheses that hold numbers covers those
    numbers; named elsewhere, the sentence's other numbers; a sentence that names one criterion only in such
    parentheses (2021: 'hộ nghèo còn 1,63% … (theo tiêu chí mới hộ nghèo 1,82% …)') sets its other numbers
    under the other criterion."""
    sentence = rd.sentences[pos.sentence]
    s0, s1 = sentence.start, sentence.end
    groups = _groups(rd.text, s0, s1)
    numbered = [(g0, g1) for g0, g1 in groups if any(g0 < p.start < g1 for p in rd.positions if p.sentence == pos.sentence)]

    def named(a: int, b: int) -> set[str]:
        return {c for c in CRITERIA if _contains(folded[a:b], patterns.criterion_words[c])}

    inside = next(((g0, g1) for g0, g1 in numbered if g0 < pos.start < g1), None)
    if inside is not None:
        said = named(*inside)
        if len(said) == 1:
            return said.pop(), True
    # words outside the numbered groups speak for the sentence's numbers outside them
    pieces, at = [], s0
    for g0, g1 in numbered:
        pieces.append((at, g0))
        at = g1
    pieces.append((at, s1))
    outside = set().union(*(named(a, b) for a, b in pieces))
    if inside is None and len(outside) == 1:
        return outside.pop(), True
    if inside is None and not outside:
        contrast = set().union(*(named(g0, g1) for g0, g1 in numbered))
        if len(contrast) == 1:
            return next(c for c in CRITERIA if c not in contrast), True
    return None, False


def _criterion_fits(p: Pattern, rd, folded, pos, patterns: Patterns, year: int) -> str | None:
    """None when the criterion of pos may be p's; else why not."""
    if p.criterion is None:
        return None
    said, sure = criterion_at(rd, folded, pos, patterns)
    if sure:
        return None if said == p.criterion else (f"its sentence puts {pos.as_written!r} under the {said} poverty "
                                                 f"criterion, not the {p.criterion} one")
    if patterns.default_new_from is not None and year >= patterns.default_new_from:
        return None if p.criterion == "new" else (f"no criterion is named for {pos.as_written!r}: in {year} "
                                                  "that is the new one")
    return f"no criterion is named for {pos.as_written!r}"


# --- a figure's kind by its words ------------------------------------------------------------------------------

def _kind_of(rd, pos, in_tasks: bool, clause_text_before: str, patterns: Patterns, name: tuple[int, int]) -> str | None:
    if engine._of_plan(rd.text, pos) or re.match(r"\s*(?:%\s*)?(?:so với\s+)?dự toán", rd.text[pos.end:], re.I):
        return "plan_attainment"
    if pos.direction_at is not None and name[0] <= pos.direction_at < name[1]:
        return "target" if in_tasks or _contains(clause_text_before, patterns.target_words) else "actual"  # 'tăng trưởng'
    reads = engine._reads_as(rd.text, pos)
    if reads == "change":
        return "target_change" if in_tasks else "change"
    if pos.direction and reads != "level":
        return None  # a giảm/tăng nearby, neither clearly a change nor a level: not sure
    if in_tasks:
        return "target"
    if _contains(clause_text_before, patterns.target_words):
        return "target"
    return "actual"


def _unit_for(p: Pattern, kind: str) -> str:
    if kind == "plan_attainment":
        return "percent"
    if kind in _CHANGE_KINDS and p.unit == "percent":
        return "pp"
    return p.unit


def _plausible(p: Pattern, kind: str, value: float, ranges: dict[str, str]) -> bool:
    rng = plausibility.allowed(kind, _unit_for(p, kind), ranges.get(p.indicator_id))
    return rng is None or rng.holds(value)


def _fits_unit(pos, p: Pattern, kind: str) -> bool:
    printed = engine._printed(pos)
    if kind == "plan_attainment" or p.unit == "percent":
        return printed == "percent"
    return engine._units_agree(printed, p.unit, False)


# --- prose -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    candidate: Candidate
    position: int  # start of the number in the normalised text: one number, one figure
    source: str  # 'pattern' or 'table'


def _clauses(text: str, folded: str, start: int, end: int, depth: list[int], s0: int, base: int,
             patterns: Patterns) -> int:
    """Where a name's figures end: its clause, and the clauses after it that open with a continuing word."""
    i = start
    while i < end:
        ch = text[i]
        d = depth[i - s0]
        if d < base or (ch == ")" and d == base and base > 0):
            return i
        if d == base and ch == ";":
            return i
        if d == base and ch == "," and not (i + 1 < end and text[i + 1].isdigit() and i and text[i - 1].isdigit()):
            nxt = re.match(r"\s*([^\W\d_]+)", folded[i + 1:end])
            if not nxt or nxt.group(1) not in patterns.continues:
                return i
        i += 1
    return end


def prose(rd: engine._Reading, patterns: Patterns, year: int, tasks_start: int | None,
          ranges: dict[str, str], exclude: list[tuple[int, int]] = ()) -> tuple[list[Found], list[Skipped]]:
    """Figures named by the patterns in running text (see the module docstring); sentences within `exclude`
    (the key-figure tables, read as tables) are left alone."""
    regex, owners = _names_regex(patterns)
    found: list[Found] = []
    skipped: list[Skipped] = []
    if regex is None:
        return found, skipped
    text = rd.text
    folded = fold_text(text)
    by_sentence: dict[int, list] = {}
    for p in rd.positions:
        by_sentence.setdefault(p.sentence, []).append(p)
    for si, sentence in enumerate(rd.sentences):
        s0, s1 = sentence.start, sentence.end
        positions = by_sentence.get(si, [])
        if not positions or any(a <= s0 < b for a, b in exclude):
            continue
        depth = _depths(text, s0, s1)
        matches = [m for m in regex.finditer(folded, s0, s1) if _stands_as_subject(folded, m.end(), s1, patterns)]
        for n, m in enumerate(matches):
            base = depth[m.start() - s0]
            limit = min([x.start() for x in matches[n + 1:] if depth[x.start() - s0] <= base] + [s1])
            stop = _clauses(text, folded, m.end(), limit, depth, s0, base, patterns)
            in_tasks = tasks_start is not None and m.start() >= tasks_start
            for p in owners[m.group() if m.group() in owners else " ".join(m.group().split())]:
                _read_name(p, m, stop, positions, depth, s0, base, in_tasks, rd, folded, patterns, year, ranges,
                           found, skipped)
    return found, skipped


def _target_group(text: str, folded: str, pos, s0: int, depth: list[int], base: int, patterns: Patterns) -> bool:
    """Is pos in a parenthesis (one level in) that opens with a target word: '(chỉ tiêu 570 tỷ đồng, …)'."""
    if depth[pos.start - s0] != base + 1:
        return False
    opening = text.rfind("(", s0, pos.start)
    head = folded[opening + 1:pos.start]
    return bool(re.match(r"\s*(?:theo\s+)?(?:" + "|".join(re.escape(w) for w in patterns.target_words) + r")\b",
                         head))


def _read_name(p: Pattern, m, stop: int, positions, depth, s0, base, in_tasks, rd, folded, patterns, year, ranges,
               found, skipped) -> None:
    sentence_text = folded[rd.sentences[positions[0].sentence].start:rd.sentences[positions[0].sentence].end]
    if p.has and not _contains(sentence_text, p.has):
        return
    if p.lacks and _contains(sentence_text, p.lacks):
        return
    sentence = rd.sentences[positions[0].sentence]
    opening = folded[sentence.start:m.start()].strip(" -+•*.:")
    opening = re.sub(r"^(?:[ivx]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)\-–]\s*", "", opening)
    sets_targets = any(opening.startswith(w) for w in patterns.target_openers)
    per_kind: dict[str, list] = {}
    for pos in positions:
        if not (m.end() <= pos.start < stop) or pos.role == "base" or pos.quantity is None:
            continue
        d = depth[pos.start - s0]
        if d == base:
            kind = _kind_of(rd, pos, in_tasks, folded[m.end():pos.start], patterns, m.span())
            if sets_targets and kind == "actual":
                kind = "target"
        elif _target_group(rd.text, folded, pos, s0, depth, base, patterns):
            before = folded[rd.text.rfind("(", s0, pos.start):pos.start]
            kind = "plan_attainment" if re.search(r"(?:đat|băng)\s*$", before) else ("target" if not in_tasks else None)
        else:
            continue  # a part in parentheses
        if kind is None or kind not in p.kinds:
            continue
        if not _fits_unit(pos, p, kind):
            continue
        per_kind.setdefault(kind, []).append(pos)
    for kind, places in per_kind.items():
        quote, _ = engine._quote(rd, places[0])
        if len(places) > 1:
            shown = ", ".join(repr(x.as_written) for x in places)
            skipped.append(Skipped(p.indicator_id, quote, f"two numbers of one kind ({kind}) for one name: {shown}"))
            continue
        pos = places[0]
        if kind in _CHANGE_KINDS and (not pos.direction or m.start() <= pos.direction_at < m.end()):
            continue
        reason = _criterion_fits(p, rd, folded, pos, patterns, year)
        if reason:
            continue
        value = pos.direction * pos.quantity.value if kind in _CHANGE_KINDS else pos.quantity.value
        if not _plausible(p, kind, value, ranges):
            skipped.append(Skipped(p.indicator_id, quote, f"{pos.as_written!r} is not plausible as its {kind}"))
            continue
        target_year = year + 1 if in_tasks else year
        quote, start = engine._quote(rd, pos)
        found.append(Found(Candidate(p.indicator_id, target_year, kind, 1, value, _unit_for(p, kind), pos.qualifier,
                                     pos.estimated, pos.as_written, quote, start, at=pos.start),
                           pos.start, "pattern"))


# --- tables ------------------------------------------------------------------------------------------------------

def match_label(label: str, patterns: Patterns) -> tuple[list[Pattern], str]:
    """The patterns whose name a table row's label is, and the label's parenthesised words (a criterion)."""
    folded = fold_text(label)
    inner = " ".join(re.findall(r"\(([^)]*)\)", folded))
    bare = " ".join(re.sub(r"\([^)]*\)", " ", folded).replace(":", " ").split())
    bare = re.sub(r"^(?:[ivx]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)\-–]\s*", "", bare)
    regex, owners = _names_regex(patterns)
    if regex is None:
        return [], inner
    m = regex.match(bare)
    if not m:
        return [], inner
    tail = bare[m.end():].split()
    if any(w not in patterns.label_tail and not re.fullmatch(r"(?:19|20)\d\d", w) for w in tail):
        return [], inner
    return list(owners[" ".join(m.group().split())]), inner


def table_rows(text: str, normal: str, patterns: Patterns, year: int, tasks_start: int | None,
               ranges: dict[str, str]) -> tuple[list[Found], list[tuple[int, int]], list[Skipped]]:
    """Figures of key-figure tables: each row whose label names one indicator, its plan, result and attainment
    cells under their column's kind and year; the row is the quote, the number and its unit cell the words."""
    from .tables import find_tables

    found: list[Found] = []
    skipped: list[Skipped] = []
    tables = find_tables(text)
    for table in tables:
        for row in table.rows:
            owners, inner = match_label(row.label.text, patterns)
            if not owners:
                continue
            if any(p.criterion for p in owners):
                said = {c for c in CRITERIA if _contains(inner, patterns.criterion_words[c])}
                if len(said) == 1:
                    owners = [p for p in owners if p.criterion in said]
                elif patterns.default_new_from is not None and year >= patterns.default_new_from:
                    owners = [p for p in owners if p.criterion == "new"]
                else:
                    owners = []
            if len(owners) != 1:
                continue
            p = owners[0]
            in_tasks = tasks_start is not None and row.start >= tasks_start
            for column, cell in row.values:
                kind = column.kind
                if kind is None or kind not in p.kinds:
                    continue
                at_year = column.year or (year + 1 if in_tasks and kind == "target" else year)
                if at_year not in (year, year + 1) or (kind != "target" and at_year != year):
                    continue
                unit_words = row.unit.text if row.unit is not None and kind != "plan_attainment" else ""
                try:
                    quantity = numbers.parse_quantity(f"{cell.text} {unit_words}".strip())
                except ValueError as exc:
                    skipped.append(Skipped(p.indicator_id, row.quote, f"{cell.text!r} {unit_words!r}: {exc}"))
                    continue
                want = _unit_for(p, kind)
                printed = quantity.unit
                if kind == "plan_attainment":
                    ok = printed in (None, "percent")
                else:
                    ok = printed is not None and units.comparable(printed, want) and not (
                        printed.startswith("VND_per_") and printed != want)
                if not ok:
                    skipped.append(Skipped(p.indicator_id, row.quote,
                                           f"its unit cell {unit_words!r} does not fit {want}"))
                    continue
                if not _plausible(p, kind, quantity.value, ranges):
                    skipped.append(Skipped(p.indicator_id, row.quote, f"{cell.text!r} is not plausible as its {kind}"))
                    continue
                found.append(Found(Candidate(p.indicator_id, at_year, kind, 1, quantity.value, want, None,
                                             column.estimated, cell.text, row.quote, row.start,
                                             unit_as_written=unit_words, at=cell.start), cell.start, "table"))
    return found, [(t.start, t.end) for t in tables], skipped


# --- vetoes on learnt figures --------------------------------------------------------------------------------------

def veto(c: Candidate, pos: engine._Position, rd: engine._Reading, folded: str, patterns: Patterns,
         year: int) -> str | None:
    """Why a figure a learnt key found cannot be its indicator's, by its pattern (None: nothing against it)."""
    p = patterns.by_id.get(c.indicator_id)
    if p is None:
        return None
    sentence = rd.sentences[pos.sentence]
    words = folded[sentence.start:sentence.end]
    if p.has and not _contains(words, p.has):
        return f"its sentence says none of {', '.join(repr(w) for w in p.has)} (patterns.toml)"
    if p.lacks and _contains(words, p.lacks):
        said = next(w for w in p.lacks if _contains(words, (w,)))
        return f"its sentence says {said!r}: another figure than {c.indicator_id} (patterns.toml)"
    said, sure = criterion_at(rd, folded, pos, patterns) if p.criterion else (None, False)
    if sure and said != p.criterion:
        return f"its sentence puts {pos.as_written!r} under the {said} poverty criterion, not the {p.criterion} one"
    return None
