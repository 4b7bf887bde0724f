"""Adding a report year: the scaffold (`camgiang new-year`) and the file side of extraction (`camgiang extract`).

`scaffold` makes the folder of a new year: its metadata (copied from the previous year's, to be checked), the
section headings of the previous report, an empty derivations.csv, and a facts.csv with one *unfilled* row per
catalogue indicator (a figure to fill) plus the targets for the year that the previous report set (carried in,
their quotes checked against that report: `source_year`).

`extract_into` reads a new report's text (refusing text it cannot read exactly), keeps it as the year's
source.txt, finds the previous report's headings in it, asks the extraction engine (`camgiang_data.ingest.engine`) for
the figures it is sure of, and merges them into facts.csv without touching a figure a person entered (unless
asked to). It refuses a report that is another year's (same text, same number and date, a date that does not fit
the year). The year folder is replaced as a whole (`atomic.replace_folder`): an error or a kill at any moment
leaves it as it was or completely new.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .atomic import recover, replace_folder
from .checks import reading
from .errors import DataError
from .paths import ORIGINAL_NAMES, resolve_data_dir, shared_file, years
from .checks.schema import render, table_schema, year_descriptor

TARGET_KINDS = ("target", "target_change")
OPENING_SECTION = "0"  # the code of a report's opening, before its first recognised heading
FILL_COLUMNS = ("value", "as_written", "quote")


class NewYearError(Exception):
    """A refusal with a message for the person at the keyboard; nothing was changed."""


# ------------------------------------------------------------------------------------------------ files

def _field_names(schema_name: str) -> list[str]:
    return [f["name"] for f in table_schema(schema_name)["fields"]]


def _read(call, *args, **kwargs):
    """A read through the reading layer; a file that cannot be read is a refusal naming it."""
    try:
        return call(*args, **kwargs)
    except reading.ReadError as exc:
        raise NewYearError(f"cannot read {exc.problem}. Nothing was changed.") from None


def _label(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read_csv(path: Path, label: str, required: tuple[str, ...] = ()) -> tuple[list[str], list[dict]]:
    """Header and rows (raw strings) of a CSV file; each row also carries `_line`, its first line number.
    `required`: columns the caller reads, refused by name when the header lacks them."""
    table = _read(reading.read_csv, path, label)
    missing = [c for c in required if c not in table.header]
    if missing:
        raise NewYearError(f"{label}, row 1: expected the columns {', '.join(required)}; found "
                           f"{','.join(table.header) or 'no header'} (missing: {', '.join(missing)}). Fix its "
                           "header first. Nothing was changed.")
    return table.header, table.records()


def _csv_text(fieldnames: list[str], rows: list[dict]) -> tuple[str, list[int]]:
    """CSV text (LF line ends, minimal quoting, as the packaged files) and each row's first line number."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    lines, line = [], 2
    for row in rows:
        before = buffer.tell()
        writer.writerow({k: row.get(k, "") for k in fieldnames})
        lines.append(line)
        line += buffer.getvalue()[before:].count("\n")
    return buffer.getvalue(), lines


def _is_filled(row: dict) -> bool:
    return any((row.get(c) or "").strip() for c in FILL_COLUMNS)


def _is_unfilled(row: dict) -> bool:
    return not _is_filled(row)


def _int(text) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _key(row: dict) -> tuple | None:
    year, mention = _int(row.get("year")), _int(row.get("mention"))
    if year is None or mention is None or not row.get("indicator_id") or not row.get("kind"):
        return None
    return row["indicator_id"].strip(), year, row["kind"].strip(), mention


