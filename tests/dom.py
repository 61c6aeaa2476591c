"""A small DOM, from the standard library's HTML parser, for tests that read the site's pages."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
# In shown_text(), text inside these runs on with its neighbours; every other tag separates words.
INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "del", "em", "i", "q", "s", "small", "strong", "sub", "sup"})
INLINE_TAGS |= {"time"}
NEVER_SHOWN = frozenset({"head", "script", "style", "template"})


def normalize(text: str) -> str:
    """One spelling for what reads the same: quotes, spaces, "90cm" and "90 cm"."""
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2033: '"', 0x2018: "'", 0x2019: "'", 0xA0: " "})
    text = re.sub(r"(\d)\s*cm\b", r"\1 cm", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self, skip: Collection[str] = ()) -> Iterator[Element]:
        """This element and its descendants, not descending into ``skip`` tags."""
        yield self
        for child in self.children:
            if isinstance(child, Element) and child.tag not in skip:
                yield from child.iter(skip)

    def find_all(
        self, *tags: str, cls: str | None = None, skip: Collection[str] = (), **attrs: str | None
    ) -> list[Element]:
        """Descendants (not this element) with one of ``tags`` (any tag if none), the class ``cls``
        and the ``attrs`` values (``aria_label`` names the ``aria-label`` attribute), not looking
        inside ``skip`` tags."""
        return [
            element
            for element in self.iter(skip)
            if element is not self
            and (not tags or element.tag in tags)
            and (cls is None or cls in element.classes)
            and all(element.attrs.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items())
        ]

    def one(self, tag: str | None = None, *, cls: str | None = None) -> Element:
        found = self.find_all(*((tag,) if tag else ()), cls=cls)
        assert len(found) == 1, f"{len(found)} <{tag or '*'} class={cls!r}> in <{self.tag} id={self.attrs.get('id')}>"
        return found[0]

    def ids(self) -> set[str]:
        return {element.attrs["id"] or "" for element in self.iter() if "id" in element.attrs}

    def by_id(self, element_id: str) -> Element:
        """The one element, this one or a descendant, with id ``element_id``."""
        found = [element for element in self.iter() if element.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id={element_id!r}"
        return found[0]

    def element_after(self, child: Element) -> Element:
        """The next sibling element of ``child`` (a heading's list, say)."""
        siblings = [node for node in self.children if isinstance(node, Element)]
        return siblings[siblings.index(child) + 1]

    def text(self, skip: Collection[str] = ()) -> str:
        """The text as written, whitespace collapsed, leaving out ``skip`` tags and hidden elements.

        Adjacent elements' texts run on ("<span>a</span><span>b</span>" is "ab"): for exact comparisons.
        """
        parts: list[str] = []

        def walk(element: Element) -> None:
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in skip and "hidden" not in child.attrs:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def _shown_parts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag not in NEVER_SHOWN and "hidden" not in child.attrs:
                separator = "" if child.tag in INLINE_TAGS else " "
                yield separator
                yield from child._shown_parts()
                yield separator

    def shown_text(self) -> str:
        """The visible text as a reader takes it in, for finding facts in it: every tag but
        INLINE_TAGS separates words, NEVER_SHOWN and hidden elements are left out, and the
        result is normalize()d."""
        return normalize("".join(self._shown_parts()))

    def datetimes(self, skip: Collection[str] = ()) -> list[str]:
        return [time.attrs["datetime"] or "" for time in self.find_all("time", skip=skip)]


class _DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self._open[-1].children.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(html: str) -> Element:
    """The document as a tree under a "#document" root element."""
    builder = _DomBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
