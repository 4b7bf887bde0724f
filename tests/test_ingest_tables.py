"""Key-figure tables (camgiang_data.ingest.tables): piped and flattened forms give the same rows, offsets hold in
the normalised text, and a row that cannot be read with certainty is skipped with a reason, never guessed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from camgiang_data.checks.provenance import normalise
from camgiang_data.ingest.tables import _Offsets, _classify, find_tables

CORPUS = Path(__file__).resolve().parent / "corpus"

CAM_HUNG = (
    "TT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %\n"
    "1 | Tổng giá trị sản xuất | Tỷ.đ | 410 | 425,6 | 103,8\n"
    "2 | Tốc độ tăng trưởng kinh tế | % | 8 | 8,4 | 105\n"
    "3 | Thu nhập bình quân đầu người | triệu đồng | 52 | 53,2 | 102,3\n"
    "4 | Tỷ lệ hộ nghèo (chuẩn mới) | % | 2,5 | 2,31 |\n"
    "5 | Tỷ lệ gia đình văn hóa | % | 88 | 89,5 | 101,7\n"
)
NEXT_YEAR = (
    "TT | Chỉ tiêu | ĐVT | Ước TH 2022 | Kế hoạch 2023\n"
    "1 | Tổng sản phẩm xã hội trên địa bàn | tỷ đồng | 571,2 | 610\n"
    "2 | Tốc độ tăng trưởng kinh tế | % | 7,8 | 8\n"
    "3 | Thu nhập bình quân đầu người | triệu đồng | 60,4 | 63\n"
)
BUDGET = (
    "TT | Nội dung | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %\n"
    "1 | Tổng thu ngân sách | đồng | 7.700.000.000 | 8.031.905.210 | 104,3\n"
    "2 | Thu bổ sung cân đối ngân sách | đồng | 6.600.000.000 | 6.880.000.000 | 104,2\n"
    "3 | Tổng chi ngân sách | đồng | | 7.902.655.210 |\n"
)
BEFORE = "Năm 2022, xã đã hoàn thành và vượt phần lớn các chỉ tiêu Nghị quyết HĐND xã đề ra, cụ thể như sau:\n\n"
AFTER = ("\nTrong năm, công tác chỉ đạo sản xuất nông nghiệp được quan tâm, diện tích gieo trồng cả năm đạt 612,5 ha, "
         "năng suất lúa bình quân 61,5 tạ/ha.\n")


def flatten(piped: str) -> str:
    """The same table as a converter gives it: one cell per line, empty cells dropped."""
    return "".join(cell.strip() + "\n" for line in piped.splitlines() for cell in line.split("|") if cell.strip())


def summary(table) -> list[tuple]:
    return [(r.number, r.label.text, r.unit.text if r.unit else None,
             tuple((c.kind, c.year, cell.text) for c, cell in r.values)) for r in table.rows]


def assert_offsets(text: str, table) -> None:
    normal = normalise(text)
    assert table.start <= table.end and normal[table.start:table.end]
    for row in table.rows:
        assert row.quote == normal[row.start:row.end]
        assert table.start <= row.start and row.end <= table.end
        for cell in (row.label, row.unit, *(cell for _, cell in row.values)):
            if cell is not None:
                assert normal[cell.start:cell.end] == cell.text
                assert row.start <= cell.start and cell.end <= row.end
                assert cell.text in row.quote
    for skipped in table.skipped:
        assert normal[skipped.start:skipped.start + len(skipped.quote)] == skipped.quote


# --- offsets -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "a\tb  c\r\nd\r\n\r\n  e ",
    "\t\tTổng   giá trị\r\n\r\nsản\txuất  \n",
    unicodedata.normalize("NFD", "Tỷ lệ hộ nghèo\t(chuẩn  mới)\r\n% | 2,5"),
    "   ",
    "x",
])
def test_offsets_map_every_character_to_its_place_in_the_normalised_text(raw):
    nfc = unicodedata.normalize("NFC", raw)
    offsets = _Offsets(nfc)
    assert offsets.normal == normalise(raw)
    for i, ch in enumerate(nfc):
        if not ch.isspace():
            assert offsets.normal[offsets.index[i]] == ch
    words = nfc.split()
    if words:  # a whole-text cell is the normalised text itself
        cell = offsets.cell(0, len(nfc))
        assert (cell.text, cell.start, cell.end) == (" ".join(words), 0, len(offsets.normal))


# --- header vocabulary --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, role, kind, year, estimated", [
    ("TT", "number", None, None, False),
    ("STT", "number", None, None, False),
    ("Chỉ tiêu", "label", None, None, False),
    ("Nội dung", "label", None, None, False),
    ("Tên chỉ tiêu:", "label", None, None, False),
    ("ĐVT", "unit", None, None, False),
    ("Đơn vị tính", "unit", None, None, False),
    ("Kế hoạch", "value", "target", None, False),
    ("KH", "value", "target", None, False),
    ("Chỉ tiêu KH", "value", "target", None, False),
    ("Dự toán", "value", "target", None, False),
    ("NQ giao", "value", "target", None, False),
    ("Nghị quyết giao", "value", "target", None, False),
    ("Kế hoạch 2023", "value", "target", 2023, False),
    ("Thực hiện", "value", "actual", None, False),
    ("TH", "value", "actual", None, False),
    ("Ước TH 2022", "value", "actual", 2022, True),
    ("Ước TH năm 2022", "value", "actual", 2022, True),
    ("ước  thực hiện", "value", "actual", None, True),
    ("Kết quả", "value", "actual", None, False),
    ("Ước đạt", "value", "actual", None, True),
    ("Tỷ lệ %", "value", "plan_attainment", None, False),
    ("Tỷ lệ (%)", "value", "plan_attainment", None, False),
    ("% so KH", "value", "plan_attainment", None, False),
    ("TH/KH", "value", "plan_attainment", None, False),
    ("So sánh (%) TH/KH", "value", "plan_attainment", None, False),
    ("Đạt % KH", "value", "plan_attainment", None, False),
    ("So cùng kỳ", "value", None, None, False),
    ("% so cùng kỳ", "value", None, None, False),
    ("So với năm 2021", "value", None, 2021, False),
    ("So sánh (%)", "value", None, None, False),
    ("KH 2023/TH 2022", "value", None, None, False),
    ("Ghi chú", "other", None, None, False),
])
def test_header_cells(header, role, kind, year, estimated):
    column = _classify(header)
    assert (column.role, column.kind, column.year, column.estimated) == (role, kind, year, estimated)


def test_header_matching_ignores_case_tone_mark_variants_spaces_and_trailing_colon():
    assert _classify("TỶ LỆ  (%):").kind == "plan_attainment"
    assert _classify("Kê\u0301 hoạch").kind == "target"  # decomposed tone mark
    assert _classify("Thực hiện").header == "Thực hiện"


# --- piped --------------------------------------------------------------------------------------------------------

def test_piped_plan_actual_table():
    [table] = find_tables(CAM_HUNG)
    assert table.form == "piped"
    assert [(c.role, c.kind) for c in table.columns] == [
        ("number", None), ("label", None), ("unit", None),
        ("value", "target"), ("value", "actual"), ("value", "plan_attainment")]
    assert summary(table)[0] == ("1", "Tổng giá trị sản xuất", "Tỷ.đ",
                                 (("target", None, "410"), ("actual", None, "425,6"),
                                  ("plan_attainment", None, "103,8")))
    # the trailing empty cell gives no value; the label keeps its parenthesis
    assert summary(table)[3] == ("4", "Tỷ lệ hộ nghèo (chuẩn mới)", "%",
                                 (("target", None, "2,5"), ("actual", None, "2,31")))
    assert len(table.rows) == 5 and not table.skipped
    assert table.rows[1].quote == "2 | Tốc độ tăng trưởng kinh tế | % | 8 | 8,4 | 105"
    assert (table.start, table.end) == (0, len(normalise(CAM_HUNG)))
    assert_offsets(CAM_HUNG, table)


def test_piped_estimated_actual_and_next_year_target():
    [table] = find_tables(NEXT_YEAR)
    actual, target = table.columns[3:]
    assert (actual.kind, actual.year, actual.estimated) == ("actual", 2022, True)
    assert (target.kind, target.year, target.estimated) == ("target", 2023, False)
    assert summary(table)[2] == ("3", "Thu nhập bình quân đầu người", "triệu đồng",
                                 (("actual", 2022, "60,4"), ("target", 2023, "63")))
    assert_offsets(NEXT_YEAR, table)


def test_piped_empty_cell_is_no_value():
    [table] = find_tables(BUDGET)
    row = table.rows[2]
    assert (row.number, row.label.text, row.unit.text) == ("3", "Tổng chi ngân sách", "đồng")
    assert [(c.kind, cell.text) for c, cell in row.values] == [("actual", "7.902.655.210")]
    assert_offsets(BUDGET, table)


def test_piped_group_row_is_left_out_silently_and_a_row_of_another_width_is_skipped():
    text = ("STT | Nội dung | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %\n"
            "I | Kinh tế\n"
            "1 | Tổng giá trị sản xuất | tỷ đồng | 410 | 425,6 | 103,8\n"
            "2 | Xây dựng nông thôn mới | tiêu chí | 19 | Hoàn thành | 100\n"
            "3 | Tổng thu ngân sách | 14,02 | 109,5\n")
    [table] = find_tables(text)
    assert [r.label.text for r in table.rows] == ["Tổng giá trị sản xuất", "Xây dựng nông thôn mới"]
    # a value cell that is no number is not a value
    assert [(c.kind, cell.text) for c, cell in table.rows[1].values] == [("target", "19"), ("plan_attainment", "100")]
    [skipped] = table.skipped
    assert skipped.quote == "3 | Tổng thu ngân sách | 14,02 | 109,5"
    assert "4 cells where the header has 6" in skipped.reason
    assert_offsets(text, table)


def test_piped_table_ends_at_the_first_line_that_is_not_piped():
    text = BEFORE + BUDGET + "Trong đó: Chi thường xuyên: 7.614.655.210 đ.\n" + "4 | Thu khác | đồng | 1 | 2 | 3\n"
    [table] = find_tables(text)
    assert len(table.rows) == 3
    normal = normalise(text)
    assert normal[table.end:].startswith(" Trong đó:")
    assert normal[table.start:].startswith("TT | Nội dung")


def test_windows_line_ends_tabs_and_runs_of_spaces():
    text = CAM_HUNG.replace("\n", "\r\n").replace(" | ", "\t|\t").replace("Tổng giá trị", "Tổng  giá\ttrị")
    [table] = find_tables(text)
    assert summary(table) == summary(find_tables(CAM_HUNG)[0])
    assert table.rows[0].quote == "1 | Tổng giá trị sản xuất | Tỷ.đ | 410 | 425,6 | 103,8"
    assert_offsets(text, table)


def test_a_comparison_with_last_year_is_no_plan_attainment():
    text = ("TT | Chỉ tiêu | ĐVT | Thực hiện 2022 | So cùng kỳ\n"
            "1 | Tổng giá trị sản xuất | tỷ đồng | 498,7 | 108,9\n")
    [table] = find_tables(text)
    assert [(c.kind, c.year) for c in table.columns[3:]] == [("actual", 2022), (None, None)]
    assert [(c.kind, cell.text) for c, cell in table.rows[0].values] == [("actual", "498,7"), (None, "108,9")]
    # with no value column of known kind there is no key-figure table
    assert find_tables("TT | Chỉ tiêu | ĐVT | Năm 2021 | So cùng kỳ\n1 | Tổng giá trị | tỷ đồng | 458 | 108\n") == []


def test_prose_with_pipes_and_short_lines_without_header_are_no_table():
    prose = ("Kế hoạch | Thực hiện | Tổng thu ngân sách xã đạt 14,02 tỷ đồng, bằng 109,5% dự toán huyện giao\n"
             "Kết quả | Nội dung công tác năm 2022 được triển khai đồng bộ, đạt và vượt kế hoạch\n")
    assert find_tables(prose) == []
    lines = "Tổng giá trị sản xuất\nTỷ.đ\n410\n425,6\n103,8\nTốc độ tăng trưởng\n%\n8\n8,4\n105\n"
    assert find_tables(lines) == []
    assert find_tables("") == [] and find_tables("TT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện\n\nHết.\n") == []


# --- flattened ----------------------------------------------------------------------------------------------------

def test_flattened_table_gives_the_same_rows_as_piped():
    complete = "".join(line + "\n" for line in CAM_HUNG.splitlines() if not line.startswith("4 |"))
    flat = flatten(complete)
    [piped] = find_tables(complete)
    [table] = find_tables(flat)
    assert table.form == "flattened"
    assert summary(table) == summary(piped) and len(table.rows) == 4
    assert table.columns == piped.columns
    # the quote is the row's cells' lines, joined by single spaces in the normalised text
    assert table.rows[0].quote == "1 Tổng giá trị sản xuất Tỷ.đ 410 425,6 103,8"
    assert_offsets(flat, table)
    # a value that looks like a row number ("8" in row 2) does not start a row
    assert summary(table)[1][3][0] == ("target", None, "8")


def test_flattened_row_with_a_missing_cell_is_skipped_with_a_reason():
    for source in (CAM_HUNG, BUDGET):
        flat = flatten(source)
        [table] = find_tables(flat)
        [piped] = find_tables(source)
        [skipped] = table.skipped
        assert skipped.reason.startswith("cells missing: cannot tell which column each number belongs to")
        assert len(table.rows) == len(piped.rows) - 1
        assert set(summary(table)) < set(summary(piped))
        assert_offsets(flat, table)
    assert skipped.quote == "3 Tổng chi ngân sách đồng 7.902.655.210"


def test_flattened_blank_line_for_an_empty_cell_keeps_columns_in_place():
    flat = ("TT\nNội dung\nĐVT\nKế hoạch\nThực hiện\nTỷ lệ %\n"
            "1\nTổng thu ngân sách\nđồng\n7.700.000.000\n8.031.905.210\n104,3\n"
            "2\nTổng chi ngân sách\nđồng\n\n7.902.655.210\n102,6\n")
    [table] = find_tables(flat)
    assert [(c.kind, cell.text) for c, cell in table.rows[1].values] == [("actual", "7.902.655.210"),
                                                                         ("plan_attainment", "102,6")]
    assert_offsets(flat, table)


@pytest.mark.parametrize("after", [AFTER, "\n" + AFTER, "\n2) Kinh tế\n", "\n4. Phấn đấu tăng thu ngân sách.\n",
                                   "Nơi nhận:\n- UBND huyện;\n"])
def test_flattened_table_embedded_between_paragraphs_ends_where_the_prose_begins(after):
    complete = "".join(line + "\n" for line in CAM_HUNG.splitlines() if not line.startswith("4 |"))
    text = BEFORE + flatten(complete) + after
    [table] = find_tables(text)
    assert len(table.rows) == 4 and not table.skipped
    normal = normalise(text)
    assert normal[table.start:].startswith("TT Chỉ tiêu ĐVT")
    assert normal[:table.end].endswith("5 Tỷ lệ gia đình văn hóa % 88 89,5 101,7")
    assert table.end == table.rows[-1].end
    assert_offsets(text, table)


def test_flattened_table_without_a_number_column_reads_groups_of_one_line_per_column():
    text = (BEFORE + "Chỉ tiêu\nĐVT\nKế hoạch\nThực hiện\n"
            "Tổng giá trị sản xuất\ntỷ đồng\n410\n425,6\n"
            "Thu nhập bình quân đầu người\ntriệu đồng\n52\n53,2\n" + AFTER)
    [table] = find_tables(text)
    assert summary(table) == [
        (None, "Tổng giá trị sản xuất", "tỷ đồng", (("target", None, "410"), ("actual", None, "425,6"))),
        (None, "Thu nhập bình quân đầu người", "triệu đồng", (("target", None, "52"), ("actual", None, "53,2")))]
    assert normalise(text)[table.end:].startswith(" Trong năm")
    assert_offsets(text, table)


def test_flattened_windows_line_ends_and_tabs():
    complete = "".join(line + "\n" for line in CAM_HUNG.splitlines() if not line.startswith("4 |"))
    flat = flatten(complete)
    text = "\r\n".join("\t" + line + "  " for line in flat.splitlines()) + "\r\n"
    [table] = find_tables(text)
    assert summary(table) == summary(find_tables(flat)[0])
    assert_offsets(text, table)


def test_flattened_group_rows_and_sub_numbers():
    flat = ("TT\nChỉ tiêu\nĐVT\nKế hoạch\nThực hiện\n"
            "I\nKinh tế\n"
            "1\nTổng giá trị sản xuất\ntỷ đồng\n410\n425,6\n"
            "1.1\nNông nghiệp\ntỷ đồng\n90\n96,4\n"
            "II\nVăn hóa - xã hội\n"
            "1\nTỷ lệ hộ nghèo\n%\n2\n1,94\n")
    [table] = find_tables(flat)
    assert [(r.number, r.label.text) for r in table.rows] == [
        ("1", "Tổng giá trị sản xuất"), ("1.1", "Nông nghiệp"), ("1", "Tỷ lệ hộ nghèo")]
    assert not table.skipped
    assert_offsets(flat, table)


# --- the corpus ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, rows", [
    ("cam_hung_2022.txt", 5), ("cam_hung_2023.txt", 5), ("town_2022_d.txt", 3), ("town_2022_e.txt", 3),
    ("town_2022_f.txt", 3), ("cam_vu_2022.txt", None), ("luong_dien_2022.txt", None), ("tan_truong_2022.txt", None),
])
def test_corpus_tables(name, rows):
    text = (CORPUS / name).read_text(encoding="utf-8")
    tables = find_tables(text)
    if rows is None:
        assert tables == []
        return
    [table] = tables
    assert (len(table.rows), len(table.skipped), table.form) == (rows, 0, "piped")
    assert_offsets(text, table)
    flat_tables = find_tables(flatten(text))  # the whole report flattened: the table is still found alone
    assert len(flat_tables) == 1 and flat_tables[0].form == "flattened"
    assert set(summary(flat_tables[0])) <= set(summary(table))


def test_flattened_dash_marks_an_empty_cell_and_a_number_before_words_is_no_row_start():
    flat = ("TT\nChỉ tiêu\nĐVT\nKế hoạch\nThực hiện\nTỷ lệ %\n"
            "1\nTổng chi ngân sách\nđồng\n-\n7.902.655.210\nx\n"
            "2\nXây dựng trường chuẩn\ntrường\n1\nHoàn thành\n100\n"
            "3\nTổng thu ngân sách\nđồng\n10\n11\n110\n")
    [table] = find_tables(flat)
    assert summary(table) == [
        ("1", "Tổng chi ngân sách", "đồng", (("actual", None, "7.902.655.210"),)),
        ("2", "Xây dựng trường chuẩn", "trường", (("target", None, "1"), ("plan_attainment", None, "100"))),
        ("3", "Tổng thu ngân sách", "đồng", (("target", None, "10"), ("actual", None, "11"),
                                             ("plan_attainment", None, "110")))]
    assert_offsets(flat, table)
