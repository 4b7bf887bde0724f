"""camgiang_data.analyses.targets: the scorecard against the facts and `assess_target`, next year's targets, the
chart ratio, the missing-data path, a second year (including the earlier report's targets), both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import targets
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import targets as show
from camgiang_data.topical import assess_target

from .conftest import drop_facts, read_rows, two_years, write_rows

YEAR = 2021


def stated(year_folder=YEAR, data_dir=None):
    facts = cg.load("facts", year_folder, data_dir)
    return facts[(facts["basis"] == "stated") & (facts["mention"] == 1)]


# ------------------------------------------------------------------------------------------------ values

def test_scorecard_has_every_target_of_the_year_judged_by_assess_target():
    card = targets.scorecard(YEAR)
    facts = stated()
    goals = facts[(facts["year"] == YEAR) & facts["kind"].isin(["target", "target_change"])]
    assert sorted(card["indicator_id"]) == sorted(goals["indicator_id"])
    for row in card.to_dict("records"):
        goal = goals[goals["indicator_id"] == row["indicator_id"]].iloc[0]
        result_kind = "change" if goal["kind"] == "target_change" else "actual"
        result = facts[(facts["indicator_id"] == row["indicator_id"]) & (facts["year"] == YEAR)
                       & (facts["kind"] == result_kind)]
        value = float(result["value"].iloc[0]) if len(result) else None
        qualifier = goal["qualifier"] if isinstance(goal["qualifier"], str) else None
        assert row["target"] == goal["value"]
        assert row["status"] == assess_target(goal["value"], qualifier, value, goal["kind"])
        if value is not None and goal["kind"] == "target":
            assert row["ratio"] == pytest.approx(100 * value / goal["value"])


def test_counts_add_up():
    card = targets.scorecard(YEAR)
    c = targets.counts(card)
    assert c["met"] + c["not_met"] + c["not_reported"] == c["total"] == len(card)
    assert c["met"] == (card["status"] == "met").sum()


def test_next_targets_are_those_of_year_plus_one():
    frame = targets.next_targets(YEAR)
    facts = stated()
    expected = facts[(facts["year"] == YEAR + 1) & facts["kind"].isin(["target", "target_change"])]
    assert sorted(frame["indicator_id"]) == sorted(expected["indicator_id"])
    for lang in ("vi", "en"):
        lines = show.next_list(frame, YEAR, lang)
        assert len(lines) == len(frame)


@pytest.mark.parametrize("lang,words", [("vi", ("trên", "dưới", "ít nhất", "giảm")),
                                        ("en", ("above", "below", "at least", "decrease"))])
def test_qualifiers_are_shown_in_the_readers_language(lang, words):
    lines = " ".join(show.next_list(targets.next_targets(YEAR), YEAR, lang))
    for word in words:
        assert word in lines
    change = targets.next_targets(YEAR)
    row = change[change["kind"] == "target_change"].iloc[0].to_dict()
    text = show.target_text(row, lang)
    assert text.startswith(words[3]) and format_value(abs(row["target"]), row["unit"], lang) in text


def test_related_findings_name_the_rules_that_touch_a_target():
    card = targets.scorecard(YEAR)
    related = targets.related_findings(card, YEAR)
    findings = cg.load("findings")
    for row in related.to_dict("records"):
        match = findings[findings["rule_id"] == row["rule_id"]]
        assert any(row["indicator_id"] in str(i).split() for i in match["indicators"])
    assert set(related["indicator_id"]) <= set(card["indicator_id"])
    texts_vi = show.findings_texts(card, related, "vi")
    texts_en = show.findings_texts(card, related, "en")
    assert len(texts_vi) == related["indicator_id"].nunique() == len(texts_en)
    assert texts_vi != texts_en


# ------------------------------------------------------------------------------------------ missing data

def test_missing_result_is_not_reported(data_dir):
    drop_facts(data_dir, {"economy.growth_rate"}, {"actual"})
    card = targets.scorecard(YEAR, data_dir).set_index("indicator_id")
    assert card.loc["economy.growth_rate", "status"] == "not_reported"
    assert math.isnan(card.loc["economy.growth_rate", "result"])
    assert math.isnan(card.loc["economy.growth_rate", "ratio"])
    assert targets.counts(card.reset_index())["not_reported"] == 1
    for lang, missing in (("vi", "không có số liệu"), ("en", "not reported")):
        rows, _ = show.scorecard_table(card.reset_index(), lang)
        growth = next(r for r in rows if r["indicator_id"] == "economy.growth_rate")
        assert growth["result_text"] == missing and growth["status_text"] == missing
        assert ("1 không có số liệu" if lang == "vi" else "1 not reported") in \
            summary(lang, data_dir)
        rows, _ = show.sources_table(card.reset_index(), lang)
        assert next(r for r in rows if r["label"] == growth["label"])["result_quote"] == missing
        chart = show.ratio_chart(card.reset_index(), lang)
        assert growth["label"] not in chart.alt
        plt.close(chart.fig)


def test_no_targets_at_all(data_dir):
    path = data_dir / str(YEAR) / "facts.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r["kind"] not in ("target", "target_change")
                      and not (r["kind"] == "plan_attainment")], list(rows[0]))
    derivations = data_dir / str(YEAR) / "derivations.csv"
    rows = read_rows(derivations)
    write_rows(derivations, [r for r in rows if r["formula"] != "target_from_attainment"], list(rows[0]))
    card = targets.scorecard(YEAR, data_dir)
    assert card.empty and show.ratio_chart(card, "vi") is None
    assert targets.counts(card)["total"] == 0
    assert "không đặt chỉ tiêu" in show.next_list(targets.next_targets(YEAR, data_dir), YEAR, "vi")[0]
    for lang, word in (("vi", "không nêu chỉ tiêu nào"), ("en", "states no target")):
        text = summary(lang, data_dir)
        assert word in text and "0/0" not in text and "0 of 0" not in text


BROKEN = ("0/0", "0 of 0", "không có số liệu/", "/không có số liệu", "= không có số liệu", "not reported/",
          "/not reported", "= not reported", " : ", "“”")


def test_missing_results_leave_no_broken_sentence(data_dir):
    drop_facts(data_dir, set(targets.scorecard(YEAR)["indicator_id"]), {"actual", "change"}, derived=True)
    card, upcoming = targets.scorecard(YEAR, data_dir), targets.next_targets(YEAR, data_dir)
    assert (card["status"] == "not_reported").all() and show.ratio_chart(card, "vi") is None
    related = targets.related_findings(card, YEAR, data_dir)
    for lang in ("vi", "en"):
        texts = [summary(lang, data_dir), show.intro(YEAR, lang)] + show.findings_texts(card, related, lang) \
            + show.next_list(upcoming, YEAR, lang)
        for text in texts:
            assert not [form for form in BROKEN if form in text], text


def test_a_year_without_targets_shows_notes_not_empty_tables(data_dir):
    drop_facts(data_dir, set(targets.scorecard(YEAR)["indicator_id"]) | set(targets.next_targets(YEAR)["indicator_id"]),
               {"target", "target_change", "plan_attainment"}, derived=True)
    card, upcoming = targets.scorecard(YEAR, data_dir), targets.next_targets(YEAR, data_dir)
    assert card.empty and upcoming.empty
    for lang in ("vi", "en"):
        report = Recorder(present.report("targets", YEAR, lang, data_dir))
        show.scorecard_section(report, card)
        show.sources_section(report, card)
        show.next_section(report, upcoming)
        assert [kind for kind, _ in report.shown] == ["heading", "note"] * 3
        assert report.shown[1][1] == show.TEXT["none"][lang].format(year=YEAR)
        assert report.shown[5][1] == show.TEXT["next_none"][lang].format(year=YEAR + 1)
        assert "0/0" not in summary(lang, data_dir) and "0 of 0" not in summary(lang, data_dir)


class Recorder:
    """A report that records what a section shows instead of displaying it."""

    def __init__(self, report):
        self.report, self.shown = report, []
        self.year, self.lang, self.compare_year, self.t = report.year, report.lang, report.compare_year, report.t

    def heading(self, key, **values):
        self.shown.append(("heading", self.report.t(key, **values)))

    def note(self, text):
        self.shown.append(("note", text))

    def table(self, rows, columns, caption=None):
        self.shown.append(("table", rows))

    def chart(self, chart):
        self.shown.append(("chart", chart.alt))


def test_the_chart_note_names_the_below_targets_it_charts():
    card = targets.scorecard(YEAR)
    rows = card.dropna(subset=["ratio"]).to_dict("records")
    for lang in ("vi", "en"):
        assert show.chart_note(rows, lang) == show.TEXT["chart_note"][lang]  # 2021: population growth
        plain = [r for r in rows if r["qualifier"] != "below"]
        assert show.chart_note(plain, lang) == show.TEXT["chart_note_no_below"][lang]
        other = [{**r, "qualifier": "below"} if r["indicator_id"] == "economy.growth_rate" else r for r in rows]
        note = show.chart_note(other, lang)
        assert other[0]["name_vi" if lang == "vi" else "name_en"] in note and "(tỷ lệ tăng dân số)" not in note


# ------------------------------------------------------------------------------------------ comparison

def test_compare_and_the_earlier_reports_targets(tmp_path):
    root = two_years(tmp_path)
    frame = targets.compare(2022, 2021, root)
    assert (frame["change"] == 0).all()
    earlier = targets.prior_report_targets(2022, 2021, root)
    facts_2021 = stated(2021, root)
    facts_2022 = stated(2022, root)
    goals = facts_2021[(facts_2021["year"] == 2022) & facts_2021["kind"].isin(["target", "target_change"])]
    assert sorted(earlier["indicator_id"]) == sorted(goals["indicator_id"])
    for row in earlier.to_dict("records"):
        kind = "change" if row["kind"] == "target_change" else "actual"
        result = facts_2022[(facts_2022["indicator_id"] == row["indicator_id"]) & (facts_2022["year"] == 2022)
                            & (facts_2022["kind"] == kind)]
        value = float(result["value"].iloc[0]) if len(result) else None
        qualifier = row["qualifier"] if isinstance(row["qualifier"], str) else None
        assert row["status"] == assess_target(row["target"], qualifier, value, row["kind"])
    assert set(earlier["status"]) >= {"met", "not_met", "not_reported"}
    for lang in ("vi", "en"):
        rows, columns = show.prior_targets_table(earlier, lang)
        assert len(rows) == len(earlier)
        rows, columns = show.compare_table(frame, lang)
        assert columns[1][1] == ("Kết quả 2022" if lang == "vi" else "Result 2022")
        growth = next(r for r in rows if r["indicator_id"] == "economy.growth_rate")
        assert columns[3][2](growth["change"], growth) == format_value(0, "pp", lang)


def summary(lang, data_dir=None):
    """The one-line summary from the frames it is made of."""
    return show.summary_text(targets.scorecard(YEAR, data_dir), targets.next_targets(YEAR, data_dir), YEAR, lang)


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_and_tables_show_the_headline_numbers(lang):
    card = targets.scorecard(YEAR)
    c = targets.counts(card)
    text = summary(lang)
    assert (f"{c['met']}/{c['total']}" if lang == "vi" else f"{c['met']} of {c['total']}") in text
    rows, columns = show.scorecard_table(card, lang)
    cells = " ".join(r["result_text"] + " " + r["target_text"] for r in rows)
    facts = stated()
    for ident in ("economy.growth_rate", "economy.income_per_capita"):
        value = facts[(facts["indicator_id"] == ident) & (facts["year"] == YEAR) & (facts["kind"] == "actual")]
        assert format_value(float(value["value"].iloc[0]), None, lang) in cells
    assert [h for _, h, _ in columns][3] == ("Đánh giá" if lang == "vi" else "Status")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ratio_chart(lang):
    card = targets.scorecard(YEAR)
    chart = show.ratio_chart(card, lang)
    for row in card.dropna(subset=["ratio"]).to_dict("records"):
        assert format_value(row["ratio"], "percent", lang, 1) in chart.alt
    ax = chart.fig.axes[0]
    assert any(line.get_xdata()[0] == 100 for line in ax.get_lines())
    plt.close(chart.fig)


def test_targets_carried_in_are_not_tabled_twice():
    """A year whose targets all came from the previous report (carried in): the 'targets the earlier report set'
    section says they are the scorecard's instead of repeating its table."""
    import pandas as pd

    card = pd.DataFrame([{"indicator_id": "economy.growth_rate", "kind": "target", "target": 7.0},
                         {"indicator_id": "culture.cultural_family_rate", "kind": "target", "target": 90.0}])
    assert targets.repeats_scorecard(card.iloc[::-1].reset_index(drop=True), card)
    other = card.copy()
    other.loc[0, "target"] = 7.5
    assert not targets.repeats_scorecard(other, card)
    assert not targets.repeats_scorecard(card.iloc[:1], card)
    assert not targets.repeats_scorecard(card.iloc[:0], card)
