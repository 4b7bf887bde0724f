"""camgiang_data.analyses.welfare: gifts, averages and totals recomputed from the facts; Covid-19 support;
elections and civil-service ratings; missing data; both languages."""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import welfare as w
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present.reports import welfare as show

from .conftest import drop_facts, first_mention as _value, two_years, shown, unnatural as _unnatural


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
    totals = w.occasion_totals(frame).set_index("occasion")
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
    matrix = w.gift_matrix(w.gifts()).set_index("level")
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
    check = w.ratings_check(c)
    assert check.sum == sum(_value(f"{w.RATED}.{r}") for r in w.RATINGS) and check.rated == rated
    assert check.status == ("equal" if check.sum == rated else "differ")
    catalog = cg.catalog()
    assert set(c["indicator_id"]) == set(catalog.loc[catalog["table"] == "civil_service", "indicator_id"])


def test_formulas():
    assert w.average(10, 4) == 2.5 and math.isnan(w.average(10, 0)) and math.isnan(w.average(None, 1))
    assert w.share(1, 4) == 25 and math.isnan(w.total([1, float("nan")]))


UNIT = {"vi": "thị trấn", "en": "town"}


def summary(lang, data_dir=None, unit=None):
    """The one-line summary from the frames it is made of."""
    return show.summary_text(w.gifts(data_dir=data_dir), w.covid_support(data_dir=data_dir),
                             w.elections(data_dir=data_dir), w.civil_service(data_dir=data_dir), lang,
                             unit or UNIT[lang])


def test_texts_in_both_languages():
    totals = w.occasion_totals(w.gifts()).set_index("occasion")
    for lang in ("vi", "en"):
        text = summary(lang)
        assert format_money_short(totals.loc["tet", "amount"], lang) in text
        assert format_value(totals.loc["war_invalids_day", "gifts"], None, lang) in text
        assert format_value(_value(w.COVID_IDS[0]), None, lang) in text
        assert format_value(_value("government.election.delegates_share.women"), "percent", lang) in text
        assert format_value(_value(w.COVID_IDS[1]), None, lang) in show.covid_note(w.covid_support(), lang, UNIT[lang])
        assert show.TEXT["verdict_equal"][lang] in show.ratings_note(w.ratings_check(w.civil_service()), lang)
    assert summary("vi") != summary("en")
    assert "HĐND thị trấn (nữ" in summary("vi") and "HĐND xã (nữ" in summary("vi", unit="xã")
    assert "26 commune council delegates" in summary("en", unit="commune")
    assert "UBND xã hoàn thiện" in show.covid_note(w.covid_support(), "vi", "xã")


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"welfare.gift_amount.tet.district", "government.election.delegates",
                          "government.civil_service.rated.good", w.COVID_IDS[0]})
    gifts = w.gifts(data_dir=data_dir)
    frame = gifts.set_index(["occasion", "level"])
    assert math.isnan(frame.loc[("tet", "district"), "amount"]) and math.isnan(frame.loc[("tet", "district"),
                                                                                      "average"])
    assert frame.loc[("tet", "district"), "gifts"] == _value("welfare.gifts.tet.district")
    assert math.isnan(frame.loc[("tet", "total"), "amount"]) and not math.isnan(frame.loc[("tet", "total"), "gifts"])
    assert math.isnan(frame.loc[("all", "total"), "amount"])
    assert w.gift_matrix(gifts).set_index("level").loc["district", "listed_tet"]  # listed, missing
    e = w.elections(data_dir=data_dir).set_index("group")
    assert math.isnan(e.loc["women", "computed_share"]) and e.loc["women", "stated_share"] == _value(
        "government.election.delegates_share.women")
    civil = w.civil_service(data_dir=data_dir)
    assert w.ratings_check(civil).status == "missing"
    for lang in ("vi", "en"):
        nr = present.t("not_reported", lang)
        assert nr in summary(lang, data_dir)
        assert nr in show.covid_note(w.covid_support(data_dir=data_dir), lang, UNIT[lang])
        assert show.TEXT["verdict_missing"][lang] in show.ratings_note(w.ratings_check(civil), lang)
        for chart in (show.gifts_chart(w.gift_matrix(gifts), lang), show.average_chart(gifts, lang),
                      show.elections_chart(e.reset_index(), lang, UNIT[lang]), show.ratings_chart(civil, lang)):
            plt.close(chart.fig)


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for table, frame in ((show.gifts_table, w.gifts()), (show.covid_table, w.covid_support()),
                             (show.elections_table, w.elections()), (show.civil_service_table, w.civil_service())):
            markup = present.show_table(*table(frame, lang), ctx)
            assert markup.count("<tr>") == len(frame) + 1
            assert present.t("not_reported", lang) not in markup  # every figure present; n/a cells stay empty
        matrix = w.gift_matrix(w.gifts())
        fig = show.gifts_chart(matrix, lang).fig
        expected = [format_money_short(v, lang) if listed else show.TEXT["none_listed"][lang]
                    for o in w.OCCASIONS for v, listed in zip(matrix[o], matrix[f"listed_{o}"])]
        assert [x.get_text() for x in fig.axes[0].texts] == expected
        plt.close(fig)
        chart = show.elections_chart(w.elections(), lang, UNIT[lang])
        assert chart.fig.axes[0].get_title(loc="left").startswith("Cơ cấu đại biểu HĐND thị trấn" if lang == "vi"
                                                                  else "Town council delegates")
        for chart in (chart, show.average_chart(w.gifts(), lang), show.ratings_chart(w.civil_service(), lang)):
            plt.close(chart.fig)
        report = present.report("welfare", 2022, lang, root)
        frame = w.compare(2022, 2021, root)
        assert (frame["change"] == 0).all()
        present.show_table(*show.compare_table(frame, report), report.ctx)


