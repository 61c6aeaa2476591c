"""scripts/bench_reload.py runs end to end on a small generated edition: the table, an edit gone live.

Only that it works is checked, never how fast anything is (docs/performance.md has the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "bench_reload.py"


def test_bench_reload_measures_an_edit_of_a_generated_edition(tmp_path: Path) -> None:
    report_path = tmp_path / "reload.json"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--papers", "50", "--baseline", "1", "--json", str(report_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "| Papers | papers.yaml | CPU for the edit (all processes) | Live after (under load) |" in result.stdout
    (run,) = json.loads(report_path.read_text(encoding="utf-8"))
    assert run["papers"] == 50
    assert run["new_version"] != run["old_version"]
    assert run["failure_count"] == 0
    assert run["reload_cpu_s"] > 0
    assert run["latency_during_reload"]["requests"] > 0
    assert len(run["memory_after"]["workers"]) == 2
    assert all(worker["pss_kb"] > 0 for worker in run["memory_after"]["workers"])
