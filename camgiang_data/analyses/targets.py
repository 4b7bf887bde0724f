"""Targets scorecard (Bảng theo dõi chỉ tiêu): every target of the year against its result (met / not met / not
reported, as `camgiang_data.topical.assess_target` judges it), with the qualifiers as the report words them, and
the targets the report sets for the next year.

Pure functions over `camgiang_data.load("targets", year, data_dir)`.

Formulas (named, tested):
- attainment ratio = 100 × result ÷ target, for level targets (kind `target`) whose result is reported in the
  same unit; for a `below` target a ratio under 100 % is the goal;
- with a comparison year: the targets that year's report set for this year, judged with `assess_target` against
  this year's results.
"""

from __future__ import annotations

import html

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import Chart, name_col
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.topical import STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED, assess_target

NAN = float("nan")
STATUSES = (STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED)

TEXT = messages.report("targets")  # words for readers: camgiang_data/messages/reports/targets.toml
TITLE = TEXT["title"]


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


# ------------------------------------------------------------------------------------------------------ text

def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def intro(year: int | None, lang: str, data_dir=None) -> str:
    year = resolve_year(year, data_dir)
    return t("intro", lang, TEXT, year=year, next=year + 1)


def _qual(value) -> str | None:
    return value if isinstance(value, str) else None


_MONEY_WORDS = ((1e9, "tỷ", "billion"), (1e6, "triệu", "million"))
_MONEY_UNITS = {"VND": {"vi": "đồng", "en": "VND"},
                "VND_per_person_year": {"vi": "đồng/người/năm", "en": "VND per person per year"}}


def _short(value, unit: str, lang: str, qualifier=None) -> str:
    """Like format_value, but large amounts of money in words: `trên 55,1 triệu đồng/người/năm`."""
    if unit not in _MONEY_UNITS or is_missing(value) or abs(float(value)) < 1e6:
        return format_value(value, unit, lang, qualifier=_qual(qualifier))
    from camgiang_data.numbers import format_number

    size, vi, en = next(w for w in _MONEY_WORDS if abs(float(value)) >= w[0])
    text = f"{format_number(float(value) / size, lang)} {vi if lang == 'vi' else en} {_MONEY_UNITS[unit][lang]}"
    return f"{t(qualifier, lang)} {text}" if _qual(qualifier) else text


def target_text(row: dict, lang: str) -> str:
    """A target as a reader says it: `trên 7%`, `dưới 1%`, `giảm ít nhất 0,2 điểm %`."""
    if row["kind"] == "target_change" and not is_missing(row["target"]):
        direction = t("decrease" if float(row["target"]) < 0 else "increase", lang, TEXT)
        magnitude = format_value(abs(float(row["target"])), row["unit"], lang, qualifier=_qual(row["qualifier"]))
        return f"{direction} {magnitude}"
    return format_value(row["target"], row["unit"], lang, qualifier=_qual(row["qualifier"]))


def result_text(row: dict, lang: str) -> str:
    if row["kind"] == "target_change" and not is_missing(row["result"]):
        return format_value(row["result"], row["unit"], lang, signed=True)
    return format_value(row["result"], row["unit"], lang, qualifier=_qual(row.get("result_qualifier")))


def status_text(status, lang: str) -> str:
    return t(status if status in STATUSES else STATUS_NOT_REPORTED, lang, TEXT)


def summary_text(year: int | None = None, lang: str = "vi", data_dir=None) -> str:
    """One sentence with the headline numbers (for the index page)."""
    year = resolve_year(year, data_dir)
    card = scorecard(year, data_dir)
    c = counts(card)
    missed = [t("missed_item", lang, TEXT, name=r[name_col(lang)],
                result=_short(r["result"], r["unit"], lang, r.get("result_qualifier")),
                target=_short(r["target"], r["unit"], lang, r["qualifier"]))
              for r in card.to_dict("records") if r["status"] == STATUS_NOT_MET]
    return t("summary", lang, TEXT, year=year, next=year + 1, met=c[STATUS_MET], total=c["total"],
             not_met=c[STATUS_NOT_MET], not_reported=c[STATUS_NOT_REPORTED],
             missed=t("summary_missed", lang, TEXT, items="; ".join(missed)) if missed else "",
             next_count=len(next_targets(year, data_dir)))


