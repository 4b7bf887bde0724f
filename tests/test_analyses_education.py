"""camgiang_data.analyses.education: values recomputed from the facts, every standard statement, missing data,
both languages."""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import education
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import education as show

from .conftest import drop_facts, first_mention as _value, two_years, shown, unnatural


def _facts():
    return cg.load("facts")






# ------------------------------------------------------------------------------------------------ values

def test_schools_and_pupils_per_class():
    frame = education.schools().set_index("school")
    assert list(frame.index) == list(education.SCHOOLS)
    for school in education.SCHOOLS:
        pupils, classes = _value(f"education.pupils.{school}"), _value(f"education.classes.{school}")
        assert frame.loc[school, "pupils"] == pupils and frame.loc[school, "classes"] == classes
        assert frame.loc[school, "staff"] == _value(f"education.staff.{school}")
        assert frame.loc[school, "pupils_per_class"] == pytest.approx(pupils / classes)
    assert frame.loc["preschool", "school_year"] == "2021-2022"
    assert not isinstance(frame.loc["lower_secondary", "school_year"], str)  # the report does not say


def test_every_standard_statement_is_kept():
    frame = education.standard_statements()
    f = _facts()
    stated = f[f["indicator_id"].isin(education.STANDARD_IDS) & (f["basis"] == "stated") & (f["kind"] == "actual")]
    assert len(frame) == len(stated)
    assert sorted(frame["quote"]) == sorted(stated["quote"])
    level = stated[stated["indicator_id"] == education.LEVEL_ID].sort_values("mention")
    assert education.standard_levels(frame) == list(dict.fromkeys(level["value"]))
    assert len(education.standard_levels(frame)) > 1  # the report gives the lower secondary school two levels
    assert education.standard().levels == tuple(education.standard_levels(frame))
    assert [g["indicator_id"].iloc[0] for g in education.disagreements(frame)] == [education.LEVEL_ID]
    assert all(education.BOTH_SCHOOLS in q for q in education.shared_level_statements(frame)["quote"])
    for lang in ("vi", "en"):
        note = show.standard_note(frame, lang)
        for v in level["value"]:
            assert show.TEXT["standard_item"][lang].format(value=format_value(v, None, lang),
                                                           section=level.loc[level["value"] == v,
                                                                             "section"].iloc[0]) in note


def test_rates_recomputed_from_counts():
    frame = education.rates().set_index("indicator_id")
    for rate_id, num_id, den_id in education.RATES:
        assert frame.loc[rate_id, "stated"] == _value(rate_id)
        if num_id:
            expected = 100 * _value(num_id) / _value(den_id)
            assert frame.loc[rate_id, "computed"] == pytest.approx(expected)
            assert abs(frame.loc[rate_id, "computed"] - frame.loc[rate_id, "stated"]) < 0.05
        else:
            assert math.isnan(frame.loc[rate_id, "computed"])
    assert education.rate(1, 0) != education.rate(1, 0)  # NaN, not a crash
    assert education.rate(1, 4) == 25


def test_grade_shares_and_totals():
    frame = education.grade_shares()
    for row in frame.to_dict("records"):
        assert row["share"] == _value(f"education.{row['group']}.lower_secondary.{row['grade']}")
    totals = education.grade_totals(frame).set_index("group")["total"]
    for group in education.GRADE_GROUPS:
        assert totals[group] == pytest.approx(frame.loc[frame["group"] == group, "share"].sum())
    assert education.results_school_year(frame, education.rates()) == "2020-2021"


def test_awards_cover_every_award_indicator():
    frame = education.awards()
    catalog = cg.catalog()
    ids = {i for i in catalog.loc[catalog["table"] == "schools", "indicator_id"]
           if i.split(".")[1] in education.AWARD_MEASURES}
    assert set(frame["indicator_id"]) == ids
    for row in frame.to_dict("records"):
        assert row["value"] == _value(row["indicator_id"])


def test_targets_of_next_year():
    frame = education.targets()
    f = _facts()
    expected = f[(f["kind"] == "target") & f["indicator_id"].str.startswith("education.")]
    assert len(frame) == len(expected[expected["mention"] == 1])
    row = frame.set_index("indicator_id").loc["education.grade9_progression_rate.lower_secondary"]
    assert row["year"] == 2022 and row["value"] == _value(row.name, 2022, "target") and row["qualifier"] == "above"


