"""A report's own header (camgiang_data.ingest.header): number, date, issuing body, unit, district, province and
title as each invented header states them, None (with a warning) for what it does not, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from camgiang_data.ingest import read_header

ROOT = Path(__file__).resolve().parent.parent


def _fields(header) -> dict:
    return {k: getattr(header, k) for k in ("document_number", "date", "place", "issuing_body", "unit",
                                            "unit_type", "unit_name", "district", "province", "title")}


# Each: the header as a reader gives it, then every field it states (the others must be None).
HEADERS = {
    "two columns flattened, capitals, UỶ spelling, odd spacing in the number": (
        "UỶ BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ CẨM ĐIỀN                 Độc lập - Tự do - Hạnh phúc\n"
        "Số:  02 / BC - UBND      Cẩm Điền, ngày 05 tháng 01 năm 2023\n\n"
        "BÁO CÁO\n"
        "Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022\n"
        "và phương hướng, nhiệm vụ năm 2023\n\n"
        "Thực hiện Nghị quyết của HĐND xã về nhiệm vụ năm 2022, UBND xã báo cáo như sau:\n",
        dict(document_number="02/BC-UBND", date="2023-01-05", place="Cẩm Điền",
             issuing_body="Ủy ban nhân dân xã Cẩm Điền", unit="xã Cẩm Điền", unit_type="xã", unit_name="Cẩm Điền",
             title="Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022 và phương hướng, nhiệm vụ "
                   "năm 2023")),
    "UBND of a thị trấn under its district, a numeric date, capitals title on two lines": (
        "UBND HUYỆN CẨM GIÀNG\n"
        "UBND THỊ TRẤN LAI CÁCH\n"
        "Số 15/BC-UBND\n"
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập – Tự do – Hạnh phúc\n"
        "Lai Cách, ngày 5/1/2023\n"
        "BÁO CÁO\n"
        "TÌNH HÌNH KINH TẾ - XÃ HỘI, QUỐC PHÒNG - AN NINH\n"
        "NĂM 2022\n"
        "Năm 2022, thị trấn Lai Cách tiếp tục phát triển.\n",
        dict(document_number="15/BC-UBND", date="2023-01-05", place="Lai Cách",
             issuing_body="Ủy ban nhân dân thị trấn Lai Cách", unit="thị trấn Lai Cách", unit_type="thị trấn",
             unit_name="Lai Cách", district="huyện Cẩm Giàng",
             title="TÌNH HÌNH KINH TẾ - XÃ HỘI, QUỐC PHÒNG - AN NINH NĂM 2022")),
    "a .docx layout table: cells joined by ' | ', two bodies flattened on one line": (
        "UBND HUYỆN CẨM GIÀNG UBND XÃ TÂN TRƯỜNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
        "Số: 03/BC-UBND | Tân Trường, ngày 31 tháng 12 năm 2022\n\n"
        "BÁO CÁO\n\n"
        "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022\n\n"
        "Phương hướng, nhiệm vụ năm 2023\n\n"
        "Căn cứ Nghị quyết số 10/NQ-HĐND ngày 20 tháng 12 năm 2021 của HĐND xã Tân Trường; UBND xã báo cáo kết "
        "quả thực hiện nhiệm vụ năm 2022 như sau:\n",
        dict(document_number="03/BC-UBND", date="2022-12-31", place="Tân Trường",
             issuing_body="Ủy ban nhân dân xã Tân Trường", unit="xã Tân Trường", unit_type="xã",
             unit_name="Tân Trường", district="huyện Cẩm Giàng",
             title="Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022 Phương hướng, nhiệm vụ "
                   "năm 2023")),
    "a phường of a thị xã, with the province, in title case": (
        "Tỉnh Hải Dương\n"
        "Ủy ban nhân dân thị xã Kinh Môn\n"
        "Ủy ban nhân dân phường An Lưu\n"
        "Số: 7/BC-UBND\n"
        "An Lưu, ngày 04 tháng 01 năm 2023\n"
        "Báo cáo\n"
        "Kết quả thực hiện kế hoạch năm 2022\n"
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n",
        dict(document_number="7/BC-UBND", date="2023-01-04", place="An Lưu",
             issuing_body="Ủy ban nhân dân phường An Lưu", unit="phường An Lưu", unit_type="phường",
             unit_name="An Lưu", district="thị xã Kinh Môn", province="tỉnh Hải Dương",
             title="Kết quả thực hiện kế hoạch năm 2022")),
    "no number, a PDF's flattened lines with single spaces, unit beside the place": (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ CẨM HƯNG Độc lập - Tự do - Hạnh phúc\n"
        "Cẩm Hưng, ngày 06 tháng 01 năm 2023\n"
        "BÁO CÁO\n"
        "Kết quả thực hiện nhiệm vụ năm 2022\n"
        "Năm 2022, xã Cẩm Hưng đạt và vượt 12/15 chỉ tiêu.\n",
        dict(date="2023-01-06", place="Cẩm Hưng", issuing_body="Ủy ban nhân dân xã Cẩm Hưng", unit="xã Cẩm Hưng",
             unit_type="xã", unit_name="Cẩm Hưng", title="Kết quả thực hiện nhiệm vụ năm 2022")),
    "no date, a phường of a thành phố (the city's name is its district)": (
        "UBND THÀNH PHỐ HẢI DƯƠNG\n"
        "UBND PHƯỜNG TRẦN PHÚ\n"
        "Số: 11/BC-UBND\n"
        "BÁO CÁO\n"
        "Tình hình kinh tế - xã hội năm 2022\n"
        "Kính gửi: UBND thành phố Hải Dương\n",
        dict(document_number="11/BC-UBND", issuing_body="Ủy ban nhân dân phường Trần Phú", unit="phường Trần Phú",
             unit_type="phường", unit_name="Trần Phú", district="thành phố Hải Dương",
             title="Tình hình kinh tế - xã hội năm 2022")),
    "the project's own form: number and abbreviated place on one line, Markdown bold title": (
        "\n\nSố:01/BC-UBND TT Cẩm Giang, ngày 04 tháng 01 năm 2022\n\n"
        "BÁO CÁO\n\n"
        "**Kết quả thực hiện nhiệm vụ phát triển KTXH - ANQP năm 2021;\n"
        "chỉ tiêu, nhiệm vụ và giải pháp phát triển kinh tế - xã hội năm 2022**\n\n"
        "PHẦN THỨ NHẤT\n",
        dict(document_number="01/BC-UBND", date="2022-01-04", place="TT Cẩm Giang",
             title="Kết quả thực hiện nhiệm vụ phát triển KTXH - ANQP năm 2021; chỉ tiêu, nhiệm vụ và giải pháp "
                   "phát triển kinh tế - xã hội năm 2022")),
    "a xã of another district, the district above the body, BÁO CÁO with its title on one line": (
        "HUYỆN BÌNH GIANG\n"
        "ỦY BAN NHÂN DÂN XÃ THÁI HỌC\n"
        "-------\n"
        "Số: 04/BC-UBND\n"
        "Thái Học, ngày 10 tháng 01 năm 2023\n"
        "BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM 2022\n"
        "PHẦN I. KẾT QUẢ\n",
        dict(document_number="04/BC-UBND", date="2023-01-10", place="Thái Học",
             issuing_body="Ủy ban nhân dân xã Thái Học", unit="xã Thái Học", unit_type="xã", unit_name="Thái Học",
             district="huyện Bình Giang", title="TỔNG KẾT CÔNG TÁC NĂM 2022")),
    "a draft: the number and the day left blank": (
        "ỦY BAN NHÂN DÂN\n"
        "XÃ CẨM VĂN\n"
        "Số:     /BC-UBND\n"
        "Cẩm Văn, ngày     tháng 01 năm 2023\n"
        "BÁO CÁO\n"
        "Kết quả năm 2022\n",
        dict(issuing_body="Ủy ban nhân dân xã Cẩm Văn", unit="xã Cẩm Văn", unit_type="xã", unit_name="Cẩm Văn",
             title="Kết quả năm 2022")),
}


@pytest.mark.parametrize("case", list(HEADERS))
def test_header_fields(case):
    text, expected = HEADERS[case]
    header = read_header(text)
    assert _fields(header) == {k: expected.get(k) for k in _fields(header)}, header.warnings


def test_what_is_not_stated_is_named_in_warnings():
    warnings = {case: " ".join(read_header(text).warnings) for case, (text, _) in HEADERS.items()}
    assert "no document number" in warnings["no number, a PDF's flattened lines with single spaces, unit beside "
                                            "the place"]
    assert "no date" in warnings["no date, a phường of a thành phố (the city's name is its district)"]
    draft = warnings["a draft: the number and the day left blank"]
    assert "document number is left blank" in draft and "date is left blank" in draft
    own = warnings["the project's own form: number and abbreviated place on one line, Markdown bold title"]
    assert "no issuing body" in own and "no district" in own and "no province" in own
    assert read_header(HEADERS["a phường of a thị xã, with the province, in title case"][0]).warnings == []


def test_the_motto_is_no_commune():
    header = read_header("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBÁO CÁO\nKết quả\n")
    assert header.unit is None and header.issuing_body is None and header.title == "Kết quả"


def test_a_date_in_the_running_text_is_not_the_header_date():
    text = ("ỦY BAN NHÂN DÂN XÃ CẨM ĐIỀN\nSố: 02/BC-UBND\nBÁO CÁO\nKết quả năm 2022\n\n"
            "Ngày 15 tháng 3 năm 2022, xã tổ chức hội nghị tại huyện Cẩm Giàng.\n")
    header = read_header(text)
    assert header.date is None and header.district is None  # both stand only in the body


def test_no_real_date_is_refused_not_corrected():
    header = read_header("UBND XÃ CẨM ĐIỀN\nCẩm Điền, ngày 31 tháng 02 năm 2023\nBÁO CÁO\nKết quả\n")
    assert header.date is None and any("no real date" in w for w in header.warnings)


def test_the_year_is_the_printed_one():
    header = read_header("UBND XÃ CẨM ĐIỀN\nSố: 1/BC-UBND\nCẩm Điền, ngày 28 tháng 12 năm 2022\nBÁO CÁO\nKết quả "
                         "thực hiện nhiệm vụ năm 2022\n")
    assert header.date == "2022-12-28"


def test_a_sentence_starting_with_bao_cao_is_no_title_line():
    header = read_header("UBND XÃ CẨM ĐIỀN\nBáo cáo kết quả năm 2022 được gửi UBND huyện.\n")
    assert header.title is None and any("no 'BÁO CÁO' line" in w for w in header.warnings)
    assert header.issuing_body == "Ủy ban nhân dân xã Cẩm Điền"


def test_metadata_is_in_the_form_of_source_json():
    header = read_header(HEADERS["a phường of a thị xã, with the province, in title case"][0])
    assert header.metadata() == {
        "document_number": "7/BC-UBND", "date": "2023-01-04", "issuing_body": "Ủy ban nhân dân phường An Lưu",
        "title": "Báo cáo kết quả thực hiện kế hoạch năm 2022",
        "unit": {"name": "phường An Lưu", "type": "phường", "district": "thị xã Kinh Môn",
                 "province": "tỉnh Hải Dương"},
    }
    assert read_header("").metadata() == {}


def test_the_packaged_reports_headers_agree_with_their_metadata():
    import json

    folder = ROOT / "camgiang_data" / "data" / "2021"
    header = read_header((folder / "source.txt").read_text(encoding="utf-8"))
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    assert (header.document_number, header.date) == (meta["document_number"], meta["date"])
    assert header.metadata()["title"] == meta["title"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ỦYUBNDXÃPHƯỜNGTHỊTRẤNSố:/0123456789 ngàytháng năm|\n\t-.,BÁOC")),
               max_size=300))
def test_any_text_gives_a_header_without_raising(text):
    header = read_header(text)
    assert all(value is None or isinstance(value, str) for value in _fields(header).values())
