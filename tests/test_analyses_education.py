"""camgiang_data.analyses.education: values recomputed from the facts, every standard statement, missing data,
both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import education
from camgiang_data.present.fmt import format_value

from .conftest import drop_facts, first_mention as _value, two_years


def _facts():
    return cg.load("facts")


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
    assert education.standard_levels() == list(dict.fromkeys(level["value"]))
    assert len(education.standard_levels()) > 1  # the report gives the lower secondary school two levels
    for lang in ("vi", "en"):
        note = education.standard_note(lang=lang)
        for v in level["value"]:
            assert education.TEXT["standard_item"][lang].format(value=format_value(v, None, lang),
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
    totals = education.grade_totals().set_index("group")["total"]
    for group in education.GRADE_GROUPS:
        assert totals[group] == pytest.approx(frame.loc[frame["group"] == group, "share"].sum())


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


def test_texts_in_both_languages():
    s = education.schools().set_index("school")
    for lang in ("vi", "en"):
        summary = education.summary_text(lang=lang)
        for school in education.SCHOOLS:
            assert format_value(s.loc[school, "pupils"], None, lang) in summary
        assert education.levels_text(education.standard_levels(), lang) in summary
        graduation = _facts()[_facts()["indicator_id"] == "education.graduation_rate.lower_secondary"]
        assert graduation["school_year"].iloc[0].replace("-", "–") in summary
        preschool = _facts()[_facts()["indicator_id"] == "education.pupils.preschool"]
        assert preschool["school_year"].iloc[0].replace("-", "–") in education.schools_note(lang=lang)
        assert education.grades_total_note(lang=lang).count(format_value(100, "percent", lang)) == 3
    assert education.summary_text(lang="vi") != education.summary_text(lang="en")
    assert education.levels_text([], "en") == "not reported"
    assert education.school_year_label(None, "vi") == "không ghi"


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"education.classes.primary", "education.graduation_candidates.lower_secondary",
                          "education.conduct_share.lower_secondary.fair", education.LEVEL_ID})
    s = education.schools(data_dir=data_dir).set_index("school")
    assert math.isnan(s.loc["primary", "classes"]) and math.isnan(s.loc["primary", "pupils_per_class"])
    r = education.rates(data_dir=data_dir).set_index("indicator_id")
    assert math.isnan(r.loc["education.graduation_rate.lower_secondary", "computed"])
    assert math.isnan(education.grade_totals(data_dir=data_dir).set_index("group").loc["conduct_share", "total"])
    assert education.standard_levels(data_dir=data_dir) == []
    for lang in ("vi", "en"):
        summary = education.summary_text(data_dir=data_dir, lang=lang)
        assert present.t("not_reported", lang) in summary
        assert education.standard_note(data_dir=data_dir, lang=lang) == education.TEXT["standard_agree"][lang]
        plt.close(education.per_class_chart(data_dir=data_dir, lang=lang))
        plt.close(education.grades_chart("conduct_share", data_dir=data_dir, lang=lang))


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in (("schools", education.schools()), ("standard", education.standard_statements()),
                             ("rates", education.rates()), ("grades", education.grade_shares()),
                             ("awards", education.awards()), ("targets", education.targets())):
            markup = present.show_table(frame.to_dict("records"), education.columns(ctx, which), ctx)
            assert markup.count("<tr>") == len(frame) + 1
        ctx2 = present.context(2022, lang, root)
        frame = education.compare(2022, 2021, root)
        assert (frame["change"].dropna() == 0).all() and frame["change"].notna().any()
        present.show_table(frame.to_dict("records"), education.columns(ctx2, "compare"), ctx2)
        plt.close(education.per_class_chart(lang=lang))
        plt.close(education.awards_chart(lang=lang))
        for group in education.GRADE_GROUPS:
            plt.close(education.grades_chart(group, lang=lang))
        assert education.heading("h_results", lang, school_year="2020–2021").startswith("<h2>")
    with pytest.raises(ValueError):
        education.columns(present.context(), "nope")
    previous = education.actuals().copy()
    previous.loc[previous["indicator_id"] == "education.pupils.primary", "value"] = 800.0
    out = education.compare_frames(education.actuals(), previous).set_index("indicator_id")
    assert out.loc["education.pupils.primary", "change"] == _value("education.pupils.primary") - 800
