"""The review an analyst can finish: `Y/review.csv` after `extract`, and `camgiang apply-review`.

`extract` leaves empty every figure it is not sure of. review.csv lists them, one row per figure missing or in
conflict, with its Vietnamese name, its unit and up to three candidate numbers of the new text, each with the
sentence it stands in. The analyst, in a spreadsheet, either writes the candidate's number (1, 2, 3) in `accept`,
or types the figure as printed in `as_written` and pastes its sentence in `quote`. `apply_review` then fills
those rows of facts.csv after checking each exactly as provenance checks any row: the words stand whole in the
sentence, the sentence stands in source.txt (inside a known section), the words read as a number of a fitting
unit, a change has its giảm/tăng, the value is plausible. A review file with any error applies nothing.

The file is UTF-8 with a byte-order mark, so that spreadsheet programs open the Vietnamese right.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import reading
from ..errors import Problem

REVIEW_FILE = "review.csv"
CANDIDATES = 3
COLUMNS = ["indicator_id", "year", "kind", "mention", "name_vi", "domain", "unit", "status", "reason",
           *[f"{what}_{n}" for n in range(1, CANDIDATES + 1) for what in ("candidate", "quote")],
           "accept", "as_written", "quote", "note"]
_KINDS = ("actual", "target", "plan_attainment", "change", "target_change")
_CHANGE_KINDS = ("change", "target_change")


def domain_names() -> dict[str, dict[str, str]]:
    """The domains' names for readers (messages/domains.toml)."""
    path = Path(__file__).resolve().parents[1] / "messages" / "domains.toml"
    return reading.read_toml(path)


def row_unit(indicator_id: str, kind: str, catalog_units: dict[str, str], template_units: dict[tuple, str]) -> str:
    """The unit a figure is stored in: percent for an attainment, last year's unit for this kind, else the
    catalogue's."""
    if kind == "plan_attainment":
        return "percent"
    return template_units.get((indicator_id, kind)) or catalog_units.get(indicator_id, "")


def review_rows(result, text: str, catalog: list[dict], templates: list[dict],
                mention_offset: dict[tuple, int] | None = None) -> list[dict]:
    """One row per figure the extraction left missing or in conflict, with candidates from `text`.
    `mention_offset`: per (indicator, year, kind), the rows carried in before the report's own statements (a
    target the previous report set comes first: the report's own mention 1 is then mention 2)."""
    offset = mention_offset or {}
    from .matching import suggestions  # the match step's (a test may put a stub in its place)

    info = {c["indicator_id"]: c for c in catalog}
    units = {c["indicator_id"]: c.get("unit", "") for c in catalog}
    template_units = {(t["indicator_id"], t["kind"]): t.get("unit") or "" for t in templates}
    quotes = {(t["indicator_id"], t["kind"]): t.get("quote") or "" for t in templates}
    rows = []

    def row(indicator, year, kind, mention, status, reason, candidates) -> dict:
        c = info.get(indicator, {})
        mention = int(mention) + offset.get((indicator, int(year), kind), 0) if str(year).isdigit() else mention
        out = {"indicator_id": indicator, "year": str(year), "kind": kind, "mention": str(mention),
               "name_vi": c.get("name_vi", ""), "domain": c.get("domain", ""),
               "unit": row_unit(indicator, kind, units, template_units), "status": status, "reason": reason}
        for n, (written, quote) in enumerate(candidates[:CANDIDATES], start=1):
            out[f"candidate_{n}"], out[f"quote_{n}"] = written, quote
        return out

    for indicator, kind, mention, placed in result.conflicts:
        year = placed[0].candidate.year if placed else ""
        rows.append(row(indicator, year, kind, mention, "conflict", "the report gives it more than once, "
                        "with different values", [(p.candidate.as_written, p.candidate.quote) for p in placed]))
    for m in result.missing:
        indicator, kind = m["indicator_id"], m["kind"]
        unit = row_unit(indicator, kind, units, template_units)
        words = f"{info.get(indicator, {}).get('name_vi', '')} {quotes.get((indicator, kind), '')}"
        found = suggestions(text, unit, kind, words) if unit else []
        rows.append(row(indicator, m.get("year", ""), kind, m.get("mention", 1), "missing", m.get("reason", ""),
                        [(s.as_written, s.quote) for s in found]))
    return rows


def review_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: r.get(k, "") for k in COLUMNS} for r in rows)
    return "\ufeff" + buffer.getvalue()


# ------------------------------------------------------------------------------------------------ apply

@dataclass
class Applied:
    year: int
    folder: Path
    filled: list[dict] = field(default_factory=list)  # facts rows written, with their review row
    unchanged: list[dict] = field(default_factory=list)  # already filled with exactly this
    untouched: int = 0  # review rows the analyst did not mark
    problems: list[Problem] = field(default_factory=list)


