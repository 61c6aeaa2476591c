"""One name per person: who presents a paper in a session, and names that are nearly the same.

A session presents a paper by its presenter: the name its ``presenters`` gives, else the
author papers.yaml marks ``presenter: true``; that name must be one of the paper's authors
(an error). Speakers, authors and committee members whose names differ by one typing slip
(``Scaife``/``Scaiffe``, ``Ansdell``/``Andsell``) are probably one person written two ways:
a warning, since two people may truly have such names.

Names are compared in Unicode NFC (an accent typed as one character or as a letter and a
combining mark is the same name), case-folded, with accents kept (``Muller`` is not ``Müller``,
but one slip apart, so it is warned about).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from workshop.paperschemas import Paper, Papers
from workshop.peopleschemas import Committee, Speakers
from workshop.timeschemas import Program, Session

FieldPath = tuple[str | int, ...]

# A word shorter than this is not compared for slips: Lee/Li, Jo/Joe, Wu/Xu are different
# names far more often than misspellings of one.
MIN_WORD_LENGTH = 4
# One insertion, deletion, substitution or swap of neighbouring letters (optimal string alignment).
MAX_SLIPS = 1


def written_form(name: str) -> str:
    """A name as written, whatever the keyboard: NFC (é as one character), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def same_name_key(name: str) -> str:
    """What two spellings of one name have in common: its written form, case-folded."""
    return written_form(name).casefold()


def presenters(session: Session, paper: Paper) -> tuple[str, ...]:
    """Who presents ``paper`` in ``session``: the session's choice, else the authors marked presenter."""
    chosen = tuple(presenter.name for presenter in session.presenters if presenter.paper == paper.id)
    if chosen:
        return chosen
    return tuple(author.name for author in paper.authors if author.presenter)


def presenter_problems(program: Program, papers: Sequence[Paper]) -> Iterator[tuple[FieldPath, str]]:
    """(field path in program.yaml, message) for each session whose presenter is not an author."""
    by_id = {paper.id: paper for paper in papers}
    for index, session in enumerate(program.sessions):
        for position, presenter in enumerate(session.presenters):
            paper_id, name = presenter.paper, presenter.name
            path: FieldPath = ("sessions", index, "presenters", position)
            if paper_id not in session.papers:
                yield (
                    (*path, "paper"),
                    f"Session {session.id!r} does not present paper {paper_id!r}: add it to its papers.",
                )
                continue
            paper = by_id.get(paper_id)
            if paper is None:
                continue  # reported by the references check
            authors = [author.name for author in paper.authors]
            # One form everywhere: the author's name as papers.yaml writes it (case included).
            if written_form(name) not in {written_form(author) for author in authors}:
                yield (
                    (*path, "name"),
                    f"Session {session.id!r} presents paper {paper_id!r}, but its presenter {name!r} "
                    f"is not among the paper's authors ({', '.join(authors)}).",
                )


@dataclass(frozen=True)
class NameUse:
    """A person's name where a data file writes it."""

    resource: str
    field_path: FieldPath
    name: str


def name_uses(speakers: Speakers, committee: Committee, papers: Papers, program: Program) -> Iterator[NameUse]:
    for index, speaker in enumerate(speakers.speakers):
        yield NameUse("speakers", ("speakers", index, "name"), speaker.name)
    for index, member in enumerate(committee.members):
        yield NameUse("committee", ("members", index, "name"), member.name)
    for index, paper in enumerate(papers.papers):
        for position, author in enumerate(paper.authors):
            yield NameUse("papers", ("papers", index, "authors", position, "name"), author.name)
    for index, session in enumerate(program.sessions):
        for position, presenter in enumerate(session.presenters):
            yield NameUse("program", ("sessions", index, "presenters", position, "name"), presenter.name)


def _slipped(one: str, other: str) -> bool:
    if min(len(one), len(other)) < MIN_WORD_LENGTH:
        return False
    return OSA.distance(one, other, score_cutoff=MAX_SLIPS) <= MAX_SLIPS


def near_duplicates(uses: list[NameUse]) -> Iterator[tuple[NameUse, NameUse]]:
    """Pairs of (first use of a name, first use of a nearly equal name): same words but one, a slip apart.

    Names are bucketed by their words with one left out, so only names that already share every
    other word are compared: linear in the number of names, not quadratic.
    """
    first_use: dict[str, NameUse] = {}
    for use in uses:
        first_use.setdefault(same_name_key(use.name), use)
    buckets: dict[tuple[int, tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
    for key in first_use:
        words = key.split(" ")
        for position in range(len(words)):
            buckets[(position, tuple(words[:position] + words[position + 1 :]))].append((words[position], key))
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        for (word, key), (other_word, other_key) in itertools.combinations(members, 2):
            pair = (min(key, other_key), max(key, other_key))
            if pair not in seen and _slipped(word, other_word):
                seen.add(pair)
                yield first_use[pair[0]], first_use[pair[1]]
