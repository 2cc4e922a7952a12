"""What the comparison page and the exports show: charts, text of figures and export rows."""

from dataclasses import dataclass
from urllib.parse import quote

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts.figure import cell as figure_cell
from tracker.charts.spark import Sparklines
from tracker.compare.calendars import period_words
from tracker.compare.matrix import FLAG_LABELS, Cell, Row
from tracker.indicators.models import LocalIndicator
from tracker.progress.presenters import decimal_text


def url_quote(text: str) -> str:
    """Quote a path part as url_for does (slashes kept: codes are <path:> parts)."""
    return quote(text, safe="/")


SPARK_WIDTH, SPARK_HEIGHT = 90, 22  # a matrix cell's sparkline


class Units:
    """Unit texts of the page's indicators, worked out once per distinct unit."""

    def __init__(self) -> None:
        """Start with no unit known."""
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, indicator: LocalIndicator) -> str:
        """The indicator's unit text (as tracker.indicators.presenters.unit_text)."""
        from tracker.indicators.presenters import unit_text

        key = (indicator.unit_kind.value, indicator.unit_label)
        if key not in self.known:
            self.known[key] = unit_text(indicator)
        return self.known[key]


def page_texts() -> dict[str, str]:
    """The labels every cell repeats, translated once per page (pages show hundreds)."""
    from tracker.charts.palette import PALETTE

    texts = {"no_indicator": _("No indicator aligned"), "no_data": _("No data"),
             "not_like": _("Not like for like"), "value": _("Value"),
             "low": _("Cohort minimum"), "high": _("Cohort maximum"), "aimed": _("Aimed at"),
             "lower": _("lower is better"), "higher": _("higher is better"),
             "formula": _("Formula"), "notes": _("Notes"), "score": _("Score"),
             "trend": _("Trend"), "calendar_mixed": _("Fiscal and calendar years side by side")}
    texts |= {f"flag_{key}": str(label) for key, label in FLAG_LABELS.items()}
    return texts | {f"status_{key}": str(style.label) for key, style in PALETTE.items()}


@dataclass(frozen=True)
class CellText:
    """Everything a matrix cell with an indicator prints, worked out in Python (hundreds of
    cells per page: one call each instead of dozens of template calls and lookups); the
    macros of templates/compare/_cells.html write it out."""

    code: str
    name: str
    href: str
    notes_href: str
    more: int  # other indicators aligned in the cell
    empty: bool
    value: str
    unit: str
    year: str
    status: str
    status_label: str
    glyph: str
    spark: Markup  # from tracker.charts, which escapes every text it draws
    why: str
    score: str
    inputs: tuple[tuple[str, str], ...]  # (label, text) of the score's inputs
    excluded: str
    calendar: str  # "fiscal 2022/23" where the row mixes calendars, else ""


class PageCells:
    """The texts of the page's cells, with the labels and patterns computed once."""

    def __init__(self, texts: dict[str, str], indicator_url: str, notes_url: str) -> None:
        """Keep the page's translated labels and address patterns."""
        from tracker.charts.palette import PALETTE

        self.texts, self.indicator_url, self.notes_url = texts, indicator_url, notes_url
        self.glyphs = {key: style.glyph for key, style in PALETTE.items()}
        self.sparkline, self.units = Sparklines(SPARK_WIDTH, SPARK_HEIGHT), Units()
        self.trend = _("%(city)s: trend")  # the pattern (gettext without values), filled per cell
        self.quoted: dict[str, str] = {}

    def quote(self, text: str) -> str:
        """Quote a path part once per page (slugs and codes repeat across cells)."""
        if text not in self.quoted:
            self.quoted[text] = url_quote(text)
        return self.quoted[text]

    def row(self, row: Row) -> list[tuple[Cell, CellText | None]]:
        """A row's cells with their texts (None when no indicator is aligned)."""
        return [(cell, self(cell) if cell.items else None) for cell in row.cells]

    def spark(self, cell: Cell, unit: str) -> Markup:
        """The cell's sparkline: the light variant (no ids), its title naming the city."""
        return self.sparkline(cell.points, title=self.trend % {"city": cell.city.name},
                              unit=unit)

    def __call__(self, cell: Cell) -> CellText:
        """A cell's printed texts (the cell has an indicator)."""
        t, ind, latest, primary = self.texts, cell.shown, cell.latest, cell.primary
        status = primary.status if primary and latest else ""
        unit = self.units(ind) if latest else ""
        slug, code = self.quote(cell.city.slug), self.quote(ind.code)
        return CellText(
            ind.code, ind.name,
            self.indicator_url.replace("__city__", slug).replace("__code__", code),
            self.notes_url.replace("__city__", slug).replace("__code__", code),
            len(cell.items) - 1, latest is None,
            value_text(cell), unit, cell.period, status.replace("_", "-"),
            t.get(f"status_{status}", ""), self.glyphs.get(status, ""),
            self.spark(cell, unit) if latest else Markup(""), flags_title(cell, t),
            str(cell.score.rounded) if cell.score else "", score_inputs(cell, t), cell.excluded,
            period_words(cell.fiscal, cell.period) if cell.calendar_mixed else "")


def score_inputs(cell: Cell, t: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The score's inputs as (label, text) pairs, as printed in its panel (none without a
    score)."""
    score = cell.score
    if score is None:
        return ()
    aimed = t["lower"] if score.direction == "lower" else t["higher"]
    return ((t["value"], decimal_text(score.x)), (t["low"], decimal_text(score.low)),
            (t["high"], decimal_text(score.high)),
            (t["aimed"], f"{decimal_text(score.target)} ({aimed})"),
            (t["formula"], score.formula))


def url_pattern(endpoint: str) -> str:
    """An endpoint's address with placeholders for the city and the code (built once)."""
    return url_for(endpoint, slug="__city__", code="__code__")


def flags_title(cell: Cell, texts: dict[str, str]) -> str:
    """The cell's "not like for like" reasons in words, from the page's texts."""
    return "; ".join(texts[f"flag_{flag}"] for flag in cell.flags)


def value_text(cell: Cell) -> str:
    """The value shown in a cell, exactly (no exponent, no rounding away of digits)."""
    return figure_cell(cell.latest[1]) if cell.latest else ""
