"""Commands about what documents say: alerts, lint, new."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
