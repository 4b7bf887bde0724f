"""camgiang_data.analyses.public_order: cases by type and handling (the unaccounted case), petitions, civil
registration, military; values recomputed from the facts; missing data; both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import public_order as po
from camgiang_data.present.fmt import format_value

from .conftest import drop_facts, first_mention as _value, two_years


def _case_facts():
    """{(handling, case_type): value} from the public_order table's dimensions."""
    table = cg.load("public_order")
    table = table[table["case_type"].notna() & (table["case_type"] != "total") & (table["kind"] == "actual")]
    return {(h, c): v for h, c, v in zip(table["handling"], table["case_type"], table["value"])}


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
    assert b["accounted"] == b["handled"] + b["reported"]
    assert b["unaccounted"] == _value("public_order.cases.received") - b["accounted"]
    assert b["unaccounted"] == po.cases()["unaccounted"].sum()


def test_petitions_registration_military():
    p = po.petitions()
    computed = p[p["indicator_id"].isna()]["value"].iloc[0]
    assert computed == _value("justice.petitions.resolved") + _value("justice.petitions.transferred")
    assert p.set_index("indicator_id").loc[po.RECEPTIONS, "value"] == _value(po.RECEPTIONS)
    r = po.civil_registration()
    lines = r[(r["basis"] == "stated") & (r["indicator_id"] != po.REGISTRATION_TOTAL)]
    catalog = cg.catalog()
    expected = set(catalog.loc[catalog["table"] == "civil_registration", "indicator_id"]) - {po.REGISTRATION_TOTAL}
    assert set(lines["indicator_id"]) == expected
    assert r.loc[r["basis"] == "computed", "value"].iloc[0] == sum(_value(i) for i in expected)
    total = _value(po.REGISTRATION_TOTAL)
    for row in lines.to_dict("records"):
        assert row["share"] == pytest.approx(100 * _value(row["indicator_id"]) / total)
    m = po.military().set_index("indicator_id")
    reg = m.loc["military.registration_age17.registered"]
    assert reg["rate"] == pytest.approx(100 * _value("military.registration_age17.registered")
                                        / _value("military.registration_age17.liable"))
    assert reg["stated_rate"] == _value("military.registration_age17.rate")


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


def test_texts_in_both_languages():
    b = po.case_balance()
    for lang in ("vi", "en"):
        summary = po.summary_text(lang=lang)
        for key in ("received", "handled", "reported", "unaccounted"):
            assert format_value(b[key], None, lang) in summary
        assert format_value(_value("justice.admin_procedures.total"), None, lang) in summary
        assert format_value(_value("justice.violations.fines_paid"), "VND", lang) in summary
        note = po.cases_note(lang=lang)
        injury = po.cases().set_index("case_type").loc["injury", f"name_{lang}"].lower()
        assert injury in note
        assert format_value(_value("justice.petitions.received"), None, lang) in po.petitions_note(lang=lang)
        assert po.TEXT["verdict_total_equal"][lang] in po.registration_note(lang=lang)
        assert po.TEXT["holds"][lang] in po.callup_note(lang=lang)
        assert format_value(100, "percent", lang) in po.military_note(lang=lang)
    total = _value("justice.admin_procedures.total")
    assert format_value(total, None, "vi") in po.summary_text(lang="vi")
    assert format_value(total, None, "en") in po.summary_text(lang="en")


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"public_order.cases.received.theft", "public_order.cases.received",
                          "justice.petitions.transferred", "military.callup_2022.not_prescreened",
                          "justice.admin_procedures.signature_certification"})
    frame = po.cases(data_dir=data_dir).set_index("case_type")
    assert math.isnan(frame.loc["theft", "received"]) and math.isnan(frame.loc["theft", "unaccounted"])
    assert frame.loc["theft", "received_listed"]  # missing data, not "none listed"
    totals = po.case_totals(data_dir=data_dir).set_index("handling")
    assert math.isnan(totals.loc["received", "stated"]) and math.isnan(totals.loc["received", "sum"])
    checks = po.callup_checks(data_dir=data_dir).set_index("total")
    assert checks.loc["eligible_for_prescreening", "status"] == "unknown"
    assert checks.loc["source", "status"] == "holds"
    for lang in ("vi", "en"):
        nr = present.t("not_reported", lang)
        assert nr in po.summary_text(data_dir=data_dir, lang=lang)
        assert po.cases_note(data_dir=data_dir, lang=lang) == po.TEXT["cases_note_missing"][lang]
        assert po.TEXT["verdict_missing"][lang] in po.petitions_note(data_dir=data_dir, lang=lang)
        assert po.TEXT["verdict_missing"][lang] in po.registration_note(data_dir=data_dir, lang=lang)
        assert po.TEXT["unknown"][lang] in po.callup_note(data_dir=data_dir, lang=lang)
        for chart in (po.cases_chart, po.registration_chart, po.callup_chart):
            plt.close(chart(data_dir=data_dir, lang=lang))


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in (("cases", po.cases()), ("case_totals", po.case_totals()),
                             ("other_order", po.other_order()), ("petitions", po.petitions()),
                             ("registration", po.civil_registration()), ("military", po.military()),
                             ("callup", po.callup())):
            markup = present.show_table(frame.to_dict("records"), po.columns(ctx, which), ctx)
            assert markup.count("<tr>") == len(frame) + 1
        markup = present.show_table(po.cases().to_dict("records"), po.columns(ctx, "cases"), ctx)
        assert markup.count(po.TEXT["none_listed"][lang]) == sum(
            (~po.cases()[f"{h}_listed"]).sum() for h in po.HANDLINGS)
        fig = po.cases_chart(lang=lang)
        assert [x.get_text() for x in fig.axes[0].texts].count(po.TEXT["none_listed"][lang]) == sum(
            (~po.cases()[f"{h}_listed"]).sum() for h in po.HANDLINGS)
        plt.close(fig)
        plt.close(po.registration_chart(lang=lang))
        plt.close(po.callup_chart(lang=lang))
        ctx2 = present.context(2022, lang, root)
        frame = po.compare(2022, 2021, root)
        assert (frame["change"].dropna() == 0).all() and len(frame.dropna(subset=["change"])) > 0
        present.show_table(frame.to_dict("records"), po.columns(ctx2, "compare"), ctx2)
    with pytest.raises(ValueError):
        po.columns(present.context(), "nope")
