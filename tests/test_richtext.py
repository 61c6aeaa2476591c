"""The HTML sanitizer on its own, and every way rich text enters the site.

The Markdown renderer drops raw HTML before the sanitizer sees it, so tests of the
page alone cannot tell a sanitizer that lets everything through from one that
works. Here the sanitizer meets hostile HTML directly (the usual filter-evasion
cases), and each path by which organizers' text becomes HTML (block and inline
Markdown, Markdown's own image and link syntax, the feed) is checked for inert output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.dom import parse_html
from workshop.richtext import RichText, render_inline_markdown, render_markdown, sanitize_html

# What a visitor's browser must never get from a data file.
FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "style",
        "img",
        "iframe",
        "frame",
        "object",
        "embed",
        "svg",
        "math",
        "base",
        "form",
        "input",
        "button",
        "meta",
        "link",
        "video",
        "audio",
        "source",
        "noscript",
        "template",
        "textarea",
        "select",
        "applet",
    }
)
# Attributes that load, run or restyle something.
FORBIDDEN_ATTRIBUTES = frozenset(
    {"style", "src", "srcset", "action", "formaction", "background", "xlink:href", "srcdoc", "target"}
)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "background")
SAFE_SCHEMES = ("http:", "https:", "mailto:")

# The usual filter-evasion cases (after the OWASP XSS filter evasion cheat sheet), each
# with a payload a lax sanitizer would let through.
HOSTILE_HTML = {
    "script tag": "<script>alert(1)</script>",
    "script, upper case": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "split script tag": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "img without quotes or spaces": "<img/src=x/onerror=alert(1)>",
    "svg onload": "<svg/onload=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "math with link": '<math><mtext><a xlink:href="javascript:alert(1)">x</a></mtext></math>',
    "event handler on an allowed tag": '<p onclick="alert(1)" onmouseover=alert(1)>text</p>',
    "style attribute": '<p style="background:url(javascript:alert(1))">text</p>',
    "style element": "<style>@import 'https://evil.example/x.css';</style>",
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link, mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript link, leading space": '<a href=" javascript:alert(1)">x</a>',
    "javascript link, tab inside": '<a href="jav\tascript:alert(1)">x</a>',
    "javascript link, entity tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript link, decimal entities": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "javascript link, hex entities no semicolons": (
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'
    ),
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form": '<form action="https://evil.example/"><input name=x><button>go</button></form>',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "comment trick": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "template": "<template><img src=x onerror=alert(1)></template>",
    "textarea breakout": "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
    "video poster": '<video poster="javascript:alert(1)"><source src=x onerror=alert(1)></video>',
    "background attribute": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "target blank without rel": '<a href="https://example.org/" target="_blank">x</a>',
    "unclosed tag": "<img src=x onerror=alert(1)",
    "null byte in tag": "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "encoded angle brackets stay text": "&lt;script&gt;alert(1)&lt;/script&gt;",
}


def assert_inert(html: str, case: str) -> None:
    """Nothing in ``html`` loads, runs or restyles anything; links are http(s) or mailto."""
    root = parse_html(f"<div>{html}</div>")
    for element in root.iter():
        assert element.tag not in FORBIDDEN_TAGS, f"{case}: <{element.tag}> in {html!r}"
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"{case}: {name}= in {html!r}"
            assert name not in FORBIDDEN_ATTRIBUTES, f"{case}: {name}= in {html!r}"
            if name in URL_ATTRIBUTES and value and ":" in value.split("/", 1)[0]:
                scheme = "".join(value.split()).lower()
                assert scheme.startswith(SAFE_SCHEMES), f"{case}: {name}={value!r}"


@pytest.mark.parametrize("case", HOSTILE_HTML)
def test_the_sanitizer_leaves_hostile_html_inert(case: str) -> None:
    assert_inert(sanitize_html(HOSTILE_HTML[case]), case)


def test_the_sanitizer_keeps_the_formatting_organizers_use() -> None:
    html = sanitize_html(
        '<p>A <strong>bold</strong> and <em>quiet</em> <a href="https://example.org/a?b=1" title="t">link</a>,'
        " <code>x</code>, <s>old</s><br></p><ul><li>one</li></ul><ol><li>two</li></ol>"
        "<blockquote>said</blockquote>"
    )
    root = parse_html(f"<div>{html}</div>")
    tags = {element.tag for element in root.iter()}
    assert {"p", "strong", "em", "a", "code", "s", "br", "ul", "ol", "li", "blockquote"} <= tags
    link = root.find_all("a")[0]
    assert link.attrs["href"] == "https://example.org/a?b=1"
    assert link.attrs["title"] == "t"
    # Every link leaves no reference to the site behind it and cannot reach back.
    assert set(link.attrs["rel"].split()) == {"noopener", "noreferrer"}


def test_mailto_links_are_kept() -> None:
    html = sanitize_html('<a href="mailto:ml4astro@example.org">write</a>')
    assert parse_html(html).find_all("a")[0].attrs["href"] == "mailto:ml4astro@example.org"


def test_text_that_looks_like_html_stays_text() -> None:
    html = sanitize_html("5 &lt; 6 &amp;&amp; <b>x</b> &gt; 2")
    assert parse_html(f"<div>{html}</div>").text() == "5 < 6 && x > 2"


# --- Every path by which rich text enters -------------------------------------------------

# Markdown's own syntax makes images and links; markdown-it lets data:image URLs through.
HOSTILE_MARKDOWN = {
    "raw html block": "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
    "raw inline html": "text <img src=x onerror=alert(1)> <a href='javascript:alert(1)'>x</a>",
    "markdown image": "![x](https://evil.example/track.png)",
    "markdown data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "markdown data link": "[x](data:image/png;base64,iVBORw0KGgo=)",
    "markdown javascript link": "[x](javascript:alert(1))",
    "markdown javascript link, entity": "[x](&#106;avascript:alert(1))",
    "markdown vbscript link": "[x](vbscript:msgbox(1))",
    "autolink javascript": "<javascript:alert(1)>",
    "reference link": "[x][r]\n\n[r]: javascript:alert(1)",
}


@pytest.mark.parametrize("inline", [False, True], ids=["block", "inline"])
@pytest.mark.parametrize("case", HOSTILE_MARKDOWN)
def test_markdown_from_data_files_renders_inert(case: str, inline: bool) -> None:
    source = HOSTILE_MARKDOWN[case]
    render = render_inline_markdown if inline else render_markdown
    assert_inert(render(source), case)
    rich = RichText.from_markdown(source, inline=inline)
    assert_inert(rich.html, case)
    assert rich.__html__() == rich.html
    # The source itself is kept as the organizer typed it (the API returns it unchanged).
    assert rich.markdown == source.strip()


def test_markdown_images_never_become_images() -> None:
    html = render_markdown("![a photo](data:image/png;base64,iVBORw0KGgo=) and ![b](https://example.org/b.png)")
    root = parse_html(f"<div>{html}</div>")
    assert root.find_all("img") == []


def hostile_announcement_app(data_dir: Path, make_app: object, body: str) -> object:
    announcements = data_dir / "icml2023" / "announcements.yaml"
    data = {"announcements": [{"id": "hostile", "published": "2023-05-01", "title": "Hostile", "body": body}]}
    announcements.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return make_app(data_dir)  # type: ignore[operator]


@pytest.mark.parametrize("case", ["markdown data image", "markdown javascript link", "raw html block"])
def test_rich_text_is_inert_in_the_page_the_api_and_the_feed(data_dir: Path, make_app: object, case: str) -> None:
    app = hostile_announcement_app(data_dir, make_app, HOSTILE_MARKDOWN[case])
    client = app.test_client()  # type: ignore[attr-defined]
    item = next(
        item
        for item in client.get("/api/v1/editions/icml2023/announcements.json").get_json()["data"]["announcements"]
        if item["id"] == "hostile"
    )
    assert_inert(item["body"]["html"], f"{case}: API")
    feed = json.loads(client.get("/api/v1/editions/icml2023/feed.json").data)
    assert feed["items"], "the feed lists the announcement"
    for entry in feed["items"]:
        assert_inert(entry["content_html"], f"{case}: feed")
    section = parse_html(client.get("/icml2023/").get_data(as_text=True)).by_id("announcements")
    assert "Hostile" in section.text()
    for element in section.iter():
        assert element.tag not in FORBIDDEN_TAGS, f"{case}: page has <{element.tag}>"
        assert not any(name.startswith("on") for name in element.attrs), f"{case}: page {element.attrs}"
        href = "".join((element.attrs.get("href") or "").split()).lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), f"{case}: page href={href}"
