"""Commands that get letters to people: send, print, status."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
