"""Text width of chart labels, measured with the advance widths of the font the SVGs declare.

Label areas (the y-axis margin, legend rows) are sized from these widths, so a label such as
"2,390,000" never runs past the edge of the drawing (WeasyPrint and browsers clip it there).
"""

# Advance widths of DejaVu Sans 2.37 (the first font of svg.start_svg's font-family, and the
# one WeasyPrint finds on the server) in font units (2048 per em), for characters U+0020 to
# U+007E, read once with fontTools from /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# (tests/charts/test_text_width.py checks them against the font when it is installed).
# The fallbacks Arial, Helvetica and Liberation Sans are narrower for digits, separators and
# letters, so widths measured here err wide when a browser lacks DejaVu Sans.
UNITS_PER_EM = 2048
_ASCII = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
    1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
    799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569,
    1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303,
    690, 1303, 1716,
)
ADVANCES: dict[str, int] = {chr(32 + i): w for i, w in enumerate(_ASCII)} | {
    "\u00a0": 651,  # no-break space (a group separator in some locales)
    "\u202f": 409,  # narrow no-break space (the French group separator)
    "\u2009": 409,  # thin space
    "\u2212": 1716,  # minus sign (tick labels use it, not the hyphen)
    "\u2026": 2048,  # ellipsis (truncated labels)
    "\u00b7": 651,  # middle dot
    "\u2013": 1024,  # en dash
    "\u2014": 2048,  # em dash
    "\u2019": 651,  # right single quotation mark (the Swiss group separator)
    "\u200e": 0, "\u200f": 0, "\u2066": 0, "\u2067": 0, "\u2068": 0, "\u2069": 0,  # bidi marks
}
# Any other character counts as 1.2 em: wider than a CJK ideograph (1 em) in any fallback
# font and than all but 50 of DejaVu Sans's 5 900 characters (rare ones such as Ǆ, 1.42 em).
UNKNOWN = 2458


def text_width(text: str, font_size: float = 12) -> float:
    """Return the width `text` takes in DejaVu Sans at `font_size` (user units), erring wide."""
    units = sum(ADVANCES.get(ch, UNKNOWN) for ch in text)
    return units * font_size / UNITS_PER_EM


def fit(text: str, max_width: float, font_size: float = 12) -> str:
    """Shorten `text` with an ellipsis until it is at most `max_width` wide."""
    if text_width(text, font_size) <= max_width:
        return text
    room = max_width - text_width("\u2026", font_size)
    kept = 0.0
    for i, ch in enumerate(text):
        kept += text_width(ch, font_size)
        if kept > room:
            return text[:i] + "\u2026"
    return text