def machine_number(value: float) -> str:
    """A value in the machine form of the data files: dot decimal, no grouping, no exponent."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text in ("-0", "0") else text


# ------------------------------------------------------------------------------------------------ new-year

@dataclass
class Scaffold:
    year: int
    base_year: int
    folder: Path
    indicators: int  # unfilled rows, one per catalogue indicator
    carried: list[dict]  # target rows carried in from the base year's report
    files: list[str]


def _base_year(root: Path, year: int) -> int:
    earlier = [y for y in years(root) if y < year and reading.exists(root / str(y) / "facts.csv")]
    if not earlier:
        raise NewYearError(f"no earlier year folder in {root} to start {year} from: new-year copies the "
                           "previous report's headings, metadata and targets (the packaged data has 2021; copy "
                           "it into your data folder first)")
    return earlier[-1]


def scaffold(year: int, data_dir: str | os.PathLike | None = None) -> Scaffold:
    """Create the folder of a new report year (refusing one that exists); see the module's docstring."""
    try:
        root = resolve_data_dir(data_dir)
    except DataError as exc:
        raise NewYearError(str(exc)) from None
    folder = root / str(year)
    if folder.exists():
        raise NewYearError(f"{folder} already exists: new-year never overwrites a year, so nothing was changed. "
                           f"To fill it from a report use `camgiang extract REPORT.txt --year {year}`; to start "
                           f"{year} again, move that folder away first.")
    recover(root)
    base = _base_year(root, year)
    base_folder = root / str(base)
    _refuse_broken_base(root, base, data_dir)
    rows, carried = _scaffold_rows(root, base, year)
    facts_text, _ = _csv_text(_field_names("facts"), rows + carried)

    files = {
        "facts.csv": facts_text,
        "sections.csv": _read(reading.read_text, base_folder / "sections.csv", f"{base}/sections.csv"),
        "derivations.csv": _csv_text(_field_names("derivations"), [])[0],
        "source.json": json.dumps(_metadata_from(root, base, year), ensure_ascii=False, indent=2) + "\n",
        "datapackage.json": render(year_descriptor(year)),
    }
    try:
        replace_folder(folder, files, new=True)  # the year appears complete, or not at all
    except FileExistsError:
        raise NewYearError(f"{folder} appeared while new-year ran: nothing was changed.") from None
    except OSError as exc:
        raise NewYearError(f"cannot write {folder}: {exc.strerror or exc}. Nothing was changed.") from None
    _forget(root)
    return Scaffold(year, base, folder, len(rows), carried, sorted(files))


def _refuse_broken_base(root: Path, base: int, data_dir) -> None:
    """A year is started from sound files only: what new-year copies (catalogue, targets, headings, metadata)
    must read and type cleanly."""
    from .errors import problem_lines
    from .store import read_year

    problems = read_year(base, root).problems
    if problems:
        where = f" --data-dir {data_dir}" if data_dir is not None else ""
        shown = "\n".join(problem_lines(problems, per_file=10, prefix="  "))
        raise NewYearError(f"the {base} data that the new year is made from has {len(problems)} error(s); fix "
                           f"them first (`camgiang validate --year {base}{where}`). Nothing was changed.\n{shown}")


def _scaffold_rows(root: Path, base: int, year: int) -> tuple[list[dict], list[dict]]:
    """The facts of a new year: one unfilled row per catalogue indicator, and the targets carried in."""
    catalog_path = shared_file(root, "catalog.csv")
    _, catalog = _read_csv(catalog_path, _label(root, catalog_path), ("indicator_id", "name_vi", "name_en", "unit"))
    rows = [{
        "indicator_id": c["indicator_id"], "year": str(year), "kind": "actual", "mention": "1", "unit": c["unit"],
        "estimated": "false", "note": f"{c['name_vi']} / {c['name_en']}",
    } for c in catalog if c.get("indicator_id")]
    carried = []
    for row in _read_csv(root / str(base) / "facts.csv", f"{base}/facts.csv", ("indicator_id", "year", "kind"))[1]:
        if _int(row.get("year")) == year and row.get("kind") in TARGET_KINDS and _is_filled(row):
            carried.append({**{k: v for k, v in row.items() if k != "_line"},
                            "source_year": row.get("source_year") or str(base)})
    return rows, carried


HEADER_FIELDS = ("document_number", "date", "issuing_body", "title")
# What a report's header states, and so what is never carried from another year's source.json.
UNIT_FIELDS = ("name", "type", "district", "province")


def _metadata_from(root: Path, base: int, year: int) -> dict:
    """source.json of a new year: the administrative unit of the data directory (the base year's) and nothing of
    the base report itself: number, date and title are null until `extract` reads them from the new header (a
    number or date moved on from last year's would cite a document that does not exist)."""
    path = root / str(base) / "source.json"
    metadata = _read(reading.read_json, path, f"{base}/source.json") if reading.exists(path) else {}
    if not isinstance(metadata, dict):
        raise NewYearError(f"{base}/source.json: expected a JSON object of metadata; found a JSON "
                           f"{type(metadata).__name__}. Nothing was changed.")
    metadata = {k: v for k, v in metadata.items() if k not in ("source_original", "source_original_sha256",
                                                                "source_format", "title_en")}
    metadata.update({key: None for key in ("document_number", "date", "title")})
    metadata.update({
        "report_year": year,
        "source_file": "source.txt",
        "source_sha256": None,
        "metadata_note": f"Made by `camgiang new-year`: the unit and issuing body are the {base} folder's; the "
                         f"document number, date and title stay empty until `camgiang extract` reads them from "
                         f"the {year} report's header.",
    })
    return metadata


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


