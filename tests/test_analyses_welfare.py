"""camgiang_data.analyses.welfare: gifts, averages and totals recomputed from the facts; Covid-19 support;
elections and civil-service ratings; missing data; both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import welfare as w
from camgiang_data.present.fmt import format_money_short, format_value

from .conftest import drop_facts, first_mention as _value, two_years


def _gift_facts():
    """{(occasion, level): {"gifts": n, "amount": đ}} from the welfare table's dimensions."""
    table = cg.load("welfare")
    table = table[table["occasion"].notna()]
    out: dict = {}
    for iid, occasion, level, value in zip(table["indicator_id"], table["occasion"], table["gift_level"],
                                           table["value"]):
        out.setdefault((occasion, level), {})["amount" if ".gift_amount." in iid else "gifts"] = value
    return out


def test_gift_lines_averages_and_totals():
    facts = _gift_facts()
    frame = w.gifts()
    lines = frame[frame["basis"] == "stated"]
    assert set(zip(lines["occasion"], lines["level"])) == set(facts)
    for row in lines.to_dict("records"):
        expected = facts[(row["occasion"], row["level"])]
        assert row["gifts"] == expected["gifts"] and row["amount"] == expected["amount"]
        assert row["average"] == pytest.approx(expected["amount"] / expected["gifts"])
    totals = w.occasion_totals().set_index("occasion")
    for occasion in w.OCCASIONS:
        parts = [v for (o, _), v in facts.items() if o == occasion]
        assert totals.loc[occasion, "gifts"] == sum(p["gifts"] for p in parts)
        assert totals.loc[occasion, "amount"] == sum(p["amount"] for p in parts)
        assert totals.loc[occasion, "basis"] == "computed"
    assert totals.loc["all", "amount"] == sum(p["amount"] for p in facts.values())
    assert totals.loc["all", "average"] == pytest.approx(sum(p["amount"] for p in facts.values())
                                                         / sum(p["gifts"] for p in facts.values()))
    in_kind = lines[lines["in_kind"]]
    assert [(o, lv) for o, lv in zip(in_kind["occasion"], in_kind["level"])] == [("tet", "province")]


def test_gift_matrix_flags_lines_the_report_does_not_have():
    facts = _gift_facts()
    matrix = w.gift_matrix().set_index("level")
    for level in w.LEVELS:
        for occasion in w.OCCASIONS:
            listed = (occasion, level) in facts
            assert matrix.loc[level, f"listed_{occasion}"] == listed
            if listed:
                assert matrix.loc[level, occasion] == facts[(occasion, level)]["amount"]
            else:
                assert math.isnan(matrix.loc[level, occasion])


def test_covid_elections_civil_service():
    covid = w.covid_support().set_index("indicator_id")
    for iid in w.COVID_IDS:
        assert covid.loc[iid, "value"] == _value(iid)
    e = w.elections().set_index("group")
    delegates = _value(w.DELEGATES)
    for group in w.ELECTION_GROUPS:
        count = _value(f"{w.DELEGATES}.{group}")
        assert e.loc[group, "count"] == count
        assert e.loc[group, "computed_share"] == pytest.approx(100 * count / delegates)
        assert e.loc[group, "stated_share"] == _value(f"government.election.delegates_share.{group}")
        assert abs(e.loc[group, "computed_share"] - e.loc[group, "stated_share"]) < 0.05
    c = w.civil_service()
    ratings = c[c["kind"] == "rating"]
    rated = _value(w.RATED)
    for row in ratings.to_dict("records"):
        assert row["share"] == pytest.approx(100 * _value(row["indicator_id"]) / rated)
    check = w.ratings_check()
    assert check["sum"] == sum(_value(f"{w.RATED}.{r}") for r in w.RATINGS)
    assert check["status"] == ("equal" if check["sum"] == rated else "differ")
    catalog = cg.catalog()
    assert set(c["indicator_id"]) == set(catalog.loc[catalog["table"] == "civil_service", "indicator_id"])


