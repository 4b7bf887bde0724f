"""Data quality audit (Kiểm tra số liệu): every consistency finding about the report (the rule, what was stated,
what the figures give, the difference, the tolerance, the sentences involved), every derived figure (formula,
inputs, value, the sentence that licenses it), and the counts of the check: stated figures, derived figures,
indicators, rules, errors, findings.

Built on `camgiang_data.validate` (its findings are `cg.load("findings")`) and on the checked facts, so the audit
also runs, and lists the errors, when the data has errors (where `cg.load` would refuse).

Formulas: none of its own; derived values are the data's (`camgiang_data.derive.FORMULAS`), differences are the
rules' (stated − computed). Words and tables: `camgiang_data.present.reports.audit`.
"""

from __future__ import annotations

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import clean
from camgiang_data.checks.validation import checked_year
from camgiang_data.paths import resolve_year
from camgiang_data.refs import parse_ref

NAN = float("nan")
COUNT_KEYS = ("stated figures", "derived figures", "indicators", "rules")


# ------------------------------------------------------------------------------------------------ analyses

def counts(year: int | None = None, data_dir=None) -> dict[str, int]:
    """stated figures, derived figures, indicators, rules (as `validate` counts them), errors and findings."""
    report = cg.validate(year, data_dir)
    out = {k: int(report.counts.get(k, 0)) for k in COUNT_KEYS}
    out["errors"] = len(report.errors)
    out["findings"] = len(report.findings)
    return out


def errors(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Every data error: check, file, row, column, expected, found, hint."""
    return cg.validate(year, data_dir).errors_frame()


def findings(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Every consistency finding (the `findings` table's columns), plus `number`, the unit the compared values
    are in, the qualifiers of the stated figure and (for repeated mentions) of the other statement, and
    `sentences`: the distinct (quote, section) pairs of the figures involved, in rule order."""
    year = resolve_year(year, data_dir)
    data, _, report = checked_year(year, data_dir)
    frame = report.findings_frame()
    catalog_units = dict(zip(data.catalog["indicator_id"], data.catalog["unit"]))
    units, sentences, stated_q, computed_q = [], [], [], []
    for finding in report.findings:
        first = finding.figures[0] if finding.figures else {}
        stated_q.append(clean(first.get("qualifier")))
        # a repeated mention compares two statements: the second one's qualifier is the "computed" side
        second = finding.figures[1] if finding.rule_type == "mentions_agree" and len(finding.figures) > 1 else {}
        computed_q.append(clean(second.get("qualifier")))
        unit = "percent" if finding.rule_type == "attainment" else first.get("unit") or \
            catalog_units.get(first.get("indicator_id"))
        units.append(unit)
        pairs = []
        for fig in finding.figures:
            pair = (fig.get("quote"), fig.get("section"))
            if isinstance(pair[0], str) and pair not in pairs:
                pairs.append(pair)
        sentences.append(pairs)
    frame.insert(0, "number", range(1, len(frame) + 1))
    frame["unit"] = units
    frame["stated_qualifier"], frame["computed_qualifier"] = stated_q, computed_q
    frame["sentences"] = sentences
    return frame


def derived(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Every derived figure: indicator, year, kind, formula, its inputs (reference, value, unit), value, unit,
    tolerance, and the quote and section that license it."""
    year = resolve_year(year, data_dir)
    data, facts, _ = checked_year(year, data_dir)
    names = data.catalog.set_index("indicator_id")[["name_vi", "name_en"]]
    stated = facts[facts["basis"] == "stated"]
    rows = facts[facts["basis"] == "derived"]
    records = []
    for row in rows.to_dict("records"):
        inputs = []
        for token in str(clean(row["inputs"]) or "").split():
            ref = parse_ref(token, int(row["year"]))
            match = stated[(stated["indicator_id"] == ref.indicator_id) & (stated["year"] == ref.year)
                           & (stated["kind"] == ref.kind)].sort_values("mention")
            inputs.append({"ref": str(ref), "indicator_id": ref.indicator_id, "year": ref.year, "kind": ref.kind,
                           "value": float(match["value"].iloc[0]) if len(match) else NAN,
                           "unit": match["unit"].iloc[0] if len(match) else None})
        ident = row["indicator_id"]
        records.append({
            "indicator_id": ident,
            "name_vi": names.loc[ident, "name_vi"] if ident in names.index else ident,
            "name_en": names.loc[ident, "name_en"] if ident in names.index else ident,
            "year": int(row["year"]), "kind": row["kind"], "formula": row["formula"], "inputs": inputs,
            "value": float(row["value"]), "unit": row["unit"], "tolerance": clean(row["tolerance"]),
            "quote": row["quote"], "section": row["section"], "note": clean(row["note"])})
    return pd.DataFrame.from_records(records, columns=["indicator_id", "name_vi", "name_en", "year", "kind",
                                                       "formula", "inputs", "value", "unit", "tolerance", "quote",
                                                       "section", "note"])


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """The counts of both years; change = count − compare count."""
    now, before = counts(year, data_dir), counts(compare_year, data_dir)
    return pd.DataFrame([{"key": k, "value": now[k], "compare_value": before[k], "change": now[k] - before[k],
                          "year": resolve_year(year, data_dir), "compare_year": compare_year} for k in now])
