"""The photo route serves regular image files inside an edition's photos/ folder, and nothing else.

Not a symbolic link to /etc/passwd, not a folder outside the data folder, not a dot
file, not another type of file, not a path that climbs out: each is a 404 page, from
Flask and through the ASGI front gunicorn serves. A data file naming such a photo is
refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask import Flask

from tests.conftest import edit_data_file, tiny_png
from tests.dom import parse_html
from tests.test_asgi import call
from tests.test_fastpath import comparable
from workshop.asgi import SiteASGI
from workshop.content import ContentError, load_content
from workshop.staticfiles import version_of

PHOTOS = "/icml2023/photos"
SECRET = b"secret image bytes outside the data folder"

# Served: a photo, one in a subfolder, and a link to a photo inside the data folder.
SERVED = {
    "jane.png": "image/png",
    "2023/marc.png": "image/png",
    "alias.png": "image/png",
    "ashley.svg": "image/svg+xml",
}
# Refused, each for its own reason (the comment names the rule that stops it).
REFUSED = [
    "passwd.jpg",  # a link to /etc/passwd
    "etcdir/hostname",  # a link to the /etc folder (and no image suffix)
    "outside/secret.png",  # a link to a folder outside the data folder, with an image in it
    "site.jpg",  # a link to a data file inside the data folder: the file it leads to is no image
    ".env",  # a dot file
    ".hidden.png",  # a dot file with an image suffix
    ".git/logo.png",  # inside a dot folder
    "notes.txt",  # not an image type
    "2023",  # a folder
    "missing.png",  # no such file
    "../banner.png",  # climbs out of photos/ (to an image of the edition folder)
    "..%2Fbanner.png",
    "%2e%2e/banner.png",
    "2023/../../banner.png",
    "a%00.png",  # a NUL byte: never a 500
]


@pytest.fixture
def photo_app(data_dir: Path, tmp_path: Path, make_app: Callable[..., Flask]) -> Flask:
    edition = data_dir / "icml2023"
    photos = edition / "photos"
    (photos / "2023").mkdir(parents=True)
    (photos / "jane.png").write_bytes(tiny_png())
    (photos / "2023" / "marc.png").write_bytes(tiny_png())
    (photos / "alias.png").symlink_to("jane.png")
    (photos / "ashley.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    # Loaded before the links out of the data folder are planted: the loader refuses a data
    # folder holding one (tests/test_watcher.py), and the route must refuse them on its own.
    app = make_app(data_dir)
    # Links to files that exist, or their 404s would prove nothing.
    assert Path("/etc/passwd").is_file()
    assert Path("/etc/hostname").is_file()
    (photos / "passwd.jpg").symlink_to("/etc/passwd")
    (photos / "etcdir").symlink_to("/etc")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(SECRET)
    (photos / "outside").symlink_to(outside)
    (photos / "site.jpg").symlink_to(edition / "site.yaml")
    (photos / ".env").write_text("SECRET_KEY=hunter2\n", encoding="utf-8")
    (photos / ".hidden.png").write_bytes(SECRET)
    (photos / ".git").mkdir()
    (photos / ".git" / "logo.png").write_bytes(SECRET)
    (photos / "notes.txt").write_text("private notes\n", encoding="utf-8")
    (edition / "banner.png").write_bytes(SECRET)
    return app


@pytest.mark.parametrize("name", sorted(SERVED))
def test_photos_inside_the_folder_are_served(photo_app: Flask, data_dir: Path, name: str) -> None:
    response = photo_app.test_client().get(f"{PHOTOS}/{name}")
    assert response.status_code == 200
    assert response.mimetype == SERVED[name]
    assert response.data == (data_dir / "icml2023" / "photos" / name).read_bytes()


@pytest.mark.parametrize("name", REFUSED)
def test_anything_else_is_a_404_page(photo_app: Flask, name: str) -> None:
    response = photo_app.test_client().get(f"{PHOTOS}/{name}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"root:" not in response.data
    assert SECRET not in response.data
    assert b"hunter2" not in response.data


@pytest.mark.parametrize("name", sorted(SERVED))
def test_the_asgi_front_serves_the_same_photo_as_flask(photo_app: Flask, name: str) -> None:
    flask = photo_app.test_client().get(f"{PHOTOS}/{name}")
    answer = call(SiteASGI(photo_app), f"{PHOTOS}/{name}")
    assert answer.status == 200
    assert answer.body == flask.data
    assert comparable(answer.headers) == comparable(flask.headers)


@pytest.mark.parametrize("name", REFUSED)
def test_the_asgi_front_refuses_the_same(photo_app: Flask, name: str) -> None:
    # The ASGI scope carries the decoded path, as gunicorn gives it.
    answer = call(SiteASGI(photo_app), f"{PHOTOS}/{unquote(name)}")
    assert answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert b"root:" not in answer.body
    assert SECRET not in answer.body


def person_with_photo(data_dir: Path, photo: str) -> None:
    edit_data_file(
        data_dir / "icml2023" / "committee.yaml",
        "    affiliation: IAC\n",
        f"    affiliation: IAC\n    photo: {photo}\n",
    )


@pytest.mark.parametrize("photo", ["photos/passwd.jpg", "photos/outside/secret.png", "photos/site.jpg"])
def test_a_data_file_naming_a_photo_the_site_does_not_serve_is_refused(
    photo_app: Flask, data_dir: Path, photo: str
) -> None:
    person_with_photo(data_dir, photo)
    with pytest.raises(ContentError) as caught:
        load_content(data_dir)
    # The planted links are problems of their own (tests/test_watcher.py); this one is the data file's.
    (problem,) = [problem for problem in caught.value.problems if problem.field]
    assert (problem.file, problem.field) == ("data/icml2023/committee.yaml", "members[1].photo")
    assert problem.message.startswith(f"The site does not serve icml2023/{photo}:")


@pytest.mark.parametrize("photo", ["photos/.hidden.png", "photos/.git/logo.png"])
def test_a_data_file_naming_a_dot_file_is_refused(photo_app: Flask, data_dir: Path, photo: str) -> None:
    person_with_photo(data_dir, photo)
    with pytest.raises(ContentError) as caught:
        load_content(data_dir)
    (problem,) = [problem for problem in caught.value.problems if problem.field]
    assert problem.field == "members[1].photo"
    assert "no part of its path starting with '.'" in problem.message


def test_a_link_to_a_photo_inside_the_data_folder_is_accepted(photo_app: Flask, data_dir: Path) -> None:
    for link_out in ("passwd.jpg", "etcdir", "outside"):
        (data_dir / "icml2023" / "photos" / link_out).unlink()
    person_with_photo(data_dir, "photos/alias.png")
    members = load_content(data_dir).current_edition.committee.members
    assert members[1].photo_url == f"/icml2023/photos/{version_of(tiny_png())}/alias.png"
    assert (data_dir / "icml2023" / "photos" / "alias.png").is_symlink()


# --- Content-hashed URLs ---------------------------------------------------------------------

YEAR = "public, max-age=31536000, immutable"


def page_photo(app: Flask) -> str:
    """The src of the committee member's photo on the edition's page."""
    (photo,) = [
        img.attrs["src"]
        for img in parse_html(app.test_client().get("/icml2023/").text).find_all("img")
        if img.attrs["src"].endswith("/jane.png")
    ]
    return photo


def test_the_page_names_a_photo_by_its_hash_cached_for_good_and_the_plain_url_still_answers(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    photo = data_dir / "icml2023" / "photos" / "jane.png"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(tiny_png())
    person_with_photo(data_dir, "photos/jane.png")
    app = make_app(data_dir)
    client = app.test_client()
    url = page_photo(app)
    assert url == f"{PHOTOS}/{version_of(tiny_png())}/jane.png"
    hashed = client.get(url)
    assert (hashed.status_code, hashed.data, hashed.headers["Cache-Control"]) == (200, tiny_png(), YEAR)
    revalidated = client.get(url, headers={"If-None-Match": hashed.headers["ETag"]})
    assert (revalidated.status_code, revalidated.headers["Cache-Control"]) == (304, YEAR)
    # The plain URL, which earlier pages and other sites link: the same file, revalidated before long.
    plain = client.get(f"{PHOTOS}/jane.png")
    assert (plain.status_code, plain.data) == (200, tiny_png())
    assert "immutable" not in plain.headers["Cache-Control"] and "max-age=3600" in plain.headers["Cache-Control"]

    # A new photo under the same name: a new URL; the old one leads to it and is never kept.
    new_bytes = tiny_png() + b"\0"
    photo.write_bytes(new_bytes)
    edited = make_app(data_dir)
    new_url = page_photo(edited)
    assert new_url == f"{PHOTOS}/{version_of(new_bytes)}/jane.png" != url
    old = edited.test_client().get(url)
    assert (old.status_code, old.headers["Location"], old.headers["Cache-Control"]) == (302, new_url, "no-store")


@pytest.mark.parametrize("name", REFUSED)
def test_a_hashed_url_refuses_what_the_plain_one_refuses(photo_app: Flask, name: str) -> None:
    response = photo_app.test_client().get(f"{PHOTOS}/{version_of(tiny_png())}/{name}")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert SECRET not in response.data and b"root:" not in response.data


def test_a_folder_of_photos_named_like_a_hash_is_served_as_before(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    folder = data_dir / "icml2023" / "photos" / "0123456789ab"
    folder.mkdir(parents=True)
    (folder / "group.png").write_bytes(tiny_png())
    response = make_app(data_dir).test_client().get(f"{PHOTOS}/0123456789ab/group.png")
    assert (response.status_code, response.data) == (200, tiny_png())
    assert "immutable" not in response.headers["Cache-Control"]
