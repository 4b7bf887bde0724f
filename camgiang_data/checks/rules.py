"""Consistency rules (declared in rules.toml) and what they find about the report.

A failed rule is a finding about the report, kept and shown, never an error that blocks loading.
Tolerances come from printed precision: a figure printed as 93% may stand for anything in [92.5, 93.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem, ProblemList, closest_hint
from ..refs import FactIndex, Ref, parse_ref

# type -> the fields that hold references (a list field where the name is plural)
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "sum": ("total", "parts"),
    "parts_within": ("total", "parts"),
    "ratio": ("rate", "numerator", "denominator"),
    "difference": ("result", "minuend", "subtrahend"),
    "attainment": ("indicator",),
    "equal": ("a", "b"),
}
_EPS = 1e-9


@dataclass
class Finding:
    rule_id: str
    rule_type: str
    description: str
    year: int
    stated: float
    computed: float
    tolerance: float
    message: str
    figures: list[dict] = field(default_factory=list)  # the facts involved, with their quotes

    @property
    def difference(self) -> float:
        return self.computed - self.stated

    def as_record(self) -> dict:
        return {
            "rule_id": self.rule_id, "rule_type": self.rule_type, "year": self.year,
            "description": self.description, "stated": self.stated, "computed": self.computed,
            "difference": self.difference, "tolerance": self.tolerance, "message": self.message,
            "indicators": " ".join(dict.fromkeys(f["indicator_id"] for f in self.figures)),
            "quotes": " | ".join(dict.fromkeys(f["quote"] for f in self.figures if isinstance(f["quote"], str))),
        }


FINDING_COLUMNS = ["rule_id", "rule_type", "year", "description", "stated", "computed", "difference", "tolerance",
                   "message", "indicators", "quotes"]


COMMON_RULE_KEYS = ("id", "type", "description")


def check_rule_definitions(rules: list[dict], catalog_ids: set[str], label: str) -> list[Problem]:
    """Rules must have a known type, a unique id, only the keys of their type, and references to catalogue
    indicators. A problem's file is the rule's `_file` (else `label`), its row the line of its [[rule]] header."""
    problems = ProblemList()
    seen = set()
    for number, rule in enumerate(rules, start=1):
        where = {"file": rule.get("_file", label), "row": rule.get("_line"), "check": "rules"}
        rid = rule.get("id")
        if not isinstance(rid, str) or not rid or rid in seen:
            problems.add(column="id", expected=f"a unique rule id (rule {number} of the file)",
                         found=str(rid), **where)
        seen.add(rid)
        rtype = rule.get("type")
        if rtype not in RULE_FIELDS:
            problems.add(column="type", expected=f"one of {', '.join(RULE_FIELDS)}", found=str(rtype),
                         hint=closest_hint(str(rtype), RULE_FIELDS), **where)
            continue
        allowed = (*COMMON_RULE_KEYS, *RULE_FIELDS[rtype])
        for key in rule:
            if key not in ("_line", "_file") and key not in allowed:
                problems.add(column=key, expected=f"only the keys of a {rtype} rule: {', '.join(allowed)}",
                             found=key, hint=closest_hint(key, allowed), **where)
        if "description" in rule and not isinstance(rule["description"], str):
            problems.add(column="description", expected="text", found=str(rule["description"]), **where)
        for name in RULE_FIELDS[rtype]:
            values = rule.get(name)
            refs = values if isinstance(values, list) else [values]
            if values is None or (isinstance(values, list) and not values):
                problems.add(column=name, expected=f"a reference for '{name}' in a {rtype} rule", found="", **where)
                continue
            for text in refs:
                if isinstance(text, (int, float)) and not isinstance(text, bool):
                    continue  # a constant such as 100 (shares of a whole)
                if not isinstance(text, str):
                    problems.add(column=name, expected="a reference ID[@YEAR][:KIND] or a number",
                                 found=str(text), **where)
                    continue
                try:
                    ref = parse_ref(text, 2000)
                except ValueError as exc:
                    problems.add(column=name, expected="a reference ID[@YEAR][:KIND]", found=text,
                                 hint=str(exc), **where)
                    continue
                if ref.indicator_id not in catalog_ids:
                    problems.add(column=name, expected="an indicator id of the catalogue (catalog.csv or the unit's catalog.local.csv)", found=ref.indicator_id,
                                 hint=closest_hint(ref.indicator_id, catalog_ids), **where)
    return problems.items


def _figure(index: FactIndex, ref: Ref) -> dict | None:
    row = index.get(ref)
    return None if row is None or pd.isna(row["value"]) else row


def evaluate(rules: list[dict], facts: pd.DataFrame, year: int) -> list[Finding]:
    """Findings of every applicable rule, plus disagreements between repeated mentions of one figure."""
    index = FactIndex(facts)
    findings: list[Finding] = []
    for rule in rules:
        rtype = rule.get("type")
        if rtype not in RULE_FIELDS:
            continue
        finding = _EVALUATORS[rtype](rule, index, year)
        if finding is not None:
            findings.append(finding)
    findings.extend(_mention_findings(facts, year))
    return findings


def _refs(rule: dict, name: str, year: int) -> list[Ref]:
    values = rule[name]
    return [parse_ref(str(v), year) for v in (values if isinstance(values, list) else [values])]


def _constant(value: float) -> dict:
    return {"indicator_id": f"constant {value:g}", "value": float(value), "tolerance": 0.0, "qualifier": None,
            "quote": None, "basis": "constant"}


def _collect(rule: dict, index: FactIndex, year: int, names: tuple[str, ...]) -> list[list[dict]] | None:
    groups = []
    for name in names:
        values = rule[name] if isinstance(rule[name], list) else [rule[name]]
        figures = [_constant(v) if isinstance(v, (int, float)) else _figure(index, parse_ref(str(v), year))
                   for v in values]
        if any(f is None for f in figures):
            return None  # the rule does not apply to a year that lacks its figures
        groups.append(figures)
    return groups


def _fmt(value: float) -> str:
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _compare(rule: dict, year: int, stated_fig: dict, computed: float, tol_inputs: float,
             figures: list[dict], relation: str = "=") -> Finding | None:
    """Compare a stated figure with the value computed from others, respecting the stated figure's qualifier."""
    stated = stated_fig["value"]
    tolerance = tol_inputs + stated_fig["tolerance"]
    qualifier = stated_fig.get("qualifier")
    qualifier = None if pd.isna(qualifier) else qualifier
    if relation == "<=":
        ok = computed <= stated + tolerance + _EPS
    elif qualifier == "above":
        ok = computed > stated - tol_inputs - _EPS
    elif qualifier == "at_least":
        ok = computed >= stated - tol_inputs - _EPS
    elif qualifier == "below":
        ok = computed < stated + tol_inputs + _EPS
    elif qualifier in ("about", "nearly"):
        ok = abs(computed - stated) <= max(tolerance, 0.05 * abs(stated)) + _EPS
    else:
        ok = abs(computed - stated) <= tolerance + _EPS * max(1.0, abs(stated))
    if ok:
        return None
    words = {"above": "above ", "at_least": "at least ", "below": "below "}.get(qualifier or "", "")
    message = (f"stated {words}{_fmt(stated)} but the figures give {_fmt(computed)} "
               f"(difference {_fmt(computed - stated)}, tolerance {_fmt(tolerance)})")
    if relation == "<=":
        message = f"the parts add up to {_fmt(computed)}, more than the stated total {_fmt(stated)}"
    return Finding(rule["id"], rule["type"], rule.get("description", ""), year, stated, computed, tolerance,
                   message, figures)


