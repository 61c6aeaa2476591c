"""A phase boundary under real gunicorn (the project's config: asgi workers forked from a master
that prepared every document): each worker stops replaying the page at the boundary and serves
the next phase's, with no edit and no restart. The boundary is set well after the server is up
(a generous margin: a hang, not a speed, fails this)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

from tests.conftest import EXAMPLE_DATA, EXAMPLE_EDITION
from tests.test_rollover import gunicorn

MARGIN = 40.0  # seconds from writing the data to the boundary: far beyond gunicorn's start
DEADLINE = "    at: 2030-05-26T23:59:00-12:00\n"
REQUESTS = 12  # each on its own connection: both workers answer some


def test_every_worker_serves_the_next_phase_from_its_boundary(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    dates = data / EXAMPLE_EDITION / "dates.yaml"
    boundary = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=MARGIN)
    text = dates.read_text(encoding="utf-8")
    assert text.count(DEADLINE) == 1
    dates.write_text(text.replace(DEADLINE, f"    at: {boundary.isoformat()}\n"), encoding="utf-8")

    with gunicorn(tmp_path, data, workers=2) as server:
        assert dt.datetime.now(dt.UTC) < boundary - dt.timedelta(seconds=5), "gunicorn took the whole margin"
        before = {server.get("/")[1] for _ in range(REQUESTS)}
        assert len(before) == 1, "every worker serves the same page"
        assert b'data-phase="call"' in next(iter(before))
        assert {server.json("/api/v1/site.json")["phase"]["name"] for _ in range(REQUESTS)} == {"call"}

        time.sleep(max(0.0, (boundary - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
        after = {server.get("/")[1] for _ in range(REQUESTS)}
        assert len(after) == 1 and after != before
        assert b'data-phase="call"' not in next(iter(after))
        assert b'data-phase="program"' in next(iter(after))
        phases = [server.json("/api/v1/site.json")["phase"] for _ in range(REQUESTS)]
        assert {json.dumps(phase) for phase in phases} == {
            json.dumps(
                {"name": "program", "since": boundary.isoformat(), "until": "2030-07-28T08:50:00-10:00", "fixed": False}
            )
        }