# ------------------------------------------------------------------------------------------ text, both languages

def summary(lang, data_dir=None):
    """The one-line summary from the frames it is made of."""
    return show.summary_text(education.schools(data_dir=data_dir), education.rates(data_dir=data_dir),
                             education.standard(data_dir=data_dir), lang)


def test_texts_in_both_languages():
    schools = education.schools()
    s = schools.set_index("school")
    grades = education.grade_shares()
    for lang in ("vi", "en"):
        text = summary(lang)
        for school in education.SCHOOLS:
            assert format_value(s.loc[school, "pupils"], None, lang) in text
        assert show.levels_text(education.standard().levels, lang) in text
        graduation = _facts()[_facts()["indicator_id"] == "education.graduation_rate.lower_secondary"]
        assert graduation["school_year"].iloc[0].replace("-", "–") in text
        preschool = _facts()[_facts()["indicator_id"] == "education.pupils.preschool"]
        assert preschool["school_year"].iloc[0].replace("-", "–") in show.schools_note(schools, lang)
        assert show.schools_note(schools, lang) == show.TEXT["schools_note"][lang].format(preschool_year="2021–2022")
        note = show.grades_total_note(education.grade_totals(grades), lang)
        assert note.count(format_value(100, "percent", lang)) == 3
    assert summary("vi") != summary("en")
    assert summary("vi").startswith("Mầm non 493 cháu (18 lớp)")  # the full sentence: every figure is there
    assert show.levels_text([], "en") == "not reported"
    assert show.school_year_label(None, "vi") == "không ghi"


def test_the_unit_word_fills_the_whole_unit_label():
    assert show._t("school.all", "vi", unit="xã") == "Toàn xã"
    assert show._t("school.all", "en", unit="commune") == "Whole commune"


# ------------------------------------------------------------------------------------------ missing data

MISSING = {"education.classes.primary", "education.graduation_candidates.lower_secondary",
           "education.conduct_share.lower_secondary.fair", education.LEVEL_ID, "education.pupils.preschool",
           "education.national_standard_schools.all"}


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, MISSING)
    s = education.schools(data_dir=data_dir).set_index("school")
    assert math.isnan(s.loc["primary", "classes"]) and math.isnan(s.loc["primary", "pupils_per_class"])
    r = education.rates(data_dir=data_dir).set_index("indicator_id")
    assert math.isnan(r.loc["education.graduation_rate.lower_secondary", "computed"])
    grades = education.grade_shares(data_dir=data_dir)
    assert math.isnan(education.grade_totals(grades).set_index("group").loc["conduct_share", "total"])
    statements = education.standard_statements(data_dir=data_dir)
    assert education.standard_levels(statements) == [] and education.standard(data_dir=data_dir).levels == ()
    for lang in ("vi", "en"):
        assert present.t("not_reported", lang) in summary(lang, data_dir)
        assert show.standard_note(statements, lang) == show.TEXT["standard_agree"][lang]
        plt.close(show.per_class_chart(education.schools(data_dir=data_dir), lang).fig)
        plt.close(show.grades_chart(grades, "conduct_share", lang).fig)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sentences_read_naturally_when_figures_are_missing(data_dir, lang):
    """No 'not reported/not reported', no '= not reported', no empty label before a colon, and no remark true
    only of the 2021 report (which schools' figures have a school year) where the data says otherwise."""
    drop_facts(data_dir, MISSING)
    schools = education.schools(data_dir=data_dir)
    grades = education.grade_shares(data_dir=data_dir)
    texts = [summary(lang, data_dir), show.schools_note(schools, lang),
             show.grades_total_note(education.grade_totals(grades), lang),
             show.standard_note(education.standard_statements(data_dir=data_dir), lang)]
    for text in texts:
        assert unnatural(text, lang) == [], text
    assert texts[0].startswith(show.TEXT["summary_missing"][lang].split("{")[0])  # figure by figure
    assert "Mầm non và Tiểu học là của năm học" not in texts[1] and "preschool and primary figures are" not in texts[1]
    assert show.TEXT["schools_note_years"][lang].split("{")[0] in texts[1]
    assert show.TEXT["grades_total_missing"][lang].format(group=show.group_name("conduct_share", lang)) in texts[2]


