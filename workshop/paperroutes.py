"""The catalogue's entries for the papers: each paper as JSON, BibTeX and CSL-JSON, and all of an
edition's papers as BibTeX and CSL-JSON (workshop/catalogue.py says how an entry is read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from flask import url_for
from marshmallow import Schema

from workshop import citations
from workshop.catalogue import Described, Endpoint, Route, SchemaSpec, item_endpoint
from workshop.documents import API_VERSION, Served, paper_url, served_paper
from workshop.envelopes import item_document_schema
from workshop.model import Content, Edition
from workshop.paperschemas import PaperSchema

BIBTEX_SCHEMA = {"type": "string", "description": "BibTeX entries (@inproceedings), UTF-8.", "pattern": "^@"}


def paper_document_schema(content: Content) -> type[Schema]:
    return item_document_schema(
        content, "PaperDocumentSchema", PaperSchema, item="paper", page="The paper's page.", listed_in="papers.json"
    )


# The schema of one content version, built once for all its papers (building one costs more than a dump).
_DOCUMENT_SCHEMAS: dict[str, Schema] = {}


def _document_schema(content: Content) -> Schema:
    schema = _DOCUMENT_SCHEMAS.get(content.version)
    if schema is None:
        _DOCUMENT_SCHEMAS.clear()  # one content version at a time: the current one
        schema = _DOCUMENT_SCHEMAS[content.version] = paper_document_schema(content)()
    return schema


def paper_payload(content: Content, edition: Edition, paper_id: str) -> dict[str, Any]:
    paper = citations.find_paper(edition, paper_id)
    page = paper_url(edition.name, paper_id)
    return _document_schema(content).dump(
        {
            "api_version": API_VERSION,
            "content_version": content.version,
            "edition": edition.name,
            "url": url_for("api.paper", edition=edition.name, paper_id=paper_id),
            "html_url": page,
            "data": served_paper(edition, paper),
        }
    )


PAPER = Served(
    "paper",
    "application/json",
    lambda content, edition, paper_id: paper_payload(content, edition, paper_id),  # noqa: PLW0108
    alternates=lambda content, edition, paper_id: ((paper_url(edition.name, paper_id), "text/html"),),
)


def _paper_ids(edition: Edition) -> Sequence[str]:
    return [paper.id for paper in edition.papers]


def _per_paper(
    content: Content,
    route: Route,
    *,
    name: str,
    summary: str,
    description: str,
    schema: Callable[[Content], SchemaSpec],
) -> Iterator[Endpoint]:
    yield item_endpoint(
        content,
        route,
        noun="paper",
        listed_in="the id of an item of its papers.json",
        operation_id=f"get{name}",
        tag="Papers",
        summary=summary,
        description=description,
        schema=schema(content),
        link=route.key == "paper",
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "paper",
        "papers/<paper_id>.json",
        PAPER,
        "edition",
        describe=partial(
            _per_paper,
            name="Paper",
            summary="One paper of an edition",
            description="An accepted paper, as its item of papers.json, with its page's URL.",
            schema=paper_document_schema,
        ),
        arguments={"paper_id": _paper_ids},
    ),
    Route(
        "paper_bib",
        "papers/<paper_id>.bib",
        citations.PAPER_BIB,
        "edition",
        describe=partial(
            _per_paper,
            name="PaperBibtex",
            summary="One paper of an edition as BibTeX",
            description="An @inproceedings entry keyed <edition>-<paper id>, for BibTeX and biber (UTF-8).",
            schema=lambda content: BIBTEX_SCHEMA,
        ),
        arguments={"paper_id": _paper_ids},
    ),
    Route(
        "paper_csl",
        "papers/<paper_id>.csl.json",
        citations.PAPER_CSL,
        "edition",
        describe=partial(
            _per_paper,
            name="PaperCsl",
            summary="One paper of an edition as CSL-JSON",
            description="A CSL-JSON item (type paper-conference) for Zotero, Pandoc and citeproc.",
            schema=lambda content: citations.CslItemSchema,
        ),
        arguments={"paper_id": _paper_ids},
    ),
    Route(
        "papers_bib",
        "papers.bib",
        citations.PAPERS_BIB,
        "both",
        described=(
            Described(
                name="PapersBibtex",
                example="papers.bib",
                summary="Papers of {edition} as BibTeX",
                description="Every accepted paper as an @inproceedings entry keyed <edition>-<paper id>, "
                "in the order of papers.json (empty while none is accepted).",
                tag="Papers",
                schema=lambda content: {**BIBTEX_SCHEMA, "pattern": "^(@|$)"},
            ),
        ),
    ),
    Route(
        "papers_csl",
        "papers.csl.json",
        citations.PAPERS_CSL,
        "both",
        described=(
            Described(
                name="PapersCsl",
                example="papers.csl.json",
                summary="Papers of {edition} as CSL-JSON",
                description="Every accepted paper as a CSL-JSON item, in the order of papers.json.",
                tag="Papers",
                schema=lambda content: {"type": "array", "items": {"$ref": "#/components/schemas/CslItem"}},
            ),
        ),
    ),
)
