"""Camera-ready PDFs from CMT's zip (``12\\CameraReady\\paper.pdf``) or from a folder.

A file belongs to the paper whose number is the first all-digit part of its path
(``12/CameraReady/paper.pdf``, ``12.pdf``). Every file must be a PDF (it starts
with ``%PDF-``), and no entry may point outside the folder it is extracted to
(``..\\..\\x.pdf``, an absolute path, a drive letter). macOS's ``__MACOSX/`` and
dotfiles (``.DS_Store``) are skipped.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from workshop.papers_import.records import PaperImportError
from workshop.storedfiles import PDF_MAGIC

# A camera-ready paper is a few MB; anything far larger is a mistake (or a zip bomb).
MAX_PDF_BYTES = 200 * 1024 * 1024


CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PdfFile:
    """One camera-ready PDF: where it came from, and how to read it (streamed: a zip may hold gigabytes)."""

    number: int
    origin: str  # the zip entry or file, as named in messages
    open: Callable[[], BinaryIO]

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def copy_to(self, target: BinaryIO) -> None:
        with self.open() as stream:
            shutil.copyfileobj(stream, target, CHUNK)


def _parts(name: str, origin: str) -> tuple[str, ...]:
    path = name.replace("\\", "/")
    parts = PurePosixPath(path).parts
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
        raise PaperImportError(f"{origin}: would land outside the papers folder: refused, nothing written.")
    return tuple(part for part in parts if part not in ("", "."))


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _number(parts: tuple[str, ...], origin: str) -> int:
    for part in (*parts[:-1], PurePosixPath(parts[-1]).stem):
        if part.isdigit() and part.isascii():
            return int(part)
    raise PaperImportError(f"{origin}: no paper number in its path (CMT names it <paper id>\\CameraReady\\<file>.pdf).")


def _checked(number: int, origin: str, head: bytes, size: int) -> None:
    if not head.startswith(PDF_MAGIC):
        raise PaperImportError(
            f"{origin}: not a PDF (a PDF starts with {PDF_MAGIC.decode()}): refused, nothing written."
        )
    if size > MAX_PDF_BYTES:
        raise PaperImportError(f"{origin}: {size} bytes, over the limit of {MAX_PDF_BYTES} for one PDF.")


def _from_zip(path: Path, archive: zipfile.ZipFile) -> list[PdfFile]:
    files = []
    for info in archive.infolist():
        origin = f"{path.name}: {info.filename}"
        parts = _parts(info.filename, origin)
        if info.is_dir() or info.filename.endswith("\\") or not parts or _skipped(parts):
            continue
        number = _number(parts, origin)
        try:
            with archive.open(info) as entry:
                head = entry.read(len(PDF_MAGIC))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:  # encrypted, unknown method
            raise PaperImportError(f"{origin}: cannot be read ({error}).") from error
        _checked(number, origin, head, info.file_size)
        files.append(PdfFile(number, origin, lambda info=info: archive.open(info)))
    return files


def _from_folder(folder: Path) -> list[PdfFile]:
    files = []
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        origin = f"{folder.name}/{relative.as_posix()}"
        if _skipped(relative.parts) or file.is_dir():
            continue
        if file.is_symlink() or not file.is_file():
            raise PaperImportError(f"{origin}: not a regular file (a link or a device): refused, nothing written.")
        number = _number(relative.parts, origin)
        with file.open("rb") as handle:
            head = handle.read(len(PDF_MAGIC))
        _checked(number, origin, head, file.stat().st_size)
        files.append(PdfFile(number, origin, lambda file=file: file.open("rb")))
    return files


def _by_number(files: list[PdfFile]) -> dict[int, PdfFile]:
    by_number: dict[int, PdfFile] = {}
    for file in files:
        if file.number in by_number:
            raise PaperImportError(
                f"Two PDFs for paper {file.number}: {by_number[file.number].origin} and {file.origin}: keep one."
            )
        by_number[file.number] = file
    return by_number


@contextmanager
def read_pdfs(source: Path | None) -> Iterator[dict[int, PdfFile]]:
    """The camera-ready PDF of each paper number in a zip or a folder (none without a source), checked.

    Two PDFs for one paper are an error. A zip stays open until the block ends.
    """
    if source is None:
        yield {}
    elif source.is_dir():
        yield _by_number(_from_folder(source))
    elif source.is_file():
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as error:
            raise PaperImportError(f"{source.name}: not a readable zip file ({error}).") from error
        with archive:
            yield _by_number(_from_zip(source, archive))
    else:
        raise PaperImportError(f"{source}: no such zip file or folder.")
