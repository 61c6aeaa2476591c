"""Markdown from data files, rendered once and sanitized.

Organizers write Markdown; visitors and API clients get HTML that can never
carry script: markdown-it renders with raw HTML disabled, then nh3 (ammonia)
keeps only an allow-list of tags, attributes and URL schemes. Headings are kept only in a
text that sits under a heading of its own (an edition's own section), demoted below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset({"p", "a", "em", "strong", "code", "ul", "ol", "li", "br", "blockquote", "s", "del"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The deepest heading HTML has.
DEEPEST_HEADING = 6


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML off and linkify off: HTML typed
    # into a data file is shown as text rather than interpreted.
    return MarkdownIt("js-default").enable("strikethrough")


def sanitize_html(html: str, *, base_url: str | None = None, headings_from: int | None = None) -> str:
    """Only the allowed markup; with ``base_url``, relative links resolved against it; with
    ``headings_from``, the headings of that level and deeper too (the others are shown as text)."""
    headings = {f"h{level}" for level in range(headings_from, DEEPEST_HEADING + 1)} if headings_from else set()
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS) | headings,
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        url_relative=("rewrite_with_base", base_url) if base_url else None,
    )


def with_absolute_links(html: str, base_url: str) -> str:
    """Rendered HTML for reading away from the page (a feed reader): ``#dates`` -> ``<base_url>#dates``."""
    return sanitize_html(html, base_url=base_url)


def _nest_headings(tokens: list[Token], under: int) -> None:
    """Demote the headings of a text shown under an ``h<under>``: ``#`` and ``##`` become the level
    below it, deeper ones follow (down to h6), and none skips a level after the one before it,
    so the page's outline stays whole whatever levels the text uses."""
    previous = under
    for token in tokens:
        if token.type == "heading_open":
            written = int(token.tag[1:])
            previous = min(max(written + under - 1, under + 1), previous + 1, DEEPEST_HEADING)
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{previous}"


def render_markdown(source: str, *, headings_under: int | None = None) -> str:
    """Block Markdown as sanitized HTML. Its headings are kept only with ``headings_under``, the
    level of the heading the text is shown under; they are nested below it (:func:`_nest_headings`)."""
    markdown = _markdown()
    if headings_under is None:
        return sanitize_html(markdown.render(source)).strip()
    tokens = markdown.parse(source)
    _nest_headings(tokens, headings_under)
    html = markdown.renderer.render(tokens, markdown.options, {})
    return sanitize_html(html, headings_from=headings_under + 1).strip()


def markdown_tokens(source: str) -> list[Token]:
    """The block tokens of a Markdown text, as the renderer sees them (headings with their lines)."""
    return _markdown().parse(source)


def render_inline_markdown(source: str) -> str:
    """Render one line of Markdown without wrapping it in a paragraph."""
    return sanitize_html(_markdown().renderInline(source)).strip()


@dataclass(frozen=True, slots=True)
class RichText:
    """Markdown source with its sanitized HTML, safe to put in a template."""

    markdown: str
    html: str

    @classmethod
    def from_markdown(cls, source: str, *, inline: bool = False, headings_under: int | None = None) -> RichText:
        source = source.strip()
        html = render_inline_markdown(source) if inline else render_markdown(source, headings_under=headings_under)
        return cls(markdown=source, html=html)

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.markdown
