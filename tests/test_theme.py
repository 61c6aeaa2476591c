"""site.yaml's theme: what `check` refuses (WCAG 2.2 AA contrast in light and dark mode, its files),
and what the site serves from it (the edition's stylesheet, /<edition>/theme.css, the logo, the icon)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from coloraide import Color
from flask.testing import FlaskClient

from tests.conftest import build_app, tiny_png
from tests.dom import parse_html
from workshop.cli import main
from workshop.export import export_site
from workshop.httpresponses import CONTENT_SECURITY_POLICY
from workshop.staticfiles import version_of

# Passes, each of its pairs close to the 4.5:1 it needs (4.59, 4.58), with a light header.
LIGHT_HEADER = """\
theme:
  accent: "#9e5408"
  header:
    background: "#e8f1ea"
    text: "#3f5b45"
"""
# Passes, with a dark header whose text is just above 4.5:1 (4.58).
DARK_HEADER = """\
theme:
  accent: "#6d28d9"
  header:
    background: "#123524"
    text: "#72a185"
"""


STATIC = Path(__file__).parent.parent / "static"


def write_theme(data_dir: Path, theme: str, edition: str = "icml2023") -> None:
    """Replace the edition's theme (the last block of its site.yaml) with ``theme``."""
    site = data_dir / edition / "site.yaml"
    text = site.read_text(encoding="utf-8")
    kept = text[: text.index("theme:")] if "theme:" in text else text
    site.write_text(kept + theme, encoding="utf-8")


