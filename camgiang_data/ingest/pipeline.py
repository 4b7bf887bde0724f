"""The file side of `camgiang extract`: a report in, the year folder out, in four steps.

    read   the report (.txt / .docx / .pdf, `readers`), its header (`header`), the year folder's rows and sections
    match  the figures (`matching`: learnt keys, declarative patterns, key-figure tables), placed in sections
           (`headings`)
    merge  into facts.csv's rows (`merge`, a pure function)
    write  facts.csv, sections.csv, source.json (the new header, never last year's), source.txt, review.csv
           and the original file, as one replacement of the folder (`atomic.replace_folder`): an error or a
           kill at any moment leaves it as it was or completely new

It refuses a report that is another year's (the same text, the same number and date, a date that does not fit
the year) and never touches a figure a person entered unless asked to (`overwrite`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import recover, replace_folder
from ..checks import reading
from ..errors import DataError
from ..paths import ORIGINAL_NAMES, resolve_data_dir, years
from ..checks.schema import render, year_descriptor
from ..newyear import (HEADER_FIELDS, UNIT_FIELDS, NewYearError, _base_year, _csv_text, _field_names, _forget,
                       _label, _metadata_from, _read, _read_csv, _refuse_broken_base, _scaffold_rows)
from .headings import OPENING_SECTION, Sections, read_sections
from .merge import Placed, is_filled, merge

__all__ = ["Extracted", "Placed", "extract_into", "read_report", "review_lines"]


# ------------------------------------------------------------------------------------------------ report text

def read_report(path: str | os.PathLike):
    """The report as a `Document` (.txt, .docx or .pdf with a text layer); NewYearError when it cannot be read."""
    from .readers import IngestError, read_document

    try:
        return read_document(path)
    except IngestError as exc:
        raise NewYearError(f"{exc} Nothing was changed.") from None


def _guard_same_document(text: str, header: dict, root: Path, year: int, name: str) -> None:
    """Refuse a report that is another year's (the same text, or the same number and date in its header, as
    `Header.metadata()` gives them) or whose header is dated for another year: last year's figures would become
    this year's results."""
    from ..checks.provenance import normalise

    reasons = []
    normal = None
    for other in years(root):
        if other == year:
            continue
        source = root / str(other) / "source.txt"
        if reading.exists(source):
            try:
                known = reading.read_text(source, f"{other}/source.txt", limit=reading.MAX_REPORT_BYTES)
            except reading.ReadError:
                known = None
            normal = normal if normal is not None else normalise(text)
            if known is not None and normalise(known) == normal:
                reasons.append(f"its text is the text of the {other} report ({other}/source.txt)")
                continue
        meta_path = root / str(other) / "source.json"
        if header.get("document_number") and header.get("date") and reading.exists(meta_path):
            try:
                meta = reading.read_json(meta_path, f"{other}/source.json")
            except reading.ReadError:
                meta = {}
            if isinstance(meta, dict) and (meta.get("document_number"), meta.get("date")) == \
                    (header["document_number"], header["date"]):
                reasons.append(f"its header (No. {header['document_number']} of {header['date']}) is that of the "
                               f"{other} report ({other}/source.json)")
    if header.get("date") and int(header["date"][:4]) not in (year, year + 1):
        reasons.append(f"its header is dated {header['date']}, but a report on {year} is issued in {year} or early "
                       f"{year + 1}")
    if reasons:
        raise NewYearError(f"{name} does not look like the report on {year}: {'; '.join(reasons)}. Nothing was "
                           f"written. If it is the right report all the same, read the reasons again and add "
                           "--accept-document.")


