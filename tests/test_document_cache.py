"""The in-process document cache keeps every document of a large edition (workshop/documents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.generate_edition import generate
from tests.conftest import build_app
from workshop import paperpage
from workshop.model import Edition
from workshop.paperschemas import Paper
from workshop.seo import PageMeta


def test_every_paper_page_of_a_300_paper_edition_is_built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # flask-caching's SimpleCache holds 500 entries by default: with about 1,300 documents, pages
    # visited earlier were evicted and built again for each later visitor.
    data_dir = tmp_path / "data"
    generate(data_dir, papers=300, sessions=20)
    app = build_app(data_dir, FAST_PATH=False)
    builds: list[str] = []
    paper_meta = paperpage.paper_meta

    def counted(edition: Edition, paper: Paper) -> PageMeta:
        builds.append(paper.id)
        return paper_meta(edition, paper)

    monkeypatch.setattr(paperpage, "paper_meta", counted)
    client = app.test_client()
    edition = app.extensions["workshop.store"].content.current_edition
    urls = [f"/{edition.name}/papers/{paper.id}/" for paper in edition.papers]
    other_documents = [
        f"/api/v1/editions/{edition.name}/papers/{paper.id}.{kind}"
        for paper in edition.papers
        for kind in ("json", "bib")
    ]
    for url in [*urls, *other_documents]:
        assert client.get(url).status_code == 200, url
    assert len(builds) == 300
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert len(builds) == 300, f"{len(builds) - 300} paper pages built again"
