"""What every reader of a submission system's export produces: upstream papers, system-neutral."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


class PaperImportError(Exception):
    """The import cannot go on; the message names the file, the place and what is wrong. Nothing is written."""


@dataclass(frozen=True)
class UpstreamAuthor:
    name: str
    family: str | None = None
    affiliation: str | None = None
    contact: bool = False


@dataclass(frozen=True)
class UpstreamPaper:
    """One accepted paper as the submission system has it."""

    system: str  # "cmt" or "openreview"
    source_id: int | str  # CMT's Paper ID (int), OpenReview's note id (str)
    number: int  # what the paper's id is made from: CMT's Paper ID, OpenReview's submission number
    title: str
    authors: tuple[UpstreamAuthor, ...]
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    track: str | None = None
    pdf: str | None = None  # an http(s) URL upstream gives (OpenReview)
    openreview: str | None = None  # the forum URL

    @property
    def paper_id(self) -> str:
        """The id a new paper gets in papers.yaml: readable and stable across imports (cmt-12, openreview-7)."""
        return f"{self.system}-{self.number}"


@dataclass
class UpstreamExport:
    """Everything read from one export: the accepted papers, and how many of each other status were left out."""

    system: str
    papers: list[UpstreamPaper]
    not_accepted: dict[str, int] = field(default_factory=dict)


def _normalized(value: object) -> str:
    """NFC (an accented letter is one character), line ends made plain, no control character but newlines."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(char for char in text if char == "\n" or unicodedata.category(char) != "Cc")


def clean_text(value: object) -> str:
    """One line of text: normalized, spaces trimmed and single."""
    return " ".join(_normalized(value).split())


def clean_paragraphs(value: object) -> str:
    """Multi-line text (an abstract): normalized, trailing spaces and outer blank lines removed."""
    return "\n".join(line.rstrip() for line in _normalized(value).split("\n")).strip()