def _header_into(metadata: dict, header, base_meta: dict) -> list[str]:
    """Put what the new header states into `metadata`; a field it does not state becomes null (never last
    year's). Returns the warnings for the review."""
    found = header.metadata()
    for key in HEADER_FIELDS:
        metadata[key] = found.get(key)
    unit = dict(metadata.get("unit") or {})
    stated = found.get("unit", {})
    for key in UNIT_FIELDS:
        unit[key] = stated.get(key)
    if unit.get("name") != (base_meta.get("unit") or {}).get("name"):
        unit.pop("code", None), unit.pop("code_note", None)  # another unit's code is not this one's
    metadata["unit"] = unit
    # English names are translations of the Vietnamese: kept only where the Vietnamese did not change
    if metadata.get("issuing_body") != base_meta.get("issuing_body"):
        metadata["issuing_body_en"] = None
    metadata["title_en"] = None
    missing = [k for k in HEADER_FIELDS if metadata[k] is None] + [f"unit.{k}" for k in ("name", "type")
                                                                   if unit.get(k) is None]
    warnings = list(header.warnings)
    if missing:
        warnings.append(f"the header does not state {', '.join(missing)}: left empty (null) in source.json; "
                        "the reports say 'not stated'. Fill them by hand if the report gives them elsewhere")
    return warnings


# ------------------------------------------------------------------------------------------------ extract

@dataclass
class Extracted:
    year: int
    base_year: int | None  # None: the unit's first report (no earlier year to learn from)
    folder: Path
    report: str
    notes: list[str] = field(default_factory=list)
    source_written: bool = False
    metadata: dict = field(default_factory=dict)  # values read from the report's header
    sections_kept: list[dict] = field(default_factory=list)
    sections_dropped: list[dict] = field(default_factory=list)
    sections_reworded: list[dict] = field(default_factory=list)  # found with their years moved on, or so
    filled: list[Placed] = field(default_factory=list)  # unfilled rows now filled
    added: list[Placed] = field(default_factory=list)  # new rows for figures with no row yet
    unchanged: list[Placed] = field(default_factory=list)  # already filled with exactly this
    left_alone: list[Placed] = field(default_factory=list)  # filled rows kept as they were (no --overwrite)
    overwritten: list[Placed] = field(default_factory=list)
    unplaced: list[Placed] = field(default_factory=list)  # quote in no section: left empty
    conflicts: list[tuple] = field(default_factory=list)  # (indicator_id, kind, mention, [Placed])
    missing: list[dict] = field(default_factory=list)
    unfilled_left: int = 0
    restored: list[str] = field(default_factory=list)  # files the year folder lacked, made again
    header_warnings: list[str] = field(default_factory=list)  # what the new report's header does not state
    names: dict = field(default_factory=dict, repr=False)  # catalogue rows by indicator id, for the review
    review_rows: int = 0  # rows of review.csv


def _engine():
    """The match step (`matching.extract`), imported when first needed (tests put a stub in its place)."""
    try:
        module = importlib.import_module("camgiang_data.ingest.matching")
    except ImportError as exc:
        raise NewYearError(f"the extraction engine (camgiang_data.ingest.matching) cannot be imported: {exc}") from None
    return module.extract


# --- read ------------------------------------------------------------------------------------------------------

def _year_folder(year: int, data_dir) -> tuple[Path, Path, int | None]:
    try:
        root = resolve_data_dir(data_dir)
    except DataError as exc:
        raise NewYearError(str(exc)) from None
    folder = root / str(year)
    where = f" --data-dir {data_dir}" if data_dir is not None else ""
    if not folder.is_dir():
        raise NewYearError(f"there is no folder for {year} in {root}: run `camgiang new-year {year}{where}` first, "
                           "then extract again. Nothing was changed.")
    recover(root)
    earlier = [y for y in years(root) if y < year and reading.exists(root / str(y) / "facts.csv")]
    return root, folder, (_base_year(root, year) if earlier else None)  # None: the unit's first report


def _source_changes(folder: Path, year: int, text: str, report, overwrite: bool) -> bool:
    """Does the new text replace the folder's source.txt? Refused when it holds another text (without --overwrite)."""
    source_path = folder / "source.txt"
    if not reading.exists(source_path):
        return True
    try:
        old = reading.read_text(source_path, f"{year}/source.txt", limit=reading.MAX_REPORT_BYTES)
    except reading.ReadError:
        old = None  # unreadable: only --overwrite replaces it
    if old != text and not overwrite:
        raise NewYearError(
            f"{source_path} already holds a different report text: nothing was changed. If {report} is the "
            f"right report for {year}, add --overwrite to replace the text (figures extracted from it then "
            "replace filled rows too; check the review list).")
    return old != text


