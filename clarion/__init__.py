"""Clarion: case records of people at risk → letters, reactions, statements and alerts."""
from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildOptions, BuildReport, build  # noqa: E402
from .errors import ClarionError, Location, Problem, ProblemsError  # noqa: E402
from .load import load_workspace, read_workspace  # noqa: E402
from .render import Document, render_document  # noqa: E402

__all__ = ["__version__", "build", "BuildOptions", "BuildReport", "ClarionError", "Location",
           "Problem", "ProblemsError", "load_workspace", "read_workspace", "Document",
           "render_document"]
