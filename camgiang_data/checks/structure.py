"""Structure before meaning: the shape of source.json and rules.toml, checked before any rule or join runs.

(The CSV files' structure, columns, required cells, keys, types, is the Table Schema reader's job: schema.py.)
Unknown keys are errors, as unknown CSV columns are: a misspelt key (`tolerence`) would otherwise be ignored
without a word.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import Problem, closest_hint

# Present in every source.json. What a report's header states (number, date, issuing body, title, the unit's
# name) may be null where the header does not state it: the reports then say "not stated", nothing is guessed.
REQUIRED_METADATA = ("document_number", "date", "issuing_body", "title", "report_year", "unit")
NULLABLE_METADATA = ("document_number", "date", "issuing_body", "title")

# key -> (accepted JSON types, what a person should write)
_TEXT = (str,)
_OPTIONAL_TEXT = (str, type(None))
METADATA_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "document_number": (_OPTIONAL_TEXT, "the document number as printed, e.g. \"01/BC-UBND\", or null"),
    "date": (_OPTIONAL_TEXT, "the report's date as YYYY-MM-DD, or null"),
    "issuing_body": (_OPTIONAL_TEXT, "the issuing body, e.g. \"Ủy ban nhân dân thị trấn Cẩm Giang\", or null"),
    "issuing_body_en": (_OPTIONAL_TEXT, "the issuing body in English, or null"),
    "title": (_OPTIONAL_TEXT, "the report's title as printed, or null"),
    "title_en": (_OPTIONAL_TEXT, "the title in English, or null"),
    "report_year": ((int,), "the year the report is about, a whole number"),
    "unit": ((dict,), "an object describing the administrative unit, with its 'name'"),
    "source_file": (_OPTIONAL_TEXT, "\"source.txt\""),
    "source_sha256": (_OPTIONAL_TEXT, "the SHA-256 of source.txt (64 hex digits), or null"),
    "language": (_OPTIONAL_TEXT, "a language code, e.g. \"vi\""),
    "encoding": (_OPTIONAL_TEXT, "\"utf-8\""),
    "unicode_normalization": (_OPTIONAL_TEXT, "\"NFC\""),
    "metadata_note": (_OPTIONAL_TEXT, "a note on how the metadata was made, or null"),
    "source_format": (_OPTIONAL_TEXT, "\"txt\", \"docx\" or \"pdf\": how source.txt was read from the report"),
    "source_original": (_OPTIONAL_TEXT, "the report file as received, kept beside source.txt (e.g. "
                                        "\"source.docx\"), or null"),
    "source_original_sha256": (_OPTIONAL_TEXT, "the SHA-256 of that file (64 hex digits), or null"),
}
UNIT_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "name": (_OPTIONAL_TEXT, "the unit's name, e.g. \"thị trấn Cẩm Giang\", or null"),
    "type": (_OPTIONAL_TEXT, "xã, phường or thị trấn, or null"),
    "district": (_OPTIONAL_TEXT, "the district, e.g. \"huyện Cẩm Giàng\", or null"),
    "province": (_OPTIONAL_TEXT, "the province, e.g. \"tỉnh Hải Dương\", or null"),
    "code": (_OPTIONAL_TEXT, "the administrative unit code, or null"),
    "code_note": (_OPTIONAL_TEXT, "a note on the code, or null"),
}
_JSON_NAMES = {str: "text", int: "a whole number", dict: "an object", type(None): "null", list: "a list",
               float: "a number", bool: "true/false"}


def _json_type(value) -> str:
    return _JSON_NAMES.get(type(value), type(value).__name__)


def _check_keys(obj: dict, known: dict, label: str, prefix: str = "") -> list[Problem]:
    problems = []
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if key not in known:
            problems.append(Problem(file=label, column=name, expected=f"one of the keys {', '.join(known)}",
                                    found=name, hint=closest_hint(key, known), check="structure"))
            continue
        types, what = known[key]
        # a JSON true is a Python bool, which is an int: not a year
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            problems.append(Problem(file=label, column=name, expected=what, found=f"{_json_type(value)} {value!r}",
                                    check="structure"))
    return problems


def check_metadata(meta: dict, label: str) -> list[Problem]:
    """Keys known and of the right type, the required ones present, the date a real date."""
    problems = _check_keys(meta, METADATA_KEYS, label)
    for key in REQUIRED_METADATA:
        if key not in meta or (meta[key] in (None, "") and key not in NULLABLE_METADATA):
            problems.append(Problem(file=label, column=key, expected=f"a value for '{key}'"
                                    + (" (null where the report does not state it)" if key in NULLABLE_METADATA
                                       else ""), found="", check="source"))
    unit = meta.get("unit")
    if isinstance(unit, dict):
        problems += _check_keys(unit, UNIT_KEYS, label, "unit.")
    date = meta.get("date")
    if isinstance(date, str) and date:
        try:
            dt.date.fromisoformat(date)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise ValueError
        except ValueError:
            problems.append(Problem(file=label, column="date", expected="a date YYYY-MM-DD", found=date,
                                    check="structure"))
    for key in ("source_sha256", "source_original_sha256"):
        digest = meta.get(key)
        if isinstance(digest, str) and not re.fullmatch(r"[0-9a-f]{64}", digest):
            problems.append(Problem(file=label, column=key, expected="64 lowercase hex digits", found=digest,
                                    check="structure"))
    return problems


def check_rules_document(document: dict, label: str) -> list[Problem]:
    """rules.toml holds a list of [[rule]] tables and nothing else (each rule's keys: rules.check_rule_definitions)."""
    problems = []
    for key, value in document.items():
        if key != "rule":
            problems.append(Problem(file=label, column=key, expected="only [[rule]] tables", found=key,
                                    hint=closest_hint(key, ["rule"]), check="rules"))
        elif not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(Problem(file=label, column="rule", expected="[[rule]] tables (a list of tables)",
                                    found=_json_type(value), check="rules"))
    return problems
