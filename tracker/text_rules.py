"""Which characters user text may hold: no control characters anywhere, and in names and
codes no line breaks and no bidirectional controls (they can reorder what a reader sees)."""

import re

# C0 controls except tab, line feed and carriage return, DEL, and lone surrogates (only JSON
# escapes can make those; no database can store them).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# For a single-line name or code: every C0 control, DEL, the bidi embeddings and overrides
# (U+202A–U+202E) and isolates (U+2066–U+2069): an U+202E in a label made "50" read "05".
NAME_CONTROL = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def bad_character(text: str, *, name: bool = False) -> str | None:
    """Return the first character the text may not hold (labelled like U+202E), or None."""
    found = (NAME_CONTROL if name else CONTROL).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def printable(text: str, limit: int = 60) -> str:
    """Show a field's name safely in a message: controls escaped, long names cut."""
    shown = NAME_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text[:limit])
    return shown + ("…" if len(text) > limit else "")


MAX_INTEGER = 2**31 - 1  # the databases' INTEGER


def whole_number(text: str | None, high: int = MAX_INTEGER) -> int | None:
    """Read ASCII digits as a whole number up to `high`; None for anything else (str.isdigit
    also accepts "²", which int() refuses, and a longer number overflows the database)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))):
        return None
    value = int(text)
    return value if value <= high else None


def isolate(text: str) -> str:
    """Wrap user text in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, the plain-text <bdi>:
    a direction control inside it cannot reorder what follows (an SVG title, a tooltip)."""
    return f"\u2068{text}\u2069" if text else text
