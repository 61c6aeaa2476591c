"""The social card: the picture a shared link shows (og:image), drawn with Pillow.

The card is 1200x630 (the size link previews crop least), with the workshop's
title, its venue and its day, in the page's hero colours. The same text gives
the same bytes: the layout depends on nothing but the text, and the PNG carries
no time or other metadata, so its ETag holds until the content changes.

Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), which covers
accented Latin, Greek and Cyrillic. Without it, Pillow's built-in font is used
and a warning says so: the card still renders, but that font has no accents.
"""

from __future__ import annotations

import io
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MIMETYPE = "image/png"
# Found by Pillow in the system's font folders (/usr/share/fonts/...).
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"

# The page's hero (static/css/site.css): star field, light text, the dark theme's accent.
BACKGROUND = (11, 16, 38)
TITLE_COLOUR = (245, 247, 255)
KICKER_COLOUR = (143, 179, 255)
TEXT_COLOUR = (223, 231, 255)
MUTED_COLOUR = (170, 179, 197)
STAR_COLOURS = ((255, 255, 255), (223, 231, 255), (143, 179, 255))
STAR_SEED = 2023  # the same sky on every card, so equal text gives equal bytes

MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
KICKER_SIZE = 30
WHEN_SIZE = 36
FOOTER_SIZE = 28
# The title takes the largest of these sizes at which it fits the room the other lines leave.
TITLE_SIZES = (84, 76, 68, 60, 54, 48, 42)
GAP = 24  # between the kicker, the title and the day
LINE_SPACING = 1.18
ELLIPSIS = "\u2026"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont


@dataclass(frozen=True)
class CardText:
    """What the card says, line by line (seo.card_text builds it from the content)."""

    title: str
    kicker: str  # "ICML 2023 workshop · Honolulu, Hawaii"
    when: str  # the workshop's day, or "" while there is none
    footer: str  # the site's address

    @property
    def alt(self) -> str:
        """The card's text for people who cannot see it (og:image:alt, twitter:image:alt)."""
        return ". ".join(part for part in (self.title, self.kicker, self.when, self.footer) if part) + "."


@lru_cache(maxsize=2)
def _has_font(weight: str) -> bool:
    """Whether the system has the font file for ``weight``; says once per process when it does not."""
    try:
        ImageFont.truetype(FONT_FILES[weight], 10)
    except OSError:
        logger.warning(
            "The social card's font %s is missing (Debian package %s): using Pillow's built-in font, "
            "which has no accented letters.",
            FONT_FILES[weight],
            FONT_PACKAGE,
        )
        return False
    return True


@lru_cache(maxsize=32)
def font(weight: str, size: int) -> Font:
    if _has_font(weight):
        return ImageFont.truetype(FONT_FILES[weight], size)
    return ImageFont.load_default(size=size)


def _split_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word wider than a line, cut into pieces that each fit."""
    pieces, piece = [], ""
    for character in word:
        if piece and not fits(piece + character):
            pieces.append(piece)
            piece = ""
        piece += character
    return [*pieces, piece] if piece else pieces


def wrap(text: str, face: Font, width: int) -> list[str]:
    """Greedy word wrap: each line as many words as fit in ``width`` pixels."""

    def fits(line: str) -> bool:
        return face.getlength(line) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        if fits(word):
            line = word
        else:
            *whole, line = _split_word(word, fits)
            lines.extend(whole)
    if line:
        lines.append(line)
    return lines


def shorten(lines: list[str], count: int, face: Font, width: int) -> list[str]:
    """The first ``count`` lines, the last one ending in an ellipsis when text was left out."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    while last and face.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: count - 1], last.rstrip() + ELLIPSIS]


def _line_height(face: Font) -> int:
    return round(getattr(face, "size", 10) * LINE_SPACING)


def fit_title(title: str, height: int) -> tuple[Font, list[str]]:
    """The largest title size at which the title fits ``height``; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        face = font("bold", size)
        lines = wrap(title, face, TEXT_WIDTH)
        if len(lines) * _line_height(face) <= height:
            return face, lines
    return face, shorten(lines, max(1, height // _line_height(face)), face, TEXT_WIDTH)


Box = tuple[float, float, float, float]


def _draw_stars(draw: ImageDraw.ImageDraw, keep_clear: list[Box]) -> None:
    """A sky of small stars, none under the text (STAR_SEED: the same sky on every card)."""
    sky = random.Random(STAR_SEED)
    for _ in range(90):
        x, y = sky.randrange(WIDTH), sky.randrange(HEIGHT)
        radius = sky.choice((1, 1, 1, 2))
        colour = sky.choice(STAR_COLOURS)
        if not any(left <= x <= right and top <= y <= bottom for left, top, right, bottom in keep_clear):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def render(text: CardText) -> bytes:
    """The card as PNG bytes: kicker, title and day from the top, the site's address at the bottom."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)

    kicker_face, when_face, footer_face = (font("regular", size) for size in (KICKER_SIZE, WHEN_SIZE, FOOTER_SIZE))
    kicker = shorten(wrap(text.kicker, kicker_face, TEXT_WIDTH), 1, kicker_face, TEXT_WIDTH)
    when = shorten(wrap(text.when, when_face, TEXT_WIDTH), 2, when_face, TEXT_WIDTH)
    footer = shorten(wrap(text.footer, footer_face, TEXT_WIDTH), 1, footer_face, TEXT_WIDTH)
    # The footer's baseline sits MARGIN above the bottom; the title gets the room the others leave.
    footer_top = HEIGHT - MARGIN - _line_height(footer_face)
    title_top = MARGIN + len(kicker) * _line_height(kicker_face) + GAP
    when_height = len(when) * _line_height(when_face)
    title_face, title = fit_title(text.title, footer_top - GAP - when_height - GAP - title_top)

    # Each line: where, what, in which face and colour, and the anchor of its position.
    lines: list[tuple[tuple[int, int], str, Font, tuple[int, int, int], str]] = []
    y = MARGIN
    for block, face, colour in (
        (kicker, kicker_face, KICKER_COLOUR),
        (title, title_face, TITLE_COLOUR),
        (when, when_face, TEXT_COLOUR),
    ):
        for line in block:
            lines.append(((MARGIN, y), line, face, colour, "la"))
            y += _line_height(face)
        y += GAP
    lines.extend(((MARGIN, HEIGHT - MARGIN), line, footer_face, MUTED_COLOUR, "ls") for line in footer)

    text_boxes = [draw.textbbox(xy, line, font=face, anchor=anchor) for xy, line, face, _, anchor in lines]
    _draw_stars(draw, [(left - 8, top - 8, right + 8, bottom + 8) for left, top, right, bottom in text_boxes])
    # A band in the accent colour along the left edge, as a mark of the site.
    draw.rectangle((0, 0, 16, HEIGHT), fill=KICKER_COLOUR)
    for xy, line, face, colour, anchor in lines:
        draw.text(xy, line, font=face, fill=colour, anchor=anchor)

    out = io.BytesIO()
    # No text chunks, no time: only the pixels decide the bytes.
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
