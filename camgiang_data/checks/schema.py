"""Table Schema (Frictionless) descriptions of the data files, and a strict typed CSV reader that applies them.

The schemas in `camgiang_data/schemas/` are the single source of truth for column types. Each year folder carries a
`datapackage.json` generated from them (metadata beside the data, readable by any Frictionless tool); the library
itself applies the schemas with this small reader, because importing `frictionless` costs about a second.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd

from .. import numbers, units
from ..errors import ProblemList, closest_hint
from . import reading

SCHEMA_DIR = Path(__file__).parent / "schemas"

# Topical tables built from the facts; the catalogue's `table` column must name one of them.
TOPICAL_TABLES: dict[str, str] = {
    "overview": "Overall assessment figures",
    "economy": "Growth, income per head, production value and its structure",
    "agriculture": "Sown areas, yields, livestock and fish farming",
    "vaccination": "Covid-19 vaccination doses against their bases, and animal vaccinations",
    "credit_fund": "The people's credit fund: loans, capital, deposits, overdue debt",
    "land_environment": "Land management and environment",
    "plans": "Planned works for the next year",
    "budget": "Budget revenue, spending and balance",
    "schools": "Preschool, primary and lower secondary schools",
    "covid": "Covid-19 cases, lockdowns, checkpoints",
    "health": "Health care",
    "population": "Population growth",
    "culture": "Cultural families and residential areas",
    "poverty": "Poor and near-poor households under the old and new criteria",
    "welfare": "Gifts by occasion and level, support packages",
    "elections": "Elections of people's council delegates",
    "civil_service": "Civil-service ratings and administrative reform",
    "military": "Military service and call-up",
    "public_order": "Public order: cases by type and handling",
    "justice": "Petitions and citizen reception",
    "civil_registration": "Administrative procedures and civil registration",
    "violations": "Administrative violations and fines",
}

_MACHINE_FORM = "a number in machine form (dot decimal, no grouping, e.g. 7804089625 or 12.5)"

# Columns added after files were first written: a file without them reads as if they were empty.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"catalog": ("value_range", "scope"), "facts": ("unit_as_written",)}

# Fill groups: the columns that together say what a figure is. A row with all of them empty is a figure *not
# filled yet* (valid: its optional companions may be empty too); a row with some but not all is *half filled*.
FILL_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "facts": (("value", "as_written", "quote"), ("section",)),
}


@cache
def table_schema(name: str) -> dict:
    """The Table Schema of one kind of file (facts, derivations, sections, catalog), with the enums filled in."""
    schema = reading.read_json(SCHEMA_DIR / f"{name}.json")
    enums = {"unit": sorted(units.UNITS), "table": sorted(TOPICAL_TABLES)}
    for fld in schema["fields"]:
        if fld["name"] in enums:
            fld.setdefault("constraints", {})["enum"] = enums[fld["name"]]
    return schema


def _cast(text: str, fld: dict, where: dict, problems: ProblemList):
    """Cast one cell; on failure record a problem and return None."""
    kind = fld["type"]
    try:
        if kind == "string":
            return text
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", text):
                raise ValueError
            return int(text)
        if kind == "number":
            return numbers.parse_machine_number(text)
        if kind == "boolean":
            if text not in ("true", "false"):
                raise ValueError
            return text == "true"
        if kind == "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        expected = {
            "integer": "a whole number",
            "number": _MACHINE_FORM,
            "boolean": "true or false",
            "date": "an ISO date YYYY-MM-DD",
        }[kind]
        hint = None
        if kind in ("number", "integer"):
            suggestion = numbers.suggest_machine_form(text)
            hint = f"written the Vietnamese way? the machine form is {suggestion}" if suggestion else None
        problems.add(expected=expected, found=text, hint=hint, **where)
        return None
    raise AssertionError(f"schema type {kind!r} is not supported")


def _check_constraints(value, fld: dict, where: dict, problems: ProblemList) -> None:
    c = fld.get("constraints", {})
    if "enum" in c and value not in c["enum"]:
        problems.add(expected=f"one of {', '.join(map(str, c['enum']))}", found=value,
                     hint=closest_hint(str(value), c["enum"]), **where)
    if "pattern" in c and not re.fullmatch(c["pattern"], str(value)):
        problems.add(expected=f"text matching {c['pattern']}", found=value, **where)
    if "minimum" in c and value < c["minimum"]:
        problems.add(expected=f"at least {c['minimum']}", found=value, **where)
    if "maximum" in c and value > c["maximum"]:
        problems.add(expected=f"at most {c['maximum']}", found=value, **where)


def read_table(path: Path, schema_name: str, problems: ProblemList, label: str | None = None) -> pd.DataFrame:
    """Read a CSV file and type it by its Table Schema.

    Every cell that breaks the schema is recorded in `problems` (file, row, column, expected, found);
    the row is still kept so that no row is silently dropped.
    """
    schema = table_schema(schema_name)
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    label = label or path.name
    try:
        table = reading.read_csv(path, label)
    except reading.ReadError as exc:
        problem = exc.problem
        if problem.found == "no such file":
            problem = replace(problem, expected=f"the file {path.name}", check="source")
        problems.items.append(problem)
        return _empty(fields)
    if not table.header:
        problems.add(file=label, row=1, expected=f"a header row: {','.join(names)}", found="an empty file")
        return _empty(fields)
    header = table.header
    missing = [n for n in names if n not in header and n not in OPTIONAL_COLUMNS.get(schema_name, ())]
    unknown = [h for h in header if h not in names]
    twice = sorted({h for h in header if header.count(h) > 1})
    if missing or unknown or twice:
        problems.add(file=label, row=1, column=",".join(missing + unknown + twice) or None,
                     expected=f"the columns {','.join(names)}, each once", found=",".join(header),
                     hint=_header_hint(missing, unknown, twice))
        return _empty(fields)

    missing_values = schema.get("missingValues", [""])
    group, companions = FILL_GROUPS.get(schema_name, ((), ()))
    records, lines = [], []
    for start, cells in table.rows:
        lines.append(start)
        if len(cells) != len(header):
            problems.add(file=label, row=start, expected=f"{len(header)} cells", found=f"{len(cells)} cells")
        cell = dict(zip(header, cells))
        if group:
            blank = {n for n in group if cell.get(n, "").strip() in missing_values}
            unfilled = len(blank) == len(group)  # a figure still to fill: valid
            half = bool(blank) and not unfilled
        else:
            blank, unfilled, half = (), False, False
        record = {}
        for fld in fields:
            name = fld["name"]
            text = cell.get(name, "")
            where = {"file": label, "row": start, "column": name}
            if text != text.strip():
                problems.add(expected="no leading or trailing spaces", found=text, **where)
                text = text.strip()
            if text in missing_values:
                if half and name in blank:
                    filled = ", ".join(n for n in group if n not in blank)
                    problems.add(expected=f"a value ({fld.get('description', name)})", found="",
                                 hint=f"the row is half filled: it has {filled} but not {name}; "
                                      f"{', '.join(group)} go together (fill all of them, or empty all of them "
                                      f"to leave the figure not filled yet)", **where)
                elif fld.get("constraints", {}).get("required") and not (
                        unfilled and (name in group or name in companions)):
                    problems.add(expected=f"a value ({fld.get('description', name)})", found="", **where)
                record[name] = None
                continue
            if fld["type"] == "string" and not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)  # what a search for the printed words will match
            value = _cast(text, fld, where, problems)
            if value is not None:
                _check_constraints(value, fld, where, problems)
            record[name] = value
        records.append(record)

    frame = pd.DataFrame.from_records(records, columns=names)
    frame.insert(0, "_row", pd.Series(lines, dtype="Int64"))
    _check_keys(frame, schema, label, problems)
    return _typed(frame, fields)


def _header_hint(missing: list[str], unknown: list[str], twice: list[str]) -> str:
    parts = [f"missing: {', '.join(missing)}"] if missing else []
    for name in unknown:
        close = closest_hint(name, missing) if missing else None
        parts.append(f"unknown: {name}" + (f" ({close})" if close else ""))
    if twice:
        parts.append(f"twice: {', '.join(twice)}")
    return "; ".join(parts)


def _empty(fields: list[dict]) -> pd.DataFrame:
    """The typed frame of a file that could not be read (its problem is recorded): no rows, every column."""
    frame = pd.DataFrame(columns=[f["name"] for f in fields])
    frame.insert(0, "_row", pd.Series([], dtype="Int64"))
    return _typed(frame, fields)


def _check_keys(frame: pd.DataFrame, schema: dict, label: str, problems: ProblemList) -> None:
    keys = [schema.get("primaryKey", [])] + [[f["name"]] for f in schema["fields"]
                                             if f.get("constraints", {}).get("unique")]
    for key in keys:
        if not key:
            continue
        seen: dict[tuple, int] = {}
        for row, values in zip(frame["_row"], frame[key].itertuples(index=False, name=None)):
            if values in seen:
                problems.add(file=label, row=int(row), column=",".join(key), expected="a unique key",
                             found="|".join(map(str, values)), hint=f"the same key is on row {seen[values]}")
            else:
                seen[values] = int(row)


_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for fld in fields:
        name = fld["name"]
        if fld["type"] == "date":
            frame[name] = pd.to_datetime(frame[name], errors="coerce")
        else:
            frame[name] = frame[name].astype(_DTYPES[fld["type"]])
    return frame


def datapackage(name: str, resources: dict[str, str], description: str) -> dict:
    """A Frictionless Data Package descriptor for files `resources` (path -> schema name)."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "description": description,
        "resources": [
            {
                "name": Path(path).stem,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": table_schema(schema),
            }
            for path, schema in resources.items()
        ],
    }


