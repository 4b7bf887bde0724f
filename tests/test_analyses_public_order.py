"""camgiang_data.analyses.public_order: cases by type and handling (the unaccounted case), petitions, civil
registration, military; values recomputed from the facts; missing data; the unit's word; both languages."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import public_order as po
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import public_order as show

from .conftest import drop_facts, first_mention as _value, two_years

TEXT = show.TEXT
# what a sentence must not say when a figure is missing: a fraction or an equation of missing values, a count
# word after "not reported", an empty label or a None where a figure or a year should be
BROKEN = re.compile(r"(không có số liệu|not reported)\s*/|/\s*(không có số liệu|not reported)"
                    r"|=\s*(không có số liệu|not reported)"
                    r"|(không có số liệu|not reported) (vụ|đơn|lượt|thanh niên|quyết định|cases|petitions|young)"
                    r"|(^|[;:,(—]\s*):|\bNone\b(?! listed)|\bnan\b|năm\s*[:(]")
UNIT = {"vi": "thị trấn", "en": "town"}


def _case_facts():
    """{(handling, case_type): value} from the public_order table's dimensions."""
    table = cg.load("public_order")
    table = table[table["case_type"].notna() & (table["case_type"] != "total") & (table["kind"] == "actual")]
    return {(h, c): v for h, c, v in zip(table["handling"], table["case_type"], table["value"])}


def _frames(data_dir=None) -> dict:
    """Every frame of the report, by the name the notebook gives it."""
    return {"balance": po.case_balance(data_dir=data_dir), "cases": po.cases(data_dir=data_dir),
            "totals": po.case_totals(data_dir=data_dir), "other_order": po.other_order(data_dir=data_dir),
            "petitions": po.petitions(data_dir=data_dir), "registration": po.civil_registration(data_dir=data_dir),
            "military": po.military(data_dir=data_dir), "callup": po.callup(data_dir=data_dir),
            "callup_checks": po.callup_checks(data_dir=data_dir), "targets": po.military_targets(data_dir=data_dir),
            "intake": po.intake_year(data_dir=data_dir)}


def _texts(f: dict, lang: str, unit: str | None = None) -> dict:
    """Every sentence the report writes from its frames."""
    unit = unit or UNIT[lang]
    return {"summary": show.summary_text(f["balance"], f["other_order"], f["petitions"], f["registration"],
                                         f["military"], lang, unit),
            "cases": show.cases_note(f["balance"], f["cases"], lang, unit),
            "petitions": show.petitions_note(f["petitions"], lang),
            "registration": show.registration_note(f["registration"], lang),
            "military": show.military_note(f["military"], lang),
            "callup": show.callup_note(f["callup"], f["callup_checks"], f["targets"], lang)}


# ------------------------------------------------------------------------------------------------ values

def test_cases_by_type_and_handling():
    facts = _case_facts()
    frame = po.cases()
    received_types = [c for (h, c) in facts if h == "received"]
    assert sorted(frame["case_type"]) == sorted(received_types)
    for row in frame.to_dict("records"):
        c = row["case_type"]
        assert row["received"] == facts[("received", c)]
        outcome = 0.0
        for h in po.HANDLINGS[1:]:
            if (h, c) in facts:
                assert row[h] == facts[(h, c)] and row[f"{h}_listed"]
                outcome += facts[(h, c)]
            else:
                assert not row[f"{h}_listed"] and math.isnan(row[h])  # none listed: not a stated zero
        assert row["accounted"] == outcome
        assert row["unaccounted"] == facts[("received", c)] - outcome
    injury = frame.set_index("case_type").loc["injury"]
    assert injury["unaccounted"] == _value("public_order.cases.received.injury") - _value(
        "public_order.cases.reported_to_district.injury")
    assert frame["unaccounted"].sum() == 1  # the audit's finding: one case accounted for nowhere


def test_case_totals_and_balance():
    facts = _case_facts()
    totals = po.case_totals().set_index("handling")
    for h in po.HANDLINGS:
        assert totals.loc[h, "sum"] == sum(v for (hh, _), v in facts.items() if hh == h)
    assert totals.loc["received", "stated"] == _value("public_order.cases.received")
    assert totals.loc["reported_to_district", "stated"] == _value("public_order.cases.reported_to_district")
    assert math.isnan(totals.loc["handled_by_town_police", "stated"])  # the report gives no such total
    b = po.case_balance()
    assert b.year == 2021 and b.complete
    assert b.accounted == b.handled + b.reported
    assert b.unaccounted == _value("public_order.cases.received") - b.accounted
    assert b.unaccounted == po.cases()["unaccounted"].sum()