def _forget(root: Path) -> None:
    """Later reads in this process (e.g. the validation `extract` runs) must see the files just written."""
    from .store import forget

    forget(root)


# ------------------------------------------------------------------------------------------------ report text

def read_report(path: str | os.PathLike):
    """The report as a `Document` (.txt, .docx or .pdf with a text layer); NewYearError when it cannot be read."""
    from .ingest import IngestError, read_document

    try:
        return read_document(path)
    except IngestError as exc:
        raise NewYearError(f"{exc} Nothing was changed.") from None


def _guard_same_document(text: str, header: dict, root: Path, year: int, name: str) -> None:
    """Refuse a report that is another year's (the same text, or the same number and date in its header, as
    `Header.metadata()` gives them) or whose header is dated for another year: last year's figures would become
    this year's results."""
    from .checks.provenance import normalise

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


# ------------------------------------------------------------------------------------------------ headings

# The numbering that may open a heading, in any style: 'I.', 'II -', '1.', '1.2.', '2)', 'a)', 'A-', '(3)', bullets.
_HEADING_NUMBERING = re.compile(r"(?:[-+*•#>_]\s*)*(?:\(?(?:[IVXLC]+|[A-ZĐa-zđ]|\d+(?:\.\d+)*)\s*[.):\-–]+\s*)?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def heading_key(text: str) -> tuple[str, list[int], bool]:
    """How a heading is compared: without its numbering, lower case, tone marks off ('hoá' = 'hóa'),
    punctuation as space, years as '####'. Returns the key, for each key character the offset just after it in
    `text`, and whether a numbering opened the text."""
    from .checks.provenance import fold  # old and new tone-mark placement agree

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
    from .checks.provenance import normalise

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


# ------------------------------------------------------------------------------------------------ extract

@dataclass
class Placed:
    """A figure of the new report and where it went."""

    candidate: object
    section: str | None
    row: int | None = None  # line in facts.csv
    previous: dict | None = None  # the row it left alone or replaced


@dataclass
class Extracted:
    year: int
    base_year: int
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
    try:
        module = importlib.import_module("camgiang_data.ingest.engine")
    except ImportError as exc:
        raise NewYearError(f"the extraction engine (camgiang_data.ingest.engine) cannot be imported: {exc}") from None
    return module.extract


def _candidate_row(c, section: str, base: dict) -> dict:
    return {
        **base,
        "indicator_id": c.indicator_id, "year": str(int(c.year)), "kind": c.kind, "value": machine_number(c.value),
        "unit": c.unit, "qualifier": c.qualifier or "", "estimated": "true" if c.estimated else "false",
        "as_written": c.as_written, "quote": c.quote, "section": section, "source_year": "",
    }


def _same(row: dict, c, section: str) -> bool:
    from .numbers import parse_machine_number
    from .checks.provenance import normalise

    try:
        value = parse_machine_number(row.get("value", ""))
    except ValueError:
        return False
    return (math.isclose(value, float(c.value), rel_tol=1e-12, abs_tol=1e-12)
            and row.get("as_written", "") == c.as_written and normalise(row.get("quote", "")) == normalise(c.quote)
            and row.get("section", "") == section and (row.get("qualifier") or "") == (c.qualifier or "")
            and row.get("unit", "") == c.unit)


def extract_into(report: str | os.PathLike, year: int, data_dir: str | os.PathLike | None = None,
                 overwrite: bool = False, engine=None, accept_document: bool = False) -> Extracted:
    """Extract the figures of a report text into year folder `year` (see the module's docstring)."""
    from .checks.provenance import normalise, section_spans
    from .store import read_year

    import pandas as pd

    from .ingest import read_header

    document = read_report(report)
    text, notes = document.text, list(document.notes)
    report_header = read_header(text)  # what the new report says of itself
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
    base = _base_year(root, year)
    result = Extracted(year, base, folder, str(report), notes)
    if not accept_document:
        _guard_same_document(text, report_header.metadata(), root, year, str(report))

    source_path = folder / "source.txt"
    if reading.exists(source_path):
        try:
            old = reading.read_text(source_path, f"{year}/source.txt", limit=reading.MAX_REPORT_BYTES)
        except reading.ReadError:
            old = None  # unreadable: only --overwrite replaces it
        if old != text and not overwrite:
            raise NewYearError(
                f"{source_path} already holds a different report text: nothing was changed. If {report} is the "
                f"right report for {year}, add --overwrite to replace the text (figures extracted from it then "
                "replace filled rows too; check the review list).")
        result.source_written = old != text
    else:
        result.source_written = True

    facts_fields = _field_names("facts")
    facts_path = folder / "facts.csv"
    if reading.exists(facts_path):
        header, rows = _read_csv(facts_path, f"{year}/facts.csv")
    else:  # a year folder missing its facts: the rows new-year makes
        scaffolded, carried = _scaffold_rows(root, base, year)
        header, rows = facts_fields, [{k: r.get(k, "") for k in facts_fields} for r in scaffolded + carried]
        result.restored.append("facts.csv")
    if sorted(header) != sorted(facts_fields):
        raise NewYearError(f"{year}/facts.csv, row 1: expected the columns {','.join(facts_fields)}; found "
                           f"{','.join(header)}. Fix its header first. Nothing was changed.")

    # sections: this year's list (as new-year copied it, or a person extended it) plus the base year's
    sections_fields = _field_names("sections")
    known: dict[str, dict] = {}
    for path in (folder / "sections.csv", root / str(base) / "sections.csv"):
        if reading.exists(path):
            for row in _read_csv(path, _label(root, path), ("code", "heading"))[1]:
                if row.get("code"):
                    known.setdefault(row["code"], {k: v for k, v in row.items() if k != "_line"})
    known.pop(OPENING_SECTION, None)  # the opening is this text's own, made again below
    kept = find_headings(text, list(known.values()), year - base)
    result.sections_kept = kept
    kept_codes = {r["code"] for r in kept}
    result.sections_dropped = [r for c, r in known.items() if c not in kept_codes]
    result.sections_reworded = [r for r in kept if normalise(r["heading"]) != normalise(known[r["code"]]["heading"])]
    frame = pd.DataFrame(kept, columns=sections_fields)
    frame.insert(0, "_row", range(2, len(kept) + 2))
    spans, _ = section_spans(text, frame, f"{year}/sections.csv")
    # The report's opening, before its first known heading (all of it when no heading was recognised): a figure
    # there is not dropped for want of a section; it gets this one, whose heading is the text's first line.
    first_line = next((line for line in (normalise(x).lstrip("*#_> ").strip() for x in text.split("\n")) if line), "")
    opening = {"code": OPENING_SECTION, "heading": first_line,
               "title_en": "The report's opening, before its first recognised heading"}
    opening_spans, _ = section_spans(text, pd.DataFrame([{"_row": 2, **opening}, *[
        {"_row": i + 3, **r} for i, r in enumerate(kept)]]), f"{year}/sections.csv") if first_line else ({}, [])
    opening_span = opening_spans.get(OPENING_SECTION)

    # the engine: the latest earlier report's stated figures are the templates
    _refuse_broken_base(root, base, data_dir)  # its figures teach the extraction
    base_data = read_year(base, root)
    templates = base_data.facts
    own = templates["source_year"].isna() | (templates["source_year"] == base)
    filled = templates["value"].notna() & templates["as_written"].notna() & templates["quote"].notna()
    templates = templates[(own & filled).astype(bool)].drop(columns=["_row"]).reset_index(drop=True)
    catalog = base_data.catalog.drop(columns=["_row"], errors="ignore").reset_index(drop=True)
    engine = engine or _engine()
    # the previous report's own text lets the engine learn which words single a figure out (recall 0,84 → 0,91)
    extraction = engine(text, templates, catalog, year, base, template_text=base_data.source)

    normal = normalise(text)

    def place(c) -> Placed:
        start = c.start if normal[c.start:c.start + len(normalise(c.quote))] == normalise(c.quote) \
            else normal.find(normalise(c.quote))
        end = start + len(normalise(c.quote))
        section = None if start < 0 else _innermost(spans, start, end)
        if section is None and start >= 0 and opening_span is not None and opening_span.start <= start \
                and end <= opening_span.end:
            section = OPENING_SECTION
        return Placed(c, section)

    # merge
    index = {}
    carried_count: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        key = _key(row)
        if key is None:
            continue
        index.setdefault(key, i)
        if (row.get("source_year") or "").strip() not in ("", str(year)):
            carried_count[key[:3]] = carried_count.get(key[:3], 0) + 1
    names = {r["indicator_id"]: f"{r['name_vi']} / {r['name_en']}" for r in catalog.to_dict("records")}
    touched: list[tuple[str, Placed, int]] = []  # (list name, placed, row index)
    for c in sorted(extraction.found, key=lambda c: c.start):
        placed = place(c)
        if placed.section is None:
            result.unplaced.append(placed)
            continue
        # a figure restated from a carried-in target comes after it: mention numbers follow the report's order
        mention = int(c.mention) + carried_count.get((c.indicator_id, int(c.year), c.kind), 0)
        key = (c.indicator_id, int(c.year), c.kind, mention)
        note = f"{names.get(c.indicator_id, c.indicator_id)}; filled by camgiang extract: check it"
        if key not in index:
            new = _candidate_row(c, placed.section, {k: "" for k in facts_fields})
            new.update(mention=str(mention), note=note)
            rows.append(new)
            index[key] = len(rows) - 1
            touched.append(("added", placed, len(rows) - 1))
            continue
        i = index[key]
        row = rows[i]
        if _is_unfilled(row):
            rows[i] = {**_candidate_row(c, placed.section, row), "mention": str(mention), "note": note}
            touched.append(("filled", placed, i))
        elif _same(row, c, placed.section):
            touched.append(("unchanged", placed, i))
        elif overwrite:
            placed.previous = dict(row)
            rows[i] = {**_candidate_row(c, placed.section, row), "mention": str(mention), "note": note}
            touched.append(("overwritten", placed, i))
        else:
            placed.previous = dict(row)
            touched.append(("left_alone", placed, i))
    result.conflicts = [(i, k, m, [place(c) for c in cands]) for i, k, m, cands in extraction.conflicts]
    result.missing = list(extraction.missing)

    if first_line and (any(p.section == OPENING_SECTION for _, p, _ in touched)
                       or any(r.get("section") == OPENING_SECTION and _is_filled(r) for r in rows)):
        kept = [opening, *kept]
    facts_text, lines = _csv_text(facts_fields, rows)
    for kind, placed, i in touched:
        placed.row = lines[i]
        getattr(result, kind).append(placed)
    result.unfilled_left = sum(1 for r in rows if _is_unfilled(r))

    # metadata
    metadata_path = folder / "source.json"
    if reading.exists(metadata_path):
        metadata = _read(reading.read_json, metadata_path, f"{year}/source.json")
        if not isinstance(metadata, dict):
            raise NewYearError(f"{year}/source.json: expected a JSON object of metadata; found a JSON "
                               f"{type(metadata).__name__}. Fix it (or delete it to start it again from the {base} "
                               "report's). Nothing was changed.")
    else:  # a year folder missing its metadata: start again from the base year's
        metadata = _metadata_from(root, base, year)
        result.restored.append("source.json")
    base_path = root / str(base) / "source.json"
    base_meta = _read(reading.read_json, base_path, f"{base}/source.json") if reading.exists(base_path) else {}
    result.header_warnings = _header_into(metadata, report_header, base_meta if isinstance(base_meta, dict) else {})
    stated = report_header.metadata()
    result.metadata = {k: v for k, v in stated.items() if k != "unit"}
    result.metadata.update({f"unit {k}": v for k, v in stated.get("unit", {}).items()})
    metadata.update({"report_year": year, "source_file": "source.txt",
                     "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     "encoding": "utf-8", "unicode_normalization": "NFC", "source_format": document.format,
                     "source_original": document.original_name if document.original_differs else None,
                     "source_original_sha256": document.sha256 if document.original_differs else None})
    metadata["metadata_note"] = ("document number, date, issuing body, unit and title as the report's header "
                                 "states them (read by `camgiang extract`); null where it does not.")

    files = {
        "facts.csv": facts_text,
        "sections.csv": _csv_text(sections_fields, kept)[0],
        "source.json": json.dumps(metadata, ensure_ascii=False, indent=2) + "\n",
    }
    if result.source_written:
        files["source.txt"] = text
    from .ingest.review import REVIEW_FILE, review_rows, review_text

    result.names = {r["indicator_id"]: r for r in catalog.to_dict("records")}
    to_review = review_rows(result, text, list(result.names.values()), templates.to_dict("records"),
                            carried_count)
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
    from .ingest.review import domain_names

    names, domains = result.names, domain_names()
    out = [f"Extracted {result.report} into {result.folder} (templates: the {result.base_year} report)",
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
               + (f"; not found (dropped from sections.csv): "
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
