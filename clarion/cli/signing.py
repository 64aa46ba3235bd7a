"""Commands about signatures: verify, keys."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