def test_petitions_registration_military():
    p = po.petitions()
    computed = p[p["indicator_id"].isna()].iloc[0]
    assert computed["key"] == "petitions_check"
    assert computed["value"] == _value("justice.petitions.resolved") + _value("justice.petitions.transferred")
    assert computed["check"] == "holds"  # 7 = 6 + 1
    assert p.set_index("indicator_id").loc[po.RECEPTIONS, "value"] == _value(po.RECEPTIONS)
    r = po.civil_registration()
    lines = r[(r["basis"] == "stated") & (r["indicator_id"] != po.REGISTRATION_TOTAL)]
    catalog = cg.catalog()
    expected = set(catalog.loc[catalog["table"] == "civil_registration", "indicator_id"]) - {po.REGISTRATION_TOTAL}
    assert set(lines["indicator_id"]) == expected
    summed = r[r["basis"] == "computed"].iloc[0]
    assert summed["key"] == "registration_sum" and summed["value"] == sum(_value(i) for i in expected)
    assert summed["check"] == "holds"
    total = _value(po.REGISTRATION_TOTAL)
    for row in lines.to_dict("records"):
        assert row["share"] == pytest.approx(100 * _value(row["indicator_id"]) / total)
    m = po.military().set_index("indicator_id")
    reg = m.loc["military.registration_age17.registered"]
    assert reg["rate"] == pytest.approx(100 * _value("military.registration_age17.registered")
                                        / _value("military.registration_age17.liable"))
    assert reg["stated_rate"] == _value("military.registration_age17.rate")
    assert m.loc[po.ENLISTED, "base"] == _value(po.REQUIRED)


def test_callup_funnel_and_checks():
    frame = po.callup().set_index("stage")
    for stage in frame.index:
        assert frame.loc[stage, "value"] == _value(f"{po.CALLUP}.{stage}")
    assert frame.loc["prescreened", "base"] == _value(f"{po.CALLUP}.eligible_for_prescreening")
    assert frame.loc["eligible_for_prescreening", "rate"] == pytest.approx(
        100 * _value(f"{po.CALLUP}.eligible_for_prescreening") / _value(f"{po.CALLUP}.source"))
    checks = po.callup_checks()
    for r in checks.to_dict("records"):
        expected = "holds" if r["total_value"] == sum(r["parts_values"]) else "fails"
        assert r["status"] == expected
    assert po.check(5, [2, 3]) == "holds" and po.check(5, [2, 2]) == "fails" and po.check(5, [2, None]) == "unknown"
    assert po.intake_year() == 2022
    targets = po.military_targets()
    assert targets.set_index("indicator_id").loc["military.conscription.quota_completion", "value"] == _value(
        "military.conscription.quota_completion", 2022, "target")
    assert (targets["year"] == 2022).all()


# ------------------------------------------------------------------------------------------ text, both languages

def test_texts_in_both_languages():
    f = _frames()
    b = f["balance"]
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        for count in (b.received, b.handled, b.reported, b.unaccounted):
            assert format_value(count, None, lang) in texts["summary"]
        assert format_value(_value("justice.admin_procedures.total"), None, lang) in texts["summary"]
        assert format_value(_value("justice.violations.fines_paid"), "VND", lang) in texts["summary"]
        injury = f["cases"].set_index("case_type").loc["injury", f"name_{lang}"].lower()
        assert injury in texts["cases"]
        assert format_value(_value("justice.petitions.received"), None, lang) in texts["petitions"]
        assert TEXT["verdict_total_equal"][lang] in texts["registration"]
        assert TEXT["holds"][lang] in texts["callup"]
        assert format_value(100, "percent", lang) in texts["military"]
        assert not any(BROKEN.search(text) for text in texts.values()), texts
    assert texts["summary"] != _texts(f, "vi")["summary"]


def test_sentences_about_the_police_take_the_units_word():
    f = _frames()
    for lang, unit, police in (("vi", "xã", "Công an xã"), ("en", "commune", "the commune police")):
        texts = _texts(f, lang, unit)
        assert police in texts["summary"] and police in texts["cases"]
        rows, columns = show.cases_table(f["cases"], lang, unit)
        assert any(unit in header for _, header, _ in columns)
        rows, _ = show.totals_table(f["totals"], lang, unit)
        assert unit in rows[1]["label"]
        chart = show.cases_chart(f["cases"], 2021, lang, unit)
        assert unit in chart.alt
        plt.close(chart.fig)
        assert not any("thị trấn" in text or "town" in text for text in texts.values())


