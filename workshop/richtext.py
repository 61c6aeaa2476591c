"""Markdown from data files, rendered once and sanitized.

Organizers write Markdown; visitors and API clients get HTML that can never
carry script: markdown-it renders with raw HTML disabled, then nh3 (ammonia)
keeps only an allow-list of tags, attributes and URL schemes.
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


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML off and linkify off: HTML typed
    # into a data file is shown as text rather than interpreted.
    return MarkdownIt("js-default").enable("strikethrough")


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Only the allowed markup; with ``base_url``, relative links resolved against it."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        url_relative=("rewrite_with_base", base_url) if base_url else None,
    )


def with_absolute_links(html: str, base_url: str) -> str:
    """Rendered HTML for reading away from the page (a feed reader): ``#dates`` -> ``<base_url>#dates``."""
    return sanitize_html(html, base_url=base_url)


def render_markdown(source: str) -> str:
    return sanitize_html(_markdown().render(source)).strip()


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
    def from_markdown(cls, source: str, *, inline: bool = False) -> RichText:
        source = source.strip()
        html = render_inline_markdown(source) if inline else render_markdown(source)
        return cls(markdown=source, html=html)

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.markdown
