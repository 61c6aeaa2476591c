"""JSON Schemas of the data files, generated from the marshmallow schemas, for editors.

With them an editor (VS Code's YAML extension, or any client of the YAML
language server) completes field names and flags most mistakes while an
organizer types. The conversion is apispec's marshmallow plugin (OpenAPI 3.1,
whose schema objects are JSON Schema 2020-12), adjusted to describe what a data
file holds rather than what the API serves: ``dump_only`` fields are left out,
nested schemas are inlined, and unknown fields are refused.

The marshmallow schemas stay the authority: checks that span fields or files
(exactly one of ``at``/``date``, unique ids, references between files) are only
made by ``python -m workshop check``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from marshmallow import Schema, fields, validate

from workshop.config import PROJECT_ROOT, DefaultConfig
from workshop.content import DATA_SUFFIX, EDITIONS_FILE
from workshop.datafields import Markdown
from workshop.paperschemas import Label
from workshop.schemas import RESOURCE_SCHEMAS, EditionsSchema
from workshop.textrules import VisibleText, allowed_pattern

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_SUFFIX = ".schema.json"
DATA_DIR = Path(DefaultConfig.DATA_DIR)
SCHEMA_DIR = DATA_DIR / "schemas"
VSCODE_SETTINGS = PROJECT_ROOT / ".vscode" / "settings.json"
WRITE_COMMAND = "python -m workshop json-schema --write"


@dataclass(frozen=True)
class DataFileKind:
    """One kind of data file: ``editions.yaml``, or one file of every edition folder."""

    name: str  # stem of the schema file: "dates" -> dates.schema.json
    title: str  # "<edition>/dates.yaml"
    glob: str  # the files it describes, relative to the data folder: "*/dates.yaml"
    schema: type[Schema]

    @property
    def schema_file(self) -> str:
        return f"{self.name}{SCHEMA_SUFFIX}"


def data_file_kinds() -> list[DataFileKind]:
    """Every kind of data file, from the schemas: editions.yaml first, then the edition files in page order."""
    stem = EDITIONS_FILE.removesuffix(DATA_SUFFIX)
    kinds = [DataFileKind(stem, EDITIONS_FILE, EDITIONS_FILE, EditionsSchema)]
    for resource, schema_class in RESOURCE_SCHEMAS.items():
        if resource == stem:
            raise ValueError(f"A data file named {resource!r} would share {stem}{SCHEMA_SUFFIX} with {EDITIONS_FILE}.")
        file_name = f"{resource}{DATA_SUFFIX}"
        kinds.append(DataFileKind(resource, f"<edition>/{file_name}", f"*/{file_name}", schema_class))
    return kinds


# --- Conversion -----------------------------------------------------------------


class DataFileConverter(OpenAPIConverter):
    """apispec's converter for the input side: what an organizer may write in a file."""

    # Markdown is a plain marshmallow Field (no type of its own): in a file it is text.
    # fields.Url is "url" in OpenAPI, which JSON Schema does not know: "uri" is its name there.
    field_mapping: ClassVar[dict[type, tuple[str | None, str | None]]] = {
        **OpenAPIConverter.field_mapping,
        Markdown: ("string", None),
        fields.Url: ("string", "uri"),
    }

    def init_attribute_functions(self) -> None:
        super().init_attribute_functions()
        self.attribute_functions += [
            self.markdown2properties,
            self.url2properties,
            self.exclusive2properties,
            self.visible_text2properties,
            self.label2properties,
        ]

    def markdown2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # Markdown refuses blank text: at least one character that is not white space.
        if isinstance(field, Markdown) and "pattern" not in ret:
            return {"pattern": r"\S"}
        return {}

    def visible_text2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # One line of text without invisible characters: the editor flags a line break or an ESC.
        for validator in field.validators:
            if isinstance(validator, VisibleText) and "pattern" not in ret:
                return {"pattern": allowed_pattern(single_line=validator.single_line)}
        return {}

    def label2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # A label may be written as a bare number (poster_board: 12); the API always gives text.
        # (Edits ret in place, after field2nullable has made the type a list.)
        if isinstance(field, Label):
            types = ret.get("type")
            ret["type"] = ["string", "integer", *(["null"] if isinstance(types, list) and "null" in types else [])]
        return {}

    def url2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # "uri" accepts any scheme; the URL validator names the ones it allows.
        for validator in field.validators:
            if isinstance(validator, validate.URL) and validator.schemes and "pattern" not in ret:
                return {"pattern": f"^(?:{'|'.join(sorted(validator.schemes))})://"}
        return {}

    def exclusive2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # apispec writes every Range bound as inclusive; Range(min_inclusive=False) means "more than".
        # (Edits ret in place: what an attribute function returns can only add keys.)
        for validator in field.validators:
            if not isinstance(validator, validate.Range):
                continue
            for bound, inclusive, keyword in (("min", "min_inclusive", "minimum"), ("max", "max_inclusive", "maximum")):
                value = getattr(validator, bound)
                if value is not None and not getattr(validator, inclusive) and ret.get(keyword) == value:
                    ret[f"exclusive{keyword.capitalize()}"] = ret.pop(keyword)
        return {}

    def fields2jsonschema(self, field_map: Mapping[str, fields.Field], *, partial: Any = None) -> dict[str, Any]:
        # dump_only fields are derived while loading; the loader refuses them in a file.
        loadable = {name: field for name, field in field_map.items() if not field.dump_only}
        document = super().fields2jsonschema(loadable, partial=partial)
        # Unknown fields are errors. (apispec then keeps this for RAISE and EXCLUDE,
        # and allows them only for a schema whose Meta says unknown = INCLUDE.)
        document["additionalProperties"] = False
        return document


