"""Economy and agriculture: growth, income per head and production value against their targets, the economic
structure, sown areas, rice yield, livestock and fish farming.

Every function takes `year` / `data_dir` (as `camgiang_data.load`) and returns a language-neutral DataFrame or
dataclass: names in both languages come from the catalogue (`name_vi`, `name_en`); words a reader sees come from
`TEXT`. A figure the data lacks is NaN (shown as "not reported"), never zero. Computed values name their formula.
"""

from __future__ import annotations

import os

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import (after_colon, cell, change_unit, clean, compare_columns, compare_frames,
                                            difference, figures, implied_plan, missing, percent, total)
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present import heading as present_heading
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.topical import assess_target

TEXT = messages.report("economy")  # words for readers: camgiang_data/messages/reports/economy.toml
TITLE = TEXT["title"]


HEADLINE_IDS = ["economy.growth_rate", "economy.income_per_capita", "economy.production_value"]
STRUCTURE_IDS = ["economy.structure_share.agriculture_fisheries", "economy.structure_share.handicrafts",
                 "economy.structure_share.trade_services_wages_other"]
SOWN_PART_IDS = ["agriculture.sown_area.vegetables", "agriculture.sown_area.rice"]
SOWN_TOTAL_ID = "agriculture.sown_area.total"
FALLOW_ID = "agriculture.fallow_area"
FARMING_IDS = ["agriculture.rice_yield", "agriculture.high_quality_rice_share",
               "economy.agri_output_paddy_equivalent_per_ha", "agriculture.livestock.pigs",
               "agriculture.livestock.cattle", "agriculture.livestock.poultry", "agriculture.fish_farming_area",
               FALLOW_ID]
TABLES = ("economy", "agriculture")
SHOWN_IDS = set(HEADLINE_IDS + STRUCTURE_IDS + SOWN_PART_IDS + [SOWN_TOTAL_ID] + FARMING_IDS)


# ----------------------------------------------------------------------------------------------- formulas
def attainment(actual: float, target: float) -> float:
    """Plan attainment in % = 100 × actual ÷ target (NaN when either is missing or the target is 0)."""
    return percent(actual, target)


