"""The match step: the figures of a new report, from last year's learnt keys, the declarative patterns and the
key-figure tables, put together so that one number is at most one figure.

    learnt keys (engine.extract) ─┐
    patterns in prose ────────────┼─▶ vetoes ─▶ one number, one figure ─▶ mentions in report order ─▶ Extraction
    key-figure table rows ────────┘

- A learnt figure whose sentence its pattern rules out (patterns.veto) is left missing, with the reason.
- A number two sources give to different indicators (or kinds, or years) is nobody's: both are left missing.
- The figures of one indicator, year and kind are numbered in the order the report states them (mention 1 is
  the first), whatever order last year's report had; `docs/data-format.md` defines mentions so.
- An indicator in conflict (different values where one template's words stand) takes no other figure.

`combine` is the pure part (figures in, figures out) and is tested on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import pandas as pd

from . import engine, patterns as patterns_module
from .engine import Candidate, Extraction, suggestions  # noqa: F401 (suggestions: the review's candidates)

__all__ = ["Candidate", "Extraction", "extract", "combine"]


@dataclass(frozen=True)
class Sourced:
    candidate: Candidate
    source: str  # 'learnt', 'pattern', 'table'


def _identity(c: Candidate) -> tuple[str, int, str]:
    return c.indicator_id, int(c.year), c.kind


def combine(figures: list[Sourced], missing: list[dict], conflicts: list[tuple], names: dict[str, dict]
            ) -> Extraction:
    """One Extraction from figures of several sources (each with its number's offset in `candidate.at`),
    the templates left missing (each with indicator_id, year, kind, mention, reason) and the conflicts."""
    # a conflict's candidate whose number another figure is (of another indicator, kind or year) is not its
    # figure: where one value is left, the conflict is settled
    others = defaultdict(set)
    for f in figures:
        others[f.candidate.at].add(_identity(f.candidate))
    figures, unsettled = list(figures), []
    for conflict in conflicts:
        i, k, m, cands = conflict
        left = [c for c in cands if not (others.get(c.at, set()) - {_identity(c)})]
        if left and len({c.value for c in left}) == 1:
            figures.append(Sourced(left[0], "learnt"))
        else:
            unsettled.append(conflict)
    conflicts = unsettled
    in_conflict = {(i, int(cands[0].year), k) for i, k, _, cands in conflicts if cands}
    by_number: dict[int, list[Sourced]] = defaultdict(list)
    for f in figures:
        by_number[f.candidate.at].append(f)
    reasons: dict[tuple, str] = {}
    kept: list[Sourced] = []
    for at, group in sorted(by_number.items()):
        claims = sorted({_identity(f.candidate) for f in group})
        if len(claims) > 1:
            shown = " and ".join(f"{i} {y} {k}" for i, y, k in claims)
            for identity in claims:
                reasons.setdefault(identity, f"{group[0].candidate.as_written!r} is claimed by {shown}: "
                                             "one number is one figure, left for you to decide")
            continue
        if claims[0] in in_conflict:
            continue
        order = {"learnt": 0, "table": 1, "pattern": 2}  # the learnt key's quote is last year's kind of quote
        kept.append(min(group, key=lambda f: order.get(f.source, 3)))
    disputed = {identity for identity, _ in reasons.items()}
    per_identity: dict[tuple, list[Candidate]] = defaultdict(list)
    for f in kept:
        if _identity(f.candidate) not in disputed:
            per_identity[_identity(f.candidate)].append(f.candidate)
    found: list[Candidate] = []
    for identity, cands in per_identity.items():
        for mention, c in enumerate(sorted(cands, key=lambda c: c.at), 1):
            found.append(replace(c, mention=mention))
    counts = {identity: len(cands) for identity, cands in per_identity.items()}
    # last year's statements of each figure: the learnt ones (found or not) are its templates
    expected: dict[tuple, int] = defaultdict(int)
    templates: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        if f.source == "learnt":
            expected[_identity(f.candidate)] += 1
    for m in missing:
        identity = (m["indicator_id"], int(m["year"]), m["kind"])
        expected[identity] += 1
        templates[identity].append(m)
    out_missing: list[dict] = []
    for identity in sorted(set(expected) | set(reasons)):
        if identity in in_conflict:
            continue
        n, k = counts.get(identity, 0), max(expected.get(identity, 0), 1)
        entries = sorted(templates.get(identity, []), key=lambda m: int(m["mention"]))
        i, y, kind = identity
        row = names.get(i, {})
        for j in range(max(0, k - n)):
            base = entries[j] if j < len(entries) else {
                "indicator_id": i, "year": y, "kind": kind, "name_vi": row.get("name_vi", ""),
                "name_en": row.get("name_en", ""), "reason": ""}
            reason = reasons.get(identity) or base["reason"]
            if n:
                reason = (f"last year's report stated it {k} times, {n} found here; of the others: {reason}")
            out_missing.append({**base, "mention": n + 1 + j, "reason": reason})
    return Extraction(sorted(found, key=lambda c: c.at), out_missing, list(conflicts))


def extract(text: str, templates: pd.DataFrame, catalog: pd.DataFrame, year: int, template_year: int, *,
            template_text: str | None = None, patterns: patterns_module.Patterns | None = None) -> Extraction:
    """The figures of `text` (the report of `year`): learnt from the `template_year` facts and their report,
    read by the declarative patterns, and read from key-figure tables; see the module docstring."""
    pats = patterns if patterns is not None else patterns_module.load()
    rd = engine._read(text)  # read once: the learnt keys, the patterns and the vetoes all look at it
    learnt = engine.extract(text, templates, catalog, year, template_year, template_text=template_text, reading=rd)
    folded = patterns_module.fold_text(rd.text)
    tasks = engine._tasks_start(text, rd.text, year + 1)
    ranges = {}
    if "value_range" in catalog:
        ranges = {i: r for i, r in zip(catalog["indicator_id"], catalog["value_range"]) if isinstance(r, str) and r}
    names = {r["indicator_id"]: r for r in catalog.to_dict("records")}
    positions = {p.start: p for p in rd.positions}
    figures: list[Sourced] = []
    missing = list(learnt.missing)
    for c in learnt.found:
        pos = positions.get(c.at)
        reason = patterns_module.veto(c, pos, rd, folded, pats, year) if pos is not None else None
        if reason:
            missing.append({"indicator_id": c.indicator_id, "year": c.year, "kind": c.kind, "mention": c.mention,
                            "name_vi": names.get(c.indicator_id, {}).get("name_vi", ""),
                            "name_en": names.get(c.indicator_id, {}).get("name_en", ""), "reason": reason})
            continue
        figures.append(Sourced(c, "learnt"))
    table_found, spans, skipped = patterns_module.table_rows(text, rd.text, pats, year, tasks, ranges)
    prose_found, more = patterns_module.prose(rd, pats, year, tasks, ranges, exclude=spans)
    figures += [Sourced(f.candidate, f.source) for f in table_found + prose_found]
    why = {}
    for s in skipped + more:
        why.setdefault(s.indicator_id, f"{s.reason} (in: {s.quote[:120]})")
    missing = [{**m, "reason": m["reason"] + (f"; the patterns left it out: {why[m['indicator_id']]}"
                                              if m["indicator_id"] in why else "")} for m in missing]
    return _in_catalog(combine(figures, missing, learnt.conflicts, names), names)


def _in_catalog(extraction: Extraction, names: dict) -> Extraction:
    """Only the unit's own indicators: the patterns serve every unit's catalogue, and a pattern of an indicator
    this unit does not define (another town's credit fund) still claims its number, so that no other name takes
    it, but its figure is not the unit's."""
    return Extraction([c for c in extraction.found if c.indicator_id in names],
                      [m for m in extraction.missing if m.get("indicator_id") in names],
                      [c for c in extraction.conflicts if c[0] in names])
