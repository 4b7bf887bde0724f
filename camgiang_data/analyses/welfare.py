"""Social welfare and government: gifts by occasion (Tết, War Invalids and Martyrs Day) and level (central,
province, district) — number, amount, average per gift, totals per occasion; Covid-19 support; and, under
"Government", the council election (delegates, women, non-party, under 40) and the civil-service ratings.

Pure functions over `camgiang_data.load` (`year`, `data_dir`); language-neutral frames with `name_vi`/`name_en`;
words a reader sees are in `TEXT`. A figure the data lacks is NaN ("not reported"), never zero; a gift line the
report does not have at all (no such indicator in the catalogue) is "none listed".
"""

from __future__ import annotations

import os

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import cell, compare_columns, compare_frames, figures, missing, number, ratio, total
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present import heading as present_heading
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present import messages
from camgiang_data.present.i18n import t

TEXT = messages.report("welfare")  # words for readers: camgiang_data/messages/reports/welfare.toml
TITLE = TEXT["title"]

OCCASIONS = ("tet", "war_invalids_day")
LEVELS = ("central", "province", "district")
COVID_IDS = ["welfare.covid_support_approved.freelance_workers", "welfare.covid_support_proposed.business_households"]
DELEGATES = "government.election.delegates"
ELECTION_GROUPS = ("women", "non_party", "under_40")
RATED = "government.civil_service.rated"
RATINGS = ("excellent", "good", "completed")


# ----------------------------------------------------------------------------------------------- data access
def _both(key: str) -> dict:
    return {"vi": TEXT[key]["vi"], "en": TEXT[key]["en"]}


# ----------------------------------------------------------------------------------------------- formulas
def average(amount: float, count: float) -> float:
    """Average per unit = amount ÷ count; NaN when missing or the count is 0."""
    return ratio(amount, count)


def share(count: float, base: float) -> float:
    """100 × count ÷ base; NaN when missing or the base is 0."""
    return 100.0 * average(count, base)