def _facts_rows(root: Path, folder: Path, base: int, year: int, result: Extracted) -> tuple[list[str], list[dict]]:
    """facts.csv's columns and rows; the rows new-year makes where the folder lacks the file."""
    from ..checks.schema import OPTIONAL_COLUMNS

    fields = _field_names("facts")
    path = folder / "facts.csv"
    if not reading.exists(path):
        scaffolded, carried = _scaffold_rows(root, base, year)
        result.restored.append("facts.csv")
        return fields, [{k: r.get(k, "") for k in fields} for r in scaffolded + carried]
    header, rows = _read_csv(path, f"{year}/facts.csv")
    optional = OPTIONAL_COLUMNS.get("facts", ())
    if sorted(set(header) | set(optional)) != sorted(fields) or len(set(header)) != len(header):
        raise NewYearError(f"{year}/facts.csv, row 1: expected the columns {','.join(fields)}; found "
                           f"{','.join(header)}. Fix its header first. Nothing was changed.")
    return fields, rows  # a column added since the file was written is written, empty, with the rest


def _sections(root: Path, folder: Path, base: int, year: int, text: str) -> tuple[Sections, list[str]]:
    """This year's sections (as new-year copied them, or a person extended them) plus the base year's, found
    in the new text."""
    fields = _field_names("sections")
    known: dict[str, dict] = {}
    for path in (folder / "sections.csv", *([root / str(base) / "sections.csv"] if base is not None else [])):
        if reading.exists(path):
            for row in _read_csv(path, _label(root, path), ("code", "heading"))[1]:
                if row.get("code"):
                    known.setdefault(row["code"], {k: v for k, v in row.items() if k != "_line"})
    return read_sections(text, known, year - base if base is not None else 0, fields, f"{year}/sections.csv"), fields


def _templates(root: Path, base: int | None, data_dir):
    """The latest earlier report's stated figures (the templates), its catalogue and its text; for a unit's
    first report (no earlier year) no template, the data folder's catalogue, no text: the patterns alone read it."""
    import pandas as pd

    from .. import catalog as load_catalog
    from ..store import read_year

    if base is None:
        catalog = load_catalog(root).drop(columns=["_row"], errors="ignore").reset_index(drop=True)
        return pd.DataFrame(columns=_field_names("facts")), catalog, None
    _refuse_broken_base(root, base, data_dir)  # its figures teach the extraction
    base_data = read_year(base, root)
    templates = base_data.facts
    own = templates["source_year"].isna() | (templates["source_year"] == base)
    filled = templates["value"].notna() & templates["as_written"].notna() & templates["quote"].notna()
    templates = templates[(own & filled).astype(bool)].drop(columns=["_row"]).reset_index(drop=True)
    catalog = base_data.catalog.drop(columns=["_row", "_file"], errors="ignore").reset_index(drop=True)
    return templates, catalog, base_data.source


def _metadata(root: Path, folder: Path, base: int, year: int, header, document, text: str,
              result: Extracted) -> dict:
    """source.json: what the new report's header states (null where it does not), and the text's fingerprint."""
    path = folder / "source.json"
    if reading.exists(path):
        metadata = _read(reading.read_json, path, f"{year}/source.json")
        if not isinstance(metadata, dict):
            raise NewYearError(f"{year}/source.json: expected a JSON object of metadata; found a JSON "
                               f"{type(metadata).__name__}. Fix it (or delete it to start it again from the {base} "
                               "report's). Nothing was changed.")
    else:  # a year folder missing its metadata: start again from the base year's
        metadata = _metadata_from(root, base, year)
        result.restored.append("source.json")
    base_path = root / str(base) / "source.json" if base is not None else None
    base_meta = _read(reading.read_json, base_path, f"{base}/source.json") if base_path and reading.exists(base_path) \
        else {}
    result.header_warnings = _header_into(metadata, header, base_meta if isinstance(base_meta, dict) else {})
    stated = header.metadata()
    result.metadata = {k: v for k, v in stated.items() if k != "unit"}
    result.metadata.update({f"unit {k}": v for k, v in stated.get("unit", {}).items()})
    metadata.update({"report_year": year, "source_file": "source.txt",
                     "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     "encoding": "utf-8", "unicode_normalization": "NFC", "source_format": document.format,
                     "source_original": document.original_name if document.original_differs else None,
                     "source_original_sha256": document.sha256 if document.original_differs else None})
    metadata["metadata_note"] = ("document number, date, issuing body, unit and title as the report's header "
                                 "states them (read by `camgiang extract`); null where it does not.")
    return metadata


