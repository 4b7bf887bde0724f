"""Data quality audit (Kiểm tra số liệu): every consistency finding about the report (the rule, what was stated,
what the figures give, the difference, the tolerance, the sentences involved), every derived figure (formula,
inputs, value, the sentence that licenses it), and the counts of the check: stated figures, derived figures,
indicators, rules, errors, findings.

Built on `camgiang_data.validate` (its findings are `cg.load("findings")`) and on the checked facts, so the audit
also runs, and lists the errors, when the data has errors (where `cg.load` would refuse).

Formulas: none of its own; derived values are the data's (`camgiang_data.derive.FORMULAS`), differences are the
rules' (stated − computed).
"""

from __future__ import annotations

import html

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import change_unit, clean, name_col
from camgiang_data.derive import FORMULAS
from camgiang_data.paths import resolve_year
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.refs import parse_ref
from camgiang_data.checks.validation import checked_year

NAN = float("nan")
COUNT_KEYS = ("stated figures", "derived figures", "indicators", "rules")

TEXT = messages.report("audit")  # words for readers: camgiang_data/messages/reports/audit.toml
TITLE = TEXT["title"]


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


# ------------------------------------------------------------------------------------------------------ text

def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def intro(year: int | None, lang: str, data_dir=None) -> str:
    return t("intro", lang, TEXT, year=resolve_year(year, data_dir))


def summary_text(year: int | None = None, lang: str = "vi", data_dir=None) -> str:
    """One sentence with the headline numbers (for the index page)."""
    c = counts(year, data_dir)
    n = {k: format_value(v, "count", lang, with_unit=False) for k, v in c.items()}
    return t("summary", lang, TEXT, year=resolve_year(year, data_dir), stated=n["stated figures"],
             derived=n["derived figures"], indicators=n["indicators"], rules=n["rules"], errors=n["errors"],
             findings=n["findings"])


def counts_table(c: dict[str, int], lang: str):
    """(rows, columns) for `present.show_table`."""
    rows = [{"label": t(f"c_{k}", lang, TEXT), "value": v} for k, v in c.items()]
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_count", lang, TEXT), lambda v, r: format_value(v, "count", lang))]


def errors_text(frame: pd.DataFrame, lang: str) -> str:
    return t("errors_none", lang, TEXT) if frame.empty else t("errors_some", lang, TEXT, n=len(frame))


def errors_table(frame: pd.DataFrame, lang: str):
    rows = [{k: ("" if clean(v) is None else str(v)) for k, v in r.items()} for r in frame.to_dict("records")]
    return rows, [(k, t(f"col_{k}", lang, TEXT), None) for k in ("check", "file", "row", "column", "expected",
                                                                  "found")]


def _decimals(value: float, most: int = 3) -> int:
    """The fewest decimals (up to `most`) that show `value` as it is to `most` decimals: 2.448084 → 3, 234.4 → 1."""
    target = round(float(value), most)
    return next(d for d in range(most + 1) if round(float(value), d) == target)


def _num(value, unit, lang, signed=False) -> str:
    """Money to the đồng; anything else to as many decimals as it has, up to 3 (so 2,448 % is not shown as 2,45 %)."""
    if is_missing(value):
        return t("not_reported", lang)
    decimals = 0 if unit in ("VND", "VND_per_person_year") else _decimals(value)
    return format_value(value, unit, lang, decimals, signed=signed)


