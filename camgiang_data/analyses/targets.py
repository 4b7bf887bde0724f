"""Targets scorecard (Bảng theo dõi chỉ tiêu): every target of the year against its result (met / not met / not
reported, as `camgiang_data.topical.assess_target` judges it), with the qualifiers as the report words them, and
the targets the report sets for the next year.

Pure functions over `camgiang_data.load("targets", year, data_dir)`, returning DataFrames and counts. Words,
tables and charts: `camgiang_data.present.reports.targets`.

Formulas (named, tested):
- attainment ratio = 100 × result ÷ target, for level targets (kind `target`) whose result is reported in the
  same unit; for a `below` target a ratio under 100 % is the goal;
- with a comparison year: the targets that year's report set for this year, judged with `assess_target` against
  this year's results.
"""

from __future__ import annotations

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import missing as is_missing
from camgiang_data.paths import resolve_year
from camgiang_data.topical import STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED, assess_target

NAN = float("nan")
STATUSES = (STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED)


def _targets(year: int, data_dir) -> pd.DataFrame:
    frame = cg.load("targets", year, data_dir)
    if frame.empty:
        return pd.DataFrame(columns=["indicator_id", "name_vi", "name_en", "table", "year", "kind", "target",
                                     "qualifier", "unit", "target_as_written", "target_quote", "result",
                                     "result_qualifier", "result_as_written", "result_quote", "status"])
    return frame


def _comparable(row: dict) -> bool:
    return (row["kind"] == "target" and not is_missing(row["result"]) and not is_missing(row["target"])
            and float(row["target"]) != 0)


# ------------------------------------------------------------------------------------------------ analyses

def scorecard(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Every target set for `year` with its result and status (from the `targets` table, judged by
    `assess_target`), plus `ratio` = 100 × result ÷ target for level targets with a result."""
    year = resolve_year(year, data_dir)
    frame = _targets(year, data_dir)
    frame = frame[frame["year"] == year].reset_index(drop=True).copy()
    frame["ratio"] = [100.0 * float(r["result"]) / float(r["target"]) if _comparable(r) else NAN
                      for r in frame.to_dict("records")]
    return frame


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many targets of a scorecard are met, not met, not reported (and the total)."""
    out = {s: int((frame["status"] == s).sum()) for s in STATUSES}
    out["total"] = len(frame)
    return out


def next_targets(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """The targets the report sets for year + 1, as stated."""
    year = resolve_year(year, data_dir)
    frame = _targets(year, data_dir)
    return frame[frame["year"] == year + 1].reset_index(drop=True)


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Results of this year's targets in `year` and in `compare_year`; change = result − compare result."""
    year = resolve_year(year, data_dir)
    now = scorecard(year, data_dir)
    before = scorecard(compare_year, data_dir)
    out = now[["indicator_id", "name_vi", "name_en", "unit", "kind", "result", "status"]].merge(
        before[["indicator_id", "result", "status"]].rename(columns={"result": "compare_result",
                                                                    "status": "compare_status"}),
        on="indicator_id", how="left")
    out["change"] = out["result"] - out["compare_result"]
    out["year"], out["compare_year"] = year, compare_year
    return out


def prior_report_targets(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """The targets `compare_year`'s report set for `year`, judged by `assess_target` against the results `year`'s
    report gives (its first statement of the actual value, or of the change for a change target)."""
    year = resolve_year(year, data_dir)
    earlier = _targets(compare_year, data_dir)
    earlier = earlier[earlier["year"] == year].reset_index(drop=True).copy()
    facts = cg.load("facts", year, data_dir)
    stated = facts[(facts["basis"] == "stated") & (facts["mention"] == 1) & (facts["year"] == year)]
    results, statuses = [], []
    for row in earlier.to_dict("records"):
        kind = "change" if row["kind"] == "target_change" else "actual"
        match = stated[(stated["indicator_id"] == row["indicator_id"]) & (stated["kind"] == kind)]
        result = float(match["value"].iloc[0]) if len(match) else None
        results.append(NAN if result is None else result)
        statuses.append(assess_target(row["target"], row["qualifier"], result, row["kind"]))
    earlier["result"], earlier["status"] = results, statuses
    return earlier


def related_findings(frame: pd.DataFrame, year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Consistency findings (`cg.load("findings")`) that involve an indicator of the scorecard."""
    year = resolve_year(year, data_dir)
    findings = cg.load("findings", year, data_dir)
    wanted = set(frame["indicator_id"])
    records = []
    for row in findings.to_dict("records"):
        for ident in str(row["indicators"] or "").split():
            if ident in wanted:
                records.append({"indicator_id": ident, "rule_id": row["rule_id"], "message": row["message"]})
    return pd.DataFrame.from_records(records, columns=["indicator_id", "rule_id", "message"])


def repeats_scorecard(prior: pd.DataFrame, card: pd.DataFrame) -> bool:
    """Are the targets an earlier report set for this year exactly this year's scorecard (same indicators, kinds
    and targets)? Then they were carried in and judged there already: a second table would repeat the first."""
    if prior is None or prior.empty or len(prior) != len(card):
        return False

    def keys(frame):
        return sorted((r["indicator_id"], r["kind"], None if is_missing(r["target"]) else round(float(r["target"]), 9))
                      for r in frame.to_dict("records"))
    return keys(prior) == keys(card)