def _sum(rule, index, year, relation="="):
    groups = _collect(rule, index, year, ("total", "parts"))
    if groups is None:
        return None
    (total,), parts = groups
    return _compare(rule, year, total, sum(p["value"] for p in parts), sum(p["tolerance"] for p in parts),
                    [total, *parts], relation)


def _ratio_of(rule, year, rate, numerator, denominator):
    if denominator["value"] == 0:
        return None
    n, d = numerator["value"], denominator["value"]
    computed = 100.0 * n / d
    tol = 100.0 * (numerator["tolerance"] / abs(d) + abs(n) * denominator["tolerance"] / d ** 2)
    return _compare(rule, year, rate, computed, tol, [rate, numerator, denominator])


def _ratio(rule, index, year):
    groups = _collect(rule, index, year, ("rate", "numerator", "denominator"))
    return None if groups is None else _ratio_of(rule, year, groups[0][0], groups[1][0], groups[2][0])


def _attainment(rule, index, year):
    base = _refs(rule, "indicator", year)[0]
    figures = [_figure(index, Ref(base.indicator_id, base.year, k)) for k in ("plan_attainment", "actual", "target")]
    if any(f is None for f in figures) or figures[2]["basis"] != "stated":
        return None  # only a stated target can contradict a stated attainment
    return _ratio_of(rule, year, *figures)


def _difference(rule, index, year):
    groups = _collect(rule, index, year, ("result", "minuend", "subtrahend"))
    if groups is None:
        return None
    (result,), (a,), (b,) = groups
    return _compare(rule, year, result, a["value"] - b["value"], a["tolerance"] + b["tolerance"], [result, a, b])


def _equal(rule, index, year):
    groups = _collect(rule, index, year, ("a", "b"))
    if groups is None:
        return None
    (a,), (b,) = groups
    return _compare(rule, year, a, b["value"], b["tolerance"], [a, b])


_EVALUATORS = {
    "sum": _sum,
    "parts_within": lambda rule, index, year: _sum(rule, index, year, "<="),
    "ratio": _ratio,
    "attainment": _attainment,
    "difference": _difference,
    "equal": _equal,
}


def _mention_findings(facts: pd.DataFrame, year: int) -> list[Finding]:
    """A figure stated more than once must be stated the same way each time."""
    groups: dict[tuple, list[dict]] = {}
    for row in facts[facts["basis"] == "stated"].to_dict("records"):
        groups.setdefault((row["indicator_id"], row["year"], row["kind"]), []).append(row)
    findings = []
    for (indicator, fyear, kind), rows in sorted(groups.items()):
        if len(rows) < 2:
            continue
        first, *others = sorted(rows, key=lambda r: r["mention"])
        for other in others:
            same_value = abs(other["value"] - first["value"]) <= first["tolerance"] + other["tolerance"] + _EPS
            q1, q2 = (None if pd.isna(r["qualifier"]) else r["qualifier"] for r in (first, other))
            if same_value and q1 == q2:
                continue
            what = "value" if not same_value else "qualifier"
            message = (f"mention {other['mention']} says {other['as_written']!r}"
                       f"{' (' + q2 + ')' if q2 else ''} where mention 1 says {first['as_written']!r}"
                       f"{' (' + q1 + ')' if q1 else ''}")
            findings.append(Finding(f"mentions:{indicator}@{fyear}:{kind}", "mentions_agree",
                                    f"Every statement of {indicator} ({kind}, {fyear}) gives the same {what}.",
                                    year, first["value"], other["value"],
                                    first["tolerance"] + other["tolerance"], message, [first, other]))
    return findings
