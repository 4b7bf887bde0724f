"""Words a reader sees, in Vietnamese and English (messages/*.toml). Indicator names come from the catalogue
(name_vi / name_en)."""

from __future__ import annotations

LANGS = ("vi", "en")

from .messages import common  # noqa: E402

COMMON: dict[str, dict[str, str]] = common()  # messages/common.toml


def t(key: str, lang: str, table: dict[str, dict[str, str]] | None = None, **values) -> str:
    """The text for `key` in `lang` (from `table`, else the common words), with `values` filled in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(LANGS)}")
    for source in (table or {}, COMMON):
        if key in source:
            return source[key][lang].format(**values) if values else source[key][lang]
    raise KeyError(f"no text for {key!r}")