YEAR_RESOURCES = {"facts.csv": "facts", "derivations.csv": "derivations", "sections.csv": "sections"}
ROOT_RESOURCES = {"catalog.csv": "catalog", "catalog.local.csv": "catalog"}  # the core catalogue, the unit's own


def descriptors(root: Path) -> dict[Path, dict]:
    """The datapackage.json each folder of a data directory should carry: the root's lists the catalogue files
    that stand in it (a unit started by `init` shares the packaged core and may have only its extension)."""
    present = {path: name for path, name in ROOT_RESOURCES.items() if (root / path).exists()}
    out = {}
    if present:
        out[root / "datapackage.json"] = datapackage("camgiang-catalog", present, "Indicator catalogue shared by "
                                                     "every year: the core one and the unit's extension")
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()):
        out[folder / "datapackage.json"] = year_descriptor(folder.name)
    return out


def year_descriptor(year: int | str) -> dict:
    """The datapackage.json of one year folder."""
    return datapackage(f"camgiang-{year}", YEAR_RESOURCES,
                       f"Figures of the {year} report, with provenance (see source.txt and source.json)")


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def write_descriptors(root: Path) -> list[Path]:
    """(Re)write the datapackage.json files of a data directory, each atomically."""
    from ..atomic import write_text

    written = []
    for path, descriptor in descriptors(root).items():
        write_text(path, render(descriptor))
        written.append(path)
    return written

