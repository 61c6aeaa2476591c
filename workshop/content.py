"""Loading and validating the data files into one immutable content object.

Every edition folder under the data directory is read, parsed and validated
against :mod:`workshop.schemas`; problems are collected across all files (so an
organizer sees every mistake at once), each naming the file, the line where
YAML tells it, the field path and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from marshmallow import ValidationError

from workshop import customsections, names, span
from workshop.datafields import SLUG_PATTERN, LoadContext, load_context
from workshop.datafiles import DataFiles, is_inside, relative_name, scan
from workshop.model import Content, Edition
from workshop.pagesections import CUSTOM_RESOURCE
from workshop.schemas import OPTIONAL_RESOURCES, RESOURCE_SCHEMAS, SERVED_SCHEMAS, Editions, EditionsSchema

EDITIONS_FILE = "editions.yaml"
DATA_SUFFIX = ".yaml"

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one data file."""

    # Relative to the data folder, with '/' (icml2023/dates.yaml; '.' is the folder itself):
    # what the status document publishes, which must not reveal where the server keeps it.
    path: str
    line: int | None
    field: str
    message: str
    # The data folder's name (not its path): organizers read data/icml2023/dates.yaml.
    data_folder: str = ""

    @property
    def file(self) -> str:
        """The file as organizers find it beside the data folder: data/icml2023/dates.yaml."""
        if not self.data_folder:
            return self.path
        return self.data_folder if self.path == "." else f"{self.data_folder}/{self.path}"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(Exception):
    """The data files are not valid; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line or 0, p.field)))
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- YAML with line numbers -----------------------------------------------------


# libyaml parses far faster than PyYAML's Python parser (same resolvers, constructors and
# marks; figures: docs/performance.md, "Content at scale"); PyYAML's wheels include it.
_SafeLoader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _DataLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that keeps dates as text (the schemas parse them) and refuses duplicate keys."""


# YAML 1.1 reads too much into plain text: 13:30 is the integer 810 (base 60), "no"
# is false, 2023-05-19 a date. Keep only true/false, plain decimal numbers and
# strings: the schemas parse dates and times themselves, with clear messages.
_PLAIN_SCALARS = {
    "tag:yaml.org,2002:bool": re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}
_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, _PLAIN_SCALARS.get(tag, regexp)) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _DataLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # '<<: *anchor' is expanded by construct_mapping; explicit keys override it
        key = loader.construct_object(key_node)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain name, not a list or mapping", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)


_DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_index(
    node: yaml.Node | None, path: FieldPath = (), seen: set[int] | None = None
) -> Iterator[tuple[FieldPath, int]]:
    """Yield (field path, 1-based line) for every key and list item under ``node``.

    A node reached again through an alias (``*name``) is not walked twice, so a
    recursive alias cannot loop forever.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            yield child, key_node.start_mark.line + 1
            yield from _line_index(value_node, child, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield (*path, index), item.start_mark.line + 1
            yield from _line_index(item, (*path, index), seen)


@dataclass(frozen=True)
class ParsedFile:
    data: Any
    lines: Mapping[FieldPath, int]

    def line_of(self, path: FieldPath) -> int | None:
        # A missing field has no line of its own: point at its parent.
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1 if self.lines else None


def parse_yaml(text: str) -> ParsedFile:
    loader = _DataLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return ParsedFile(data=data, lines=dict(_line_index(node)))


def format_field(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _flatten_messages(messages: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten_messages(value, path if key == "_schema" else (*path, key))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten_messages(message, path)
    else:
        yield path, str(messages)


# --- Loading ---------------------------------------------------------------------


class _FileLoader:
    """Reads files of one data directory, collecting problems instead of stopping at the first.

    It reads no file the walk of the folder refused (each refusal is a problem),
    and none that is, through links, outside the folder.
    """

    def __init__(self, data_dir: Path, files: DataFiles) -> None:
        self.data_dir = data_dir
        self.root = Path(os.path.realpath(data_dir))
        self.files = files
        self.refused = {refusal.path for refusal in files.refused}
        self.problems: list[Problem] = []
        # What is probably a mistake but may be right (names nearly alike): said, never refused.
        self.warnings: list[Problem] = []
        for refusal in sorted(files.refused, key=lambda refusal: refusal.path):
            self.report(data_dir / refusal.path, refusal.message)

    def report(self, path: Path, message: str, line: int | None = None, field_path: FieldPath = ()) -> None:
        name = relative_name(self.data_dir, path)
        problem = Problem(name, line, format_field(field_path), message, self.data_dir.name)
        if problem not in self.problems:
            self.problems.append(problem)

    def warn(self, path: Path, message: str, line: int | None = None, field_path: FieldPath = ()) -> None:
        """Say what is probably a mistake in ``path`` but may be right: it loads all the same."""
        name = relative_name(self.data_dir, path)
        self.warnings.append(Problem(name, line, format_field(field_path), message, self.data_dir.name))

    def files_in(self, folder: Path) -> list[Path]:
        """The files (and links) directly in ``folder``, as the walk found them."""
        prefix = "" if folder == self.data_dir else f"{relative_name(self.data_dir, folder)}/"
        names = (path[len(prefix) :] for path in self.files.paths if path.startswith(prefix))
        return sorted(folder / name for name in names if "/" not in name)

    def read(self, path: Path) -> bytes | None:
        if relative_name(self.data_dir, path) in self.refused:
            return None  # reported with the refusal
        if not is_inside(self.root, path):
            self.report(path, "Links outside the data folder: not read.")
            return None
        try:
            return path.read_bytes()
        except FileNotFoundError:
            self.report(path, "File is missing.")
        except OSError as error:
            self.report(path, f"Cannot read file: {error.strerror}.")
        return None

    def text(self, path: Path) -> str | None:
        raw = self.read(path)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.report(path, f"Not valid UTF-8 (byte {error.start}): save the file as UTF-8.", line)
            return None

    def parse(self, path: Path, text: str | None = None) -> ParsedFile | None:
        """The YAML of ``path`` (or ``text``, read from it), as a mapping; None when it is not one (reported)."""
        text = self.text(path) if text is None else text
        if text is None:
            return None
        try:
            parsed = parse_yaml(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            self.report(path, f"Invalid YAML: {problem}.", mark.line + 1 if mark else None)
            return None
        except RecursionError:  # lists or mappings nested hundreds of levels deep
            self.report(path, "Invalid YAML: nested too deeply (a data file needs only a few levels).")
            return None
        if not isinstance(parsed.data, dict):
            found = "nothing (the file is empty)" if parsed.data is None else type(parsed.data).__name__
            self.report(path, f"Expected a mapping of fields at the top level, found {found}.", 1)
            return None
        return parsed

    def validate(self, path: Path, parsed: ParsedFile, schema: Any) -> Any | None:
        try:
            return schema.load(parsed.data)
        except ValidationError as error:
            for field_path, message in _flatten_messages(error.messages):
                self.report(path, message, parsed.line_of(field_path), field_path)
            return None


def _ids(items: Iterable[Any]) -> list[str]:
    return [item.id for item in items]


@dataclass(frozen=True)
class Reference:
    """An id that one section names, and the items of another section it must be one of."""

    resource: str
    field_path: FieldPath
    named: str
    known: list[str]
    noun: str
    target_file: str


def _references(sections: Mapping[str, Any]) -> Iterator[Reference]:
    call, program = sections["call-for-abstracts"], sections["program"]
    dates = _ids(sections["dates"].items)
    deadline = call.submission.deadline
    yield Reference("call-for-abstracts", ("submission", "deadline"), deadline, dates, "date", "dates.yaml")
    speakers = _ids(sections["speakers"].speakers)
    papers = _ids(sections["papers"].papers)
    for index, session in enumerate(program.sessions):
        for position, speaker in enumerate(session.speakers):
            path = ("sessions", index, "speakers", position)
            yield Reference("program", path, speaker, speakers, "speaker", "speakers.yaml")
        for position, paper in enumerate(session.papers):
            path = ("sessions", index, "papers", position)
            yield Reference("program", path, paper, papers, "paper", "papers.yaml")
    outcomes = _ids(call.review.outcomes)
    for index, paper in enumerate(sections["papers"].papers):
        if paper.presentation is not None:
            path = ("papers", index, "presentation")
            yield Reference("papers", path, paper.presentation, outcomes, "review outcome", "call-for-abstracts.yaml")


def _cross_check(
    loader: _FileLoader, edition_dir: Path, sections: dict[str, Any], parsed: dict[str, ParsedFile]
) -> None:
    """Checks that span files: every id one file names must exist in the other, and the
    workshop's date in dates.yaml must agree with the published program."""
    for field_path, message in span.contradictions(sections["program"], sections["dates"]):
        loader.report(edition_dir / f"dates{DATA_SUFFIX}", message, parsed["dates"].line_of(field_path), field_path)
    for field_path, message in names.presenter_problems(sections["program"], sections["papers"].papers):
        loader.report(edition_dir / f"program{DATA_SUFFIX}", message, parsed["program"].line_of(field_path), field_path)
    for ref in _references(sections):
        if ref.named not in ref.known:
            loader.report(
                edition_dir / f"{ref.resource}{DATA_SUFFIX}",
                f"No {ref.noun} with id {ref.named!r} in {ref.target_file} (known: {', '.join(ref.known) or 'none'}).",
                parsed[ref.resource].line_of(ref.field_path),
                ref.field_path,
            )


def _warn_about_names(
    loader: _FileLoader, edition_dir: Path, sections: dict[str, Any], parsed: dict[str, ParsedFile]
) -> None:
    uses = names.name_uses(sections["speakers"], sections["committee"], sections["papers"], sections["program"])
    for use, other in names.near_duplicates(list(uses)):
        loader.warn(
            edition_dir / f"{other.resource}{DATA_SUFFIX}",
            f"{other.name!r} is nearly {use.name!r} ({use.resource}{DATA_SUFFIX}, "
            f"{format_field(use.field_path)}): one person written two ways? Write the name one way everywhere.",
            parsed[other.resource].line_of(other.field_path),
            other.field_path,
        )


