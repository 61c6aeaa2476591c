"""The files of the data folder, found without ever leaving it.

One walk serves the watcher (a change of any file's size or time is an edit)
and the loader (which finds the editions in it, reads no file it refused, and
reports each refusal as a problem). Links are never walked into: a link that
points outside the data folder is refused (a data file must not publish
``/etc/passwd``), and so is a link to a folder that holds it (``loop -> .``,
``up -> ..``), which would have no end. A link to a file or folder elsewhere
inside the data folder is kept (a file is read through it), and its target is
walked where it really is. A folder that cannot be read is refused
too, so a problem is reported instead of an exception stopping the watcher.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

# (path relative to the data folder, size in bytes, modification time in ns)
FileState = tuple[str, int, int]

OUTSIDE_LINK = "Links outside the data folder: not followed. Copy the file into the data folder instead."
LOOP_LINK = "Links to a folder that holds it (a loop): not followed. Remove the link."


@dataclass(frozen=True)
class Refusal:
    """Something in the data folder that is not read, and why."""

    path: str  # relative to the data folder, with '/' ('.' for the folder itself)
    message: str


@dataclass(frozen=True)
class DataFiles:
    """Every file under a data folder with its size and time, and what was refused.

    Equal walks mean nothing changed: the watcher compares them.
    """

    files: frozenset[FileState]
    refused: frozenset[Refusal]

    @cached_property
    def paths(self) -> frozenset[str]:
        return frozenset(path for path, _size, _time in self.files)

    @property
    def newest_time_ns(self) -> int:
        return max((time for _path, _size, time in self.files), default=0)


def relative_name(data_dir: Path, path: Path | str) -> str:
    """``path`` as organizers name it: relative to the data folder, with '/'."""
    return Path(os.path.relpath(path, data_dir)).as_posix()


def is_inside(root: Path, path: Path | str) -> bool:
    """Whether ``path``, links resolved, is ``root`` (itself resolved) or under it."""
    return Path(os.path.realpath(path)).is_relative_to(root)


def link_refusal(root: Path, link: Path) -> str | None:
    """Why a link may not be followed (it leaves ``root`` or loops), or None."""
    if not is_inside(root, link):
        return OUTSIDE_LINK
    target = Path(os.path.realpath(link))
    if Path(os.path.realpath(link.parent)).is_relative_to(target):
        return LOOP_LINK
    return None


def scan(data_dir: Path) -> DataFiles:
    """Walk ``data_dir`` (never through a link); a folder that vanishes meanwhile is skipped."""
    data_dir = Path(data_dir)
    root = Path(os.path.realpath(data_dir))
    files: set[FileState] = set()
    refused: set[Refusal] = set()
    folders = [(data_dir, "")]  # (folder, its name relative to the data folder followed by '/')
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except FileNotFoundError:  # removed while we looked
            continue
        except OSError as error:  # unreadable (permissions), not a folder any more, ...
            refused.add(Refusal(prefix.rstrip("/") or ".", f"Cannot read this folder: {error.strerror}."))
            continue
        for entry in entries:
            name = f"{prefix}{entry.name}"
            try:
                if entry.is_symlink():
                    why = link_refusal(root, Path(entry.path))
                    if why is not None:
                        refused.add(Refusal(name, why))
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((Path(entry.path), f"{name}/"))
                    continue
                # A link's own time: its target inside the folder is walked where it is.
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            except OSError as error:
                refused.add(Refusal(name, f"Cannot read: {error.strerror}."))
                continue
            files.add((name, info.st_size, info.st_mtime_ns))
    return DataFiles(files=frozenset(files), refused=frozenset(refused))
