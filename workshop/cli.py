"""Command line for organizers and maintainers: ``python -m workshop <command>``.

These commands work without creating the app, so they still run (and explain
what is wrong) when a data file is broken.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NoReturn

import click
from flask import Config, Flask

from workshop.config import DefaultConfig
from workshop.content import ContentError
from workshop.fieldref import field_reference, write_reference

DATA_README = Path(DefaultConfig.DATA_DIR) / "README.md"


def fail_with_problems(error: ContentError, consequence: str) -> NoReturn:
    """Print every problem, one per line, and exit with status 1."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s) found{consequence}.", err=True)
    raise SystemExit(1)


@click.group()
def main() -> None:
    """Tools for the workshop site's data files."""


def app_for(data_dir: Path | None, **settings: object) -> Flask:
    """The site as the server would run it on ``data_dir`` (default: the configured DATA_DIR, which
    WORKSHOP_DATA_DIR sets), following no edits: one content version. Raises ContentError."""
    from workshop import create_app

    settings["CONTENT_RELOAD"] = False
    if data_dir is not None:
        settings["DATA_DIR"] = str(data_dir)
    return create_app(settings)


def configured_data_dir(data_dir: Path | None) -> Path:
    """``data_dir``, or the folder the server would read (WORKSHOP_DATA_DIR, else the project's data folder)."""
    if data_dir is not None:
        return data_dir
    config = Config(Path.cwd())
    config.from_object(DefaultConfig)
    config.from_prefixed_env("WORKSHOP")
    return Path(config["DATA_DIR"])


DATA_DIR_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding editions.yaml and the editions "
    "(default: WORKSHOP_DATA_DIR if set, else the project's data folder, as the server).",
)


@main.command()
@DATA_DIR_OPTION
def check(data_dir: Path | None) -> None:
    """Validate every data file, then build every page and document the site serves from them.

    Prints every problem, one per line; exits with status 0 only when the files are
    valid and every URL of the site answers.
    """
    from workshop.export import ExportError
    from workshop.sitecheck import unbuilt_urls

    try:
        app = app_for(data_dir, CACHE_TYPE="SimpleCache")  # never writes into a shared cache
    except ContentError as error:
        fail_with_problems(error, "")
    try:
        built, failures = unbuilt_urls(app)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    for failure in failures:
        click.echo(failure, err=True)
    if failures:
        click.echo(
            f"{len(failures)} problem(s) found: the data files are valid, but the site cannot serve these URLs "
            "(the errors above say why): tell the site's maintainers.",
            err=True,
        )
        raise SystemExit(1)
    content = app.extensions["workshop.store"].content
    for warning in content.warnings:
        click.echo(f"warning: {warning}", err=True)
    if content.warnings:
        click.echo(f"{len(content.warnings)} warning(s): probably mistakes, but the site serves them.", err=True)
    editions = ", ".join(content.editions)
    click.echo(
        f"OK: editions {editions}; current {content.current}; content version {content.version}; "
        f"{built} pages, documents and photos built."
    )


@main.command("field-reference")
@click.option("--write", is_flag=True, help=f"Update the reference inside {DATA_README.name} instead of printing it.")
def field_reference_command(write: bool) -> None:
    """Print (or write into data/README.md) the field reference generated from the schemas."""
    if write:
        changed = write_reference(DATA_README)
        click.echo(f"{DATA_README}: {'updated' if changed else 'already up to date'}.")
    else:
        click.echo(field_reference())


@main.command()
@click.option(
    "--destination",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="Folder to write the site into: new, empty, or an earlier export (its stale files are removed).",
)
@DATA_DIR_OPTION
def export(destination: Path, data_dir: Path | None) -> None:
    """Write the whole site (pages, API, static files, photos) as static files for any static host."""
    from workshop.export import ExportError, export_site

    try:
        app = app_for(data_dir)  # a static copy is one content version
    except ContentError as error:
        fail_with_problems(error, "; nothing exported")
    try:
        urls = export_site(app, destination)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Exported {len(urls)} URLs to {destination}/: serve that folder at the root of any static host.")


@main.command("json-schema")
@click.option("--write", is_flag=True, help="Write the files instead of only saying which are out of date.")
def json_schema_command(write: bool) -> None:
    """Check (or write) data/schemas/*.schema.json and .vscode/settings.json, generated from the schemas.

    Editors use them to complete and check the data files while organizers type.
    Without --write, exits with status 1 when a file is out of date.
    """
    from workshop.config import PROJECT_ROOT
    from workshop.editorschemas import WRITE_COMMAND, file_states, write_files

    try:
        states = write_files() if write else file_states()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for state in states:
        done = {"up to date": "up to date", "not generated any more": "deleted"}.get(state.state, "written")
        click.echo(f"{state.path.relative_to(PROJECT_ROOT)} ({state.describes}): {done if write else state.state}")
    stale = sum(not state.current for state in states)
    if write:
        click.echo(f"{stale} file(s) changed." if stale else "All files were already up to date.")
    elif stale:
        click.echo(f"{stale} file(s) out of date: run `{WRITE_COMMAND}`.", err=True)
        raise SystemExit(1)


