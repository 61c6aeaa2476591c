"""The social card: each edition's picture for link previews, a 1200x630 PNG drawn from its content."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.conftest import edit_data_file
from tests.test_reload import settle
from workshop import socialcard
from workshop.socialcard import CardText

CARD_URL = "/icml2023/social-card.png"
TEXT = CardText(
    title="Machine Learning for Astrophysics",
    kicker="ICML 2023 workshop · Honolulu, Hawaii",
    when="Friday, July 28 or Saturday, July 29, 2023 (to be confirmed)",
    footer="ml4astro.github.io",
)


def opened(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def test_each_edition_has_a_1200x630_png_card(client: FlaskClient) -> None:
    response = client.get(CARD_URL)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = opened(response.data)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    # Not a blank picture: the text is drawn in light colours on the dark sky.
    assert len(image.getcolors(maxcolors=1_000_000) or ()) > 50
    # No metadata (times, software) that could change the bytes of the same picture.
    assert image.info == {}
    assert client.get("/nope/social-card.png").status_code == 404


def test_the_card_revalidates_and_is_replayed_by_the_fast_path(app: Flask) -> None:
    client = app.test_client()
    entered: list[str] = []
    app.before_request(lambda: entered.append("flask"))
    first = client.get(CARD_URL)
    etag = first.headers["ETag"]
    assert etag and "public" in first.headers["Cache-Control"]
    assert client.get(CARD_URL, headers={"If-None-Match": etag}).status_code == 304
    again = client.get(CARD_URL)
    assert again.data == first.data
    assert entered == ["flask"], "a repeat request for the card must be answered by the fast path"


def test_the_same_content_gives_the_same_bytes_in_every_process(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    first = make_app(data_dir).test_client().get(CARD_URL)
    second = make_app(data_dir).test_client().get(CARD_URL)
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]


def test_a_new_title_gives_a_new_card(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    before = client.get(CARD_URL)
    edit_data_file(
        data_dir / "icml2023" / "site.yaml", "title: Machine Learning for Astrophysics", "title: ML for the Cosmos"
    )
    settle(app.extensions["workshop.store"])
    after = client.get(CARD_URL)
    assert after.status_code == 200
    assert after.data != before.data
    assert after.headers["ETag"] != before.headers["ETag"]
    # A client holding the old card gets the new one, not a 304.
    assert client.get(CARD_URL, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


@pytest.mark.parametrize("letter", ["é", "ü", "ñ", "ç", "ø", "Ł", "ź", "ã"])
def test_accented_letters_are_drawn_not_replaced_by_a_box(letter: str) -> None:
    # A font without the letter draws the same "missing glyph" box as for a code point no font has.
    missing = "\ue000"  # Unicode's private use area
    with_letter = socialcard.render(CardText(**{**TEXT.__dict__, "title": f"Caf{letter}"}))
    with_box = socialcard.render(CardText(**{**TEXT.__dict__, "title": f"Caf{missing}"}))
    assert opened(with_letter).tobytes() != opened(with_box).tobytes()


def test_long_titles_shrink_then_are_cut_to_fit() -> None:
    room = 300
    short_face, short = socialcard.fit_title("Machine Learning for Astrophysics", room)
    long_face, long = socialcard.fit_title("Machine Learning for Astrophysics and Cosmology " * 3, room)
    endless_face, endless = socialcard.fit_title("Astrophysics " * 60, room)
    assert short_face.size > long_face.size
    for face, lines in ((short_face, short), (long_face, long), (endless_face, endless)):
        assert all(face.getlength(line) <= socialcard.TEXT_WIDTH for line in lines)
        assert len(lines) * round(face.size * socialcard.LINE_SPACING) <= room
    assert endless[-1].endswith("…")
    # A word longer than a line is cut into pieces that fit.
    face, pieces = socialcard.fit_title("A" * 200, room)
    assert len(pieces) > 1 and all(face.getlength(piece) <= socialcard.TEXT_WIDTH for piece in pieces)


def clear_font_caches() -> None:
    socialcard.font.cache_clear()
    socialcard._has_font.cache_clear()


@pytest.fixture
def without_dejavu(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socialcard, "FONT_FILES", {"regular": "no-such-font.ttf", "bold": "no-such-font-bold.ttf"})
    clear_font_caches()
    yield
    clear_font_caches()


def test_without_the_font_the_card_still_renders_and_says_why(
    without_dejavu: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="workshop.socialcard"):
        image = opened(socialcard.render(TEXT))
    assert image.size == (1200, 630)
    assert "fonts-dejavu-core" in caplog.text
    assert len(caplog.records) == 2, "one warning per missing font, not one per size"
