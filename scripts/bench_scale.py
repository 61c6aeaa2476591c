"""The scale benchmark of scripts/bench.py (--scale): a generated large edition
(scripts/generate_edition.py: 1,000 papers, 100 sessions), its reload timed in-process."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench_http import BenchError  # beside this script


def reload_times(data_dir: Path, repetitions: int) -> tuple[list[float], list[float], int]:
    """Seconds to reload (find the change, validate and load every data file) and to build every document once.

    In this process, as gunicorn's master does (workshop/rollover.py): an edit of the data files, the
    store's poll that loads it (a new content version), then every page, API
    document and calendar requested once through the app, fast path included
    (which keeps each and gzips it). Returns (reload times, build times, documents).
    """
    from flask import url_for

    from workshop import create_app
    from workshop.catalogue import api_urls
    from workshop.export import page_urls

    app = create_app({"DATA_DIR": str(data_dir), "CONTENT_RELOAD": False})
    store = app.extensions["workshop.store"]
    client = app.test_client()
    edited = data_dir / store.content.current / "topics.yaml"
    original = edited.read_text(encoding="utf-8")
    loads, builds, count = [], [], 0
    try:
        for repetition in range(repetitions + 1):  # the first builds templates and warms up: not counted
            # A visible change, so that the content version (and every cache key) is new.
            edited.write_text(original.replace("title: ", f"title: Rev {repetition} ", 1), encoding="utf-8")
            store.poll()  # sees the change; the next poll loads it once the files stand still
            started = time.perf_counter()
            if not store.poll():
                raise BenchError(f"Editing {edited} did not produce new content: {store.status.problems}")
            loaded = time.perf_counter()
            content = store.content
            with app.test_request_context():
                routes = [*page_urls(app, content), *api_urls(content)]
                urls = [url_for(endpoint, **values) for endpoint, values in routes]
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise BenchError(f"{url} answered {response.status_code} at scale")
            built = time.perf_counter()
            if repetition:
                loads.append(loaded - started)
                builds.append(built - loaded)
            count = len(urls)
    finally:
        edited.write_text(original, encoding="utf-8")
    return loads, builds, count


def reload_report(data_dir: Path, repetitions: int) -> dict[str, Any]:
    """The generated edition written into ``data_dir``, then its reload timed (see ``reload_times``)."""
    from scripts.generate_edition import generate

    generate(data_dir)
    loads, builds, count = reload_times(data_dir, repetitions)
    return {"load_s": loads, "build_s": builds, "documents": count}


def reload_section(reload: dict[str, Any]) -> list[str]:
    """The Markdown lines of the reload at scale, against the target of 1 s."""
    loads, builds = reload["load_s"], reload["build_s"]
    totals = [load + build for load, build in zip(loads, builds, strict=True)]
    verdict = "met" if statistics.median(totals) < 1 else "MISSED"
    return [
        "",
        "## Reload at scale (1,000 papers, 100 sessions; in-process, time.perf_counter)",
        "",
        "| Step | Median | Worst |",
        "| --- | ---: | ---: |",
        f"| Validate and load the data files (the store's poll) | {statistics.median(loads) * 1000:.0f} ms "
        f"| {max(loads) * 1000:.0f} ms |",
        f"| Build every document once ({reload['documents']} pages, API documents and calendars; "
        f"the fast path keeps and gzips each) | {statistics.median(builds) * 1000:.0f} ms "
        f"| {max(builds) * 1000:.0f} ms |",
        f"| **Total** | **{statistics.median(totals) * 1000:.0f} ms** | {max(totals) * 1000:.0f} ms |",
        "",
        f"Target: under 1 s: {verdict} ({len(totals)} repetition(s) after one warm-up).",
    ]
