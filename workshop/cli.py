"""Command line for organizers and maintainers: ``python -m workshop <command>``.

These commands work without creating the app, so they still run (and explain
what is wrong) when a data file is broken.
"""

from __future__ import annotations

from pathlib import Path

import click

from workshop.config import DefaultConfig
from workshop.content import ContentError, load_content
from workshop.fieldref import field_reference, write_reference

DATA_README = Path(DefaultConfig.DATA_DIR) / "README.md"


@click.group()
def main() -> None:
    """Tools for the workshop site's data files."""


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DefaultConfig.DATA_DIR,
    show_default=True,
    help="Folder holding editions.yaml and one folder per edition.",
)
def check(data_dir: Path) -> None:
    """Validate every data file; print every problem, one per line."""
    try:
        content = load_content(data_dir)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        raise SystemExit(1) from None
    editions = ", ".join(content.editions)
    click.echo(f"OK: editions {editions}; current {content.current}; content version {content.version}.")


@main.command("field-reference")
@click.option("--write", is_flag=True, help=f"Update the reference inside {DATA_README.name} instead of printing it.")
def field_reference_command(write: bool) -> None:
    """Print (or write into data/README.md) the field reference generated from the schemas."""
    if write:
        changed = write_reference(DATA_README)
        click.echo(f"{DATA_README}: {'updated' if changed else 'already up to date'}.")
    else:
        click.echo(field_reference())
