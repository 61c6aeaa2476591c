"""Writing the import's result so that a reader only ever sees the old files or the new ones.

Each file is written to a temporary name in its own folder and renamed over the old
one. New PDFs are staged that way before anything is validated, so the check on a
scratch copy of the data folder (hard links, no second copy of the bytes) and the
real write use the same files; they are discarded if anything goes wrong.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from workshop.papers_import.pdfs import PdfFile

# mkstemp makes files private; data files are read by the site's server and by git.
FILE_MODE = 0o644


def _temporary_beside(path: Path) -> tuple[int, Path]:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return handle, Path(name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        temporary.chmod(FILE_MODE)
        temporary.replace(path)
    except BaseException:
        with suppress(FileNotFoundError):
            temporary.unlink()
        raise


class StagedPdfs:
    """New PDFs written under temporary names in their folder, until committed (renamed) or discarded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created_folder = not folder.exists()
        self.temporaries: dict[str, Path] = {}

    def stage(self, files: Mapping[str, PdfFile]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, file in files.items():
            handle, temporary = _temporary_beside(self.folder / name)
            self.temporaries[name] = temporary
            with os.fdopen(handle, "wb") as target:
                file.copy_to(target)
            temporary.chmod(FILE_MODE)

    def commit(self) -> None:
        for name, temporary in self.temporaries.items():
            temporary.replace(self.folder / name)
        self.temporaries = {}

    def discard(self) -> None:
        for temporary in self.temporaries.values():
            with suppress(FileNotFoundError):
                temporary.unlink()
        self.temporaries = {}
        if self.created_folder:
            with suppress(OSError):
                self.folder.rmdir()  # only when empty


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@contextmanager
def scratch_copy(data_dir: Path, purpose: str = "import-papers") -> Iterator[Path]:
    """A copy of the data folder (hard-linked files where possible) with the same name, removed afterwards.

    Its files are links to the real ones: replace a file in it (write_atomic), never write into one.
    """
    try:
        parent = Path(tempfile.mkdtemp(prefix=f".{purpose}-", dir=data_dir.parent))
    except OSError:
        parent = Path(tempfile.mkdtemp(prefix=f"{purpose}-"))
    try:
        copy = parent / data_dir.name
        shutil.copytree(data_dir, copy, symlinks=True, copy_function=_link_or_copy)
        yield copy
    finally:
        shutil.rmtree(parent, ignore_errors=True)
