"""Vaccination coverage (Tiêm chủng): Covid-19 doses 1, 2 and 3 against the bases the report prints with them,
and animal vaccinations by species and disease.

Pure functions over `camgiang_data.load("vaccination", year, data_dir)`; the doses and the animal vaccinations
come from the catalogue (table `vaccination`), so a figure the data lacks for a year is listed with a missing
value.

Formulas (named, tested):
- coverage of a dose = 100 × persons vaccinated ÷ the base printed with it (`a/b` in the report);
- the three bases are compared as printed: the report does not say what populations they are.
"""

from __future__ import annotations

import html

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import Chart, cell, name_col
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.topical import parse_dimensions

TABLE = "vaccination"
NAN = float("nan")
DOSE_PREFIX, BASE_PREFIX = "covid.vaccinated.", "covid.vaccination_base."
ANIMAL_PREFIX = "agriculture.vaccination_doses"

TEXT = messages.report("vaccination")  # words for readers: camgiang_data/messages/reports/vaccination.toml
TITLE = TEXT["title"]


# ----------------------------------------------------------------------------------------------- data access

def _catalog(data_dir) -> pd.DataFrame:
    catalog = cg.catalog(data_dir)
    return catalog[catalog["table"] == TABLE].reset_index(drop=True)


def _first(frame, indicator_id, year, column="value"):
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == "actual")]
    if not len(rows):
        return NAN if column == "value" else None
    value = rows[column].iloc[0]
    return None if value is pd.NA else value


def coverage(vaccinated, base) -> float:
    """100 × vaccinated ÷ base; missing when either is missing or the base is zero."""
    if is_missing(vaccinated) or is_missing(base) or float(base) == 0:
        return NAN
    return 100.0 * float(vaccinated) / float(base)


# ------------------------------------------------------------------------------------------------ analyses

