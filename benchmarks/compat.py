"""Find a product function under its new or its old module path (the harness also measures old commits).

The old flat paths (before the "Layout: pipeline/ by stage" commit) are spelled with "+" so that
`relayout.py`, which rewrites old-style import strings, leaves them alone.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

P = "pipeline" + "."
OLD_PATHS = {  # new module -> module at the session-start commit 176e869
    P + "analysis.chain": P + "analysis",
    P + "storage.store": P + "store",
    P + "ingest.load": P + "ingest",
    P + "ingest.demo": P + "demo",
    P + "views.timeline": P + "timeline",
}


def module(new: str) -> ModuleType:
    """Return the module at its new path, else at its old path."""
    errors = []
    for name in (new, OLD_PATHS.get(new)):
        if not name:
            continue
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
    raise ImportError("; ".join(errors))


def find(name: str, new: str) -> Any:
    """Return attribute `name` of the module at its new path, else at its old path."""
    errors = []
    for path in (new, OLD_PATHS.get(new)):
        if not path:
            continue
        try:
            mod = importlib.import_module(path)
        except ImportError as exc:
            errors.append(f"{path}: {exc}")
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
        errors.append(f"{path}: no {name}")
    raise ImportError(f"{name} not found: " + "; ".join(errors))
