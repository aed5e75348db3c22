from __future__ import annotations

import importlib.util


def installed(module: str) -> bool:
    """Whether an optional module of the project is present (its package may not be)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False
