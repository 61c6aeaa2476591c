"""What a data file's text may hold: characters a reader sees, and line breaks only where text has lines.

Every text field (plain text and Markdown) refuses control characters (NUL, ESC,
...: invisible, and iCalendar and XML cannot carry them) and the invisible
format characters that make text display as something other than what it holds
(bidirectional embeddings, overrides and isolates, as in "Trojan Source"; zero-width
spaces, word joiners, a byte order mark inside text). Joiners that scripts and
emoji need (U+200C, U+200D) and the left-to-right and right-to-left marks stay.
Single-line fields (titles, names, labels) also refuse line breaks and tabs;
Markdown keeps its newlines and tabs.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from marshmallow import ValidationError, validate

# Refused in all text: C0 controls but tab and newline, DEL and C1 controls, zero width
# space, line and paragraph separators, bidi embeddings/overrides (U+202A-U+202E), word
# joiner and invisible operators, bidi isolates (U+2066-U+2069), deprecated format
# characters, byte order mark, interlinear annotation.
HIDDEN_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x1F),
    (0x7F, 0x9F),
    (0x200B, 0x200B),
    (0x2028, 0x2029),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
)
# Refused too in single-line text.
TAB_AND_NEWLINE = ((0x09, 0x0A),)
LINE_BREAKS = frozenset("\n\r\u2028\u2029")

ONE_LINE_MESSAGE = (
    "Must be one line, without line breaks: write it after the field name on the same line, "
    "or fold it into one line with '>-' ('|' and '>' keep a line break at the end)."
)


def character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regular expression character class body (``\\u0000-\\u0008...``), valid in Python and JavaScript."""
    return "".join(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


def refused_ranges(*, single_line: bool) -> tuple[tuple[int, int], ...]:
    return TAB_AND_NEWLINE + HIDDEN_RANGES if single_line else HIDDEN_RANGES


def allowed_pattern(*, single_line: bool) -> str:
    """The JSON Schema ``pattern`` of text without a refused character (for editors)."""
    return f"^[^{character_class(refused_ranges(single_line=single_line))}]*$"


def _problem(character: str, position: int, *, single_line: bool) -> str:
    if single_line and character in LINE_BREAKS:
        return ONE_LINE_MESSAGE
    if character == "\t":
        return f"Contains a tab at character {position}: use a space."
    name = unicodedata.name(character, "a control character")
    return (
        f"Contains U+{ord(character):04X} ({name}) at character {position}: remove it. "
        "It is invisible, and can hide or reorder what readers see."
    )


class VisibleText(validate.Validator):
    """Refuses the characters above; the message names the first one and where it is."""

    def __init__(self, *, single_line: bool) -> None:
        self.single_line = single_line
        self.refused = re.compile(f"[{character_class(refused_ranges(single_line=single_line))}]")

    def __call__(self, value: Any) -> Any:
        found = self.refused.search(value) if isinstance(value, str) else None
        if found is not None:
            raise ValidationError(_problem(found.group(), found.start() + 1, single_line=self.single_line))
        return value
