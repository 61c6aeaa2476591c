"""How to cite the accepted papers: BibTeX (``@inproceedings``) and CSL-JSON, per paper and for all.

BibTeX keeps non-ASCII letters as UTF-8 (biber and BibTeX 0.99 pass them through; LaTeX with
inputenc/fontspec prints them) and escapes the characters LaTeX reads as commands, so a field
always has balanced braces. CSL-JSON follows the Citation Style Language's csl-data schema; the
marshmallow schema below describes it in the OpenAPI document and dumps it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.exceptions import NotFound

from workshop import seo
from workshop.documents import Served, paper_url
from workshop.model import Content, Edition
from workshop.outputfields import described, text
from workshop.paperschemas import Author, Paper

# LaTeX's special characters, each as text LaTeX prints (a backslash first: the others add some).
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_ESCAPES)) + "]")
# BibTeX separates names with the word "and", and a name's parts with commas.
_NAME_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def latex_escape(value: str) -> str:
    """Text as LaTeX prints it: ``R&D 100% _x_`` -> ``R\\&D 100\\% \\_x\\_``; newlines become spaces."""
    return _LATEX_SPECIAL.sub(lambda match: _LATEX_ESCAPES[match.group()], " ".join(value.split()))


def bibtex_title(title: str) -> str:
    """The escaped title, with words whose capitals must stay (JWST, Bayesian, N-body) in braces:
    BibTeX styles lower-case the rest of a title."""
    words = title.split()
    protected = []
    for position, word in enumerate(words):
        capitals = [char for char in word if char.isupper()]
        first_only = position == 0 and len(capitals) == 1 and word[0].isupper()
        escaped = latex_escape(word)
        protected.append(f"{{{escaped}}}" if capitals and not first_only else escaped)
    return " ".join(protected)


def name_parts(author: Author) -> dict[str, str]:
    """{family, given[, suffix]} when the family name is known and part of the name; else {literal}.

    "Martin Luther King Jr." with family "King" -> family King, given Martin Luther, suffix Jr.;
    "王小明" with family "王" (written first) -> family 王, given 小明.
    """
    name, family = author.name, author.family
    if not family:
        return {"literal": name}
    # The family name as a word of the name ("Ros" in "Rosa Ros" is the second word); a name written
    # without spaces (王小明) starts with it.
    found = re.search(rf"(?<!\w){re.escape(family)}(?!\w)", name)
    at = found.start() if found else 0 if " " not in name and name.startswith(family) else -1
    if at < 0:
        return {"literal": name}
    before, after = name[:at].strip(), name[at + len(family) :].strip().lstrip(",").strip()
    if not before:  # the family name first (Chinese, Japanese, Korean, Hungarian order)
        return {"family": family, "given": after} if after else {"family": family}
    parts = {"family": family, "given": before}
    if after:
        parts["suffix"] = after
    return parts


def bibtex_name(author: Author) -> str:
    """One name as BibTeX reads it: ``Family, Given`` or ``Family, Suffix, Given``; a name whose
    family is unknown is kept whole in braces, unless BibTeX splits it right itself."""
    parts = name_parts(author)
    if "literal" in parts:
        literal = latex_escape(parts["literal"])
        return f"{{{literal}}}" if _NAME_SEPARATOR.search(parts["literal"]) else literal
    family = latex_escape(parts["family"])
    if _NAME_SEPARATOR.search(parts["family"]):
        family = f"{{{family}}}"
    if "given" not in parts:
        return family
    given = latex_escape(parts["given"])
    suffix = f"{latex_escape(parts['suffix'])}, " if "suffix" in parts else ""
    return f"{family}, {suffix}{given}"


def publication_date(edition: Edition) -> dt.date | None:
    """The day the workshop starts (venue time), when it is known."""
    return edition.workshop_span[0].date() if edition.workshop_span is not None else None


def conference_title(edition: Edition) -> str:
    """'Machine Learning for Astrophysics workshop at ICML 2023': the proceedings' title."""
    site = edition.site
    workshop = site.title if "workshop" in site.title.lower() else f"{site.title} workshop"
    return f"{workshop} at {site.venue.name}"


def absolute(edition: Edition, url: str) -> str:
    """A URL of the data (a PDF stored with the edition is site-relative) as an absolute URL."""
    return seo.absolute_url(edition, url) if url.startswith("/") else url


def find_paper(edition: Edition, paper_id: str) -> Paper:
    """One paper of the edition; 404 for any other id."""
    try:
        return edition.paper(paper_id)
    except KeyError:
        raise NotFound(f"No paper {paper_id!r} in {edition.name}: its papers.json lists them.") from None


def citation_key(edition: Edition, paper: Paper) -> str:
    return f"{edition.name}-{paper.id}"


