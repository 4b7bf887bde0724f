"""The patterns of core indicators added to data/patterns.toml for a commune's first report: what each reads in
the neighbouring communes' wording, and the sentences its guards (`has`/`lacks`, a shielding name) keep out."""

from __future__ import annotations

import pytest

from camgiang_data.ingest.matching import extract

from .test_ingest_patterns import EMPTY, last  # noqa: F401 (no templates; the 2021 data as a fixture)


def read(text: str, last, year: int = 2022) -> dict[tuple, float]:
    """The figures the patterns alone give (no templates), as (indicator_id, kind) -> value."""
    result = extract(text, EMPTY, last.catalog, year, year - 1, template_text=None)
    found = {}
    for c in result.found:
        assert c.year == year and c.mention == 1, c
        found[(c.indicator_id, c.kind)] = c.value
    return found


@pytest.mark.parametrize("sentence, figures", [
    ("Y tế: khám cho 5.310 lượt người (trong đó 1.240 lượt trẻ em).", {"health.visits": 5310}),
    ("Trạm y tế khám, điều trị cho 7.430 lượt bệnh nhân, trong đó điều trị ngoại trú 2.915 lượt.",
     {"health.visits": 7430}),
    ("Trường Tiểu học có 1.085 học sinh, 32 lớp.", {"education.pupils.primary": 1085}),
    ("Trường THCS có 598 học sinh (16 lớp).", {"education.pupils.lower_secondary": 598}),
    ("Trường Mầm non có 620 cháu, 21 lớp.", {"education.pupils.preschool": 620}),
    ("Giao quân 13/13 thanh niên (đạt 100% chỉ tiêu huyện giao).", {"military.conscription.enlisted": 13}),
    ("Hộ nghèo 52 hộ (chiếm 1,8%), hộ cận nghèo 64 hộ (chiếm 2,21%), theo chuẩn nghèo giai đoạn 2022-2025.",
     {"poverty.poor_households.new": 52, "poverty.near_poor_households.new": 64}),
    ("Công an xã tiếp nhận 15 vụ việc, trong đó tai nạn giao thông 06 vụ, trộm cắp tài sản 05 vụ, đánh bạc 02 vụ.",
     {"public_order.cases.received": 15, "public_order.cases.received.traffic_accident": 6,
      "public_order.cases.received.theft": 5, "public_order.cases.received.gambling": 2}),
    ("Xử lý hành chính 09 vụ.", {"public_order.cases.administrative_sanction": 9}),
    ("Tiếp nhận 06 đơn thư, đã giải quyết xong 06 đơn.",
     {"justice.petitions.received": 6, "justice.petitions.resolved": 6}),
    ("Đăng ký khai sinh 212 trường hợp, khai tử 64 trường hợp; đăng ký kết hôn 47 trường hợp.",
     {"justice.admin_procedures.birth_registration": 212, "justice.admin_procedures.death_registration": 64,
      "justice.admin_procedures.marriage_registration": 47}),
])
def test_a_first_report_in_a_communes_own_wording_is_read(last, sentence, figures):
    assert read(f"BÁO CÁO\n\n{sentence}\n", last) == {(i, "actual"): v for i, v in figures.items()}


@pytest.mark.parametrize("sentence", [
    # the call-up's pool is no one enlisted; the quota is not who went
    "Công tác gọi công dân nhập ngũ, giao quân năm 2023: tổng số nguồn 300 thanh niên.",
    "Chỉ tiêu giao quân năm 2022 là 14 thanh niên.",
    # a school's staff or sites are not its pupils; 'Trường THCS đạt chuẩn … mức độ 2' is no count
    "Trường Tiểu học có 2 điểm trường, 1.085 học sinh.",
    "Trường THCS có 35 cán bộ giáo viên; 598 học sinh đạt 100%.",
    "Trường THCS đạt chuẩn Quốc gia mức độ 2.",
    # households helped are not the survey's count
    "Hỗ trợ hộ nghèo 30 hộ, hộ cận nghèo 120 hộ.",
    # people caught gambling are not cases received; what the police mediated is not what they received
    "Công an xã tiếp nhận 10 vụ việc; phối hợp bắt 01 vụ đánh bạc 05 đối tượng.",
    "Công an thị trấn trực tiếp hòa giải 02 vụ tai nạn giao thông, xử lý 01 vụ đánh bạc.",
    # the fined waste burning is another figure than the police's administrative sanctions
    "Kịp thời xử lý các trường hợp đốt rác trộm, trong đó xử phạt hành chính 03 vụ.",
    # petitions resolved are counted in đơn
    "Đã giải quyết xong 05 vụ việc.",
])
def test_what_the_guards_keep_out(last, sentence):
    found = read(f"BÁO CÁO\n\n{sentence}\n", last)
    new = {"military.conscription.enlisted", "education.pupils.primary", "education.pupils.lower_secondary",
           "poverty.poor_households.new", "poverty.near_poor_households.new",
           "public_order.cases.received.gambling", "public_order.cases.received.traffic_accident",
           "public_order.cases.administrative_sanction", "justice.petitions.resolved"}
    assert not {i for i, _ in found} & new, found


def test_the_own_balancing_revenue_is_not_the_recurrent_spending(last):
    found = read("BÁO CÁO\n\nTrong đó: Các khoản thu cân đối chi thường xuyên là: 1 tỷ 215 triệu 600 nghìn đồng "
                 "đạt 58%.\n", last)
    assert found[("budget.revenue.own_balancing", "actual")] == 1_215_600_000
    assert not [key for key in found if key[0].startswith("budget.spending")], found
