"""Find a product function under its new or its old module path (the harness also measures old commits)."""

from __future__ import annotations

import importlib
from typing import Any


def find(name: str, *modules: str) -> Any:
    """Return attribute `name` from the first of `modules` that imports and has it."""
    errors = []
    for module in modules:
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            errors.append(f"{module}: {exc}")
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
        errors.append(f"{module}: no {name}")
    raise ImportError(f"{name} not found: " + "; ".join(errors))
