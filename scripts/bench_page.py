"""The page weight of scripts/bench.py: the HTML of / with every stylesheet and module script it loads
(ES module imports and CSS @import followed), uncompressed and gzipped as the app sends them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from bench_http import BenchError, fetch  # beside this script

PAGE_WEIGHT_BUDGET = 60_000  # bytes: HTML + CSS + JS of the page, uncompressed


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and ("stylesheet" in rel or "modulepreload" in rel) and attributes.get("href"):
            self.urls.append(attributes["href"] or "")
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


# import x from "./a.js", import "./a.js", export { x } from "./a.js", import("./a.js")
_JS_IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)""",
    re.MULTILINE,
)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def page_weight(base_url: str) -> list[tuple[str, int, int]]:
    """(path, bytes, bytes gzipped as the app sends them) of the page and every stylesheet and script it loads."""
    from workshop.compression import gzip_body, worth_compressing

    found: list[tuple[str, int, int]] = []
    queue, seen = ["/"], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = fetch(base_url + path)
        if status != 200:
            raise BenchError(f"The page loads {path}, which answers {status}")
        # As the fast path sends it to a client that accepts gzip (each worker learns a file on its own,
        # so asking the server would depend on which worker answers).
        mimetype = (headers.get("Content-Type") or "").split(";")[0]
        compressed = len(gzip_body(body)) if worth_compressing(mimetype, body) else len(body)
        found.append((path, len(body), compressed))
        text = body.decode("utf-8", errors="replace")
        if path == "/":
            parser = _Assets()
            parser.feed(text)
            references = parser.urls
        elif path.endswith((".js", ".mjs")):
            references = [a or b for a, b in _JS_IMPORT.findall(text)]
        elif path.endswith(".css"):
            references = _CSS_IMPORT.findall(text)
        else:
            references = []
        for reference in references:
            url = urlsplit(urljoin(base_url + path, reference))
            if f"{url.scheme}://{url.netloc}" == base_url:
                queue.append(url.path)
    return found


def weight_table(files: list[tuple[str, int, int]]) -> str:
    lines = ["| File | Bytes | Gzipped (gzip -9, as the fast path sends it) |", "| --- | ---: | ---: |"]
    lines += [f"| `{path}` | {size:,} | {zipped:,} |" for path, size, zipped in files]
    total, total_zipped = sum(f[1] for f in files), sum(f[2] for f in files)
    lines.append(f"| **Total HTML + CSS + JS** | **{total:,}** | **{total_zipped:,}** |")
    return "\n".join(lines)


def weight_report(base_url: str) -> dict[str, Any]:
    """The page weight as the JSON report holds it: each file, the total and the total gzipped."""
    files = page_weight(base_url)
    return {
        "files": files,
        "total": sum(size for _, size, _ in files),
        "gzipped": sum(zipped for _, _, zipped in files),
    }


def weight_section(weight: dict[str, Any]) -> list[str]:
    """The Markdown lines of the page weight, against the budget."""
    verdict = "met" if weight["total"] < PAGE_WEIGHT_BUDGET else "MISSED"
    return [
        "",
        "## Page weight: / with its stylesheets and module scripts",
        "",
        weight_table(weight["files"]),
        "",
        f"Budget: under {PAGE_WEIGHT_BUDGET:,} bytes uncompressed: {verdict} ({weight['total']:,} bytes, "
        f"{weight['gzipped']:,} gzipped).",
    ]