def test_formulas():
    assert w.average(10, 4) == 2.5 and math.isnan(w.average(10, 0)) and math.isnan(w.average(None, 1))
    assert w.share(1, 4) == 25 and math.isnan(w.total([1, float("nan")]))


def test_texts_in_both_languages():
    totals = w.occasion_totals().set_index("occasion")
    for lang in ("vi", "en"):
        summary = w.summary_text(lang=lang)
        assert format_money_short(totals.loc["tet", "amount"], lang) in summary
        assert format_value(totals.loc["war_invalids_day", "gifts"], None, lang) in summary
        assert format_value(_value(w.COVID_IDS[0]), None, lang) in summary
        assert format_value(_value("government.election.delegates_share.women"), "percent", lang) in summary
        assert format_value(_value(w.COVID_IDS[1]), None, lang) in w.covid_note(lang=lang)
        assert w.TEXT["verdict_equal"][lang] in w.ratings_note(lang=lang)
    assert w.summary_text(lang="vi") != w.summary_text(lang="en")


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"welfare.gift_amount.tet.district", "government.election.delegates",
                          "government.civil_service.rated.good", w.COVID_IDS[0]})
    frame = w.gifts(data_dir=data_dir).set_index(["occasion", "level"])
    assert math.isnan(frame.loc[("tet", "district"), "amount"]) and math.isnan(frame.loc[("tet", "district"),
                                                                                      "average"])
    assert frame.loc[("tet", "district"), "gifts"] == _value("welfare.gifts.tet.district")
    assert math.isnan(frame.loc[("tet", "total"), "amount"]) and not math.isnan(frame.loc[("tet", "total"), "gifts"])
    assert math.isnan(frame.loc[("all", "total"), "amount"])
    assert w.gift_matrix(data_dir=data_dir).set_index("level").loc["district", "listed_tet"]  # listed, missing
    e = w.elections(data_dir=data_dir).set_index("group")
    assert math.isnan(e.loc["women", "computed_share"]) and e.loc["women", "stated_share"] == _value(
        "government.election.delegates_share.women")
    assert w.ratings_check(data_dir=data_dir)["status"] == "missing"
    for lang in ("vi", "en"):
        nr = present.t("not_reported", lang)
        assert nr in w.summary_text(data_dir=data_dir, lang=lang)
        assert nr in w.covid_note(data_dir=data_dir, lang=lang)
        assert w.TEXT["verdict_missing"][lang] in w.ratings_note(data_dir=data_dir, lang=lang)
        for chart in (w.gifts_chart, w.average_chart, w.elections_chart, w.ratings_chart):
            plt.close(chart(data_dir=data_dir, lang=lang))


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in (("gifts", w.gifts()), ("covid", w.covid_support()), ("elections", w.elections()),
                             ("civil_service", w.civil_service())):
            markup = present.show_table(frame.to_dict("records"), w.columns(ctx, which), ctx)
            assert markup.count("<tr>") == len(frame) + 1
            assert present.t("not_reported", lang) not in markup  # every figure present; n/a cells stay empty
        fig = w.gifts_chart(lang=lang)
        matrix = w.gift_matrix()
        expected = [format_money_short(v, lang) if listed else w.TEXT["none_listed"][lang]
                    for o in w.OCCASIONS for v, listed in zip(matrix[o], matrix[f"listed_{o}"])]
        assert [x.get_text() for x in fig.axes[0].texts] == expected
        plt.close(fig)
        for chart in (w.average_chart, w.elections_chart, w.ratings_chart):
            plt.close(chart(lang=lang))
        ctx2 = present.context(2022, lang, root)
        frame = w.compare(2022, 2021, root)
        assert (frame["change"] == 0).all()
        present.show_table(frame.to_dict("records"), w.columns(ctx2, "compare"), ctx2)
    with pytest.raises(ValueError):
        w.columns(present.context(), "nope")
