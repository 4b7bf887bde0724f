"""Social welfare and government: gifts by occasion (Tết, War Invalids and Martyrs Day) and level (central,
province, district) — number, amount, average per gift, totals per occasion; Covid-19 support; and, under
"Government", the council election (delegates, women, non-party, under 40) and the civil-service ratings.

Pure functions over `camgiang_data.load` (`year`, `data_dir`), returning DataFrames and a small dataclass;
occasions and levels are codes (`tet`, `central`), indicators carry the catalogue's `name_vi`/`name_en`. A figure
the data lacks is NaN ("not reported"), never zero; a gift line the report does not have at all (no such indicator
in the catalogue) is flagged as not listed. Words, tables and charts: `camgiang_data.present.reports.welfare`.

Formulas (named, tested):
- average per gift = amount ÷ gifts (`average`); the totals per occasion and for both are sums of the report's
  lines (missing when a line is);
- a share = 100 × count ÷ base (`share`): of the delegates elected, of the civil servants rated;
- the ratings are checked against the number rated: sum of the ratings = number rated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import compare_frames, figures, missing, ratio, total

OCCASIONS = ("tet", "war_invalids_day")
LEVELS = ("central", "province", "district")
COVID_IDS = ["welfare.covid_support_approved.freelance_workers", "welfare.covid_support_proposed.business_households"]
DELEGATES = "government.election.delegates"
ELECTION_GROUPS = ("women", "non_party", "under_40")
RATED = "government.civil_service.rated"
RATINGS = ("excellent", "good", "completed")


@dataclass(frozen=True)
class RatingsCheck:
    """The civil servants rated against the sum of their ratings: status "equal", "differ" or "missing"."""

    rated: float
    sum: float
    status: str


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
    frame.insert(0, "year", f.year)
    return frame


def occasion_totals(gift_frame: pd.DataFrame) -> pd.DataFrame:
    """The computed totals of a `gifts` frame only (per occasion and for both)."""
    return gift_frame[gift_frame["level"] == "total"].reset_index(drop=True)


def gift_matrix(gift_frame: pd.DataFrame, measure: str = "amount") -> pd.DataFrame:
    """`measure` of a `gifts` frame by level (rows) and occasion (columns); a level the report lists no line for
    is NaN and flagged in `listed_<occasion>`."""
    year = int(gift_frame["year"].iloc[0])
    frame = gift_frame[gift_frame["basis"] == "stated"].set_index(["level", "occasion"])
    rows = []
    for level in LEVELS:
        row = {"year": year, "level": level}
        for occasion in OCCASIONS:
            listed = (level, occasion) in frame.index
            row[occasion] = frame.loc[(level, occasion), measure] if listed else float("nan")
            row[f"listed_{occasion}"] = listed
        rows.append(row)
    return pd.DataFrame.from_records(rows)


# ----------------------------------------------------------------------------------------------- covid, government
def covid_support(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The Covid-19 support the report counts (free-lance workers approved, business households proposed)."""
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
    frame = pd.DataFrame.from_records(rows)
    frame.insert(0, "year", f.year)
    return frame


def ratings_check(civil: pd.DataFrame) -> RatingsCheck:
    """The number rated of a `civil_service` frame against the sum of its ratings."""
    rated = float(civil.loc[civil["kind"] == "rated", "count"].iloc[0])
    summed = total(civil.loc[civil["kind"] == "rating", "count"])
    status = "missing" if missing(rated) or missing(summed) else "equal" if rated == summed else "differ"
    return RatingsCheck(rated, summed, status)


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the year in the welfare, elections and civil-service tables, for comparison."""
    return _common.actuals(year, data_dir, ("welfare", "elections", "civil_service"), qualifier=False)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Those figures in both years: change = value − previous value."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))
