"""What each phase of the workshop asks visitors to do: its call to action (workshop/phases.py).

One definition, read by every place of the page that shows the phase's button (the header
and the button below the topics), computed once per edition (``Edition.calls_to_action``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from workshop.paperschemas import Paper
from workshop.phases import PhaseWindow
from workshop.schemas import LabelledLink, Logistics, Site
from workshop.timeschemas import Program

# Each phase's call to action, by phase name.
CallsToAction = Mapping[str, LabelledLink]


def call_to_action(
    phase: str, site: Site, program: Program, papers: Sequence[Paper], logistics: Logistics
) -> LabelledLink:
    """The button of ``phase``: site.yaml's while abstracts are welcome, then where the workshop's moment is."""
    published = program.status == "published"
    words = site.wording
    match phase:
        case "call":
            return site.call_to_action
        case "review":
            return LabelledLink(words["see_the_dates"], "#dates")
        case "live" if logistics.stream_url:
            return LabelledLink(words["watch_the_live_stream"], logistics.stream_url)
        case "archive" if papers:
            return LabelledLink(words["read_the_papers"], "#papers")
    # The program phase, live without a stream, the archive without papers: the program, as far as it is out.
    if phase == "program":
        target = "#schedule" if published else "#papers" if papers else "#program"
    else:
        target = "#schedule" if published and phase == "live" else "#program"
    return LabelledLink(words["see_the_program"], target)


def calls_to_action(
    phases: Sequence[PhaseWindow], site: Site, program: Program, papers: Sequence[Paper], logistics: Logistics
) -> CallsToAction:
    """Each of the edition's phases' call to action, by phase name."""
    return MappingProxyType(
        {window.name: call_to_action(window.name, site, program, papers, logistics) for window in phases}
    )