def _unfilled_missing(rows: list[dict], found, missing: list[dict], catalog, base: int | None,
                      year: int, taught: set[str]) -> list[dict]:
    """Each row of facts.csv still to fill whose indicator no template speaks for (`taught`: the indicators
    last year's report gave) and whose figure nothing found: the engine cannot list those as missing."""
    from .merge import is_filled, row_key

    names = {r["indicator_id"]: r for r in catalog.to_dict("records")}
    have = {(c.indicator_id, int(c.year), c.kind) for c in found} | {
        (m["indicator_id"], int(m.get("year") or year), m["kind"]) for m in missing}
    out = []
    for row in rows:
        key = row_key(row)
        if key is None or is_filled(row) or key[:3] in have or key[0] in taught:
            continue
        have.add(key[:3])
        entry = names.get(key[0], {})
        out.append({"indicator_id": key[0], "year": key[1], "kind": key[2], "mention": key[3],
                    "name_vi": entry.get("name_vi", ""), "name_en": entry.get("name_en", ""),
                    "reason": ("the unit's first report: no earlier report to learn its words from, and the "
                               "patterns found no figure" if base is None else
                               f"the {base} report gave no figure of it to learn from, and the patterns found none")
                              + " (review.csv lists candidate sentences)"})
    return out


# --- the steps together ------------------------------------------------------------------------------------------

