"""The GitHub Pages workflow (.github/workflows/pages.yml): its `run:` steps, run here in a copy of the project.

The `uses:` steps are GitHub's own actions (checkout, setup-python, configure-pages, upload,
deploy): they are not run here. What they give the run steps is substituted: the
repository's files (a copy of the project), Python (this one), and configure-pages'
outputs (a Pages URL at the root of a domain).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "pages.yml"
PAGES_URL = "https://organizers.github.io"
# configure-pages' outputs for a <user>.github.io repository.
PAGES_OUTPUTS = {"base_url": PAGES_URL, "origin": PAGES_URL, "host": "organizers.github.io", "base_path": ""}
OFFICIAL_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", "test-artifacts", "__pycache__", ".pytest_cache", "tests", "_site"
)
# GitHub runs each `run:` with this shell on Linux runners.
SHELL = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict[str, Any]]:
    return workflow()["jobs"][job]["steps"]


def substituted(value: str, outputs: Mapping[str, str]) -> str:
    """``${{ steps.pages.outputs.NAME }}`` -> its value; any other expression fails the test."""

    def output(match: re.Match[str]) -> str:
        found = re.fullmatch(r"steps\.pages\.outputs\.(\w+)", match.group(1).strip())
        assert found and found.group(1) in outputs, f"unknown expression in a run step: {match.group(0)}"
        return outputs[found.group(1)]

    return re.sub(r"\$\{\{(.*?)\}\}", output, str(value))


def run_step(
    step: dict[str, Any], folder: Path, env: Mapping[str, str], outputs: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    step_env = {name: substituted(value, outputs) for name, value in step.get("env", {}).items()}
    return subprocess.run(
        [*SHELL, step["run"]],
        cwd=folder,
        env={**env, **step_env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """What actions/checkout gives: the project's files, with a data folder made by new-site."""
    folder = tmp_path / "repository"
    shutil.copytree(PROJECT_ROOT, folder, ignore=NOT_COPIED, symlinks=True)
    made = subprocess.run(
        [sys.executable, "-m", "workshop", "new-site", "site", "--title", "Deep Oceans", "--venue-city", "Brest",
         "--timezone", "Europe/Paris", "--date", "2026-06-12"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return folder


def runner_env(data_dir: str) -> dict[str, str]:
    """The environment of a run step: the workflow's, with this Python first on PATH (setup-python's job)."""
    env = {**os.environ, **{name: str(value) for name, value in workflow()["env"].items()}}
    env["WORKSHOP_DATA_DIR"] = data_dir
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PIP_NO_INDEX"] = "1"  # requirements.txt is installed here already: nothing to download
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_every_run_step_succeeds_and_the_site_is_exported_with_the_pages_url(repository: Path) -> None:
    env = runner_env("site")
    ran = []
    for step in steps("build"):
        if "run" in step:
            result = run_step(step, repository, env, PAGES_OUTPUTS)
            assert result.returncode == 0, f"{step.get('name')}: {result.stdout}\n{result.stderr}"
            ran.append(step["run"])

    assert any("workshop check" in command for command in ran)
    page = (repository / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Deep Oceans" in page
    assert f'<link rel="canonical" href="{PAGES_URL}/' in page
    calendar = (repository / "_site" / "api" / "v1" / "dates.ics").read_text(encoding="utf-8")
    assert "@organizers.github.io" in calendar
    for path in (repository / "_site").rglob("*"):
        if path.suffix in {".html", ".json", ".ics"}:
            assert "ml4astro" not in path.read_text(encoding="utf-8").lower(), path


def test_a_project_page_under_a_sub_path_is_refused_before_anything_is_built(repository: Path) -> None:
    outputs = {**PAGES_OUTPUTS, "base_url": f"{PAGES_URL}/oceans", "base_path": "/oceans"}
    env = runner_env("site")
    for step in steps("build"):
        if "run" in step:
            result = run_step(step, repository, env, outputs)
            if result.returncode != 0:
                break
    else:
        pytest.fail("every step succeeded for a site under /oceans")
    assert "custom domain" in result.stdout
    assert not (repository / "_site").exists()


def test_the_check_fails_the_workflow_on_broken_data(repository: Path) -> None:
    (repository / "site" / "deep-oceans-2026" / "topics.yaml").write_text("items: 3\n", encoding="utf-8")
    check = next(step for step in steps("build") if "workshop check" in step.get("run", ""))
    result = run_step(check, repository, runner_env("site"), PAGES_OUTPUTS)
    assert result.returncode == 1
    assert "topics.yaml" in result.stderr


def test_the_jobs_use_the_official_actions_pinned_by_major_version_in_order() -> None:
    build = [step.get("uses") or step["run"] for step in steps("build")]
    deploy = [step.get("uses") for step in steps("deploy")]
    for step in [*steps("build"), *steps("deploy")]:
        if "uses" in step:
            name, _, version = step["uses"].partition("@")
            assert name in OFFICIAL_ACTIONS and re.fullmatch(r"v\d+", version), step["uses"]
    position = {what: index for index, what in enumerate(build)}
    check = next(index for what, index in position.items() if "workshop check" in what)
    export = next(index for what, index in position.items() if "workshop export --destination _site" in what)
    upload = next(index for what, index in position.items() if what.startswith("actions/upload-pages-artifact@"))
    assert check < export < upload
    assert deploy == ["actions/deploy-pages@v4"] and workflow()["jobs"]["deploy"]["needs"] == "build"
    assert workflow()["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
