#!/usr/bin/env python3
"""Write a generated, large edition into a data folder, to measure the site at scale.

The edition is a copy of data/icml2023 with 1,000 accepted papers in papers.yaml
and 100 published program sessions in program.yaml (spread over four days, every
paper presented in one of them). Everything is deterministic: the same arguments
write the same files, so the content version is the same from run to run.

Usage: scripts/generate_edition.py DATA_DIR [--edition NAME] [--papers N] [--sessions N] [--not-current]

DATA_DIR that holds no editions.yaml yet first gets a copy of the project's data/
(its editions stay beside the generated one). The generated edition becomes the
current one unless --not-current. The result is validated like the site does at
start-up; the script exits non-zero, listing the problems, when it is not valid.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from workshop.content import ContentError, load_content  # noqa: E402 (after the path set-up)

SHIPPED_DATA = PROJECT_ROOT / "data"
SOURCE_EDITION = "icml2023"
DEFAULT_EDITION = "generated"
DAYS = 4
FIRST_DAY = dt.date(2023, 7, 28)
DAY_START = dt.datetime.combine(FIRST_DAY, dt.time(8, 0))
SLOT = dt.timedelta(minutes=20)
# The kinds of a day's slots, in turn; breaks present no paper.
KINDS = ("talk", "spotlight", "poster-session", "talk", "break")

SUBJECTS = (
    "Bayesian inference of galaxy morphology with deep generative models",
    "Simulation-based inference for strong gravitational lensing",
    "Normalizing flows for photometric redshift estimation",
    "Graph neural networks on the cosmic web",
    "Anomaly detection in transient surveys",
    "Emulating N-body simulations with neural operators",
    "Uncertainty quantification for exoplanet detection",
    "Self-supervised representations of stellar spectra",
    "Domain adaptation between simulated and observed sky images",
    "Symbolic regression of astrophysical scaling relations",
)
FIRST_NAMES = ("Ada", "Grace", "Alan", "Emmy", "Vera", "Edwin", "Henrietta", "Subrahmanyan", "Cecilia", "Jocelyn")
LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Noether", "Rubin", "Hubble", "Leavitt", "Chandra", "Payne", "Bell")
AFFILIATIONS = ("Example University", "Institute of Examples", "Observatory of Examples", "Example Lab")


def _papers(count: int, outcomes: list[str], rng: random.Random) -> list[dict[str, Any]]:
    papers = []
    for number in range(1, count + 1):
        authors = [
            {
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "affiliation": rng.choice(AFFILIATIONS),
            }
            for _ in range(rng.randint(1, 6))
        ]
        authors[0]["presenter"] = True
        paper: dict[str, Any] = {
            "id": f"paper-{number:04d}",
            "title": f"{rng.choice(SUBJECTS)} ({number})",
            "authors": authors,
        }
        if number % 3:
            paper["pdf"] = f"https://example.org/papers/paper-{number:04d}.pdf"
        if outcomes:
            paper["presentation"] = outcomes[number % len(outcomes)]
        papers.append(paper)
    return papers


def _program(count: int, paper_ids: list[str], timezone: str) -> dict[str, Any]:
    per_day = -(-count // DAYS)
    slots = []
    for index in range(count):
        day, position = divmod(index, per_day)
        start = DAY_START + dt.timedelta(days=day) + position * SLOT
        slots.append((index, KINDS[position % len(KINDS)], start))
    presenting = [slot for slot in slots if slot[1] != "break"]
    # Every paper in exactly one session, in order, shared as evenly as possible.
    papers_of: dict[int, list[str]] = {}
    for position, slot in enumerate(presenting):
        first, last = (len(paper_ids) * i // len(presenting) for i in (position, position + 1))
        papers_of[slot[0]] = paper_ids[first:last]
    sessions = []
    for index, kind, start in slots:
        session: dict[str, Any] = {
            "id": f"session-{index + 1:03d}",
            "kind": kind,
            "title": f"{kind.replace('-', ' ').capitalize()} {index + 1}",
            "start": start.strftime("%H:%M"),
            "end": (start + SLOT).strftime("%H:%M"),
            "date": start.date(),
        }
        if papers_of.get(index):
            session["papers"] = papers_of[index]
        sessions.append(session)
    return {"status": "published", "timezone": timezone, "sessions": sessions}


def _dates_agreeing(source: Path, program: dict[str, Any]) -> dict[str, Any]:
    """The source's dates.yaml, its workshop day undecided among the program's days (check requires they agree)."""
    dates = yaml.safe_load((source / "dates.yaml").read_text(encoding="utf-8"))
    days = sorted({session["date"] for session in program["sessions"]})
    for item in dates["items"]:
        if item["id"] == "workshop":
            for fixed in ("at", "end", "date"):
                item.pop(fixed, None)
            item["date_options"] = days
    return dates


def _dump(path: Path, header: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(f"# {header}\n{text}", encoding="utf-8")


def generate(
    data_dir: Path,
    *,
    edition: str = DEFAULT_EDITION,
    papers: int = 1000,
    sessions: int = 100,
    make_current: bool = True,
) -> Path:
    """Write the edition into ``data_dir`` (copying the project's data/ first when it holds none); its folder."""
    data_dir = Path(data_dir)
    if not (data_dir / "editions.yaml").is_file():
        shutil.copytree(SHIPPED_DATA, data_dir, dirs_exist_ok=True)
    source = SHIPPED_DATA / SOURCE_EDITION
    target = data_dir / edition
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)

    rng = random.Random(2023)
    review = yaml.safe_load((source / "call-for-abstracts.yaml").read_text(encoding="utf-8"))["review"]
    outcomes = [outcome["id"] for outcome in review.get("outcomes", [])]
    generated_papers = _papers(papers, outcomes, rng)
    timezone = yaml.safe_load((source / "program.yaml").read_text(encoding="utf-8"))["timezone"]
    program = _program(sessions, [paper["id"] for paper in generated_papers], timezone)
    _dump(
        target / "papers.yaml",
        f"Generated by scripts/generate_edition.py: {papers} accepted papers.",
        {"papers": generated_papers},
    )
    _dump(target / "program.yaml", f"Generated by scripts/generate_edition.py: {sessions} sessions.", program)
    _dump(target / "dates.yaml", "Generated by scripts/generate_edition.py.", _dates_agreeing(source, program))
    if make_current:
        _dump(data_dir / "editions.yaml", "The edition served at / and /api/v1/<resource>.json.", {"current": edition})
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="Data folder to write into (created with a copy of data/ if new).")
    parser.add_argument("--edition", default=DEFAULT_EDITION, help=f"Edition folder name (default {DEFAULT_EDITION}).")
    parser.add_argument("--papers", type=int, default=1000, help="Accepted papers (default 1000).")
    parser.add_argument("--sessions", type=int, default=100, help="Program sessions (default 100).")
    parser.add_argument("--not-current", action="store_true", help="Leave editions.yaml's current edition alone.")
    args = parser.parse_args(argv)
    target = generate(
        args.data_dir,
        edition=args.edition,
        papers=args.papers,
        sessions=args.sessions,
        make_current=not args.not_current,
    )
    try:
        content = load_content(args.data_dir)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Wrote {target}: {args.papers} papers, {args.sessions} sessions; "
        f"editions {', '.join(content.editions)}, current {content.current}, content version {content.version}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
