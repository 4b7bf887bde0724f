"""Vaccination coverage, as readers see it: the words (messages/reports/vaccination.toml), tables and charts of
the frames `camgiang_data.analyses.vaccination` computes. Each section function shows its heading, tables, notes
and charts on a `Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for
tests and for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.vaccination import bases_pattern
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, name_col

NAME = "vaccination"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/vaccination.toml
TITLE = TEXT["title"]
NAN = float("nan")
# what the report's bases are, by `bases_pattern`, in the sentence that says so
BASES_SENTENCE = {"distinct": "bases_differ", "differ": "bases_differ_some", "same": "bases_same",
                  "same_reported": "bases_same_reported"}


def _count(value, lang) -> str:
    """A number of persons without its unit word (the sentences say 'người' / 'people' themselves)."""
    return format_value(value, "persons", lang, with_unit=False)


def _pct(value, lang) -> str:
    return format_value(value, "percent", lang, 1)


def dose_label(dose: int, lang: str) -> str:
    return t("dose", lang, TEXT, dose=dose)


# ------------------------------------------------------------------------------------------------------ text

def intro(year: int, lang: str) -> str:
    return t("intro", lang, TEXT, year=year)


def summary_text(doses: pd.DataFrame, lang: str) -> str:
    """One sentence with the headline numbers (for the index page); written dose by dose, figure after label,
    when one of them is missing."""
    frame = doses.set_index("dose")
    raw = {}
    for dose in (1, 2, 3):
        row = frame.loc[dose] if dose in frame.index else None
        for key, column in (("dose", "vaccinated"), ("base", "base"), ("cov", "coverage")):
            raw[f"{key}{dose}"] = NAN if row is None else row[column]
    values = {k: (_pct if k.startswith("cov") else _count)(v, lang) for k, v in raw.items()}
    if any(is_missing(v) for v in raw.values()):
        key = "summary_missing"
    else:
        key = "summary" if bases_pattern(doses) == "distinct" else "summary_same"
    return t(key, lang, TEXT, year=int(doses["year"].iloc[0]), **values)


def bases_texts(doses: pd.DataFrame, relations: pd.DataFrame, lang: str) -> list[str]:
    """What the report says about the bases, and nothing more: how they compare; which base equals a printed
    count (`relations`: `base_relations`); the sentences that print them."""
    if doses.empty:
        return []
    listed = "; ".join(f"{dose_label(d, lang)}: {_count(b, lang)}" for d, b in zip(doses["dose"], doses["base"]))
    pattern = bases_pattern(doses)
    out = [] if pattern is None else [t(BASES_SENTENCE[pattern], lang, TEXT, bases=listed)]
    for rel in relations.to_dict("records"):
        if is_missing(rel["base"]):
            continue
        if not is_missing(rel["equals_count_of_dose"]):
            other = int(rel["equals_count_of_dose"])
            count = doses.loc[doses["dose"] == other, "vaccinated"].iloc[0]
            out.append(t("base_equals_count", lang, TEXT, dose=rel["dose"], base=_count(rel["base"], lang),
                         other=other, count=_count(count, lang)))
        else:
            out.append(t("base_unnamed", lang, TEXT, dose=rel["dose"], base=_count(rel["base"], lang)))
    quotes = list(dict.fromkeys(q for q in doses["quote"] if isinstance(q, str)))
    out += [t("quote_sentence", lang, TEXT, quote=q) for q in quotes]
    return out


def coverage_formula_text(doses: pd.DataFrame, lang: str) -> str:
    example = next((f"{r['vaccinated_as_written']}/{r['base_as_written']}" for r in doses.to_dict("records")
                    if r["vaccinated_as_written"] and r["base_as_written"]), "a/b")
    return t("coverage_formula", lang, TEXT, example=example)


def animals_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """Registrations (not doses given) and vaccinations whose disease the report does not name."""
    reported = frame[frame["doses"].notna()]
    if reported.empty:
        return [t("animals_none", lang, TEXT, year=year)]
    out = []
    registered = reported[reported["status"] == "registered"]
    if len(registered):
        items = "; ".join(f"{r[name_col(lang)]} ({format_value(r['doses'], 'doses', lang)})"
                          for r in registered.to_dict("records"))
        out.append(t("animals_registered", lang, TEXT, items=items))
    unnamed = reported[reported["disease"] == "unspecified"]
    if len(unnamed):
        out.append(t("animals_unnamed", lang, TEXT, items="; ".join(unnamed[name_col(lang)])))
    return out


# ---------------------------------------------------------------------------------------------------- tables

def doses_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`: persons vaccinated, base, coverage, the fraction as printed."""
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
        rows.append({**r, "label": r[name_col(lang)], "species_label": _species(r, lang),
                     "disease_label": _dim_label("disease", r["disease"], lang),
                     "status_label": t("registered" if r["status"] == "registered" else "given", lang, TEXT)})
    return rows, [("label", t("col_vaccination", lang, TEXT), None),
                  ("species_label", t("col_species", lang, TEXT), None),
                  ("disease_label", t("col_disease", lang, TEXT), None),
                  ("doses", t("col_doses", lang, TEXT), cell(lang, "doses")),
                  ("status_label", t("col_status", lang, TEXT), None)]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = []
    for r in frame.to_dict("records"):
        if not is_missing(r["dose"]):
            label = f"{dose_label(int(r['dose']), lang)}: {t('col_' + r['item'], lang, TEXT)}"
        else:
            label = r[name_col(lang)]
        rows.append({**r, "label": label})

    def fmt(signed: bool):
        def cell_text(value, row):
            unit = "pp" if signed and row["unit"] == "percent" else row["unit"]
            return format_value(value, unit, lang, 1 if row["unit"] == "percent" else None, signed=signed)
        return cell_text

    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), fmt(False)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), fmt(False)),
                  ("change", t("change", lang), fmt(True))]