def findings_texts(frame: pd.DataFrame, related: pd.DataFrame, lang: str) -> list[str]:
    """One line per scorecard indicator that has findings, naming the rules (details in the audit report)."""
    names = dict(zip(frame["indicator_id"], frame[name_col(lang)]))
    out = []
    for ident, rules in related.groupby("indicator_id", sort=False)["rule_id"]:
        out.append(t("findings", lang, TEXT, name=names.get(ident, ident), rules=", ".join(dict.fromkeys(rules))))
    return out


def scorecard_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`."""
    rows = [{**r, "label": r[name_col(lang)], "target_text": target_text(r, lang),
             "result_text": result_text(r, lang), "status_text": status_text(r["status"], lang)}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("result_text", t("col_result", lang, TEXT), None),
                  ("status_text", t("col_status", lang, TEXT), None),
                  ("ratio", t("col_ratio", lang, TEXT),
                   lambda v, r: "" if is_missing(v) else format_value(v, "percent", lang, 1))]


def sources_table(frame: pd.DataFrame, lang: str):
    rows = [{"label": r[name_col(lang)], "target_quote": r["target_quote"],
             "result_quote": r["result_quote"] if isinstance(r["result_quote"], str) else t("not_reported", lang)}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_quote", t("col_target_quote", lang, TEXT), None),
                  ("result_quote", t("col_result_quote", lang, TEXT), None)]


def next_table(frame: pd.DataFrame, lang: str):
    rows = [{"label": r[name_col(lang)], "target_text": target_text(r, lang), "quote": r["target_quote"]}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("quote", t("col_quote", lang, TEXT), None)]


def next_list(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """The next year's targets as a list of short lines (`name: target`)."""
    if frame.empty:
        return [t("next_none", lang, TEXT, year=year + 1)]
    return [f"{r[name_col(lang)]}: {target_text(r, lang)}" for r in frame.to_dict("records")]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]
    def fmt(signed):  # a change of a rate (%) is in percentage points
        return lambda v, row: format_value(v, "pp" if signed and row["unit"] == "percent" else row["unit"], lang,
                                           signed=signed)

    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("result", t("col_year_result", lang, TEXT, year=year), fmt(False)),
                  ("compare_result", t("col_year_result", lang, TEXT, year=other), fmt(False)),
                  ("change", t("col_change", lang, TEXT), fmt(True))]


def prior_targets_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, "label": r[name_col(lang)], "target_text": target_text(r, lang),
             "result_text": result_text({**r, "result_qualifier": None}, lang),
             "status_text": status_text(r["status"], lang)} for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("result_text", t("col_result", lang, TEXT), None),
                  ("status_text", t("col_status", lang, TEXT), None)]


# ---------------------------------------------------------------------------------------------------- charts

def ratio_chart(frame: pd.DataFrame, lang: str) -> Chart | None:
    """result ÷ target (%) per level target with a result; a line at 100 %; not-met bars highlighted."""
    rows = [r for r in frame.to_dict("records") if not is_missing(r["ratio"])]
    if not rows:
        return None
    year = int(rows[0]["year"])
    labels = []
    for r in rows:
        label = f"{r[name_col(lang)]} ({_short(r['target'], r['unit'], lang, r['qualifier'])})"
        if r["qualifier"] == "below":
            label += f"\n[{t('below_hint', lang, TEXT)}]"
        labels.append(_wrap(label))
    values = [r["ratio"] for r in rows]
    highlight = {i for i, r in enumerate(rows) if r["status"] == STATUS_NOT_MET}
    title = t("ch_ratio", lang, TEXT, year=year)
    fig = charts.bar_chart(labels, values, "percent", lang, title, t("axis_ratio", lang, TEXT), decimals=1,
                           highlight=highlight)
    ax = fig.axes[0]
    for text in ax.texts:  # value labels stay legible where they cross the 100 % line
        text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.0})
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--", label=t("line_100", lang, TEXT), zorder=0)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    left, right = ax.get_xlim()
    ax.set_xlim(left, max(right, 135))
    items = "; ".join(f"{r[name_col(lang)]}: {result_text(r, lang)} / {target_text(r, lang)} = "
                      f"{format_value(r['ratio'], 'percent', lang, 1)} ({status_text(r['status'], lang)})"
                      for r in rows)
    return Chart(fig, t("alt", lang, TEXT, title=title, items=items), t("chart_note", lang, TEXT))


def _wrap(label: str, width: int = 38) -> str:
    import textwrap

    return "\n".join("\n".join(textwrap.wrap(part, width)) or part for part in label.split("\n"))
