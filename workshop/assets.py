"""What the page's head needs to know about the static files.

The page's script is one ES module that imports the others. A browser finds an
import only once it has the importing file, one round trip per level; the page
names every module it will need (``<link rel="modulepreload">``), so all load at
once. The list is read from the modules' own ``import`` statements, so it
follows the code without being kept by hand.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from flask import Flask, current_app

# import x from "./x.js"; import {a, b} from "./x.js"; import "./x.js"; export {a} from "./x.js"
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"';]*?["'](\.{1,2}/[^"']+)["']""", re.MULTILINE)


def static_imports(entry: str) -> list[str]:
    """Every module that ``entry`` (a path under static/, e.g. ``js/main.js``) imports,
    directly or not, as paths under static/, in the order they are found.

    Read once per app, as the documents' cache key reads the static files once (at start).
    """
    known: dict[str, list[str]] = current_app.extensions.setdefault("workshop.static_imports", {})
    if entry not in known:
        known[entry] = _imports_of(Path(current_app.static_folder or ""), entry)
    return list(known[entry])


def _imports_of(static_folder: Path, entry: str) -> list[str]:
    found: list[str] = []
    pending = [entry]
    while pending:
        module = pending.pop(0)
        try:
            source = (static_folder / module).read_text(encoding="utf-8")
        except OSError:
            continue
        for specifier in STATIC_IMPORT.findall(source):
            imported = posixpath.normpath(posixpath.join(posixpath.dirname(module), specifier))
            if imported != entry and imported not in found:
                found.append(imported)
                pending.append(imported)
    return found


def init_app(app: Flask) -> None:
    app.add_template_global(static_imports)
