"""A tiny SVG builder that escapes all text and rounds coordinates, so output is safe and stable."""

import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

# XML 1.0 forbids most C0 control characters even when escaped; user labels may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9:_-]*$")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
SVG_NS = "http://www.w3.org/2000/svg"


def esc(text: Any) -> str:
    """Return text XML-escaped (quotes included) with characters XML cannot hold removed."""
    plain = text if type(text) is str else str.__str__(str(text))  # Markup is escaped too
    if not _NEEDS_ESCAPE.search(plain):  # fast path: most labels and values need nothing
        return plain
    return str(escape(_INVALID_XML.sub("", plain)))


def num(value: float | Decimal | int) -> str:
    """Format a coordinate rounded to 2 decimals, without trailing zeros or a negative zero."""
    # Hot path (hundreds of calls per chart): fixed-point formatting, then trim.
    text = f"{value:.2f}" if type(value) is float else f"{float(value):.2f}"
    if text[-1] == "0":
        text = text[:-3] if text[-2] == "0" else text[:-1]
        return "0" if text == "-0" else text
    if not text[-1].isdigit():
        raise ValueError(f"not a finite coordinate: {value!r}")
    return text


def make_id(prefix: str, suffix: str) -> str:
    """Derive a document id from a caller-given prefix (never from memory addresses)."""
    clean = _ID_UNSAFE.sub("-", prefix).strip("-") or "chart"
    if not clean[0].isalpha():
        clean = "c-" + clean
    return f"{clean}-{suffix}"


def safe_href(href: str | None) -> str | None:
    """Return the href if it is relative or http(s); None for javascript:, data: and the like."""
    href = (href or "").strip()
    if not href or href.startswith("//"):
        return None
    if href.lower().startswith(("http://", "https://")):
        return href
    # Without a scheme before the first /, ? or #, the href is relative to the page.
    head = re.split(r"[/?#]", href, maxsplit=1)[0]
    return None if ":" in head else href


@functools.lru_cache(maxsize=512)
def _attr_name(key: str) -> str:
    """Map a keyword to an SVG attribute name: stroke_width → stroke-width, class_ → class."""
    name = key.rstrip("_").replace("_", "-")
    if not _ATTR_NAME.match(name):
        raise ValueError(f"bad attribute name: {key!r}")
    return name


def _attrs(attrs: Mapping[str, Any]) -> str:
    """Render keyword attributes in the given order; None values are left out."""
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        kind = type(value)
        if kind is float or kind is int or kind is Decimal:
            text = num(value)
        elif kind is bool:
            text = "true" if value else "false"
        else:
            text = esc(value)
        out.append(f' {_attr_name(key)}="{text}"')
    return "".join(out)


class SvgBuilder:
    """Collect SVG markup; every text node and attribute value passes through `esc`."""

    def __init__(self) -> None:
        """Start an empty document."""
        self.parts: list[str] = []

    def open(self, tag: str, **attrs: Any) -> "SvgBuilder":
        """Open an element; attribute names use `_` for `-` (and a trailing `_` is dropped)."""
        self.parts.append(f"<{tag}{_attrs(attrs)}>")
        return self

    def close(self, tag: str) -> "SvgBuilder":
        """Close an element."""
        self.parts.append(f"</{tag}>")
        return self

    def el(self, tag: str, text: Any = None, **attrs: Any) -> "SvgBuilder":
        """Add a complete element, with escaped text content or self-closed."""
        if text is None:
            self.parts.append(f"<{tag}{_attrs(attrs)}/>")
        else:
            self.parts.append(f"<{tag}{_attrs(attrs)}>{esc(text)}</{tag}>")
        return self

    def markup(self) -> Markup:
        """Return the collected markup (safe: every value was escaped on the way in)."""
        return Markup("".join(self.parts))


def start_svg(b: SvgBuilder, *, prefix: str, width: float, height: float, title: str,
              desc: str, css_class: str, role: str = "img", fixed_size: bool = False) -> None:
    """Open the root <svg> with viewBox, role and aria-labelledby, then its <title> and <desc>."""
    title_id, desc_id = make_id(prefix, "title"), make_id(prefix, "desc")
    b.open("svg", xmlns=SVG_NS, class_=css_class, viewBox=f"0 0 {num(width)} {num(height)}",
           width=width if fixed_size else "100%", height=height if fixed_size else None,
           role=role, aria_labelledby=title_id, aria_describedby=desc_id,
           font_family="DejaVu Sans, Arial, Helvetica, sans-serif", font_size=12)
    b.el("title", title, id=title_id)
    b.el("desc", desc, id=desc_id)