def _choice(r: dict, line: int, label: str, problems: list[Problem]) -> tuple[str, str] | None:
    """(as_written, quote) the analyst chose on one review row, or None when the row is not marked."""
    accept = (r.get("accept") or "").strip()
    typed, pasted = (r.get("as_written") or "").strip(), (r.get("quote") or "").strip()
    if not accept and not typed and not pasted:
        return None
    if accept:
        if accept not in {str(n) for n in range(1, CANDIDATES + 1)}:
            problems.append(Problem(file=label, row=line, column="accept", expected="1, 2 or 3 (a candidate), "
                                    "or empty with as_written and quote typed", found=accept, check="review"))
            return None
        written, quote = (r.get(f"candidate_{accept}") or "").strip(), (r.get(f"quote_{accept}") or "").strip()
        if not written or not quote:
            problems.append(Problem(file=label, row=line, column="accept", expected=f"a candidate that exists "
                                    f"(candidate_{accept} is empty)", found=accept, check="review"))
            return None
        if typed or pasted:
            problems.append(Problem(file=label, row=line, column="as_written", expected="either accept or "
                                    "as_written and quote, not both", found=typed or pasted, check="review"))
            return None
        return written, quote
    for column, value in (("as_written", typed), ("quote", pasted)):
        if not value:
            problems.append(Problem(file=label, row=line, column=column, expected="the figure as printed and its "
                                    "sentence, both", found="", check="review"))
            return None
    return typed, pasted