# ---------------------------------------------------------------------------------------------------- charts

def _funnel_item(stage: str, vaccinated, base, coverage, lang: str) -> str:
    if is_missing(vaccinated) or is_missing(base):
        return t("alt_item_missing", lang, TEXT, stage=stage, vaccinated=_count(vaccinated, lang),
                 base=_count(base, lang))
    return f"{stage}: {_count(vaccinated, lang)}/{_count(base, lang)} ({_pct(coverage, lang)})"


def funnel_chart(doses: pd.DataFrame, lang: str) -> Chart:
    """The doses as a funnel: each bar the persons vaccinated, its outline the base of that dose."""
    year = int(doses["year"].iloc[0])
    stages = [t("dose_long", lang, TEXT, dose=d) for d in doses["dose"]]
    title = t("ch_funnel", lang, TEXT, year=year)
    fig = charts.funnel_chart(stages, list(doses["vaccinated"]), list(doses["base"]), lang, title)
    items = "; ".join(_funnel_item(s, v, b, c, lang)
                      for s, v, b, c in zip(stages, doses["vaccinated"], doses["base"], doses["coverage"]))
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


# ------------------------------------------------------------------------------------------- the sections

def covid_section(report, doses: pd.DataFrame) -> None:
    """Covid-19 doses against their bases: heading, table, the coverage formula, the funnel."""
    report.heading("h_covid")
    report.table(*doses_table(doses, report.lang))
    report.note(coverage_formula_text(doses, report.lang))
    report.chart(funnel_chart(doses, report.lang))


def bases_section(report, doses: pd.DataFrame, relations: pd.DataFrame) -> None:
    """What the bases are, as far as the report says."""
    report.heading("h_bases" if bases_pattern(doses) == "distinct" else "h_bases_missing")
    for sentence in bases_texts(doses, relations, report.lang):
        report.note(sentence)


def animals_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_animals")
    if not frame.empty:  # with no row, the sentence below says the report gives none
        report.table(*animals_table(frame, report.lang))
    for sentence in animals_texts(frame, report.year, report.lang):
        report.note(sentence)
    chart = animals_chart(frame, report.lang)
    if chart is not None:
        report.chart(chart)


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """Doses, bases, coverage and animal doses against another year (`frame` None: no earlier year, as the page
    says)."""
    report.comparison(frame, lambda f: compare_table(f, report.lang))
