"""WCAG contrast of computed CSS colours: relative luminance, and layers of translucent backgrounds."""
from __future__ import annotations

import re

RGB = tuple[float, float, float]


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' / 'rgba(1, 2, 3, 0.5)' (what getComputedStyle gives) -> (r, g, b, alpha)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if not css.startswith("rgb") or len(numbers) not in (3, 4):
        raise ValueError(f"not an rgb() colour: {css!r}")
    return (*numbers[:3], numbers[3] if len(numbers) == 4 else 1.0)


def layered(colours: list[str]) -> RGB:
    """The colour seen through these layers, bottom first, over the browser's white canvas."""
    seen: RGB = (255.0, 255.0, 255.0)
    for css in colours:
        *rgb, alpha = parse_colour(css)
        seen = tuple(alpha * c + (1 - alpha) * s for c, s in zip(rgb, seen, strict=True))
    return seen


def luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0-255 channels)."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
