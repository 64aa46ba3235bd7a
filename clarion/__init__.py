"""Clarion: case records of people at risk → letters, reactions, statements and alerts."""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name → module that defines it (imported on first use, so `clarion --help` is quick)
_PUBLIC = {
    "build": "pipeline.build", "BuildOptions": "pipeline.build", "BuildReport": "pipeline.build",
    "ClarionError": "errors", "Location": "errors", "Problem": "errors",
    "ProblemsError": "errors", "load_workspace": "workspace.load", "read_workspace": "workspace.load",
    "Document": "render.document", "render_document": "render.document",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module 'clarion' has no attribute {name!r}")
