"""Text extents measured from the font file itself (fontTools), the oracle for label-clipping
tests: independent of the width table in tracker/charts/text.py."""

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Font:
    """Advance widths (per character, in em) and the ascent and descent (in em) of a font."""

    advances: dict[int, float]
    ascent: float
    descent: float

    def width(self, text: str, size: float) -> float:
        """The advance width of `text` at `size`; a character the font lacks counts one em."""
        return sum(self.advances.get(ord(ch), 1.0) for ch in text) * size


@functools.cache
def dejavu_sans() -> Font:
    """Read DejaVu Sans's metrics (skip the test when the font or fontTools is missing)."""
    if not DEJAVU_SANS.exists():
        pytest.skip(f"{DEJAVU_SANS} is missing (apt-get install fonts-dejavu-core)")
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(str(DEJAVU_SANS))
    em, metrics = font["head"].unitsPerEm, font["hmtx"]
    advances = {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
    for invisible in (0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F):  # bidi isolates: no ink
        advances.setdefault(invisible, 0.0)
    return Font(advances, font["hhea"].ascent / em, -font["hhea"].descent / em)


@dataclass(frozen=True)
class Extent:
    """Where a <text> element's box lies, in the SVG's user units."""

    text: str
    left: float
    right: float
    top: float
    bottom: float


def text_extents(root: ET.Element, font: Font) -> Iterator[Extent]:
    """Yield the box of every <text> of a chart, with font-size and anchor inherited."""
    yield from _walk(root, font, 16.0, "start")


def _walk(el: ET.Element, font: Font, size: float, anchor: str) -> Iterator[Extent]:
    """Visit an element and its children, carrying the inherited font-size and anchor."""
    size = float(el.get("font-size", size))
    anchor = el.get("text-anchor", anchor)
    if el.tag == SVG + "text":
        text = "".join(el.itertext())
        x, y, width = float(el.get("x", 0)), float(el.get("y", 0)), font.width(text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        yield Extent(text, left, left + width, y - font.ascent * size, y + font.descent * size)
        return
    for child in el:
        yield from _walk(child, font, size, anchor)


def outside(root: ET.Element, font: Font) -> list[Extent]:
    """Every text box of a chart that reaches past its viewBox."""
    _x, _y, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    return [e for e in text_extents(root, font)
            if e.left < 0 or e.right > width or e.top < 0 or e.bottom > height]
