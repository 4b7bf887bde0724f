"""What a report shows: its opening block, tables (every value HTML-escaped), charts as embedded images, its
closing line on how it was produced. Each function displays (in a notebook) and returns the HTML it showed."""

from __future__ import annotations

import base64
import datetime as dt
import html
from typing import Callable, Sequence

from .context import Context, data_version
from .fmt import format_date, format_value, is_missing
from .i18n import t


class Shown(str):
    """The HTML a helper displayed. Being already on screen, it does not echo again as a cell's last value."""

    def _ipython_display_(self) -> None:
        pass


def show(markup: str, plain: str | None = None) -> str:
    """Display HTML in the notebook (with a plain-text twin for consoles and the runner); return it as `Shown`."""
    try:
        from IPython.display import display

        display({"text/html": markup, "text/plain": plain if plain is not None else _strip(markup)}, raw=True)
    except ImportError:  # pragma: no cover - outside Jupyter the HTML is still returned
        pass
    return Shown(markup)


def _strip(markup: str) -> str:
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def header(ctx: Context, title: dict[str, str]) -> str:
    """Title, administrative unit, year, and the source document (number and date)."""
    meta = ctx.metadata
    date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    body = meta.get("issuing_body") if ctx.lang == "vi" else (meta.get("issuing_body_en") or meta.get("issuing_body"))
    missing = t("not_stated", ctx.lang)  # null in source.json: the report's header does not state it
    source = t("source_doc", ctx.lang, number=meta.get("document_number") or missing,
               date=format_date(date, ctx.lang) if date else missing, body=body or missing)
    e = html.escape
    markup = (f'<header class="report-header"><h1>{e(title[ctx.lang])} — {e(ctx.unit_name)} — {ctx.year}</h1>'
              f'<p class="meta"><b>{e(t("unit", ctx.lang))}:</b> {e(ctx.unit_name)} · '
              f'<b>{e(t("year", ctx.lang))}:</b> {ctx.year} · <b>{e(t("source", ctx.lang))}:</b> {e(source)}</p>'
              f'</header>')
    return show(markup)


def footer(ctx: Context) -> str:
    """How the report was produced: package version, data version, run date."""
    from .. import __version__

    text = t("produced", ctx.lang, version=__version__, data_version=data_version(ctx.year, ctx.data_dir),
             date=format_date(dt.date.today(), ctx.lang))
    return show(f'<footer class="report-footer"><p>{html.escape(text)}</p></footer>', text)


def summary(text: str) -> str:
    """The report's one-line summary: shown as its lead and read by the runner for the index page."""
    return show(f'<p class="lead">{html.escape(text)}</p>', text)


def heading(text: str, level: int = 2) -> str:
    """A section heading (plain text, escaped)."""
    return show(f"<h{level}>{html.escape(text)}</h{level}>", text)


def note(text: str) -> str:
    """A paragraph of prose (plain text, escaped)."""
    return show(f"<p>{html.escape(text)}</p>", text)


Formatter = Callable[[object, dict], str]


def show_table(rows: Sequence[dict], columns: Sequence[tuple[str, str, Formatter | None]], ctx: Context,
               caption: str | None = None) -> str:
    """A table: `columns` are (key, header, formatter); a formatter gets (value, row) and returns text.

    Every cell is HTML-escaped; numeric cells (those with a formatter) are right-aligned."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for _, h, _ in columns)
    body = []
    for row in rows:
        cells = []
        for key, _, formatter in columns:
            value = row.get(key)
            if formatter is not None:
                cells.append(f'<td class="num">{e(formatter(value, row))}</td>')
            else:
                cells.append(f"<td>{e(t('not_reported', ctx.lang) if is_missing(value) and not isinstance(value, str) else str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    markup = f'<table class="num-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return show(markup)


def value_formatter(ctx: Context, unit_key: str = "unit", decimals: int | None = None,
                    signed: bool = False) -> Formatter:
    """Format a cell with the unit named in the row (column `unit_key`) or given literally."""
    def fmt(value, row):
        unit = row.get(unit_key, unit_key)
        qualifier = row.get("qualifier")
        return format_value(value, unit, ctx.lang, decimals,
                            qualifier=qualifier if isinstance(qualifier, str) else None, signed=signed)
    return fmt


def show_chart(fig, alt: str, caption: str | None = None) -> str:
    """A matplotlib figure as an embedded PNG (no file, no network), with alt text for screen readers."""
    from .charts import png_bytes

    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return show(f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                f"{cap}</figure>", alt)
