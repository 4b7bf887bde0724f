"""Words a reader sees, in Vietnamese and English. Indicator names come from the catalogue (name_vi / name_en)."""

from __future__ import annotations

LANGS = ("vi", "en")

COMMON: dict[str, dict[str, str]] = {
    "not_reported": {"vi": "không có số liệu", "en": "not reported"},
    "not_stated": {"vi": "không ghi", "en": "not stated"},
    "year": {"vi": "Năm", "en": "Year"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "source_doc": {"vi": "Báo cáo số {number} ngày {date} của {body}",
                   "en": "Report No. {number} of {date}, {body}"},
    "produced": {"vi": "Tạo bởi camgiang {version} (dữ liệu {data_version}) ngày {date}.",
                 "en": "Produced by camgiang {version} (data {data_version}) on {date}."},
    "compare_none": {"vi": "Chưa có dữ liệu năm trước để so sánh.",
                     "en": "No previous year in the data to compare with."},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "as_written": {"vi": "Như trong báo cáo", "en": "As written"},
    "quote": {"vi": "Câu trong báo cáo", "en": "Sentence in the report"},
    "derived": {"vi": "suy ra", "en": "derived"},
    "estimated": {"vi": "ước", "en": "est."},
    "above": {"vi": "trên", "en": "above"},
    "at_least": {"vi": "ít nhất", "en": "at least"},
    "below": {"vi": "dưới", "en": "below"},
    "about": {"vi": "khoảng", "en": "about"},
    "nearly": {"vi": "gần", "en": "nearly"},
    "met": {"vi": "đạt", "en": "met"},
    "not_met": {"vi": "không đạt", "en": "not met"},
    "share": {"vi": "Tỷ trọng", "en": "Share"},
    "target": {"vi": "Chỉ tiêu", "en": "Target"},
    "result": {"vi": "Kết quả", "en": "Result"},
    "status": {"vi": "Đánh giá", "en": "Status"},
    "change": {"vi": "Thay đổi", "en": "Change"},
}


def t(key: str, lang: str, table: dict[str, dict[str, str]] | None = None, **values) -> str:
    """The text for `key` in `lang` (from `table`, else the common words), with `values` filled in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(LANGS)}")
    for source in (table or {}, COMMON):
        if key in source:
            return source[key][lang].format(**values) if values else source[key][lang]
    raise KeyError(f"no text for {key!r}")