# ----------------------------------------------------------------------------------------------- gifts
def gifts(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per occasion and level the report lists: gifts, amount, average per gift (amount ÷ gifts), whether
    the amount includes gifts in kind; then a computed total per occasion and one for both occasions."""
    f = figures(year, data_dir)
    rows = []
    for occasion in OCCASIONS:
        lines = []
        for level in LEVELS:
            count_id, amount_id = f"welfare.gifts.{occasion}.{level}", f"welfare.gift_amount.{occasion}.{level}"
            if count_id not in f.catalog and amount_id not in f.catalog:
                continue  # the report has no such line
            quote = f.field(amount_id, "quote") or f.field(count_id, "quote") or ""
            lines.append({"occasion": occasion, "level": level, "basis": "stated",
                          "gifts": f.value(count_id), "amount": f.value(amount_id), "in_kind": "hiện vật" in quote})
        rows += lines
        rows.append({"occasion": occasion, "level": "total", "basis": "computed",
                     "gifts": total(r["gifts"] for r in lines), "amount": total(r["amount"] for r in lines),
                     "in_kind": False})
    totals = [r for r in rows if r["level"] == "total"]
    rows.append({"occasion": "all", "level": "total", "basis": "computed", "gifts": total(r["gifts"] for r in totals),
                 "amount": total(r["amount"] for r in totals), "in_kind": False})
    frame = pd.DataFrame.from_records(rows)
    frame["average"] = [average(a, g) for a, g in zip(frame["amount"], frame["gifts"])]
    for lang in ("vi", "en"):
        frame[f"occasion_{lang}"] = [TEXT["all_occasions" if o == "all" else f"occasion.{o}"][lang]
                                     for o in frame["occasion"]]
        frame[f"level_{lang}"] = [TEXT[f"level.{lv}"][lang] for lv in frame["level"]]
    return frame


def occasion_totals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The computed totals of `gifts` only (per occasion and for both)."""
    frame = gifts(year, data_dir)
    return frame[frame["level"] == "total"].reset_index(drop=True)


def gift_matrix(year: int | None = None, data_dir: str | os.PathLike | None = None,
                measure: str = "amount") -> pd.DataFrame:
    """`measure` by level (rows) and occasion (columns); a level the report lists no line for is NaN and flagged
    in `listed_<occasion>`."""
    frame = gifts(year, data_dir)
    frame = frame[frame["basis"] == "stated"].set_index(["level", "occasion"])
    rows = []
    for level in LEVELS:
        row = {"level": level, "level_vi": TEXT[f"level.{level}"]["vi"], "level_en": TEXT[f"level.{level}"]["en"]}
        for occasion in OCCASIONS:
            listed = (level, occasion) in frame.index
            row[occasion] = frame.loc[(level, occasion), measure] if listed else float("nan")
            row[f"listed_{occasion}"] = listed
        rows.append(row)
    return pd.DataFrame.from_records(rows)


# ----------------------------------------------------------------------------------------------- covid, government
def covid_support(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    f = figures(year, data_dir)
    return pd.DataFrame.from_records([{**f.names(i), "value": f.value(i), "as_written": f.field(i, "as_written"),
                                       "quote": f.field(i, "quote")} for i in COVID_IDS])


def elections(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Delegates elected, and for each group its count, its stated share and the share the counts give."""
    f = figures(year, data_dir)
    delegates = f.value(DELEGATES)
    rows = [{**f.names(DELEGATES), "group": "all", "count": delegates, "stated_share": float("nan"),
             "computed_share": share(delegates, delegates)}]
    for group in ELECTION_GROUPS:
        count_id, share_id = f"{DELEGATES}.{group}", f"government.election.delegates_share.{group}"
        rows.append({**f.names(count_id), "group": group, "count": f.value(count_id),
                     "stated_share": f.value(share_id), "computed_share": share(f.value(count_id), delegates)})
    return pd.DataFrame.from_records(rows)


def civil_service(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Civil servants rated, by rating with their computed share, then the titles, proposals and the share of
    procedures entered in the one-stop software."""
    f = figures(year, data_dir)
    rated = f.value(RATED)
    rows = [{**f.names(RATED), "kind": "rated", "count": rated, "share": share(rated, rated)}]
    for rating in RATINGS:
        iid = f"{RATED}.{rating}"
        rows.append({**f.names(iid), "kind": "rating", "rating": rating, "count": f.value(iid),
                     "share": share(f.value(iid), rated)})
    for iid, entry in f.catalog.items():
        if entry.get("table") == "civil_service" and iid != RATED and not iid.startswith(f"{RATED}."):
            rows.append({**f.names(iid), "kind": "other", "count": f.value(iid),
                         "share": float("nan")})
    return pd.DataFrame.from_records(rows)


def ratings_check(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dict:
    frame = civil_service(year, data_dir)
    rated = frame.loc[frame["kind"] == "rated", "count"].iloc[0]
    summed = total(frame.loc[frame["kind"] == "rating", "count"])
    status = "missing" if missing(rated) or missing(summed) else "equal" if rated == summed else "differ"
    return {"rated": rated, "sum": summed, "status": status}


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return _common.actuals(year, data_dir, ("welfare", "elections", "civil_service"), qualifier=False)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))


# ----------------------------------------------------------------------------------------------- text
def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _money(value, lang: str) -> str:
    return format_money_short(value, lang)


def summary_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """One sentence with the headline numbers."""
    f = figures(year, data_dir)
    totals = occasion_totals(year, data_dir).set_index("occasion")
    e = elections(year, data_dir).set_index("group")
    c = civil_service(year, data_dir)
    excellent = c.loc[c["rating"] == "excellent", "count"] if "rating" in c else pd.Series(dtype=float)
    return _t("summary", lang, year=f.year,
              tet_gifts=number(totals.loc["tet", "gifts"], lang), tet_amount=_money(totals.loc["tet", "amount"], lang),
              day_gifts=number(totals.loc["war_invalids_day", "gifts"], lang),
              day_amount=_money(totals.loc["war_invalids_day", "amount"], lang),
              workers=number(f.value(COVID_IDS[0]), lang), delegates=number(e.loc["all", "count"], lang),
              women=format_value(e.loc["women", "stated_share"], "percent", lang),
              rated=number(f.value(RATED), lang), excellent=number(excellent.iloc[0] if len(excellent) else None, lang))


def covid_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    f = figures(year, data_dir)
    return _t("covid_note", lang, workers=number(f.value(COVID_IDS[0]), lang),
              households=number(f.value(COVID_IDS[1]), lang))


def ratings_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    c = ratings_check(year, data_dir)
    return _t("ratings_note", lang, sum=number(c["sum"], lang), rated=number(c["rated"], lang),
              verdict=_t(f"verdict_{c['status']}", lang))


# ----------------------------------------------------------------------------------------------- display
def heading(key: str, lang: str, level: int = 2, **values) -> str:
    """A section heading (the text of `key` in the reader's language), displayed and returned."""
    return present_heading(_t(key, lang, **values), level)


def _cell(lang, unit, decimals=None, applies=None):
    """A number cell; `applies(row)` False leaves the cell empty (a share of the whole itself, of a title, …)."""
    plain = cell(lang, unit, decimals=decimals)
    return plain if applies is None else lambda value, row: plain(value, row) if applies(row) else ""


def columns(ctx, which: str) -> list:
    """Column specifications for `present.show_table` for each table of this report."""
    lang = ctx.lang
    name = (f"name_{lang}", t("indicator", lang), None)
    part = lambda r: r.get("group") != "all"  # noqa: E731 - the whole is not a share of itself
    if which == "gifts":
        return [(f"occasion_{lang}", _t("col_occasion", lang), None), (f"level_{lang}", _t("col_level", lang), None),
                ("gifts", _t("col_gifts", lang), _cell(lang, "gifts")),
                ("amount", _t("col_amount", lang), _cell(lang, "VND")),
                ("average", _t("col_average", lang), _cell(lang, "VND", 0)),
                ("in_kind", _t("col_note", lang), lambda v, r: _t("in_kind", lang) if v is True else "")]
    if which == "covid":
        return [name, ("value", t("value", lang), cell(lang)),
                ("quote", t("quote", lang), None)]
    if which == "elections":
        return [name, ("count", _t("col_count", lang), _cell(lang, "persons")),
                ("stated_share", _t("col_stated_share", lang), _cell(lang, "percent", applies=part)),
                ("computed_share", _t("col_computed_share", lang), _cell(lang, "percent", 2, applies=part))]
    if which == "civil_service":
        return [name, ("count", _t("col_count", lang), cell(lang)),
                ("share", _t("col_computed_share", lang),
                 _cell(lang, "percent", 1, applies=lambda r: r.get("kind") == "rating"))]
    if which == "compare":
        return compare_columns(ctx)
    raise ValueError(f"unknown table {which!r}")


# ----------------------------------------------------------------------------------------------- charts
def gifts_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    """Amounts by level, one bar per occasion; short money labels; unlisted lines labelled 'none listed'."""
    frame = gift_matrix(year, data_dir, "amount")
    series = {TEXT[f"occasion.{o}"][lang]: list(frame[o]) for o in OCCASIONS}
    fig = charts.grouped_bar_chart(list(frame[f"level_{lang}"]), series, "VND", lang,
                                   _t("gifts_title", lang, year=resolve_year(year, data_dir)), _t("gifts_axis", lang))
    listed = [flag for o in OCCASIONS for flag in frame[f"listed_{o}"]]
    values = [v for o in OCCASIONS for v in frame[o]]
    for text, value, flag in zip(fig.axes[0].texts, values, listed):
        text.set_text(_money(value, lang) if flag else _t("none_listed", lang))
    return fig


def average_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = gifts(year, data_dir)
    frame = frame[frame["basis"] == "stated"]
    labels = [f"{lv} — {oc}" for lv, oc in zip(frame[f"level_{lang}"], frame[f"occasion_{lang}"])]
    return charts.bar_chart(labels, list(frame["average"]), "VND", lang, _t("average_title", lang),
                            _t("average_axis", lang), decimals=0)


def elections_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = elections(year, data_dir)
    delegates = frame.loc[frame["group"] == "all", "count"].iloc[0]
    frame = frame[frame["group"] != "all"]
    return charts.bar_chart(list(frame[f"name_{lang}"]), list(frame["computed_share"]), "percent", lang,
                            _t("elections_title", lang, delegates=number(delegates, lang)), _t("elections_axis", lang),
                            decimals=1)


def ratings_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = civil_service(year, data_dir)
    rated = frame.loc[frame["kind"] == "rated", "count"].iloc[0]
    frame = frame[frame["kind"] == "rating"]
    return charts.share_chart(list(frame[f"name_{lang}"]), list(frame["share"]), lang,
                              _t("ratings_title", lang, rated=number(rated, lang), year=resolve_year(year, data_dir)))
