"""camgiang_data.analyses.vaccination: doses against their bases, what the bases are (and are not), animal
vaccinations; the missing-data path, a second year, both languages."""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import vaccination
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import vaccination as show

from .conftest import drop_facts, two_years, shown, unnatural

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
    assert vaccination.bases_pattern(frame) == "distinct"
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
    texts = show.bases_texts(frame, vaccination.base_relations(frame), lang)
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
    chart = show.animals_chart(frame, lang)
    given = frame[frame["status"] != "registered"]
    for doses in given["doses"]:
        assert format_value(doses, "doses", lang) in chart.alt
    for doses in frame[frame["status"] == "registered"]["doses"]:
        assert format_value(doses, "doses", lang) not in chart.alt
        assert any(format_value(doses, "doses", lang) in t for t in show.animals_texts(frame, YEAR, lang))
    plt.close(chart.fig)
    rows, columns = show.animals_table(frame, lang)
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
        assert missing in show.summary_text(frame.reset_index(), lang)
        rows, columns = show.doses_table(frame.reset_index(), lang)
        cells = [fmt(r[k], r) for r in rows for k, _, fmt in columns if fmt is not None]
        assert missing in cells
        chart = show.funnel_chart(frame.reset_index(), lang)
        assert missing in chart.alt
        plt.close(chart.fig)
        assert show.bases_texts(frame.reset_index(), vaccination.base_relations(frame.reset_index()), lang)


def test_no_animal_figures(data_dir):
    catalog = cg.catalog()
    drop_facts(data_dir, set(catalog[catalog["indicator_id"].str.startswith("agriculture.vaccination_doses")]
                             ["indicator_id"]))
    frame = vaccination.animal_vaccinations(YEAR, data_dir)
    assert frame["doses"].isna().all()
    assert "không có số liệu tiêm phòng" in show.animals_texts(frame, YEAR, "vi")[0]
    assert "no animal vaccination" in show.animals_texts(frame, YEAR, "en")[0]
    chart = show.animals_chart(frame, "vi")  # bars labelled "not reported", not drawn as zero
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
        rows, columns = show.compare_table(frame.reset_index(), lang)
        assert rows[0]["label"] == ("Mũi 1: Số người đã tiêm" if lang == "vi" else "Dose 1: Persons vaccinated")


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_has_the_headline_numbers(lang):
    text = show.summary_text(vaccination.covid_doses(YEAR), lang)
    for dose in (1, 2, 3):
        for ident in (f"covid.vaccinated.dose{dose}", f"covid.vaccination_base.dose{dose}"):
            assert format_value(fact(ident), "persons", lang, with_unit=False) in text
    coverage = 100 * fact("covid.vaccinated.dose3") / fact("covid.vaccination_base.dose3")
    assert format_value(coverage, "percent", lang, 1) in text
    assert text.endswith(show.TEXT["summary"][lang][-20:])  # the three bases differ, and it says so


def test_funnel_and_texts_in_both_languages():
    frame = vaccination.covid_doses(YEAR)
    vi, en = show.funnel_chart(frame, "vi"), show.funnel_chart(frame, "en")
    assert "Mũi" in vi.alt or "mũi" in vi.alt
    assert "dose" in en.alt.lower()
    plt.close(vi.fig)
    plt.close(en.fig)
    assert show.coverage_formula_text(frame, "vi") != show.coverage_formula_text(frame, "en")
    assert show.intro(YEAR, "en").startswith("Covid-19 vaccination in 2021")


# ------------------------------------------------------------------------------------------ missing data, read as text





@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sentences_read_naturally_when_a_base_is_missing(data_dir, monkeypatch, lang):
    """No 'a/not reported', no empty label before a colon, and no 'three different bases' (true of the 2021
    report) once a base is not reported."""
    drop_facts(data_dir, {"covid.vaccination_base.dose2", "covid.vaccinated.dose3"})
    doses = vaccination.covid_doses(YEAR, data_dir)
    assert vaccination.bases_pattern(doses) == "differ"
    report = present.report("vaccination", YEAR, lang, data_dir)
    texts = [show.summary_text(doses, lang), show.funnel_chart(doses, lang).alt]
    texts += shown(monkeypatch, report, show.bases_section, doses, vaccination.base_relations(doses))
    for text in texts:
        assert unnatural(text, lang) == [], text
    assert texts[0].startswith(show.TEXT["summary_missing"][lang].split("{")[0])
    assert texts[2] == show.TEXT["h_bases_missing"][lang]
    assert texts[3].startswith(show.TEXT["bases_differ_some"][lang].split("{")[0])
    joined = " ".join(texts)
    for phrase in ("ba mẫu số khác nhau", "Ba mẫu số", "three bases differ", "Three different", "each dose is"):
        assert phrase not in joined


def test_the_same_base_for_the_doses_that_have_one():
    frame = vaccination.covid_doses(YEAR)
    frame["base"] = [6276.0, float("nan"), 6276.0]
    assert vaccination.bases_pattern(frame) == "same_reported"
    assert show.bases_texts(frame, vaccination.base_relations(frame), "en")[0].startswith("The doses whose base")
    frame["base"] = [6276.0, 6276.0, 6276.0]
    assert vaccination.bases_pattern(frame) == "same"
    frame["base"] = [6276.0, 5547.0, 6276.0]
    assert vaccination.bases_pattern(frame) == "differ"
    frame["coverage"] = [vaccination.coverage(v, b) for v, b in zip(frame["vaccinated"], frame["base"])]
    assert show.summary_text(frame, "vi").endswith("({cov3}).".format(cov3=show._pct(frame["coverage"].iloc[2], "vi")))
    assert vaccination.bases_pattern(frame.iloc[:1]) is None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sections_show_every_block_in_order(monkeypatch, lang):
    report = present.report("vaccination", lang=lang)
    doses = vaccination.covid_doses(YEAR)
    texts = shown(monkeypatch, report, show.covid_section, doses)
    assert texts[0] == show.TEXT["h_covid"][lang] and texts[2] == show.coverage_formula_text(doses, lang)
    assert texts[3] == show.funnel_chart(doses, lang).alt
    texts = shown(monkeypatch, report, show.bases_section, doses, vaccination.base_relations(doses))
    assert texts[0] == show.TEXT["h_bases"][lang]
    assert texts[1:] == show.bases_texts(doses, vaccination.base_relations(doses), lang)
    animals = vaccination.animal_vaccinations(YEAR)
    texts = shown(monkeypatch, report, show.animals_section, animals)
    assert texts[2:-1] == show.animals_texts(animals, YEAR, lang)
    texts = shown(monkeypatch, report, show.compare_section, None)
    assert texts == [show.TEXT["h_compare"][lang].format(year=YEAR - 1), present.t("compare_none", lang)]


# ------------------------------------------------------------------------------------------ the split

def test_the_analyses_compute_and_the_presentation_speaks():
    source = Path(vaccination.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+camgiang_data\.present", source, re.M)
    assert show.TEXT == messages.report("vaccination") and show.TITLE == show.TEXT["title"]


def test_every_key_the_presentation_asks_for_exists():
    source = Path(show.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b(?:_?t|heading)\(["']([A-Za-z0-9_.]+)["']\s*[,)]""", source))
    asked |= set(show.BASES_SENTENCE.values()) | {f"col_{item}" for item in ("vaccinated", "base", "coverage")}
    assert asked - set(messages.report("vaccination")) - set(messages.common()) == set()
    assert len(asked) > 20