def bibtex_entry(edition: Edition, paper: Paper) -> str:
    """One ``@inproceedings`` entry, every field braced (or a month macro)."""
    entry: list[tuple[str, str]] = [
        ("title", f"{{{bibtex_title(paper.title)}}}"),
        ("author", "{" + " and ".join(bibtex_name(author) for author in paper.authors) + "}"),
        ("booktitle", f"{{{latex_escape(conference_title(edition))}}}"),
    ]
    published = publication_date(edition)
    if published is not None:
        entry += [("year", f"{{{published.year}}}"), ("month", _MONTHS[published.month - 1])]
    venue = edition.site.venue
    if venue.city:
        entry.append(("address", f"{{{latex_escape(venue.city)}}}"))
    entry.append(("url", f"{{{latex_escape(seo.absolute_url(edition, paper_url(edition.name, paper.id)))}}}"))
    if paper.pdf:
        entry.append(("pdf", f"{{{latex_escape(absolute(edition, paper.pdf))}}}"))
    if paper.keywords:
        entry.append(("keywords", f"{{{latex_escape(', '.join(paper.keywords))}}}"))
    if paper.abstract is not None:
        entry.append(("abstract", f"{{{latex_escape(seo.plain_text(paper.abstract))}}}"))
    lines = ",\n".join(f"  {name} = {value}" for name, value in entry)
    return f"@inproceedings{{{citation_key(edition, paper)},\n{lines}\n}}\n"


def paper_bibtex(content: Content, edition: Edition, paper_id: str) -> str:
    return bibtex_entry(edition, find_paper(edition, paper_id))


def papers_bibtex(content: Content, edition: Edition) -> str:
    return "\n".join(bibtex_entry(edition, paper) for paper in edition.papers)


# --- CSL-JSON ----------------------------------------------------------------------------------------


class CslNameSchema(Schema):
    """A name as CSL-JSON writes it: family and given parts, or the whole name as a literal."""

    family = fields.String(**described("Family name.", required=False, metadata={"may_be_absent": True}))
    given = fields.String(**described("Given names.", required=False, metadata={"may_be_absent": True}))
    suffix = fields.String(**described("Suffix, e.g. Jr.", required=False, metadata={"may_be_absent": True}))
    literal = fields.String(
        **described(
            "The whole name, when its family name is not known.", required=False, metadata={"may_be_absent": True}
        )
    )


class CslDateSchema(Schema):
    date_parts = fields.List(
        fields.List(fields.Integer()),
        data_key="date-parts",
        **described("[[year, month, day]]: the day the workshop starts."),
    )


class CslItemSchema(Schema):
    """A paper as a CSL-JSON item (Zotero, Pandoc, citeproc): type paper-conference."""

    id = text("<edition>-<paper id>, the BibTeX key too.")
    type = text("Always paper-conference.", validate=validate.OneOf(["paper-conference"]))
    title = text("The paper's title.")
    author = fields.List(fields.Nested(CslNameSchema), **described("The authors, in order."))
    issued = fields.Nested(
        CslDateSchema, **described("When the workshop takes place.", required=False, metadata={"may_be_absent": True})
    )
    container_title = text("The workshop, at its conference.", data_key="container-title")
    event_place = text("The venue's city.", data_key="event-place", required=False, metadata={"may_be_absent": True})
    URL = text("The paper's page.", metadata={"format": "uri"})
    abstract = text("The abstract as plain text.", required=False, metadata={"may_be_absent": True})
    keyword = text("Keywords, separated by commas.", required=False, metadata={"may_be_absent": True})


# One instance for every item: building a schema copies its fields, which costs more than a dump.
_CSL_ITEM = CslItemSchema()


def csl_item(edition: Edition, paper: Paper) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": citation_key(edition, paper),
        "type": "paper-conference",
        "title": paper.title,
        "author": [name_parts(author) for author in paper.authors],
        "container_title": conference_title(edition),
        "URL": seo.absolute_url(edition, paper_url(edition.name, paper.id)),
    }
    published = publication_date(edition)
    if published is not None:
        item["issued"] = {"date_parts": [[published.year, published.month, published.day]]}
    if edition.site.venue.city:
        item["event_place"] = edition.site.venue.city
    if paper.abstract is not None:
        item["abstract"] = seo.plain_text(paper.abstract)
    if paper.keywords:
        item["keyword"] = ", ".join(paper.keywords)
    return _CSL_ITEM.dump(item)


def paper_csl(content: Content, edition: Edition, paper_id: str) -> dict[str, Any]:
    return csl_item(edition, find_paper(edition, paper_id))


def papers_csl(content: Content, edition: Edition) -> list[Any]:
    return [csl_item(edition, paper) for paper in edition.papers]


BIBTEX = "text/x-bibtex"
CSL_JSON = "application/vnd.citationstyles.csl+json"
PAPER_BIB = Served("paper-bib", BIBTEX, paper_bibtex)
PAPERS_BIB = Served("papers-bib", BIBTEX, papers_bibtex)
PAPER_CSL = Served("paper-csl", CSL_JSON, paper_csl)
PAPERS_CSL = Served("papers-csl", CSL_JSON, papers_csl)
