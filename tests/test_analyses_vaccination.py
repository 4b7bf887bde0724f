"""camgiang_data.analyses.vaccination: doses against their bases, what the bases are (and are not), animal
vaccinations; the missing-data path, a second year, both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data.analyses import vaccination
from camgiang_data.present.fmt import format_value

from .conftest import drop_facts, two_years

YEAR = 2021


def fact(indicator_id, kind="actual", year=YEAR, data_dir=None):
    facts = cg.load("facts", YEAR, data_dir)
    rows = facts[(facts["indicator_id"] == indicator_id) & (facts["year"] == year) & (facts["kind"] == kind)
                 & (facts["mention"] == 1)]
    return None if rows.empty else float(rows["value"].iloc[0])


# ------------------------------------------------------------------------------------------------ values

def test_doses_and_coverage_come_from_the_facts():
    frame = vaccination.covid_doses(YEAR)
    assert list(frame["dose"]) == [1, 2, 3]
    for row in frame.to_dict("records"):
        vaccinated = fact(f"covid.vaccinated.dose{row['dose']}")
        base = fact(f"covid.vaccination_base.dose{row['dose']}")
        assert row["vaccinated"] == vaccinated and row["base"] == base
        assert row["coverage"] == pytest.approx(100 * vaccinated / base)
        assert f"{row['vaccinated_as_written']}/{row['base_as_written']}" in row["quote"]


def test_the_bases_differ_and_the_dose3_base_equals_the_dose2_count():
    frame = vaccination.covid_doses(YEAR)
    bases = [fact(f"covid.vaccination_base.dose{d}") for d in (1, 2, 3)]
    assert vaccination.bases_differ(frame) is (len(set(bases)) > 1)
    relations = vaccination.base_relations(frame).set_index("dose")
    counts = {d: fact(f"covid.vaccinated.dose{d}") for d in (1, 2, 3)}
    for dose, base in zip((1, 2, 3), bases):
        equal = [d for d, c in counts.items() if d != dose and c == base]
        got = relations.loc[dose, "equals_count_of_dose"]
        assert (equal[0] if equal else None) == (None if got is None or got != got else int(got))
    assert int(relations.loc[3, "equals_count_of_dose"]) == 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bases_text_says_only_what_the_report_says(lang):
    frame = vaccination.covid_doses(YEAR)
    texts = vaccination.bases_texts(frame, lang)
    joined = " ".join(texts)
    for dose in (1, 2, 3):
        assert format_value(fact(f"covid.vaccination_base.dose{dose}"), "persons", lang, with_unit=False) in joined
    assert ("không nói" if lang == "vi" else "does not say") in joined
    assert ("khác" if lang == "vi" else "different") in texts[0]
    # the printed sentence is quoted verbatim
    assert any(q in joined for q in frame["quote"])
    # no speculation about what the bases are
    assert "swap" not in joined.lower() and "đảo" not in joined


def test_animal_vaccinations_by_species_and_disease():
    frame = vaccination.animal_vaccinations(YEAR)
    catalog = cg.catalog()
    ids = catalog[(catalog["table"] == "vaccination")
                  & catalog["indicator_id"].str.startswith("agriculture.vaccination_doses")]["indicator_id"]
    assert sorted(frame["indicator_id"]) == sorted(ids)
    for row in frame.to_dict("records"):
        assert row["doses"] == fact(row["indicator_id"])
        assert row["species"] and row["disease"]
    registered = frame[frame["status"] == "registered"]
    assert list(registered["indicator_id"]) == [i for i in ids if "registered" in i]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_animal_chart_leaves_out_registrations(lang):
    frame = vaccination.animal_vaccinations(YEAR)
    chart = vaccination.animals_chart(frame, lang)
    given = frame[frame["status"] != "registered"]
    for doses in given["doses"]:
        assert format_value(doses, "doses", lang) in chart.alt
    for doses in frame[frame["status"] == "registered"]["doses"]:
        assert format_value(doses, "doses", lang) not in chart.alt
        assert any(format_value(doses, "doses", lang) in t for t in vaccination.animals_texts(frame, YEAR, lang))
    plt.close(chart.fig)
    rows, columns = vaccination.animals_table(frame, lang)
    assert len(rows) == len(frame)
    assert {r["status_label"] for r in rows} == ({"đã tiêm", "đăng ký (chưa phải số đã tiêm)"} if lang == "vi"
                                                 else {"given", "registered (not doses given)"})


# ------------------------------------------------------------------------------------------ missing data

def test_missing_base_gives_no_coverage_not_zero(data_dir):
    drop_facts(data_dir, {"covid.vaccination_base.dose2"})
    frame = vaccination.covid_doses(YEAR, data_dir).set_index("dose")
    assert math.isnan(frame.loc[2, "base"]) and math.isnan(frame.loc[2, "coverage"])
    assert frame.loc[1, "coverage"] == pytest.approx(100 * fact("covid.vaccinated.dose1") /
                                                     fact("covid.vaccination_base.dose1"))
    for lang, missing in (("vi", "không có số liệu"), ("en", "not reported")):
        assert missing in vaccination.summary_text(YEAR, lang, data_dir)
        rows, columns = vaccination.doses_table(frame.reset_index(), lang)
        cells = [fmt(r[k], r) for r in rows for k, _, fmt in columns if fmt is not None]
        assert missing in cells
        chart = vaccination.funnel(frame.reset_index(), lang)
        assert missing in chart.alt
        plt.close(chart.fig)
        assert vaccination.bases_texts(frame.reset_index(), lang)


def test_no_animal_figures(data_dir):
    catalog = cg.catalog()
    drop_facts(data_dir, set(catalog[catalog["indicator_id"].str.startswith("agriculture.vaccination_doses")]
                             ["indicator_id"]))
    frame = vaccination.animal_vaccinations(YEAR, data_dir)
    assert frame["doses"].isna().all()
    assert "không có số liệu tiêm phòng" in vaccination.animals_texts(frame, YEAR, "vi")[0]
    assert "no animal vaccination" in vaccination.animals_texts(frame, YEAR, "en")[0]
    chart = vaccination.animals_chart(frame, "vi")  # bars labelled "not reported", not drawn as zero
    assert "không có số liệu" in chart.alt
    plt.close(chart.fig)


# ------------------------------------------------------------------------------------------ comparison

def test_compare_with_a_second_year(tmp_path):
    root = two_years(tmp_path)
    drop_facts(root, {"covid.vaccinated.dose3"}, year=2022)
    frame = vaccination.compare(2022, 2021, root).set_index("key")
    assert math.isnan(frame.loc["dose3.vaccinated", "value"])
    assert frame.loc["dose3.vaccinated", "compare_value"] == fact("covid.vaccinated.dose3")
    assert math.isnan(frame.loc["dose3.coverage", "change"])
    assert frame.loc["dose1.coverage", "change"] == 0
    for lang in ("vi", "en"):
        rows, columns = vaccination.compare_table(frame.reset_index(), lang)
        assert rows[0]["label"] == ("Mũi 1: Số người đã tiêm" if lang == "vi" else "Dose 1: Persons vaccinated")


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_has_the_headline_numbers(lang):
    text = vaccination.summary_text(YEAR, lang)
    for dose in (1, 2, 3):
        for ident in (f"covid.vaccinated.dose{dose}", f"covid.vaccination_base.dose{dose}"):
            assert format_value(fact(ident), "persons", lang, with_unit=False) in text
    coverage = 100 * fact("covid.vaccinated.dose3") / fact("covid.vaccination_base.dose3")
    assert format_value(coverage, "percent", lang, 1) in text


def test_funnel_and_texts_in_both_languages():
    frame = vaccination.covid_doses(YEAR)
    vi, en = vaccination.funnel(frame, "vi"), vaccination.funnel(frame, "en")
    assert "Mũi" in vi.alt or "mũi" in vi.alt
    assert "dose" in en.alt.lower()
    plt.close(vi.fig)
    plt.close(en.fig)
    assert vaccination.coverage_formula_text(frame, "vi") != vaccination.coverage_formula_text(frame, "en")
    assert vaccination.heading("h_covid", "en") == "<h2>Covid-19 vaccination</h2>"