def apply_review(year: int, data_dir=None) -> Applied:
    """Fill the figures marked in `year`/review.csv; nothing is written when any row has a problem."""
    from .. import numbers, units
    from ..atomic import recover, replace_folder
    from ..checks import plausibility
    from ..checks.provenance import normalise, section_spans, stands_whole
    from ..newyear import NewYearError, _csv_text, _field_names, _read_csv
    from .headings import _innermost
    from .merge import machine_number, row_key as _key
    from ..paths import catalog_files, resolve_data_dir

    import pandas as pd

    root = resolve_data_dir(data_dir)
    folder = root / str(year)
    label = f"{year}/{REVIEW_FILE}"
    if not (folder / REVIEW_FILE).exists():
        raise NewYearError(f"there is no {label}: run `camgiang extract REPORT --year {year}` first; it writes the "
                           "review. Nothing was changed.")
    recover(root)
    review = _read_csv(folder / REVIEW_FILE, label, ("indicator_id", "year", "kind", "mention", "accept",
                                                      "as_written", "quote"))[1]
    header, facts = _read_csv(folder / "facts.csv", f"{year}/facts.csv")
    catalog = {c["indicator_id"]: c for path, label, _ in catalog_files(root) for c in _read_csv(path, label)[1]}
    source = reading.read_text(folder / "source.txt", f"{year}/source.txt", limit=reading.MAX_REPORT_BYTES) \
        if reading.exists(folder / "source.txt") else ""
    text = normalise(source)
    sections = _read_csv(folder / "sections.csv", f"{year}/sections.csv", ("code", "heading"))[1]
    frame = pd.DataFrame([{"_row": r["_line"], "code": r["code"], "heading": r["heading"]} for r in sections],
                         columns=["_row", "code", "heading"])
    spans, _ = section_spans(source, frame, f"{year}/sections.csv") if source else ({}, [])
    result = Applied(year, folder)
    problems = result.problems
    index = {k: i for i, r in enumerate(facts) if (k := _key(r)) is not None}
    seen: dict[tuple, int] = {}
    changes: list[tuple[tuple, dict, dict]] = []  # (key, new cells, review row)
    for r in review:
        line = r["_line"]
        where = {"file": label, "row": line, "check": "review"}
        choice = _choice(r, line, label, problems)
        if choice is None:
            result.untouched += 1
            continue
        written, quote = choice
        indicator, kind = (r.get("indicator_id") or "").strip(), (r.get("kind") or "").strip()
        try:
            key = (indicator, int(r["year"]), kind, int(r["mention"]))
        except (TypeError, ValueError):
            problems.append(Problem(column="year", expected="the year and mention as extract wrote them (whole "
                                    "numbers)", found=f"{r.get('year')!r}, {r.get('mention')!r}", **where))
            continue
        if indicator not in catalog:
            problems.append(Problem(column="indicator_id", expected="an indicator id of the catalogue (catalog.csv or the unit's catalog.local.csv)",
                                    found=indicator, **where))
            continue
        if kind not in _KINDS:
            problems.append(Problem(column="kind", expected=f"one of {', '.join(_KINDS)}", found=kind, **where))
            continue
        if key in seen:
            problems.append(Problem(column="indicator_id", expected="one row per figure", found=" ".join(map(str, key)),
                                    hint=f"the same figure is marked on row {seen[key]}", **where))
            continue
        seen[key] = line
        q = normalise(quote)
        at = text.find(q) if q else -1
        if at < 0:
            problems.append(Problem(column="quote", expected=f"a sentence copied from {year}/source.txt",
                                    found=quote, **where))
            continue
        if not stands_whole(normalise(written), q):
            problems.append(Problem(column="as_written", expected="the number as printed in its sentence (quote)",
                                    found=written, **where))
            continue
        try:
            quantity = numbers.parse_quantity(written)
        except ValueError as exc:
            problems.append(Problem(column="as_written", expected="one number as the report prints it",
                                    found=written, hint=str(exc), **where))
            continue
        unit = (r.get("unit") or "").strip() or catalog[indicator].get("unit", "")
        if quantity.unit is not None and unit in units.UNITS and quantity.unit in units.UNITS \
                and not units.comparable(quantity.unit, unit):
            problems.append(Problem(column="as_written", expected=f"a number in {unit}", found=written,
                                    hint=f"it reads as {quantity.unit}", **where))
            continue
        value = quantity.value
        if kind in _CHANGE_KINDS:
            before = q[:q.find(normalise(written))].lower()
            falls, rises = before.rfind("giảm"), before.rfind("tăng")
            if falls < 0 and rises < 0:
                problems.append(Problem(column="quote", expected="a sentence saying giảm or tăng before the figure "
                                        "(a change has a direction)", found=quote, **where))
                continue
            value = -value if falls > rises else value
        rng = plausibility.allowed(kind, unit, catalog[indicator].get("value_range") or None)
        if rng is not None and not rng.holds(value):
            problems.append(Problem(column="as_written", expected=rng.text(), found=written, **where))
            continue
        section = _innermost(spans, at, at + len(q))
        if section is None:
            problems.append(Problem(column="quote", expected="a sentence under one of the headings of "
                                    f"{year}/sections.csv", found=quote, **where))
            continue
        cells = {"indicator_id": indicator, "year": str(key[1]), "kind": kind, "mention": str(key[3]),
                 "value": machine_number(value), "unit": unit, "qualifier": quantity.qualifier or "",
                 "estimated": "true" if quantity.estimated else "false", "as_written": written,
                 "quote": quote, "section": section, "source_year": "",
                 "note": f"{catalog[indicator].get('name_vi', '')}; filled from review.csv by camgiang apply-review"}
        i = index.get(key)
        if i is not None and any((facts[i].get(c) or "").strip() for c in ("value", "as_written", "quote")):
            old = facts[i]
            same = (old.get("as_written") == written and normalise(old.get("quote") or "") == q
                    and math.isclose(float(old.get("value") or "nan"), value, rel_tol=1e-12))
            if same:
                result.unchanged.append(cells)
            else:
                problems.append(Problem(column="indicator_id", expected="a figure not filled yet",
                                        found=" ".join(map(str, key)), hint=f"{year}/facts.csv row {old['_line']} "
                                        f"already has {old.get('as_written')!r}: change it there", **where))
            continue
        changes.append((key, cells, r))
    if problems or not changes:
        return result
    for key, cells, r in changes:
        i = index.get(key)
        if i is None:
            facts.append({k: "" for k in header} | cells)
        else:
            facts[i] = {**facts[i], **cells}
        result.filled.append({**cells, "review_row": r["_line"], "domain": catalog[key[0]].get("domain", "")})
    fields = _field_names("facts")
    try:
        replace_folder(folder, {"facts.csv": _csv_text(fields, facts)[0]})
    except OSError as exc:
        raise NewYearError(f"cannot write {folder}: {exc.strerror or exc}. Nothing was changed.") from None
    from ..store import forget

    forget(root)
    return result


def summary_lines(applied: Applied) -> list[str]:
    names = domain_names()
    out = [f"apply-review {applied.year}: {len(applied.filled)} figure(s) filled, {len(applied.unchanged)} already "
           f"there, {applied.untouched} row(s) not marked, {len(applied.problems)} problem(s)"]
    if applied.problems:
        out.append("nothing was applied: fix these rows of the review and run apply-review again")
    for row in applied.filled:
        out.append(f"  FILLED {names.get(row['domain'], {}).get('vi', '')}: {row['note'].split(';')[0]} = "
                   f"{row['as_written']!r} (review row {row['review_row']}): “{row['quote'][:90]}”")
    return out
