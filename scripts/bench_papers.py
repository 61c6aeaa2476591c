#!/usr/bin/env python3
"""Measure a generated edition with many accepted papers: check, reload, page weight, and the papers' filter.

Writes an edition of --papers papers (scripts/generate_edition.py) into a temporary data
folder, then measures, each the median of --repeat runs:

1. loading and validating the data files (what `check` and every reload do first, the
   names' checks included), and the whole `check` (every page and document built);
2. a reload after an edit (scripts/bench_scale.py's measure: find the change, load it);
3. the page weight of / (HTML + CSS + JS, scripts/bench_page.py), against its budget;
4. in Chromium with the CPU slowed down 4 times (the DevTools protocol's
   Emulation.setCPUThrottlingRate), one keystroke in the papers' filter: the filter's own
   script time, and with the style and layout of the filtered list.

Prints a Markdown table. Measures only: it asserts nothing about speed.

Usage: scripts/bench_papers.py [--papers 300] [--sessions 30] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench_page import PAGE_WEIGHT_BUDGET, page_weight  # noqa: E402 (beside this script)
from bench_scale import reload_times  # noqa: E402
from generate_edition import generate  # noqa: E402
from local_servers import CHROMIUM_FLAGS  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CPU_SLOWDOWN = 4
TYPED = "galaxy"

# One keystroke: the character added and the input event sent (the filter runs in its listener), then
# style and layout of the filtered list forced (reading a layout property), as the next frame would do.
# Waiting for that frame would add up to a frame of idle time that is not the filter's.
KEYSTROKE_JS = """(character) => {
  const input = document.getElementById("paper-filter-input");
  const started = performance.now();
  input.value += character;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const scripted = performance.now();
  void document.querySelector(".accepted-papers").getBoundingClientRect().height;
  return [scripted - started, performance.now() - started];
}"""


def median_of(repeat: int, run: Callable[[], Any], clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        started = clock()
        run()
        times.append(clock() - started)
    return statistics.median(times)


def check_times(data_dir: Path, repeat: int) -> tuple[float, float, float, int]:
    """(load and validate, whole `check`, its processor time) in seconds, and the warnings `check` printed.

    The processor time of this process is what `check` costs on a machine of its own: on a shared one,
    the wall-clock time also counts the waits for a core.
    """
    from click.testing import CliRunner

    from workshop.cli import main
    from workshop.content import load_content

    def check() -> None:
        CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])

    loading = median_of(repeat, lambda: load_content(data_dir))
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    if result.exit_code != 0:
        raise SystemExit(f"check failed on the generated edition:\n{result.output}")
    whole = median_of(repeat, check)
    processor = median_of(repeat, check, time.process_time)
    return loading, whole, processor, result.output.count("warning: ")


def serve(data_dir: Path) -> tuple[str, Callable[[], None]]:
    """The app over ``data_dir`` on a free loopback port, in a thread; (base URL, stop)."""
    from werkzeug.serving import make_server

    from workshop import create_app

    app = create_app({"DATA_DIR": str(data_dir), "CONTENT_RELOAD": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=10)

    return f"http://127.0.0.1:{server.server_port}", stop


def keystroke_times(base_url: str, repeat: int) -> tuple[list[float], list[float], int]:
    """(script ms, script with style and layout ms) per keystroke, with the CPU slowed down; and the papers listed."""
    from playwright.sync_api import sync_playwright

    scripted, laid_out = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base_url}/")
            page.wait_for_selector("#paper-filter-input", state="visible")
            listed = page.locator(".accepted-papers .papers > li").count()
            session = page.context.new_cdp_session(page)
            session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            for _ in range(repeat):
                page.fill("#paper-filter-input", "")
                for character in TYPED:
                    script_ms, layout_ms = page.evaluate(KEYSTROKE_JS, character)
                    scripted.append(script_ms)
                    laid_out.append(layout_ms)
        finally:
            browser.close()
    return scripted, laid_out, listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=300, help="Accepted papers in the generated edition.")
    parser.add_argument("--sessions", type=int, default=30, help="Program sessions (they present the papers).")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per measure; the median is shown.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-papers-") as scratch:
        data_dir = Path(scratch) / "data"
        generate(data_dir, papers=args.papers, sessions=args.sessions)
        loading, whole_check, check_processor, warnings = check_times(data_dir, args.repeat)
        loads, _builds, _documents = reload_times(data_dir, args.repeat)
        base_url, stop = serve(data_dir)
        try:
            files = page_weight(base_url)
            scripted, laid_out, listed = keystroke_times(base_url, args.repeat)
        finally:
            stop()

    total, zipped = sum(size for _, size, _ in files), sum(size for _, _, size in files)
    html = next(size for path, size, _ in files if path == "/")
    print(f"{args.papers} papers in {args.sessions} sessions (scripts/generate_edition.py); median of {args.repeat}.\n")
    print("| Measure | Result |")
    print("| --- | ---: |")
    print(f"| Load and validate the data files (names checked; {warnings} warning(s)) | {loading * 1000:.0f} ms |")
    print(
        f"| Whole `check` (every page and document built): wall clock (processor time) "
        f"| {whole_check:.2f} s ({check_processor:.2f} s) |"
    )
    print(f"| Reload after an edit | {statistics.median(loads) * 1000:.0f} ms |")
    print(f"| Page `/`: HTML alone ({listed} papers listed) | {html:,} bytes |")
    print(f"| Page `/` with its CSS and JS (budget {PAGE_WEIGHT_BUDGET:,}) | {total:,} bytes ({zipped:,} gzipped) |")
    print(
        f"| Filter keystroke, {CPU_SLOWDOWN}x CPU slowdown, {listed} papers: script (median / worst) "
        f"| {statistics.median(scripted):.1f} / {max(scripted):.1f} ms |"
    )
    print(
        f"| Filter keystroke, {CPU_SLOWDOWN}x CPU slowdown: script, style and layout (median / worst) "
        f"| {statistics.median(laid_out):.1f} / {max(laid_out):.1f} ms |"
    )


if __name__ == "__main__":
    main()