# ------------------------------------------------------------------------------------------ missing data, read as text



def unnatural(text: str, lang: str) -> list[str]:
    return _unnatural(text, lang, (r"{nr} (suất|người|lao động|gifts|persons)",))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sentences_read_naturally_when_figures_are_missing(data_dir, lang):
    """No 'not reported persons', no empty label before a colon, and no Covid-19 support the report does not
    give (the 2021 report's province decision) stated as if of every year."""
    drop_facts(data_dir, {"welfare.gift_amount.tet.district", "government.election.delegates",
                          "government.civil_service.rated", w.COVID_IDS[0], w.COVID_IDS[1]})
    civil, elected = w.civil_service(data_dir=data_dir), w.elections(data_dir=data_dir)
    covid = w.covid_support(data_dir=data_dir)
    elections_chart, ratings_chart = show.elections_chart(elected, lang, UNIT[lang]), show.ratings_chart(civil, lang)
    texts = [summary(lang, data_dir), show.covid_note(covid, lang, UNIT[lang]),
             show.ratings_note(w.ratings_check(civil), lang), elections_chart.fig.axes[0].get_title(loc="left"),
             ratings_chart.fig.axes[0].get_title(loc="left")]
    plt.close("all")
    for text in texts:
        assert unnatural(text, lang) == [], text
    assert texts[0].startswith(show.TEXT["summary_missing"][lang].split("{")[0])
    assert texts[1] == show.TEXT["covid_none"][lang]
    assert texts[2].startswith(show.TEXT["ratings_note_missing"][lang].split("{")[0])
    assert texts[3] == show._title(show.TEXT["elections_title_missing"][lang].format(unit=UNIT[lang]))
    assert texts[4] == show.TEXT["ratings_title_missing"][lang].format(year=2021)


def test_one_covid_figure_missing(data_dir):
    drop_facts(data_dir, {w.COVID_IDS[1]})
    note = show.covid_note(w.covid_support(data_dir=data_dir), "en", "commune")
    assert note.startswith("Covid-19 support — free-lance workers") and "the commune proposed" in note
    assert unnatural(note, "en") == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sections_show_every_block_in_order(monkeypatch, lang):
    report = present.report("welfare", lang=lang)
    gifts = w.gifts()
    texts = shown(monkeypatch, report, show.gifts_section, gifts, w.gift_matrix(gifts))
    assert texts[0] == show.TEXT["h_gifts"][lang] and texts[2] == show.TEXT["gifts_note"][lang]
    assert texts[3:] == [show.TEXT["gifts_alt"][lang], show.TEXT["average_alt"][lang]]
    texts = shown(monkeypatch, report, show.elections_section, w.elections())
    assert texts[:2] == [show.TEXT["h_government"][lang], show.TEXT["h_elections"][lang].format(unit=UNIT[lang])]
    civil = w.civil_service()
    texts = shown(monkeypatch, report, show.civil_service_section, civil, w.ratings_check(civil))
    assert texts[2] == show.ratings_note(w.ratings_check(civil), lang)
    texts = shown(monkeypatch, report, show.compare_section, None)
    assert texts == [show.TEXT["h_compare"][lang], present.t("compare_none", lang)]


# ------------------------------------------------------------------------------------------ the split

def test_the_analyses_compute_and_the_presentation_speaks():
    source = Path(w.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+camgiang_data\.present", source, re.M)
    assert show.TEXT == messages.report("welfare") and show.TITLE == show.TEXT["title"]


def test_every_key_the_presentation_asks_for_exists():
    source = Path(show.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b(?:_?t|heading)\(["']([A-Za-z0-9_.]+)["']\s*[,)]""", source))
    asked |= {f"occasion.{o}" for o in w.OCCASIONS} | {f"level.{lv}" for lv in (*w.LEVELS, "total")}
    asked |= {f"verdict_{s}" for s in ("equal", "differ", "missing")}
    assert asked - set(messages.report("welfare")) - set(messages.common()) == set()
    assert len(asked) > 20
