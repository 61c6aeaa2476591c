"""papers.yaml: the accepted contributions, their authors, PDFs and where they come from.

Part of the single definition of the data files' shapes (workshop/schemas.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from marshmallow import (
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from workshop.datafields import (
    OPENREVIEW_ID_PATTERN,
    PAPER_FILE_PATTERN,
    Id,
    Items,
    Markdown,
    StrictSchema,
    Text,
    WebUrl,
    load_context,
)
from workshop.richtext import RichText
from workshop.storedfiles import (
    PAPER_FOLDER,
    stored_pdf_problem,
)


@dataclass(frozen=True)
class Author:
    name: str
    family: str | None
    affiliation: str | None
    presenter: bool


class AuthorSchema(StrictSchema):
    model = Author

    name = Text("Full name, as shown.")
    family = Text(
        "Family name, for citations (e.g. 'King' for 'Martin Luther King Jr.', '王' for '王小明'). "
        "Imported from CMT's 'Author Names'.",
        load_default=None,
    )
    affiliation = Text("Institution.", load_default=None)
    presenter = fields.Boolean(load_default=False, metadata={"description": "true for the author who presents."})


@dataclass(frozen=True)
class PaperSource:
    """Where an imported paper comes from: the next import finds it again by this, never by its title."""

    cmt: int | None
    openreview: str | None


class PaperSourceSchema(StrictSchema):
    model = PaperSource

    cmt = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=1), metadata={"description": "CMT's Paper ID."}
    )
    openreview = fields.String(
        load_default=None,
        validate=validate.Regexp(OPENREVIEW_ID_PATTERN, error="Not an OpenReview note id."),
        metadata={"description": "OpenReview's note id."},
    )

    @validates_schema
    def _check_one(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if (data.get("cmt") is None) == (data.get("openreview") is None):
            raise ValidationError("Give exactly one of 'cmt' or 'openreview'.")


class Label(fields.String):
    """A short label such as a poster board number: text, or a whole number written bare (12)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class PaperPdf(fields.String):
    """An http(s) URL, or a PDF stored with the edition (``papers/<id>.pdf``).

    A stored PDF is checked while loading and becomes the URL it is served at, ``/<edition>/papers/<id>.pdf``.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_pdf": f"Not a PDF link: use an http(s) URL, or a file in the edition's {PAPER_FOLDER}/ folder "
        f"such as {PAPER_FOLDER}/cmt-12.pdf."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.startswith(f"{PAPER_FOLDER}/"):
            try:
                validate.URL(schemes={"http", "https"})(text)
            except ValidationError as error:
                raise self.make_error("invalid_pdf") from error
            return text
        if not PAPER_FILE_PATTERN.fullmatch(text):
            raise self.make_error("invalid_pdf")
        context = load_context.get(None)
        if context is not None:
            problem = stored_pdf_problem(
                context.edition_dir.parent, context.edition_dir.name, text.removeprefix(f"{PAPER_FOLDER}/")
            )
            if problem:
                raise ValidationError(f"{context.edition_dir.name}/{text}: {problem}")
            # In the API (and on the page) the field is the URL the file is served at.
            return f"/{context.edition}/{text}"
        return text


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    authors: tuple[Author, ...]
    abstract: RichText | None
    keywords: tuple[str, ...]
    track: str | None
    # An http(s) URL, or the site path a stored PDF is served at (/<edition>/papers/<name>.pdf).
    pdf: str | None
    openreview: str | None
    presentation: str | None
    poster_board: str | None
    video: str | None
    slides: str | None
    poster: str | None
    code: str | None
    source: PaperSource | None


class PaperSchema(StrictSchema):
    model = Paper

    id = Id()
    title = Text("Title of the contribution.")
    authors = Items(AuthorSchema, "Authors in order; mark the presenter with presenter: true.")
    abstract = Markdown("The abstract (Markdown).", load_default=None)
    keywords = fields.List(
        Text("A keyword or subject area."),
        load_default=(),
        metadata={"description": "Keywords or subject areas, e.g. [cosmology, simulation-based inference]."},
    )
    track = Text("The submission track, e.g. 'Extended abstracts'.", load_default=None)
    pdf = PaperPdf(
        load_default=None,
        metadata={
            "description": f"The PDF: an http(s) URL, or a file in the edition's {PAPER_FOLDER}/ folder "
            f"({PAPER_FOLDER}/cmt-12.pdf, which `import-papers --pdfs` writes). "
            f"The API gives the URL it is served at (/<edition>/{PAPER_FOLDER}/cmt-12.pdf).",
            "format": "uri-reference",
            "pattern": f"^(?:https?://|/|{PAPER_FOLDER}/)",
        },
    )
    openreview = WebUrl("The paper's OpenReview forum.", load_default=None)
    presentation = fields.String(
        load_default=None,
        metadata={"description": "Id of a review outcome in call-for-abstracts.yaml (contributed-talk, poster)."},
    )
    poster_board = Label(
        load_default=None,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Where the poster hangs, e.g. 12 or 'A12'."},
    )
    video = WebUrl("A recording of the talk.", load_default=None)
    slides = WebUrl("The slides.", load_default=None)
    poster = WebUrl("The poster.", load_default=None)
    code = WebUrl("The code.", load_default=None)
    html_url = fields.String(
        dump_only=True,
        metadata={"description": "The paper's page on this site, /<edition>/papers/<id>/.", "format": "uri-reference"},
    )
    source = fields.Nested(
        PaperSourceSchema,
        load_default=None,
        metadata={
            "description": "Set by `import-papers`: the submission system and the paper's id there "
            "(cmt: 12, or openreview: <note id>). The next import finds the paper by it: keep it."
        },
    )

    @validates_schema
    def _check_presenter(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if not any(author.presenter for author in data["authors"]):
            raise ValidationError("Mark who presents: 'presenter: true' on one author.", "authors")


@dataclass(frozen=True)
class Papers:
    """papers.yaml: the accepted contributions."""

    papers: tuple[Paper, ...]


class PapersSchema(StrictSchema):
    model = Papers

    papers = fields.List(
        fields.Nested(PaperSchema),
        required=True,
        metadata={"description": "Accepted contributions, in the order shown. May be empty."},
    )

    unique_ids_in = ("papers",)