def _load_edition(loader: _FileLoader, edition_dir: Path, site_url: str | None) -> Edition | None:
    problems_before = len(loader.problems)
    expected = [f"{name}{DATA_SUFFIX}" for name in RESOURCE_SCHEMAS]
    for path in loader.files_in(edition_dir):
        # posters.yml beside posters.yaml would be silently ignored: report it too.
        if path.suffix.lower() in {".yml", ".yaml"} and path.name not in expected:
            loader.report(path, f"Unknown data file: an edition holds {', '.join(expected)}.")
    sections: dict[str, Any] = {}
    parsed_files: dict[str, ParsedFile] = {}
    present = loader.files_in(edition_dir)
    token = load_context.set(LoadContext(edition=edition_dir.name, edition_dir=edition_dir))
    try:
        for resource, schema_class in RESOURCE_SCHEMAS.items():
            path = edition_dir / f"{resource}{DATA_SUFFIX}"
            left_out = resource in OPTIONAL_RESOURCES and path not in present
            parsed = ParsedFile(data={}, lines={}) if left_out else loader.parse(path)
            if parsed is None:
                continue
            parsed_files[resource] = parsed
            data = loader.validate(path, parsed, schema_class())
            if data is not None:
                sections[resource] = data
        custom = customsections.load(loader, edition_dir)
    finally:
        load_context.reset(token)
    # A file the walk refused is missing too: reported with the refusal, before this edition.
    if len(loader.problems) > problems_before or len(sections) < len(RESOURCE_SCHEMAS):
        return None
    sections[CUSTOM_RESOURCE] = customsections.shown(loader, edition_dir, custom, sections["site"].sections)
    _cross_check(loader, edition_dir, sections, parsed_files)
    if len(loader.problems) > problems_before:
        return None
    _warn_about_names(loader, edition_dir, sections, parsed_files)
    return Edition(name=edition_dir.name, sections=MappingProxyType(sections), site_url=site_url)


def section_key(resource: str) -> str:
    """The JSON key of a section inside the whole-site document (call-for-abstracts -> call_for_abstracts)."""
    return resource.replace("-", "_")


def dump_section(resource: str, data: Any) -> dict[str, Any]:
    """A section as the API serves it, produced by the schema that validated it."""
    return SERVED_SCHEMAS[resource]().dump(data)


def dump_edition(edition: Edition) -> dict[str, Any]:
    return {section_key(resource): dump_section(resource, edition.sections[resource]) for resource in SERVED_SCHEMAS}


def content_version(editions: Mapping[str, Edition], settings: Editions) -> str:
    """A short hash of what the site would serve: same data, same version, on any machine."""
    dumped = {name: dump_edition(edition) for name, edition in sorted(editions.items())}
    canonical = json.dumps(
        {"current": settings.current, "site_url": settings.site_url, "editions": dumped},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def load_content(data_dir: Path) -> Content:
    """Load and validate every edition under ``data_dir``; raise ContentError listing every problem."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ContentError([Problem(".", None, "", "Data directory not found.", data_dir.name)])
    files = scan(data_dir)
    loader = _FileLoader(data_dir, files)
    editions_path = data_dir / EDITIONS_FILE
    settings = None
    parsed = loader.parse(editions_path)
    if parsed is not None:
        settings = loader.validate(editions_path, parsed, EditionsSchema())
    editions: dict[str, Edition] = {}
    # Every folder beside editions.yaml that holds a site.yaml is an edition.
    edition_dirs = sorted(
        data_dir / path.split("/")[0] for path in files.paths if re.fullmatch(r"[^/]+/site\.yaml", path)
    )
    for edition_dir in edition_dirs:
        if not SLUG_PATTERN.match(edition_dir.name):
            loader.report(edition_dir, "Edition folder names use lower-case letters, digits and hyphens.")
            continue
        edition = _load_edition(loader, edition_dir, settings.site_url if settings else None)
        if edition is not None:
            editions[edition.name] = edition
    current = settings.current if settings else None
    if settings and f"{current}/site.yaml" not in files.paths:
        loader.report(
            editions_path,
            f"No edition folder {current!r} with a site.yaml (found: {', '.join(editions) or 'none'}).",
            parsed.line_of(("current",)) if parsed else None,
            ("current",),
        )
    if loader.problems or settings is None:
        raise ContentError(loader.problems)
    frozen = MappingProxyType(editions)
    return Content(
        editions=frozen,
        current=settings.current,
        version=content_version(frozen, settings),
        # When the data files last changed: whole seconds, as Last-Modified has them.
        modified_at=dt.datetime.fromtimestamp(files.newest_time_ns // 1_000_000_000, dt.UTC),
        warnings=tuple(loader.warnings),
    )
