"""Lighthouse (mobile) gives the page 100 in performance, accessibility, best practices and
SEO, served by gunicorn with the project's config, without a request leaving 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "lighthouse.py"
REPORT = PROJECT_ROOT / "test-artifacts" / "lighthouse" / "index.report.json"


@pytest.mark.browser
def test_lighthouse_scores_100_without_leaving_the_machine() -> None:
    REPORT.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    output = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output
    assert "Lighthouse: every score is 100." in result.stdout
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
    assert scores == {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}, output
    assert report["configSettings"]["formFactor"] == "mobile"
    # The audits that need the page's own answers ran and passed.
    for audit in ("robots-txt", "meta-description", "canonical", "is-crawlable", "document-title"):
        assert report["audits"][audit]["score"] == 1, audit