def check(data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def custom_properties(css: str, *, dark: bool) -> dict[str, str]:
    """The custom properties of theme.css's :root, in light mode or with dark mode's on top."""
    light_block, _, dark_block = css.partition("@media (prefers-color-scheme:dark)")
    found = dict(re.findall(r"--([\w-]+):([^;}]+)[;}]", light_block))
    if dark:
        found.update(re.findall(r"--([\w-]+):([^;}]+)[;}]", dark_block))
    return found


def contrast(foreground: str, background: str) -> float:
    return Color(foreground).contrast(Color(background), method="wcag21")


def test_check_refuses_an_accent_too_light_for_links_naming_file_field_pair_and_ratio(data_dir: Path) -> None:
    write_theme(data_dir, 'theme:\n  accent: "#5b8def"\n')
    code, output = check(data_dir)
    assert code == 1, output
    # The file and line, the field, the pair, the measured ratio and the one required.
    assert (
        "data/icml2023/site.yaml:17: theme.accent: links on the page (light mode): #5b8def on #ffffff "
        "has a contrast of 3.23:1, below the 4.5:1 that WCAG 2.2 AA requires." in output
    ), output
    assert "OK" not in output


def test_check_refuses_header_text_that_fails_on_its_background(data_dir: Path) -> None:
    write_theme(data_dir, 'theme:\n  header:\n    background: "#e8f1ea"\n    text: "#5a7a65"\n')
    code, output = check(data_dir)
    assert code == 1, output
    assert "theme.header.text: the header's text, menu and button (light and dark mode): #5a7a65 on #e8f1ea" in output
    assert "has a contrast of 4.13:1, below the 4.5:1" in output


@pytest.mark.parametrize("theme", [LIGHT_HEADER, DARK_HEADER])
def test_check_accepts_themes_that_keep_their_contrast(data_dir: Path, theme: str) -> None:
    write_theme(data_dir, theme)
    code, output = check(data_dir)
    assert code == 0, output


@pytest.mark.parametrize(
    ("colour", "problem"),
    [
        ("blue; } body { display: none", "is not a CSS colour"),
        ("rgb(31 79 209 / 50%)", "is see-through"),
        ("color(display-p3 0 1 0)", "outside the sRGB colours"),
    ],
)
def test_check_refuses_what_is_not_an_opaque_srgb_colour(data_dir: Path, colour: str, problem: str) -> None:
    write_theme(data_dir, f'theme:\n  accent: "{colour}"\n')
    code, output = check(data_dir)
    assert code == 1, output
    assert "theme.accent: " in output and problem in output, output


def test_a_header_image_needs_an_overlay_that_keeps_the_text_readable_over_any_image(data_dir: Path) -> None:
    (data_dir / "icml2023" / "photos" / "header.png").write_bytes(tiny_png())
    image = '    background: "#0b1026"\n    text: "#ffffff"\n    image: photos/header.png\n'
    write_theme(data_dir, f"theme:\n  header:\n{image}")
    code, output = check(data_dir)
    assert code == 1 and "theme.header.overlay: A header image needs an overlay colour" in output, output

    # White text on 50% black: over the image's white pixels, the text would sit on mid-grey.
    write_theme(data_dir, f'theme:\n  header:\n{image}    overlay: "rgb(0 0 0 / 50%)"\n')
    code, output = check(data_dir)
    assert code == 1, output
    assert "theme.header.overlay: the header's text over its image" in output
    assert "#ffffff on #00000080 over photos/header.png has a contrast of 4.00:1, below the 4.5:1" in output

    write_theme(data_dir, f'theme:\n  header:\n{image}    overlay: "rgb(0 0 0 / 55%)"\n')
    code, output = check(data_dir)
    assert code == 0, output


@pytest.mark.parametrize("field", ["logo", "favicon"])
def test_the_themes_files_follow_the_photo_rules(data_dir: Path, field: str) -> None:
    write_theme(data_dir, f"theme:\n  {field}: photos/missing.png\n")
    code, output = check(data_dir)
    assert code == 1 and f"theme.{field}: No such file: icml2023/photos/missing.png." in output, output

    write_theme(data_dir, f"theme:\n  {field}: site.yaml\n")
    code, output = check(data_dir)
    assert code == 1 and f"theme.{field}: Must be an image in the edition's photos/ folder" in output, output


@pytest.mark.parametrize("theme", ["", LIGHT_HEADER, DARK_HEADER, 'theme:\n  accent: "#000000"\n'])
def test_dark_mode_derives_an_accent_that_reads_on_every_dark_background(data_dir: Path, theme: str) -> None:
    write_theme(data_dir, theme)
    css = build_app(data_dir).test_client().get("/icml2023/theme.css").text
    light, dark = custom_properties(css, dark=False), custom_properties(css, dark=True)
    assert dark["accent"] != light["accent"]
    for background in ("bg", "surface", "badge-bg"):
        assert contrast(light["accent"], light[background]) >= 4.5
        assert contrast(dark["accent"], dark[background]) >= 4.5, (dark["accent"], dark[background])
    assert contrast(dark["accent-text"], dark["accent"]) >= 4.5


def stylesheets_of(page_html: str) -> list[str]:
    head = parse_html(page_html).find_all("head")[0]
    return [link.attrs["href"] for link in head.find_all("link", rel="stylesheet")]


def test_the_page_links_one_stylesheet_with_its_theme_under_the_strict_policy(data_dir: Path) -> None:
    write_theme(data_dir, DARK_HEADER)
    client = build_app(data_dir).test_client()
    page = client.get("/icml2023/")
    # One stylesheet blocks the first rendering: the theme's properties, then the site's rules.
    (url,) = stylesheets_of(page.text)
    assert re.fullmatch(r"/icml2023/css/[0-9a-f]{12}/site\.css", url), url
    # No inline style: the colours come from a stylesheet of the site's own origin.
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "style-src 'self';" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert not parse_html(page.text).find_all("style")

    css = client.get(url)
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    light = custom_properties(css.text, dark=False)
    assert (light["accent"], light["header-bg"], light["header-text"]) == ("#6d28d9", "#123524", "#72a185")
    assert light["header-image"] == "none"
    site_css = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
    # Minified: no comments, and a phone downloads a quarter less than the two sources.
    assert "/*" not in css.text and len(css.text) < 0.8 * (len(site_css) + len(client.get("/icml2023/theme.css").text))
    assert css.text.index(":root{") < css.text.index("box-sizing:border-box")  # site.css's first rule
    assert client.get(url, headers={"If-None-Match": css.headers["ETag"]}).status_code == 304
    # The theme alone, at its plain URL, as before: revalidated, never kept for good.
    theme_css = client.get("/icml2023/theme.css")
    assert custom_properties(theme_css.text, dark=False) == light
    assert "immutable" not in theme_css.headers["Cache-Control"]


def test_a_new_theme_gives_the_stylesheet_a_new_url_and_the_old_one_leads_to_it(data_dir: Path) -> None:
    write_theme(data_dir, DARK_HEADER)
    (before,) = stylesheets_of(build_app(data_dir).test_client().get("/icml2023/").text)
    write_theme(data_dir, LIGHT_HEADER)
    client = build_app(data_dir).test_client()
    (after,) = stylesheets_of(client.get("/icml2023/").text)
    assert after != before
    assert custom_properties(client.get(after).text, dark=False)["accent"] == "#9e5408"
    old = client.get(before)
    assert (old.status_code, old.headers["Location"], old.headers["Cache-Control"]) == (302, after, "no-store")


def test_logo_icon_and_header_image_are_served_from_the_photos_folder(data_dir: Path, tmp_path: Path) -> None:
    for name in ("logo.png", "icon.png", "header.png"):
        (data_dir / "icml2023" / "photos" / name).write_bytes(tiny_png())
    write_theme(
        data_dir,
        "theme:\n  logo: photos/logo.png\n  favicon: photos/icon.png\n  header:\n"
        '    image: photos/header.png\n    overlay: "#0b1026cc"\n',
    )
    app = build_app(data_dir)
    client: FlaskClient = app.test_client()
    # Each at the hash of its bytes (the same tiny PNG: the same hash), cached for good.
    hashed = "/icml2023/photos/{}/{}".format(version_of(tiny_png()), "{}")
    dom = parse_html(client.get("/icml2023/").text)
    assert dom.find_all("img", **{"class": "hero-logo"})[0].attrs["src"] == hashed.format("logo.png")
    icon = dom.find_all("link", rel="icon")[0]
    assert (icon.attrs["href"], icon.attrs["type"]) == (hashed.format("icon.png"), "image/png")
    (stylesheet,) = stylesheets_of(client.get("/icml2023/").text)
    header_image = custom_properties(client.get(stylesheet).text, dark=False)["header-image"]
    assert header_image == f'linear-gradient(#0b1026cc,#0b1026cc),url("{hashed.format("header.png")}")'
    for name in ("logo.png", "icon.png", "header.png"):
        assert client.get(hashed.format(name)).headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert client.get(f"/icml2023/photos/{name}").status_code == 200
    # The error pages and /api/ take the current edition's look too.
    assert parse_html(client.get("/nowhere/").text).find_all("link", rel="icon")[0].attrs["href"] == (
        hashed.format("icon.png")
    )

    written = export_site(app, tmp_path / "site")
    assert {"/icml2023/theme.css", stylesheet} <= set(written)
    for name in ("logo.png", "icon.png", "header.png"):
        assert {hashed.format(name), f"/icml2023/photos/{name}"} <= set(written)


def test_without_a_theme_the_site_has_the_default_look(data_dir: Path) -> None:
    write_theme(data_dir, "")
    client = build_app(data_dir).test_client()
    light = custom_properties(client.get("/icml2023/theme.css").text, dark=False)
    assert (light["accent"], light["header-bg"], light["header-text"]) == ("#1f4fd1", "#0b1026", "#f5f7ff")
    icon = parse_html(client.get("/icml2023/").text).find_all("link", rel="icon")[0]
    assert icon.attrs["href"].endswith("/favicon.svg") and icon.attrs["href"].startswith("/static/")


def test_every_colour_the_stylesheets_use_is_a_property_the_theme_declares(data_dir: Path) -> None:
    client = build_app(data_dir).test_client()
    declared = set(custom_properties(client.get("/icml2023/theme.css").text, dark=False))
    stylesheets = {name: (STATIC / "css" / name).read_text(encoding="utf-8") for name in ("site.css", "paper.css")}
    # The sizes site.css declares (--measure), which every page loads.
    declared |= set(re.findall(r"^\s*--([\w-]+):", stylesheets["site.css"], re.MULTILINE))
    for name, css in stylesheets.items():
        used = set(re.findall(r"var\(--([\w-]+)", css))
        assert used <= declared, (name, used - declared)


@pytest.mark.parametrize("theme", ["", LIGHT_HEADER, DARK_HEADER, 'theme:\n  accent: "#000000"\n'])
def test_the_live_banners_mark_stands_out_from_the_header_in_both_modes(data_dir: Path, theme: str) -> None:
    write_theme(data_dir, theme)
    css = build_app(data_dir).test_client().get("/icml2023/theme.css").text
    light, dark = custom_properties(css, dark=False), custom_properties(css, dark=True)
    # The header keeps its colours in both modes, its mark too.
    assert dark["header-mark"] == light["header-mark"]
    assert contrast(light["header-mark"], light["header-bg"]) >= 3.0, (light["header-mark"], light["header-bg"])