def extract_into(report: str | os.PathLike, year: int, data_dir: str | os.PathLike | None = None,
                 overwrite: bool = False, engine=None, accept_document: bool = False) -> Extracted:
    """Extract the figures of a report into year folder `year` (see the module's docstring)."""
    from ..checks.provenance import normalise
    from .header import read_header
    from .review import REVIEW_FILE, review_rows, review_text

    # read
    document = read_report(report)
    text = document.text
    header = read_header(text)  # what the new report says of itself
    root, folder, base = _year_folder(year, data_dir)
    result = Extracted(year, base, folder, str(report), list(document.notes))
    if not accept_document:
        _guard_same_document(text, header.metadata(), root, year, str(report))
    result.source_written = _source_changes(folder, year, text, report, overwrite)
    facts_fields, rows = _facts_rows(root, folder, base, year, result)
    sections, sections_fields = _sections(root, folder, base, year, text)
    result.sections_kept, result.sections_dropped = sections.kept, sections.dropped
    result.sections_reworded = sections.reworded
    templates, catalog, base_source = _templates(root, base, data_dir)

    # match: the previous report's own text lets the engine learn which words single a figure out
    extraction = (engine or _engine())(text, templates, catalog, year, base if base is not None else year - 1,
                                       template_text=base_source)
    normal = normalise(text)

    def section_of(c) -> str | None:
        quote = normalise(c.quote)
        start = c.start if normal[c.start:c.start + len(quote)] == quote else normal.find(quote)
        return None if start < 0 else sections.section_of(start, start + len(quote))

    # merge
    names = {r["indicator_id"]: f"{r['name_vi']} / {r['name_en']}" for r in catalog.to_dict("records")}
    merged = merge(rows, [(c, section_of(c)) for c in extraction.found], year, facts_fields, names, overwrite)
    rows = merged.rows
    result.conflicts = [(i, k, m, [Placed(c, section_of(c)) for c in cands]) for i, k, m, cands in
                        extraction.conflicts]
    result.missing = list(extraction.missing)
    # rows still to fill that no template speaks for (a unit's first report, an indicator new this year)
    result.missing += _unfilled_missing(rows, extraction.found, result.missing, catalog, base, year,
                                        set(templates["indicator_id"]))
    kept = sections.kept
    if sections.opening and (any(p.section == OPENING_SECTION for _, p, _ in merged.placed)
                             or any(r.get("section") == OPENING_SECTION and is_filled(r) for r in rows)):
        kept = [sections.opening, *kept]
    facts_text, lines = _csv_text(facts_fields, rows)
    for outcome, placed, i in merged.placed:
        placed.row = lines[i] if i is not None else None
        getattr(result, outcome).append(placed)
    result.unfilled_left = sum(1 for r in rows if not is_filled(r))
    metadata = _metadata(root, folder, base, year, header, document, text, result)

    # write
    files = {
        "facts.csv": facts_text,
        "sections.csv": _csv_text(sections_fields, kept)[0],
        "source.json": json.dumps(metadata, ensure_ascii=False, indent=2) + "\n",
    }
    if result.source_written:
        files["source.txt"] = text
    result.names = {r["indicator_id"]: r for r in catalog.to_dict("records")}
    from .merge import carried_counts

    to_review = review_rows(result, text, list(result.names.values()), templates.to_dict("records"),
                            carried_counts(rows, year))
    result.review_rows = len(to_review)
    files[REVIEW_FILE] = review_text(to_review)
    # the report as received, beside the text read from it; an earlier original of another format goes
    present = {name for name in ORIGINAL_NAMES if reading.exists(folder / name)}
    if document.original_differs:
        files[document.original_name] = document.original
    stale = present - (set(files) if document.original_differs else set())
    for name, content in (("derivations.csv", lambda: _csv_text(_field_names("derivations"), [])[0]),
                          ("datapackage.json", lambda: render(year_descriptor(year)))):
        if not reading.exists(folder / name):  # a year folder missing a file new-year makes
            files[name] = content()
            result.restored.append(name)
    try:
        replace_folder(folder, files, remove=stale)  # every file changes, or none does
    except OSError as exc:
        raise NewYearError(f"cannot write {folder}: {exc.strerror or exc}. Nothing was changed.") from None
    _forget(root)
    return result


# ------------------------------------------------------------------------------------------------ review