def covid_doses(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """One row per dose (from the catalogue): persons vaccinated, the base printed with it, coverage (%), the
    printed fraction and the quote."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    catalog = _catalog(data_dir)
    doses = sorted({parse_dimensions(d).get("dose") for d in catalog["dimensions"]} - {None}, key=int)
    records = []
    for dose in doses:
        vid, bid = f"{DOSE_PREFIX}dose{dose}", f"{BASE_PREFIX}dose{dose}"
        vaccinated, base = _first(data, vid, year), _first(data, bid, year)
        records.append({
            "dose": int(dose), "indicator_id": vid, "base_id": bid, "year": year,
            "vaccinated": vaccinated, "base": base, "coverage": coverage(vaccinated, base),
            "vaccinated_as_written": _first(data, vid, year, "as_written"),
            "base_as_written": _first(data, bid, year, "as_written"),
            "quote": _first(data, vid, year, "quote") or _first(data, bid, year, "quote"),
        })
    return pd.DataFrame.from_records(records)


def base_relations(frame: pd.DataFrame) -> pd.DataFrame:
    """For each dose's base: the dose whose printed count equals it, if any (e.g. the dose-3 base equals the
    number of persons with two doses). Exact equality of printed whole numbers; nothing is inferred."""
    counts = {int(d): v for d, v in zip(frame["dose"], frame["vaccinated"]) if not is_missing(v)}
    records = []
    for row in frame.to_dict("records"):
        equal = [d for d, v in counts.items() if d != row["dose"] and not is_missing(row["base"])
                 and float(v) == float(row["base"])]
        records.append({"dose": row["dose"], "base": row["base"], "equals_count_of_dose": equal[0] if equal else None})
    return pd.DataFrame.from_records(records)


def bases_differ(frame: pd.DataFrame) -> bool | None:
    """True when the printed bases are not all the same (None when fewer than two are reported)."""
    bases = [float(b) for b in frame["base"] if not is_missing(b)]
    return None if len(bases) < 2 else len(set(bases)) > 1


def animal_vaccinations(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """One row per animal vaccination of the catalogue: species, disease, round, status (given / registered),
    doses."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    catalog = _catalog(data_dir)
    catalog = catalog[catalog["indicator_id"].str.startswith(ANIMAL_PREFIX)]
    records = []
    for row in catalog.to_dict("records"):
        dims = parse_dimensions(row["dimensions"])
        records.append({
            "indicator_id": row["indicator_id"], "name_vi": row["name_vi"], "name_en": row["name_en"],
            "species": dims.get("species"), "disease": dims.get("disease"), "round": dims.get("round"),
            "status": dims.get("status", "given"), "year": year, "doses": _first(data, row["indicator_id"], year),
            "unit": row["unit"], "quote": _first(data, row["indicator_id"], year, "quote"),
        })
    return pd.DataFrame.from_records(records)


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Vaccinated, base and coverage per dose, and animal doses, in both years; change = value − compare value."""
    year = resolve_year(year, data_dir)

    def long(y):
        doses = covid_doses(y, data_dir)
        rows = []
        for r in doses.to_dict("records"):
            rows += [{"key": f"dose{r['dose']}.vaccinated", "dose": r["dose"], "item": "col_vaccinated",
                      "value": r["vaccinated"], "unit": "persons"},
                     {"key": f"dose{r['dose']}.base", "dose": r["dose"], "item": "col_base", "value": r["base"],
                      "unit": "persons"},
                     {"key": f"dose{r['dose']}.coverage", "dose": r["dose"], "item": "col_coverage",
                      "value": r["coverage"], "unit": "percent"}]
        for r in animal_vaccinations(y, data_dir).to_dict("records"):
            rows.append({"key": r["indicator_id"], "dose": None, "item": r["indicator_id"], "value": r["doses"],
                         "unit": r["unit"], "name_vi": r["name_vi"], "name_en": r["name_en"]})
        return pd.DataFrame(rows)

    now, before = long(year), long(compare_year)
    out = now.merge(before[["key", "value"]].rename(columns={"value": "compare_value"}), on="key", how="left")
    out["change"] = out["value"] - out["compare_value"]
    out["year"], out["compare_year"] = year, compare_year
    return out


# ------------------------------------------------------------------------------------------------------ text

def _count(value, lang) -> str:
    return format_value(value, "persons", lang, with_unit=False)


def _pct(value, lang) -> str:
    return format_value(value, "percent", lang, 1)


def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def intro(year: int | None, lang: str, data_dir=None) -> str:
    return t("intro", lang, TEXT, year=resolve_year(year, data_dir))


def summary_text(year: int | None = None, lang: str = "vi", data_dir=None) -> str:
    """One sentence with the headline numbers (for the index page)."""
    year = resolve_year(year, data_dir)
    frame = covid_doses(year, data_dir).set_index("dose")
    values = {}
    for dose in (1, 2, 3):
        row = frame.loc[dose] if dose in frame.index else None
        values[f"dose{dose}"] = _count(NAN if row is None else row["vaccinated"], lang)
        values[f"base{dose}"] = _count(NAN if row is None else row["base"], lang)
        values[f"cov{dose}"] = _pct(NAN if row is None else row["coverage"], lang)
    key = "summary" if bases_differ(frame.reset_index()) else "summary_same"
    return t(key, lang, TEXT, year=year, **values)


def dose_label(dose: int, lang: str) -> str:
    return t("dose", lang, TEXT, dose=dose)


def bases_texts(frame: pd.DataFrame, lang: str) -> list[str]:
    """What the report says about the bases, and nothing more: they differ; which base equals a printed count."""
    if frame.empty:
        return []
    listed = "; ".join(f"{dose_label(d, lang)}: {_count(b, lang)}" for d, b in zip(frame["dose"], frame["base"]))
    differ = bases_differ(frame)
    out = []
    if differ is not None:
        out.append(t("bases_differ" if differ else "bases_same", lang, TEXT, bases=listed))
    for rel in base_relations(frame).to_dict("records"):
        if is_missing(rel["base"]):
            continue
        if not is_missing(rel["equals_count_of_dose"]):
            other = int(rel["equals_count_of_dose"])
            count = frame.loc[frame["dose"] == other, "vaccinated"].iloc[0]
            out.append(t("base_equals_count", lang, TEXT, dose=rel["dose"], base=_count(rel["base"], lang),
                         other=other, count=_count(count, lang)))
        else:
            out.append(t("base_unnamed", lang, TEXT, dose=rel["dose"], base=_count(rel["base"], lang)))
    quotes = list(dict.fromkeys(q for q in frame["quote"] if isinstance(q, str)))
    out += [t("quote_sentence", lang, TEXT, quote=q) for q in quotes]
    return out


def coverage_formula_text(frame: pd.DataFrame, lang: str) -> str:
    example = next((f"{r['vaccinated_as_written']}/{r['base_as_written']}" for r in frame.to_dict("records")
                    if r["vaccinated_as_written"] and r["base_as_written"]), "a/b")
    return t("coverage_formula", lang, TEXT, example=example)


def doses_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`."""
    rows = [{**r, "label": dose_label(r["dose"], lang),
             "written": f"{r['vaccinated_as_written'] or '…'}/{r['base_as_written'] or '…'}"}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_dose", lang, TEXT), None),
                  ("vaccinated", t("col_vaccinated", lang, TEXT), cell(lang, "persons")),
                  ("base", t("col_base", lang, TEXT), cell(lang, "persons")),
                  ("coverage", t("col_coverage", lang, TEXT), cell(lang, "percent", decimals=1)),
                  ("written", t("col_as_written", lang, TEXT), None)]