def test_a_stated_total_is_not_called_computed():
    """2021 states no total dealt with by the police: the summary's count is the types' sum, "(computed)"; a year
    that states it is not labelled so."""
    f = _frames()
    assert f["balance"].summed == ("handled",)
    assert "(computed)" in _texts(f, "en")["summary"]
    f["balance"] = dataclasses.replace(f["balance"], summed=())
    for lang, word in (("vi", "(tính)"), ("en", "(computed)")):
        text = _texts(f, lang)["summary"]
        assert word not in text and format_value(f["balance"].handled, None, lang) in text
    f["balance"] = dataclasses.replace(f["balance"], received=float("nan"))
    assert "(computed)" not in _texts(f, "en")["summary"]


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"public_order.cases.received.theft", "public_order.cases.received",
                          "justice.petitions.transferred", "military.callup_2022.not_prescreened",
                          "justice.admin_procedures.signature_certification"})
    frame = po.cases(data_dir=data_dir).set_index("case_type")
    assert math.isnan(frame.loc["theft", "received"]) and math.isnan(frame.loc["theft", "unaccounted"])
    assert frame.loc["theft", "received_listed"]  # missing data, not "none listed"
    totals = po.case_totals(data_dir=data_dir).set_index("handling")
    assert math.isnan(totals.loc["received", "stated"]) and math.isnan(totals.loc["received", "sum"])
    assert not po.case_balance(data_dir=data_dir).complete
    checks = po.callup_checks(data_dir=data_dir).set_index("total")
    assert checks.loc["eligible_for_prescreening", "status"] == "unknown"
    assert checks.loc["source", "status"] == "holds"
    f = _frames(data_dir)
    assert f["petitions"].set_index("key").loc["petitions_check", "check"] == "unknown"
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        assert present.t("not_reported", lang) in texts["summary"]
        assert texts["cases"] == TEXT["cases_note_missing"][lang]
        transferred = f["petitions"].set_index("indicator_id").loc["justice.petitions.transferred", f"name_{lang}"]
        assert transferred[1:] in texts["petitions"]
        signature = "justice.admin_procedures.signature_certification"
        assert f["registration"].set_index("indicator_id").loc[signature, f"name_{lang}"][1:] in texts["registration"]
        assert TEXT["unknown"][lang] in texts["callup"]
        for chart in (show.cases_chart(f["cases"], 2021, lang, UNIT[lang]),
                      show.registration_chart(f["registration"], 2021, lang),
                      show.callup_chart(f["callup"], f["intake"], lang)):
            plt.close(chart.fig)


def test_missing_figures_read_naturally(data_dir):
    """With figures missing, no sentence says "không có số liệu/không có số liệu", "= không có số liệu",
    "không có số liệu vụ", an empty label or None; each says what is missing instead."""
    drop_facts(data_dir, {"public_order.cases.received", "public_order.cases.received.theft",
                          "justice.petitions.transferred", "justice.violations.fines_paid",
                          "justice.admin_procedures.signature_certification", po.REQUIRED,
                          "military.registration_age17.rate", "military.callup_2022.not_prescreened"}, derived=True)
    f = _frames(data_dir)
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        for name, text in texts.items():
            assert not BROKEN.search(text), (name, text)
        assert texts["summary"].startswith(TEXT["summary_partial"][lang].split("{year}")[0])
        assert f"{TEXT['sum_required'][lang]}: {present.t('not_reported', lang)}" in texts["summary"]
        assert f["military"].set_index("indicator_id").loc[po.ENLISTED, f"base_name_{lang}"][1:] in texts["military"]
        assert f["callup"].set_index("stage").loc["not_prescreened", f"name_{lang}"][1:] in texts["callup"]


def test_a_missing_stated_rate_is_not_written_as_a_figure(data_dir):
    drop_facts(data_dir, {"military.registration_age17.rate"}, derived=True)
    for lang in ("vi", "en"):
        text = show.military_note(po.military(data_dir=data_dir), lang)
        assert present.t("not_reported", lang) not in text and format_value(100, "percent", lang, 1) in text


def test_every_key_the_presentation_asks_for_exists():
    source = Path(show.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b(?:_?t|heading)\(["']([A-Za-z0-9_.]+)["']""", source))
    known = set(messages.report("public_order")) | set(messages.common())
    assert asked - known == set() and len(asked) > 20


# ------------------------------------------------------------------------------------------ tables, charts

def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    f = _frames()
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        tables = [(show.cases_table(f["cases"], lang, UNIT[lang]), f["cases"]),
                  (show.totals_table(f["totals"], lang, UNIT[lang]), f["totals"]),
                  (show.figures_table(f["other_order"], lang), f["other_order"]),
                  (show.figures_table(f["petitions"], lang), f["petitions"]),
                  (show.registration_table(f["registration"], lang), f["registration"]),
                  (show.military_table(f["military"], lang), f["military"]),
                  (show.callup_table(f["callup"], lang), f["callup"])]
        for (rows, columns), frame in tables:
            markup = present.show_table(rows, columns, ctx)
            assert markup.count("<tr>") == len(frame) + 1 and "None" not in markup
        listed = sum((~f["cases"][f"{h}_listed"]).sum() for h in po.HANDLINGS)
        markup = present.show_table(*show.cases_table(f["cases"], lang, UNIT[lang]), ctx)
        assert markup.count(TEXT["none_listed"][lang]) == listed
        chart = show.cases_chart(f["cases"], 2021, lang, UNIT[lang])
        assert [x.get_text() for x in chart.fig.axes[0].texts].count(TEXT["none_listed"][lang]) == listed
        assert chart.caption == TEXT["cases_caption"][lang]
        plt.close(chart.fig)
        for chart in (show.registration_chart(f["registration"], 2021, lang),
                      show.callup_chart(f["callup"], f["intake"], lang)):
            assert chart.alt
            plt.close(chart.fig)
        report = present.report("public_order", 2022, lang, root, 2021)
        frame = po.compare(2022, 2021, root)
        assert (frame["change"].dropna() == 0).all() and len(frame.dropna(subset=["change"])) > 0
        show.compare_section(report, frame)
