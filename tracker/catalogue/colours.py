"""Text colours that keep WCAG AA contrast on the official SDG goal colours."""


def _channel(value: int) -> float:
    """Linearise one sRGB channel (WCAG 2.x relative luminance)."""
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """Return the relative luminance of a #RRGGBB colour."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Return black or white, whichever reads better on the background."""
    black, white = "#000000", "#ffffff"
    return black if contrast(background, black) >= contrast(background, white) else white


def darken_for_text(colour: str, on: str = "#ffffff", ratio: float = 4.5) -> str:
    """Darken a colour until it reaches the contrast ratio as text on `on`."""
    h = colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    while contrast(hex_colour(rgb), on) < ratio and any(rgb):
        rgb = [max(0, int(c * 0.92)) for c in rgb]
    return hex_colour(rgb)


def hex_colour(rgb: list[int]) -> str:
    """Write red, green and blue (0–255) as #rrggbb."""
    red, green, blue = rgb
    return f"#{red:02x}{green:02x}{blue:02x}"
