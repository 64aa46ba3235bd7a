"""The typed, frozen records a workspace is made of, in one place to import them from.

Each record is declared once, field by field (type, default, doc and check), in the module of
its kind: people.py (cases, recipients, signatories), campaigns.py, settings.py (clarion.yaml);
the schema the loader checks files with is made from those declarations (records.py). Kinds
and formats are registries (clarion/kinds.py, clarion/formats.py). No I/O here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..formats import FORMATS as FORMAT_REGISTRY
from ..kinds import Kind
from ..limits import Limits
from .campaigns import Campaign, Contact, EventRef, Quote, Translation, Window
from .options import LoadOptions
from .people import (
    Case,
    Charge,
    Event,
    Judgment,
    Recipient,
    Recognition,
    Sentence,
    Signatory,
    Source,
)
from .settings import (
    PDF_VARIANTS,
    BuildSettings,
    LintSettings,
    Mail,
    Organisation,
    Settings,
    Signing,
)
from .vocabulary import (
    EMPTY,
    GROUP_PREFIX,
    HELD,
    EventType,
    Gender,
    LocalText,
    Status,
    text_in,
    texts_of,
)

__all__ = [
    "EMPTY", "FORMATS", "GROUP_PREFIX", "HELD", "PDF_VARIANTS", "BuildSettings", "Campaign",
    "Case", "Charge", "Contact", "Event", "EventRef", "EventType", "Gender", "Judgment", "Kind",
    "Limits", "LintSettings", "LocalText", "Mail", "Organisation", "Quote", "Recipient",
    "Recognition", "Sentence", "Settings", "Signatory", "Signing", "Source", "Status",
    "Translation", "Window", "Workspace", "text_in", "texts_of",
]

#: the output formats' names, in order (the registry is clarion/formats.py)
FORMATS = tuple(FORMAT_REGISTRY)


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings
    cases: Mapping[str, Case]
    recipients: Mapping[str, Recipient]
    signatories: Mapping[str, Signatory]
    campaigns: Mapping[str, Campaign]
    #: forms of address: language → honorific rule → salutation/closing (workspace/salutations)
    salutations: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    #: how it was loaded (links allowed, limits raised): what every later stage reads
    options: LoadOptions = field(default_factory=LoadOptions)

    def group(self, name: str) -> list[Recipient]:
        return [r for r in self.recipients.values() if name in r.groups]
