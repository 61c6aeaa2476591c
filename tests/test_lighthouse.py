"""Lighthouse (mobile) on the page served by gunicorn with the project's config, without a request
leaving 127.0.0.1: what does not depend on how fast or busy the machine is.

Accessibility, best practices and SEO at 100, and the performance audits about what the page
sends: text compression, cache lifetimes, render-blocking resources, unminified and unused code,
bytes and requests. The performance score itself is timed (Total Blocking Time, LCP on this
machine's CPU): `make lighthouse` prints it as a benchmark, never here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "lighthouse.py"
REPORT = PROJECT_ROOT / "test-artifacts" / "lighthouse" / "index.report.json"


def items(report: dict, audit_id: str) -> list[dict]:
    return (report["audits"][audit_id].get("details") or {}).get("items", [])


@pytest.mark.browser
def test_lighthouse_hard_checks_pass_without_leaving_the_machine() -> None:
    REPORT.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output
    assert "Lighthouse: every hard check passed." in result.stdout
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    assert report["configSettings"]["formFactor"] == "mobile"
    exact = ("accessibility", "best-practices", "seo")
    scores = {name: round(report["categories"][name]["score"] * 100) for name in exact}
    assert scores == dict.fromkeys(exact, 100), output
    # The audits that need the page's own answers ran and passed.
    for audit in ("robots-txt", "meta-description", "canonical", "is-crawlable", "document-title"):
        assert report["audits"][audit]["score"] == 1, audit
    # Every text response compressed; every static file cached for long (content-hashed URLs).
    for audit in ("uses-text-compression", "uses-long-cache-ttl", "cache-insight"):
        assert items(report, audit) == [], (audit, items(report, audit))
    for audit in ("unminified-css", "unminified-javascript", "unused-css-rules", "unused-javascript"):
        assert items(report, audit) == [], (audit, items(report, audit))
    # No script blocks rendering; the site's stylesheet in the head may (it is one by nature).
    for audit in ("render-blocking-resources", "render-blocking-insight"):
        blocking = [urlsplit(item["url"]).path for item in items(report, audit)]
        assert len(blocking) <= 1, blocking
        assert all(re.fullmatch(r"/icml2023/css/[0-9a-f]{12}/site\.css", path) for path in blocking), blocking
    # Budgets for the whole load (26 KiB and 10 requests in November 2026).
    assert report["audits"]["total-byte-weight"]["numericValue"] < 100 * 1024
    (total,) = [item for item in items(report, "resource-summary") if item["resourceType"] == "total"]
    assert total["requestCount"] <= 15
