"""The page of one accepted paper, ``/<edition>/papers/<id>/``: what visitors read, and what Google
Scholar and Zotero read (Highwire ``citation_*`` tags and a schema.org ScholarlyArticle).

Like the workshop page it is rendered once per content version; absolute URLs come from
``SITE_URL`` (workshop/seo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for

from workshop import citations, seo
from workshop.documents import Served, page_url, paper_url, resource_url
from workshop.model import Content, Edition
from workshop.paperschemas import Author, Paper
from workshop.timeschemas import Session


@dataclass(frozen=True)
class PaperContext:
    """Where a paper sits in its edition: its sessions, and its neighbours in papers.yaml's order."""

    paper: Paper
    sessions: tuple[Session, ...]
    previous: Paper | None
    next: Paper | None


def paper_context(edition: Edition, paper_id: str) -> PaperContext:
    paper = citations.find_paper(edition, paper_id)
    position = edition.papers.index(paper)
    return PaperContext(
        paper=paper,
        sessions=tuple(session for session in edition.published_sessions if paper_id in session.papers),
        previous=edition.papers[position - 1] if position > 0 else None,
        next=edition.papers[position + 1] if position + 1 < len(edition.papers) else None,
    )


def highwire_tags(edition: Edition, paper: Paper) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags Google Scholar reads (its inclusion guidelines), in order."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", author.name) for author in paper.authors]
    published = citations.publication_date(edition)
    if published is not None:
        tags.append(("citation_publication_date", f"{published:%Y/%m/%d}"))
    tags.append(("citation_conference_title", citations.conference_title(edition)))
    if paper.pdf:
        tags.append(("citation_pdf_url", citations.absolute(edition, paper.pdf)))
    tags.append(("citation_abstract_html_url", seo.absolute_url(edition, paper_url(edition.name, paper.id))))
    return tags


def scholarly_article(edition: Edition, paper: Paper) -> dict[str, Any]:
    """The paper as a schema.org ScholarlyArticle, for search engines."""
    url = seo.absolute_url(edition, paper_url(edition.name, paper.id))
    article: dict[str, Any] = {
        "@context": seo.SCHEMA_ORG,
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
        "url": url,
        "author": [_author(author) for author in paper.authors],
        "isPartOf": {
            "@type": "EducationEvent",
            "name": citations.conference_title(edition),
            "url": seo.absolute_url(edition, page_url(edition.name)),
        },
    }
    published = citations.publication_date(edition)
    if published is not None:
        article["datePublished"] = published.isoformat()
    if paper.abstract is not None:
        article["abstract"] = seo.plain_text(paper.abstract)
    if paper.keywords:
        article["keywords"] = list(paper.keywords)
    if paper.pdf:
        article["encoding"] = {"@type": "MediaObject", "contentUrl": citations.absolute(edition, paper.pdf)}
    return article


def _author(author: Author) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": author.name}
    if author.family:
        person["familyName"] = author.family
    if author.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": author.affiliation}
    return person


def paper_meta(edition: Edition, paper: Paper) -> seo.PageMeta:
    site = edition.site
    url = seo.absolute_url(edition, paper_url(edition.name, paper.id))
    names = ", ".join(author.name for author in paper.authors)
    return seo.PageMeta(
        url=url,
        title=f"{paper.title} · {site.title}",
        site_name=site.title,
        description=site.wording["paper_description"].format(
            title=paper.title, authors=names, workshop=site.title, venue=site.venue.name
        ),
        json_ld=seo.json_for_html(scholarly_article(edition, paper)),
        image=seo.Image(
            url=seo.absolute_url(edition, url_for("pages.social_card", edition=edition.name)),
            alt=seo.card_text(edition).alt,
        ),
    )


def paper_html(content: Content, edition: Edition, paper_id: str) -> str:
    context = paper_context(edition, paper_id)
    paper = context.paper
    return render_template(
        "paper.html",
        content=content,
        edition=edition,
        site=edition.site,
        paper=paper,
        context=context,
        outcome=edition.by_id.outcomes.get(paper.presentation) if paper.presentation else None,
        highwire=highwire_tags(edition, paper),
        meta=paper_meta(edition, paper),
        home_url=page_url(edition.name),
        paper_url=lambda item: paper_url(edition.name, item.id),
        json_url=url_for("api.paper", edition=edition.name, paper_id=paper_id),
        bib_url=url_for("api.paper_bib", edition=edition.name, paper_id=paper_id),
        papers_url=resource_url(edition.name, "papers"),
    )


PAPER_PAGE = Served(
    "paper-page",
    "text/html",
    lambda content, edition, paper_id: paper_html(content, edition, paper_id),  # noqa: PLW0108
    alternates=lambda content, edition, paper_id: (
        (url_for("api.paper", edition=edition.name, paper_id=paper_id), "application/json"),
    ),
)
