"""The site's look as data: ``site.yaml``'s ``theme:`` checked for WCAG 2.2 AA contrast, and its stylesheet.

Every colour of the page is declared here once, and sent as CSS custom properties in
each edition's ``/<edition>/theme.css`` (``static/css/site.css`` uses only the
properties): the page's own colours (:data:`LIGHT`, :data:`DARK`), and the theme's
accent and header. Dark mode is derived: the accent is lightened until it reads on
the dark page; the header keeps its colours in both modes.

Colours are parsed and measured with coloraide (its ``wcag21`` contrast is the relative
luminance ratio that WCAG 2.2 keeps unchanged). A theme whose text would fail AA contrast
in either mode is refused by the loader, with the pair, the measured ratio and the one required.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from coloraide import Color

if TYPE_CHECKING:  # the theme's schema (workshop/themeschemas.py) measures with this module: types alone
    from workshop.themeschemas import Header, Theme

# WCAG 2.2 AA (success criteria 1.4.3 and 1.4.11).
BODY_TEXT = 4.5
INTERFACE = 3.0  # large text and the parts of the interface (buttons)

# The page's own colours, the same for every theme: the page, its boxes (surface: the goal,
# cards; badge: the edition notice, badges), text, and what is not text (borders, focus ring).
LIGHT: Mapping[str, str] = {
    "bg": "#ffffff",
    "surface": "#f3f5fa",
    "badge-bg": "#e4e8f1",
    "text": "#1a1f2e",
    "muted": "#4a5368",
    "passed": "#5b6478",
    "border": "#c9d0de",
    "focus": "#b4005a",
}
DARK: Mapping[str, str] = {
    "bg": "#0d1117",
    "surface": "#161c27",
    "badge-bg": "#263045",
    "text": "#e7ebf3",
    "muted": "#aab3c5",
    "passed": "#9aa3b5",
    "border": "#34405a",
    "focus": "#ff8fc4",
}
# The backgrounds the accent is read on (links in text, in boxes and in the edition notice).
ACCENT_BACKGROUNDS = (("bg", "the page"), ("surface", "a box"), ("badge-bg", "the edition notice"))
# How much lighter (OKLCh lightness, 0 to 1) each step of the dark mode's derivation makes the accent.
LIGHTEN_STEP = 0.01

# The default theme: the look the site had before themes were data.
DEFAULT_ACCENT = "#1f4fd1"
DEFAULT_HEADER_BACKGROUND = "#0b1026"
DEFAULT_HEADER_TEXT = "#f5f7ff"


class ColourError(ValueError):
    """Not a colour the theme can use; the message says why."""


def parse_colour(text: str, *, translucent: bool = False) -> Color:
    """A CSS colour (``#0b1026``, ``navy``, ``rgb(11 16 38 / 60%)``, ``hsl(...)``) in sRGB."""
    try:
        colour = Color(text.strip())
    except ValueError:
        raise ColourError(f"{text!r} is not a CSS colour: write it as #rrggbb, e.g. #1f4fd1.") from None
    if not colour.in_gamut("srgb"):
        raise ColourError(f"{text!r} is outside the sRGB colours a screen shows for sure: pick an sRGB colour.")
    colour = colour.convert("srgb")
    if not translucent and colour.alpha() < 1:
        raise ColourError(f"{text!r} is see-through: its contrast would depend on what is behind it. Make it opaque.")
    return colour


def css_colour(colour: Color) -> str:
    """``#rrggbb``, or ``#rrggbbaa`` for a see-through colour: what the data and the stylesheet hold."""
    return colour.to_string(hex=True, alpha=colour.alpha() < 1)


def ratio(foreground: Color, background: Color) -> float:
    return foreground.contrast(background, method="wcag21")


def dark_accent(accent: Color) -> Color:
    """The accent of dark mode: the theme's, made lighter (its OKLCh lightness: same hue) until it reads
    on every dark background."""
    for step in range(int(1 / LIGHTEN_STEP) + 1):
        candidate = accent.convert("oklch")
        candidate["lightness"] = min(1.0, candidate["lightness"] + step * LIGHTEN_STEP)
        # Measured as the stylesheet writes it (#rrggbb), not before rounding.
        candidate = Color(css_colour(candidate.convert("srgb").fit("srgb")))
        if all(ratio(candidate, Color(DARK[name])) >= BODY_TEXT for name, _ in ACCENT_BACKGROUNDS):
            return candidate
    return Color("white")


def under_image(overlay: Color) -> tuple[Color, Color]:
    """The overlay over the image's darkest and lightest possible pixels (black, white): what text may sit on."""
    return (
        Color.layer([overlay, "black"], space="srgb").convert("srgb"),
        Color.layer([overlay, "white"], space="srgb").convert("srgb"),
    )


def ratio_over_image(text: Color, overlay: Color) -> float:
    """The lowest contrast of ``text`` on ``overlay`` drawn over any image.

    Drawn over a pixel, the overlay gives a colour whose luminance grows with the pixel's,
    from the overlay over black to the overlay over white: text whose luminance lies in that
    range can meet its own luminance (ratio 1); otherwise the nearer end is the worst case.
    """
    darkest, lightest = under_image(overlay)
    if darkest.luminance() <= text.luminance() <= lightest.luminance():
        return 1.0
    return min(ratio(text, darkest), ratio(text, lightest))


@dataclass(frozen=True)
class Pair:
    """Two colours that must keep a contrast: where they meet, the field to fix, and the ratio required."""

    field: tuple[str, ...]
    what: str
    foreground: str
    background: str
    measured: float
    required: float

    @property
    def message(self) -> str:
        return (
            f"{self.what}: {self.foreground} on {self.background} has a contrast of {self.measured:.2f}:1, "
            f"below the {self.required:g}:1 that WCAG 2.2 AA requires."
        )


def _accent_pairs(accent: Color, mode: str, page: Mapping[str, str]) -> Iterator[Pair]:
    hex_accent = css_colour(accent)
    for name, where in ACCENT_BACKGROUNDS:
        background = Color(page[name])
        yield Pair(
            ("accent",),
            f"links on {where} ({mode} mode)",
            hex_accent,
            page[name],
            ratio(accent, background),
            BODY_TEXT,
        )
    # The buttons: their label is the page's colour on the accent, and they must stand out from the page.
    measured = ratio(Color(page["bg"]), accent)
    yield Pair(("accent",), f"button labels ({mode} mode)", page["bg"], hex_accent, measured, BODY_TEXT)
    yield Pair(("accent",), f"buttons on the page ({mode} mode)", hex_accent, page["bg"], measured, INTERFACE)


def contrast_pairs(accent_colour: str, header: Header) -> Iterator[Pair]:
    """Every pair of colours a theme's accent and header put together, in light and dark mode, measured."""
    accent = parse_colour(accent_colour)
    yield from _accent_pairs(accent, "light", LIGHT)
    yield from _accent_pairs(dark_accent(accent), "dark (derived)", DARK)
    text, background = parse_colour(header.text), parse_colour(header.background)
    # The header keeps its colours in both modes: its text (title, dates, links, the menu) on its background.
    yield Pair(
        ("header", "text"),
        "the header's text, menu and button (light and dark mode)",
        header.text,
        header.background,
        ratio(text, background),
        BODY_TEXT,
    )
    if header.image is not None and header.overlay is not None:
        yield Pair(
            ("header", "overlay"),
            "the header's text over its image, through the overlay, over the image's darkest or lightest pixel",
            header.text,
            f"{header.overlay} over {header.image}",
            ratio_over_image(text, parse_colour(header.overlay, translucent=True)),
            BODY_TEXT,
        )


def contrast_problems(accent: str, header: Header) -> dict[tuple[str, ...], list[str]]:
    """The failing pairs of a theme, by the field to change; empty when every pair passes."""
    problems: dict[tuple[str, ...], list[str]] = {}
    for pair in contrast_pairs(accent, header):
        if pair.measured < pair.required:
            problems.setdefault(pair.field, []).append(pair.message)
    return problems


# --- The stylesheet -----------------------------------------------------------------------


def header_mark(accent: Color, header: Header) -> str:
    """What marks the live banner in the header, the same in both modes as the header: the accent (dark mode's
    lighter one first) where it stands out from the header's background (3:1), else the header's text colour."""
    background = parse_colour(header.background)
    for candidate in (dark_accent(accent), accent):
        if ratio(candidate, background) >= INTERFACE:
            return css_colour(candidate)
    return header.text


def _properties(values: Mapping[str, str]) -> str:
    return "".join(f"--{name}:{value};" for name, value in values.items())


def _css_url(url: str) -> str:
    # Percent-encoded: no quote, parenthesis or backslash can end the url().
    return f'url("{quote(url, safe="/")}")'


def stylesheet(theme: Theme) -> str:
    """The theme as CSS custom properties: light mode, then dark mode's derived accent."""
    accent = parse_colour(theme.accent)
    header = theme.header
    header_image = "none"
    if header.image_url is not None:
        overlay = header.overlay
        header_image = f"linear-gradient({overlay},{overlay}),{_css_url(header.image_url)}"
    light = {
        **LIGHT,
        "accent": css_colour(accent),
        "accent-text": LIGHT["bg"],
        "header-bg": header.background,
        "header-text": header.text,
        "header-image": header_image,
        "header-mark": header_mark(accent, header),
    }
    dark = {**DARK, "accent": css_colour(dark_accent(accent)), "accent-text": DARK["bg"]}
    return (
        "/* The theme of site.yaml (workshop/theme.py). */\n"
        f":root{{color-scheme:light dark;{_properties(light)}}}\n"
        f"@media (prefers-color-scheme:dark){{:root{{{_properties(dark)}}}}}\n"
    )


def favicon_type(url: str) -> str | None:
    """The media type a ``<link rel="icon">`` declares for an icon file, from its name (None: unknown)."""
    return mimetypes.guess_type(url)[0]