def findings_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`: rule (and its type), what is checked, stated, what the figures
    give, difference, tolerance."""
    rows = []
    for r in frame.to_dict("records"):
        rows.append({**r, "rule_text": f"{r['rule_id']} ({_rule_type(r['rule_type'], lang)})",
                     "stated_text": _qualifier_text(r["stated_qualifier"], lang) + _num(r["stated"], r["unit"], lang),
                     "computed_text": _qualifier_text(r["computed_qualifier"], lang)
                     + _num(r["computed"], r["unit"], lang),
                     "difference_text": _num(r["difference"], change_unit(r["unit"]), lang, signed=True),
                     "tolerance_text": "±" + _num(r["tolerance"], change_unit(r["unit"]), lang)})
    return rows, [("number", t("col_no", lang, TEXT), lambda v, r: str(v)),
                  ("rule_text", t("col_rule", lang, TEXT), None),
                  ("description", t("col_description", lang, TEXT), None),
                  ("stated_text", t("col_stated", lang, TEXT), None),
                  ("computed_text", t("col_computed", lang, TEXT), None),
                  ("difference_text", t("col_difference", lang, TEXT), None),
                  ("tolerance_text", t("col_tolerance", lang, TEXT), None)]


def _qualifier_text(qualifier, lang: str) -> str:
    return f"{t(qualifier, lang)} " if isinstance(qualifier, str) and qualifier else ""


def sentences_table(frame: pd.DataFrame, lang: str):
    """One row per finding, its sentences side by side (empty cells where a finding has fewer)."""
    width = max([len(s) for s in frame["sentences"]] + [1]) if len(frame) else 1
    rows = []
    for r in frame.to_dict("records"):
        row = {"number": r["number"], "rule_id": r["rule_id"]}
        for i in range(width):
            row[f"s{i}"] = t("sentence", lang, TEXT, quote=r["sentences"][i][0], section=r["sentences"][i][1]) \
                if i < len(r["sentences"]) else ""
        rows.append(row)
    return rows, [("number", t("col_no", lang, TEXT), lambda v, r: str(v)),
                  ("rule_id", t("col_rule", lang, TEXT), None)] + \
        [(f"s{i}", t("col_sentence", lang, TEXT, n=i + 1), None) for i in range(width)]


def _rule_type(rule_type: str, lang: str) -> str:
    try:
        return t(f"rt_{rule_type}", lang, TEXT)
    except KeyError:
        return str(rule_type)


def formula_text(name: str, lang: str) -> str:
    """The formula in words, in `lang` (the package's English text for a formula this module does not know)."""
    try:
        return t(f"f_{name}", lang, TEXT)
    except KeyError:
        return FORMULAS[name].text if name in FORMULAS else str(name)


def kind_text(kind: str, lang: str) -> str:
    try:
        return t(f"k_{kind}", lang, TEXT)
    except KeyError:
        return str(kind)


def inputs_text(row: dict, lang: str) -> str:
    parts = []
    for item in row["inputs"]:
        label = f"{kind_text(item['kind'], lang)} {item['year']}"
        if item["indicator_id"] != row["indicator_id"]:
            label = f"{item['indicator_id']} {label}"
        parts.append(f"{label}: {_num(item['value'], item['unit'], lang, signed=item['kind'] == 'change')}")
    return "; ".join(parts)


def derived_table(frame: pd.DataFrame, lang: str):
    rows = []
    for r in frame.to_dict("records"):
        tol = r["tolerance"]
        value = _num(r["value"], r["unit"], lang)
        if tol:
            value += f" (±{_num(tol, change_unit(r['unit']), lang)})"
        rows.append({"label": r[name_col(lang)], "year": str(r["year"]), "kind": kind_text(r["kind"], lang),
                     "formula": f"{formula_text(r['formula'], lang)} [{r['formula']}]",
                     "inputs": inputs_text(r, lang), "value_text": value,
                     "quote": t("sentence", lang, TEXT, quote=r["quote"], section=r["section"])})
    return rows, [("label", t("col_indicator", lang, TEXT), None), ("year", t("col_year", lang, TEXT), None),
                  ("kind", t("col_kind", lang, TEXT), None), ("formula", t("col_formula", lang, TEXT), None),
                  ("inputs", t("col_inputs", lang, TEXT), None), ("value_text", t("col_value", lang, TEXT), None),
                  ("quote", t("col_quote", lang, TEXT), None)]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": t(f"c_{r['key']}", lang, TEXT)} for r in frame.to_dict("records")]
    fmt = lambda signed: (lambda v, r: format_value(v, "count", lang, signed=signed))  # noqa: E731
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), fmt(False)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), fmt(False)),
                  ("change", t("col_change", lang, TEXT), fmt(True))]