@main.command("import-papers")
@click.argument("edition")
@click.argument("export_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--pdfs",
    type=click.Path(path_type=Path),
    default=None,
    help="CMT's camera-ready zip, or a folder of PDFs (<paper id>/.../<file>.pdf or <paper id>.pdf).",
)
@click.option(
    "--format",
    "chosen_format",
    type=click.Choice(["cmt", "openreview"]),
    default=None,
    help="Override the format read from the file.",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "--prune", is_flag=True, help="Remove papers withdrawn upstream (and their PDFs) instead of reporting them."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DefaultConfig.DATA_DIR,
    show_default=True,
    help="Folder holding editions.yaml and one folder per edition.",
)
def import_papers_command(
    *,
    edition: str,
    export_file: Path,
    pdfs: Path | None,
    chosen_format: str | None,
    dry_run: bool,
    prune: bool,
    data_dir: Path,
) -> None:
    """Write EDITION's papers.yaml (and PDFs) from a CMT or OpenReview export FILE, keeping your edits."""
    from workshop.papers_import.records import PaperImportError
    from workshop.papers_import.run import import_papers

    try:
        result = import_papers(
            data_dir, edition, export_file, pdfs=pdfs, chosen_format=chosen_format, dry_run=dry_run, prune=prune
        )
    except PaperImportError as error:
        raise click.ClickException(f"{error}\nNothing was written.") from None
    for line in result.report_lines:
        click.echo(line)


def _fail(error: Exception) -> NoReturn:
    raise click.ClickException(str(error)) from None


DAY = click.DateTime(formats=["%Y-%m-%d"])


@main.command("new-edition")
@click.argument("new")
@click.option("--from", "old", required=True, help="The edition to start from (its folder name).")
@click.option("--date", "day", type=DAY, default=None, help="The new workshop's day (default: OLD's, one year later).")
@click.option("--deadline", type=DAY, default=None, help="The submission deadline (default: OLD's, one year later).")
@click.option("--make-current", is_flag=True, help="Also serve NEW at / (editions.yaml's 'current').")
@DATA_DIR_OPTION
def new_edition_command(
    *,
    new: str,
    old: str,
    day: dt.datetime | None,
    deadline: dt.datetime | None,
    make_current: bool,
    data_dir: Path | None,
) -> None:
    """Start edition NEW from OLD: keep what carries over, clear the rest with placeholders marked TODO."""
    from workshop.newedition import new_edition
    from workshop.scaffold import ScaffoldError

    folder = configured_data_dir(data_dir)
    try:
        result = new_edition(
            folder,
            new,
            old,
            day=day.date() if day else None,
            deadline=deadline.date() if deadline else None,
            make_current=make_current,
        )
    except ContentError as error:
        fail_with_problems(error, f" in {folder}; fix them first: nothing was written")
    except ScaffoldError as error:
        _fail(error)
    click.echo(
        f"Wrote {result.folder}/ (workshop on {result.day}, deadline {result.deadline}: placeholders). "
        f"Placeholders are marked TODO: grep -rn TODO {result.folder}. "
        + ("It is now the current edition." if result.made_current else "Serve it at / with --make-current.")
    )


@main.command("new-site")
@click.argument("data_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help="The workshop's title.")
@click.option("--venue-city", "city", required=True, help="Where the workshop takes place.")
@click.option("--timezone", required=True, help="The venue's IANA time zone, e.g. Europe/Paris.")
@click.option("--date", "day", type=DAY, required=True, help="The workshop's day.")
@click.option("--edition", default=None, help="The edition's folder name (default: from the title and the year).")
@click.option(
    "--venue-name", default=None, help="The host conference or event, shown as '<name> workshop' (default: the year)."
)
@click.option("--deadline", type=DAY, default=None, help="The submission deadline (default: 8 weeks before the day).")
@click.option(
    "--url",
    "site_url",
    default=None,
    help="The site's public address, e.g. https://workshop.example.org (default: TODO).",
)
def new_site_command(
    *,
    data_dir: Path,
    title: str,
    city: str,
    timezone: str,
    day: dt.datetime,
    edition: str | None,
    venue_name: str | None,
    deadline: dt.datetime | None,
    site_url: str | None,
) -> None:
    """Create DIR, a data folder for another workshop: valid at once, placeholders marked TODO."""
    from workshop.newsite import new_site
    from workshop.scaffold import ScaffoldError

    try:
        result = new_site(
            data_dir,
            title=title,
            city=city,
            timezone=timezone,
            day=day.date(),
            edition=edition,
            venue_name=venue_name,
            deadline=deadline.date() if deadline else None,
            site_url=site_url,
        )
    except ScaffoldError as error:
        _fail(error)
    click.echo(
        f"Wrote {data_dir}/ (edition {result.edition}). Placeholders are marked TODO: grep -rn TODO {data_dir}. "
        f"Check it with: python -m workshop check --data-dir {data_dir}"
    )