def _dim_label(prefix: str, code, lang: str) -> str:
    if not isinstance(code, str):
        return ""
    key = f"{prefix}_{code}"
    try:
        return t(key, lang, TEXT)
    except KeyError:
        return str(code).replace("_", " ")


def _species(row: dict, lang: str) -> str:
    species = _dim_label("species", row["species"], lang)
    has_round = isinstance(row.get("round"), str)
    label = f"{species} ({_dim_label('round', row['round'], lang)})" if has_round else species
    return label[:1].upper() + label[1:]


def animals_table(frame: pd.DataFrame, lang: str):
    rows = []
    for r in frame.to_dict("records"):
        species = _species(r, lang)
        rows.append({**r, "label": r[name_col(lang)], "species_label": species,
                     "disease_label": _dim_label("disease", r["disease"], lang),
                     "status_label": t("registered" if r["status"] == "registered" else "given", lang, TEXT)})
    return rows, [("label", t("col_vaccination", lang, TEXT), None),
                  ("species_label", t("col_species", lang, TEXT), None),
                  ("disease_label", t("col_disease", lang, TEXT), None),
                  ("doses", t("col_doses", lang, TEXT), cell(lang, "doses")),
                  ("status_label", t("col_status", lang, TEXT), None)]


def animals_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    if frame.empty or frame["doses"].isna().all():
        return [t("animals_none", lang, TEXT, year=year)]
    out = []
    registered = frame[(frame["status"] == "registered") & frame["doses"].notna()]
    if len(registered):
        items = "; ".join(f"{r[name_col(lang)]} ({format_value(r['doses'], 'doses', lang)})"
                          for r in registered.to_dict("records"))
        out.append(t("animals_registered", lang, TEXT, items=items))
    unnamed = frame[frame["disease"] == "unspecified"]
    if len(unnamed):
        out.append(t("animals_unnamed", lang, TEXT, items="; ".join(unnamed[name_col(lang)])))
    return out


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = []
    for r in frame.to_dict("records"):
        if not is_missing(r["dose"]):
            label = f"{dose_label(int(r['dose']), lang)}: {t(r['item'], lang, TEXT)}"
        else:
            label = r[name_col(lang)]
        rows.append({**r, "label": label})
    fmt = lambda signed: (lambda v, row: format_value(v, "pp" if signed and row["unit"] == "percent"  # noqa: E731
                                                      else row["unit"], lang, 1 if row["unit"] == "percent" else None,
                                                      signed=signed))
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), fmt(False)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), fmt(False)),
                  ("change", t("change", lang), fmt(True))]


# ---------------------------------------------------------------------------------------------------- charts

def funnel(frame: pd.DataFrame, lang: str) -> Chart:
    """The doses as a funnel: each bar the persons vaccinated, its outline the base of that dose."""
    year = int(frame["year"].iloc[0])
    stages = [t("dose_long", lang, TEXT, dose=d) for d in frame["dose"]]
    title = t("ch_funnel", lang, TEXT, year=year)
    fig = charts.funnel_chart(stages, list(frame["vaccinated"]), list(frame["base"]), lang, title)
    items = "; ".join(f"{s}: {_count(v, lang)}/{_count(b, lang)} ({_pct(c, lang)})"
                      for s, v, b, c in zip(stages, frame["vaccinated"], frame["base"], frame["coverage"]))
    return Chart(fig, t("alt", lang, TEXT, title=title, items=items), t("cap_funnel", lang, TEXT))


def animals_chart(frame: pd.DataFrame, lang: str) -> Chart | None:
    """Bars of the doses given (registrations left out: they are not doses given)."""
    given = frame[frame["status"] != "registered"]
    if given.empty:
        return None
    year = int(frame["year"].iloc[0])
    labels = [f"{_species(r, lang)}: {_dim_label('disease', r['disease'], lang)}" for r in given.to_dict("records")]
    title = t("ch_animals", lang, TEXT, year=year)
    fig = charts.bar_chart(labels, list(given["doses"]), "doses", lang, title, t("axis_doses", lang, TEXT))
    items = "; ".join(f"{label}: {format_value(v, 'doses', lang)}" for label, v in zip(labels, given["doses"]))
    return Chart(fig, t("alt", lang, TEXT, title=title, items=items))