def test_headings_and_titles_without_a_school_year(monkeypatch):
    grades = education.grade_shares()
    report = present.report("education", lang="en")
    texts = shown(monkeypatch, report, show.grades_section, grades, education.grade_totals(grades), None)
    assert texts[0] == "Results of the school year"
    chart = show.awards_chart(education.awards(), None, "vi")
    assert chart.fig.axes[0].get_title(loc="left") == "Thi đua, khen thưởng (số người)"
    plt.close(chart.fig)


def test_no_standard_statement_at_all(data_dir):
    drop_facts(data_dir, set(education.STANDARD_IDS))
    statements = education.standard_statements(data_dir=data_dir)
    assert statements.empty
    assert show.standard_note(statements, "en") == show.TEXT["standard_none"]["en"]


# ------------------------------------------------------------------------------------------ sections, tables, charts

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sections_show_every_block_in_order(monkeypatch, lang):
    report = present.report("education", lang=lang)
    schools, rates, grades = education.schools(), education.rates(), education.grade_shares()
    year = education.results_school_year(grades, rates)
    texts = shown(monkeypatch, report, show.schools_section, schools)
    assert texts[0] == show.TEXT["h_schools"][lang] and texts[2] == show.schools_note(schools, lang)
    assert texts[3] == show.TEXT["per_class_alt"][lang]
    texts = shown(monkeypatch, report, show.grades_section, grades, education.grade_totals(grades), year)
    assert texts[0] == show.TEXT["h_results"][lang].format(school_year="2020–2021")
    assert len(texts) == 4 + len(education.GRADE_GROUPS)
    texts = shown(monkeypatch, report, show.compare_section, None)
    assert texts == [show.TEXT["h_compare"][lang], present.t("compare_none", lang)]


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for table, frame in ((show.schools_table, education.schools()),
                             (show.standard_table, education.standard_statements()),
                             (show.rates_table, education.rates()), (show.grades_table, education.grade_shares()),
                             (show.awards_table, education.awards()), (show.targets_table, education.targets())):
            markup = present.show_table(*table(frame, lang), ctx)
            assert markup.count("<tr>") == len(frame) + 1
        report = present.report("education", 2022, lang, root)
        frame = education.compare(2022, 2021, root)
        assert (frame["change"].dropna() == 0).all() and frame["change"].notna().any()
        present.show_table(*show.compare_table(frame, report), report.ctx)
        plt.close(show.per_class_chart(education.schools(), lang).fig)
        plt.close(show.awards_chart(education.awards(), "2020-2021", lang).fig)
        for group in education.GRADE_GROUPS:
            plt.close(show.grades_chart(education.grade_shares(), group, lang).fig)
    previous = education.actuals().copy()
    previous.loc[previous["indicator_id"] == "education.pupils.primary", "value"] = 800.0
    out = education.compare_frames(education.actuals(), previous).set_index("indicator_id")
    assert out.loc["education.pupils.primary", "change"] == _value("education.pupils.primary") - 800


# ------------------------------------------------------------------------------------------ the split

def test_the_analyses_compute_and_the_presentation_speaks():
    source = Path(education.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+camgiang_data\.present", source, re.M)
    assert show.TEXT == messages.report("education") and show.TITLE == show.TEXT["title"]


def test_every_key_the_presentation_asks_for_exists():
    source = Path(show.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b(?:_?t|heading)\(["']([A-Za-z0-9_.]+)["']\s*[,)]""", source))
    asked |= {f"{prefix}.{code}" for prefix, codes in (("school", education.SCHOOLS),
                                                       ("group", education.GRADE_GROUPS),
                                                       ("grade", {g for gs in education.GRADE_GROUPS.values()
                                                                  for g in gs})) for code in codes}
    assert asked - set(messages.report("education")) - set(messages.common()) == set()
    assert len(asked) > 20