# ----------------------------------------------------------------------------------------------- analyses
def targets(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Growth, income per head and production value: result, target, gap, attainment (computed and stated),
    the plan a stated attainment implies, met / not met, and next year's target."""
    f = figures(year, data_dir)
    records = []
    for iid in HEADLINE_IDS:
        actual, target = f.value(iid), f.value(iid, kind="target")
        stated = f.value(iid, kind="plan_attainment")
        a_q, t_q = f.field(iid, "qualifier"), f.field(iid, "qualifier", kind="target")
        records.append({
            **f.names(iid), "gap_unit": change_unit(f.names(iid)["unit"]),
            "actual": actual, "actual_qualifier": a_q, "estimated": bool(f.field(iid, "estimated") or False),
            "target": target, "target_qualifier": t_q,
            "gap": difference(actual, target), "attainment": attainment(actual, target),
            "stated_attainment": stated, "implied_plan": implied_plan(actual, stated),
            "status": assess_target(target, t_q, None if missing(actual) else actual) if not missing(target)
            else "not_reported",
            "next_target": f.value(iid, f.year + 1, "target"),
            "next_target_qualifier": f.field(iid, "qualifier", f.year + 1, "target"),
        })
    return pd.DataFrame.from_records(records)


def structure(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The economic structure: each sector's share of the production value (stated), with a short label."""
    f = figures(year, data_dir)
    records = []
    for iid in STRUCTURE_IDS:
        names = f.names(iid)
        records.append({**names, "label_vi": after_colon(names["name_vi"]), "label_en": after_colon(names["name_en"]),
                        "share": f.value(iid)})
    return pd.DataFrame.from_records(records)


def sown_area(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sown-area lines the report gives, the fallow area, and the sums that show the stated total includes
    the fallow fields. `basis` is `stated` or `computed` (with the formula in `formula`)."""
    f = figures(year, data_dir)
    veg, rice = (f.value(i) for i in SOWN_PART_IDS)
    fallow, stated_total = f.value(FALLOW_ID), f.value(SOWN_TOTAL_ID)
    parts = total([veg, rice])
    rows = [{**f.names(i), "key": i, "value": f.value(i), "basis": "stated", "formula": None}
            for i in SOWN_PART_IDS + [FALLOW_ID]]
    for key, value, formula in (
            ("sown_parts_sum", parts, "vegetables + rice"),
            ("sown_parts_fallow", total([veg, rice, fallow]), "vegetables + rice + fallow"),
            ("sown_unexplained", difference(stated_total, parts), "stated total − (vegetables + rice)")):
        rows.append({"indicator_id": None, "key": key, "name_vi": TEXT[key]["vi"], "name_en": TEXT[key]["en"],
                     "unit": "ha", "value": value, "basis": "computed", "formula": formula})
    rows.append({**f.names(SOWN_TOTAL_ID), "key": SOWN_TOTAL_ID, "value": stated_total, "basis": "stated",
                 "formula": None})
    return pd.DataFrame.from_records(rows)


def farming(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Rice yield, high-quality rice, paddy-equivalent output, livestock, fish area and fallow area: the value,
    the stated change from the previous year and the previous year's value derived from it (where the report
    gives one)."""
    f = figures(year, data_dir)
    records = []
    for iid in FARMING_IDS:
        names = f.names(iid)
        prior = f.row(iid, f.year - 1)
        records.append({
            **names, "value": f.value(iid), "qualifier": f.field(iid, "qualifier"),
            "estimated": bool(f.field(iid, "estimated") or False),
            "change": f.value(iid, kind="change"), "change_unit": f.field(iid, "unit", kind="change"),
            "prior": float("nan") if prior is None else float(prior["value"]),
            "prior_formula": None if prior is None else clean(prior.get("formula")),
        })
    return pd.DataFrame.from_records(records)


def prior_values(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The rows of `farming` that have a previous-year value (derived inside this year's report)."""
    frame = farming(year, data_dir)
    return frame[frame["prior"].notna()].reset_index(drop=True)


def statements(year: int | None = None, data_dir: str | os.PathLike | None = None,
               indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Every statement of the indicators stated more than once (or of `indicator_ids`): mention, value,
    qualifier, as written, section and sentence, in report order."""
    f = figures(year, data_dir)
    facts = f.facts[(f.facts["basis"] == "stated") & (f.facts["year"] == f.year) & (f.facts["kind"] == "actual")]
    if indicator_ids is None:
        ids = set(facts.loc[facts["mention"] > 1, "indicator_id"])
        indicator_ids = [i for i in HEADLINE_IDS + FARMING_IDS + STRUCTURE_IDS if i in ids]
    rows = []
    for iid in indicator_ids:
        for row in facts[facts["indicator_id"] == iid].sort_values("mention").to_dict("records"):
            rows.append({**f.names(iid), "mention": int(row["mention"]), "value": float(row["value"]),
                         "unit": row["unit"], "qualifier": clean(row["qualifier"]),
                         "as_written": row["as_written"], "section": row["section"], "quote": row["quote"]})
    columns = ["indicator_id", "name_vi", "name_en", "mention", "value", "unit", "qualifier", "as_written",
               "section", "quote"]
    return pd.DataFrame.from_records(rows, columns=columns)


def other_figures(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Figures of the economy and agriculture tables for the year not shown elsewhere in this report."""
    f = figures(year, data_dir)
    ids = sorted({iid for iid, entry in f.catalog.items() if entry.get("table") in TABLES} - SHOWN_IDS)
    rows = []
    for iid in ids:
        for kind in ("actual", "target"):
            row = f.row(iid, kind=kind)
            if row is not None:
                rows.append({**f.names(iid), "kind": kind, "value": float(row["value"]), "unit": row["unit"],
                             "qualifier": clean(row["qualifier"]), "quote": row["quote"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "kind", "value", "unit",
                                                    "qualifier", "quote"])


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the year in the economy and agriculture tables (first statement), for comparison."""
    return _common.actuals(year, data_dir, TABLES, sort=True)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """This year's actuals against those of `compare_year` (each from its own year's data)."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))


# ----------------------------------------------------------------------------------------------- text
def _fmt(value, unit, lang, decimals=None, qualifier=None, signed=False) -> str:
    return format_value(value, unit, lang, decimals, qualifier=qualifier, signed=signed)


def _money(value, lang) -> str:
    return format_money_short(value, lang)


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _headline_value(row: dict, key: str, lang: str) -> str:
    unit, qualifier = row["unit"], clean(row.get(f"{key}_qualifier"))
    if unit == "VND":
        text = _money(row[key], lang)
        if qualifier and not missing(row[key]):
            text = f"{t(qualifier, lang)} {text}"
        return text
    return _fmt(row[key], unit, lang, qualifier=qualifier)


def summary_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """One sentence with the headline numbers."""
    rows = {r["indicator_id"]: r for r in targets(year, data_dir).to_dict("records")}
    g, i, p = (rows[k] for k in HEADLINE_IDS)
    return _t("summary", lang, year=resolve_year(year, data_dir),
              growth=_headline_value(g, "actual", lang), growth_target=_headline_value(g, "target", lang),
              income=_headline_value(i, "actual", lang), income_target=_headline_value(i, "target", lang),
              production=_headline_value(p, "actual", lang), production_target=_headline_value(p, "target", lang),
              production_pct=_fmt(p["attainment"], "percent", lang, 1),
              production_stated=_fmt(p["stated_attainment"], "percent", lang))


def production_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """The stated attainment of the production value next to the one its own figures give."""
    row = targets(year, data_dir).set_index("indicator_id").loc["economy.production_value"]
    if missing(row["attainment"]) or missing(row["stated_attainment"]):
        return _t("production_note_missing", lang)
    values = dict(actual=_money(row["actual"], lang), target=_money(row["target"], lang),
                  computed=_fmt(row["attainment"], "percent", lang, 1),
                  stated=_fmt(row["stated_attainment"], "percent", lang),
                  implied=_money(row["implied_plan"], lang))
    # Agreement within the printed precision of the stated attainment (one decimal).
    if abs(row["attainment"] - row["stated_attainment"]) <= 0.05:
        return _t("production_note_agree", lang, **values)
    return _t("production_note", lang, **values)


def statements_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """Which repeated figures are stated differently (value or qualifier), naming every wording."""
    frame = statements(year, data_dir)
    sentences = []
    for iid, group in frame.groupby("indicator_id", sort=False):
        keys = {(v, q) for v, q in zip(group["value"], group["qualifier"].fillna(""))}
        if len(keys) > 1:
            values = "; ".join(_fmt(v, u, lang, qualifier=q) for v, u, q in
                               zip(group["value"], group["unit"], group["qualifier"]))
            sentences.append(_t("statements_differ", lang, name=group[f"name_{lang}"].iloc[0], count=len(group),
                                values=values))
    return " ".join(sentences or [_t("statements_agree", lang)]) + " " + _t("statements_intro", lang)


def sown_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """What the sown-area figures show: the stated total includes the fields left unsown."""
    rows = sown_area(year, data_dir).set_index("key")["value"]
    values = [rows[SOWN_TOTAL_ID], rows["agriculture.sown_area.vegetables"], rows["agriculture.sown_area.rice"],
              rows["sown_parts_sum"], rows["sown_unexplained"], rows[FALLOW_ID], rows["sown_parts_fallow"]]
    if any(missing(v) for v in values):
        return _t("sown_note_missing", lang)
    names = ["total", "veg", "rice", "parts", "gap", "fallow", "with_fallow"]
    return _t("sown_note", lang, **{n: _fmt(v, "ha", lang) for n, v in zip(names, values)})


def structure_total_note(year: int | None = None, data_dir: str | os.PathLike | None = None,
                         lang: str = "vi") -> str:
    return _t("structure_total", lang, total=_fmt(total(structure(year, data_dir)["share"]), "percent", lang))


# ----------------------------------------------------------------------------------------------- display
def heading(key: str, lang: str, level: int = 2, **values) -> str:
    """A section heading (the text of `key` in the reader's language), displayed and returned."""
    return present_heading(_t(key, lang, **values), level)


def _estimated_cell(lang, qualifier_key: str):
    """A value with its qualifier, and "(est.)" after it where the row's `estimated` marks it as an estimate."""
    plain = cell(lang, qualifier_key=qualifier_key)

    def fmt(value, row):
        text = plain(value, row)
        if row.get("estimated") is True and not missing(value):
            text += f" ({t('estimated', lang)})"
        return text
    return fmt


def _status(lang):
    return lambda value, row: t(value, lang) if isinstance(value, str) else t("not_reported", lang)


def _text(lang, key_prefix="basis_"):
    return lambda value, row: _t(f"{key_prefix}{value}", lang) if isinstance(value, str) else ""


def columns(ctx, which: str) -> list:
    """Column specifications for `present.show_table` for each table of this report."""
    lang, name = ctx.lang, (f"name_{ctx.lang}", t("indicator", ctx.lang), None)
    if which == "targets":
        return [name,
                ("actual", _t("col_actual", lang, year=ctx.year),
                 _estimated_cell(lang, "actual_qualifier")),
                ("target", _t("col_target", lang, year=ctx.year), cell(lang, qualifier_key="target_qualifier")),
                ("gap", _t("col_gap", lang), cell(lang, unit_key="gap_unit", signed=True)),
                ("attainment", _t("col_attainment", lang), cell(lang, unit="percent", decimals=1)),
                ("stated_attainment", _t("col_stated_attainment", lang), cell(lang, unit="percent")),
                ("status", t("status", lang), _status(lang)),
                ("next_target", _t("col_next_target", lang, year=ctx.year + 1),
                 cell(lang, qualifier_key="next_target_qualifier"))]
    if which == "structure":
        return [(f"label_{lang}", _t("col_sector", lang), None),
                ("share", t("share", lang), cell(lang, unit="percent"))]
    if which == "sown":
        return [name, ("value", _t("col_area", lang), cell(lang)), ("basis", _t("col_basis", lang), _text(lang))]
    if which == "farming":
        return [name, ("value", t("value", lang) + f" {ctx.year}",
                       _estimated_cell(lang, "qualifier")),
                ("change", _t("col_change", lang, year=ctx.year - 1),
                 cell(lang, unit_key="change_unit", signed=True)),
                ("prior", _t("col_prior", lang, year=ctx.year - 1), cell(lang)),
                ("prior_formula", _t("col_prior_basis", lang), lambda v, r: _t(
                    f"formula_{v}", lang, year=ctx.year, prior=ctx.year - 1) if isinstance(v, str) else "")]
    if which == "statements":
        return [name, ("mention", _t("col_mention", lang), None),
                ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
                ("as_written", t("as_written", lang), None), ("section", _t("col_section", lang), None),
                ("quote", t("quote", lang), None)]
    if which == "other":
        return [name, ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
                ("quote", t("quote", lang), None)]
    if which == "compare":
        return compare_columns(ctx)
    raise ValueError(f"unknown table {which!r}")


# ----------------------------------------------------------------------------------------------- charts
def _derived_word(lang: str) -> str:
    return t("derived", lang)


def attainment_bars(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One bar per computed attainment, and one per attainment the report states (where it states one)."""
    rows = []
    for row in targets(year, data_dir).to_dict("records"):
        rows.append({"indicator_id": row["indicator_id"], "basis": "computed", "value": row["attainment"],
                     **{f"label_{lg}": TEXT["bar_computed"][lg].format(name=row[f"name_{lg}"]) for lg in ("vi", "en")}})
        if not missing(row["stated_attainment"]):
            rows.append({"indicator_id": row["indicator_id"], "basis": "stated", "value": row["stated_attainment"],
                         **{f"label_{lg}": TEXT["bar_stated"][lg].format(name=row[f"name_{lg}"])
                            for lg in ("vi", "en")}})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "basis", "value", "label_vi", "label_en"])


def attainment_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = attainment_bars(year, data_dir)
    stated = {i for i, b in enumerate(frame["basis"]) if b == "stated"}
    return charts.bar_chart(list(frame[f"label_{lang}"]), list(frame["value"]), "percent", lang,
                            _t("attainment_title", lang, year=resolve_year(year, data_dir)),
                            _t("attainment_axis", lang), decimals=1, highlight=stated)


def structure_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = structure(year, data_dir)
    return charts.share_chart(list(frame[f"label_{lang}"]), list(frame["share"]), lang,
                              _t("structure_title", lang, year=resolve_year(year, data_dir)))


def sown_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = sown_area(year, data_dir)
    frame = frame[frame["key"] != "sown_unexplained"].reset_index(drop=True)
    computed = {i for i, b in enumerate(frame["basis"]) if b == "computed"}
    return charts.bar_chart(list(frame[f"name_{lang}"]), list(frame["value"]), "ha", lang,
                            _t("sown_caption", lang, year=resolve_year(year, data_dir)), _t("sown_axis", lang),
                            highlight=computed)


def prior_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    """Previous-year (derived) and this year's values of the farming figures measured in ha."""
    year = resolve_year(year, data_dir)
    frame = prior_values(year, data_dir)
    frame = frame[frame["unit"] == "ha"]
    return charts.grouped_bar_chart(
        list(frame[f"name_{lang}"]),
        {f"{year - 1} ({_derived_word(lang)})": list(frame["prior"]), f"{year}": list(frame["value"])},
        "ha", lang, _t("prior_title", lang, prior=year - 1, year=year), _t("sown_axis", lang))