class DataFilePlugin(MarshmallowPlugin):
    Converter = DataFileConverter


def _inline(schema: Any) -> None:
    # No name for any schema: apispec then inlines nested schemas instead of
    # adding $ref to components, so every generated file stands alone.
    return None


def _converter() -> OpenAPIConverter:
    plugin = DataFilePlugin(schema_name_resolver=_inline)
    APISpec(title="Workshop data files", version="1", openapi_version="3.1.0", plugins=[plugin])
    assert plugin.converter is not None
    return plugin.converter


def json_schema(kind: DataFileKind) -> dict[str, Any]:
    """The JSON Schema of one kind of data file."""
    document = _converter().schema2jsonschema(kind.schema())
    source = f"{kind.schema.__module__}.{kind.schema.__qualname__}"
    return {
        "$schema": DIALECT,
        "$comment": f"Generated from {source} by `{WRITE_COMMAND}`: do not edit.",
        "title": kind.title,
        "description": f"The data file {kind.title} of the workshop site. Field reference: data/README.md.",
        **document,
    }


def _json_number(value: Any) -> int | float:
    # apispec keeps a Decimal field's bounds and defaults as Decimal.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Not JSON: {value!r}")


def render(document: Mapping[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=_json_number) + "\n"


def generated_schemas() -> dict[str, str]:
    """File name (in data/schemas/) -> text, for every kind of data file."""
    return {kind.schema_file: render(json_schema(kind)) for kind in data_file_kinds()}


# --- Editor settings --------------------------------------------------------------


def vscode_yaml_schemas() -> dict[str, list[str]]:
    """The ``yaml.schemas`` setting: schema path -> globs of the files it describes, relative to the project."""
    data = DATA_DIR.relative_to(PROJECT_ROOT).as_posix()
    schemas = SCHEMA_DIR.relative_to(PROJECT_ROOT).as_posix()
    return {f"./{schemas}/{kind.schema_file}": [f"{data}/{kind.glob}"] for kind in data_file_kinds()}


def updated_vscode_settings(current: str | None) -> str:
    """The settings file with ``yaml.schemas`` current; every other setting is kept."""
    try:
        settings = json.loads(current) if current else {}
    except json.JSONDecodeError as error:
        raise ValueError(f"{VSCODE_SETTINGS.name} is not plain JSON (comments are not kept): {error}.") from None
    if not isinstance(settings, dict):
        raise ValueError(f"{VSCODE_SETTINGS.name} must hold a JSON object.")
    settings["yaml.schemas"] = vscode_yaml_schemas()
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


# --- Files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    path: Path
    describes: str  # what the file is for, e.g. "<edition>/dates.yaml"
    state: str  # "up to date", "out of date", "missing", or "not generated any more"

    @property
    def current(self) -> bool:
        return self.state == "up to date"


@dataclass(frozen=True)
class _Planned:
    path: Path
    describes: str
    text: str | None  # None: a stale file, to delete


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _plan(project_root: Path) -> list[_Planned]:
    schema_dir = project_root / SCHEMA_DIR.relative_to(PROJECT_ROOT)
    settings = project_root / VSCODE_SETTINGS.relative_to(PROJECT_ROOT)
    planned = [
        _Planned(schema_dir / kind.schema_file, kind.title, render(json_schema(kind))) for kind in data_file_kinds()
    ]
    editor = updated_vscode_settings(_read(settings))
    planned.append(_Planned(settings, "VS Code: the schema of each data file", editor))
    wanted = {item.path for item in planned}
    stale = sorted(path for path in schema_dir.glob(f"*{SCHEMA_SUFFIX}") if path not in wanted)
    return planned + [_Planned(path, "no such data file", None) for path in stale]


def _state(item: _Planned) -> FileState:
    existing = _read(item.path)
    if item.text is None:
        state = "not generated any more"
    elif existing is None:
        state = "missing"
    else:
        state = "up to date" if existing == item.text else "out of date"
    return FileState(item.path, item.describes, state)


def file_states(project_root: Path = PROJECT_ROOT) -> list[FileState]:
    """Whether each generated file under ``project_root`` is what the schemas give now."""
    return [_state(item) for item in _plan(project_root)]


def write_files(project_root: Path = PROJECT_ROOT) -> list[FileState]:
    """Write every JSON Schema and the editor settings; delete schema files of data files that are gone.

    Returns the state each file had before: only those not "up to date" changed.
    """
    before = []
    for item in _plan(project_root):
        state = _state(item)
        before.append(state)
        if state.current:
            continue
        if item.text is None:
            item.path.unlink()
        else:
            item.path.parent.mkdir(parents=True, exist_ok=True)
            item.path.write_text(item.text, encoding="utf-8")
    return before