def _around(quote: str, as_written: str, width: int = 80) -> str:
    """The part of a quote around its figure, at most `width` characters."""
    quote = re.sub(r"\s+", " ", quote or "").strip()
    if len(quote) <= width:
        return quote
    at = max(quote.find(as_written), 0)
    start = max(0, min(at - (width - len(as_written)) // 2, len(quote) - width))
    return ("…" if start else "") + quote[start:start + width] + ("…" if start + width < len(quote) else "")


def _name(indicator: str, names: dict[str, dict]) -> str:
    return names.get(indicator, {}).get("name_vi") or indicator


def review_lines(result: Extracted, data_dir_option: str = "") -> list[str]:
    """The review list `camgiang extract` prints, short: the counts, then the figures filled (with their
    sentence), the conflicts, what is missing grouped by domain, in Vietnamese names; review.csv holds the rest."""
    from .review import domain_names

    names, domains = result.names, domain_names()
    learnt = (f"templates: the {result.base_year} report" if result.base_year is not None
              else "the unit's first report: read by the declarative patterns and tables alone")
    out = [f"Extracted {result.report} into {result.folder} ({learnt})",
           f"{len(result.filled) + len(result.added)} figure(s) filled, {len(result.conflicts)} conflict(s), "
           f"{len(result.missing)} not found, {len(result.left_alone)} left alone, {len(result.overwritten)} "
           f"overwritten, {len(result.unchanged)} already there; {result.unfilled_left} row(s) of facts.csv still "
           "not filled"]
    out += [f"  {note}" for note in result.notes]
    out.append("  source.txt " + ("written" if result.source_written else "unchanged (same text)"))
    if result.restored:
        out.append(f"  the year folder lacked {', '.join(result.restored)}: made again as new-year makes them")
    if result.metadata:
        out.append("  source.json: " + ", ".join(f"{k} {v}" for k, v in result.metadata.items())
                   + " read from the report's header")
    out += [f"  WARNING {w}" for w in result.header_warnings]
    out.append(f"  sections: {len(result.sections_kept)} headings found in the text"
               + (f" ({len(result.sections_reworded)} as printed there: "
                  + "; ".join(f"{r['code']} {r['heading']!r}" for r in result.sections_reworded) + ")"
                  if result.sections_reworded else "")
               + ("; not found (dropped from sections.csv): "
                  + "; ".join(f"{r['code']} {r['heading']!r}" for r in result.sections_dropped)
                  if result.sections_dropped else ""))

    def block(title: str, items: list[str]) -> None:
        name, _, what = title.partition(": ")
        out.append(f"{name} ({len(items)}): {what}")
        out.extend(f"  {line}" for line in items)

    def what(c) -> str:
        return f"{_name(c.indicator_id, names)} ({c.kind} {c.year}{'' if c.mention == 1 else f', lần {c.mention}'})"

    block("FILLED: figures written into facts.csv, to check against the report",
          [f"row {p.row}: {what(p.candidate)} = {p.candidate.as_written!r}: "
           f"“{_around(p.candidate.quote, p.candidate.as_written)}”" for p in result.filled + result.added])
    conflicts = []
    for indicator, kind, mention, placed in result.conflicts:
        values = " | ".join(f"{p.candidate.as_written!r} in {p.section or '?'}: "
                            f"“{_around(p.candidate.quote, p.candidate.as_written, 60)}”" for p in placed)
        conflicts.append(f"{_name(indicator, names)} ({kind}, mention {mention}): {values}")
    block("CONFLICTS: found more than once with different values, left empty: pick one in review.csv", conflicts)
    by_domain: dict[str, list[str]] = {}
    for m in result.missing:
        domain = names.get(m.get("indicator_id"), {}).get("domain", "")
        label = _name(m.get("indicator_id"), names) + ("" if m.get("kind") == "actual" else f" ({m.get('kind')})")
        by_domain.setdefault(domain, []).append(label)
    block("NOT FOUND: left empty; review.csv lists each with candidate sentences",
          [f"{domains.get(d, {}).get('vi', d)}: {'; '.join(dict.fromkeys(items))}"
           for d, items in sorted(by_domain.items(), key=lambda kv: -len(kv[1]))])
    left = [f"row {p.row}: {what(p.candidate)}: facts.csv has {p.previous.get('as_written')!r} "
            f"(value {p.previous.get('value')}), the report gives {p.candidate.as_written!r} in {p.section}: "
            f"“{_around(p.candidate.quote, p.candidate.as_written, 70)}”" for p in result.left_alone]
    if left:
        block("LEFT ALONE: already filled (by a person?) and different from the report: kept as they are "
              "(--overwrite replaces them)", left)
    if result.overwritten:
        block("OVERWRITTEN (--overwrite): filled rows replaced by the report's figures",
              [f"row {p.row}: {what(p.candidate)}: was {p.previous.get('as_written')!r}, now "
               f"{p.candidate.as_written!r}" for p in result.overwritten])
    if result.unplaced:
        block("NOT PLACED: found outside every known section, left empty",
              [f"{what(p.candidate)} = {p.candidate.as_written!r}: “{_around(p.candidate.quote, p.candidate.as_written)}”"
               for p in result.unplaced])
    if result.review_rows:
        out.append(f"NEXT: open {result.year}/review.csv ({result.review_rows} figures) in a spreadsheet; for each "
                   "figure the report gives, write 1, 2 or 3 in 'accept' (a candidate), or type the figure as "
                   "printed in 'as_written' and paste its sentence in 'quote'; then run "
                   f"`camgiang apply-review --year {result.year}{data_dir_option}`")
    return out
