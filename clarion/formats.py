"""The output formats, one entry each: what a format is made from and what it needs.

Adding a format is one entry in `FORMATS` (then producing its bytes in the engine's worker);
the schema (`build.formats`), the command line (`--format`), the planner and the writer read
this table. Nothing here imports a stage.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: a record id, and so the stem of every output file made for it: lower-case letters, digits
#: and '-' (the schema checks ids with it; the writer refuses any other file name)
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class Format:
    """One output format."""

    #: the name in `build.formats`, `--format` and the manifest; also the file suffix
    name: str
    #: what the format is, for documentation and listings
    doc: str
    #: the media type of its files
    media_type: str
    #: the forms of a rendered document it is made from (`markdown`, `html`, `print`: see
    #: render/document.py's FORMS)
    forms: frozenset[str]
    #: other formats made with it, in the same job (an e-mail draft attaches the PDF)
    made_with: tuple[str, ...] = ()
    #: made only for a recipient with an e-mail address
    needs_email: bool = False
    #: its bytes are the UTF-8 text of one form (the privacy scan reads that form)
    text: bool = False
    #: laid out by WeasyPrint (bounded by `limits.layout_seconds` and `layout_memory_mb`)
    laid_out: bool = False
    #: digitally signed when `signing:` is set
    signed: bool = False

    @property
    def suffix(self) -> str:
        """The file name's ending: `.pdf`."""
        return f".{self.name}"


_ALL = (
    Format("pdf", "a PDF laid out for print (signed when `signing:` is set)",
           "application/pdf", frozenset({"print"}), laid_out=True, signed=True),
    Format("md", "Markdown text", "text/markdown", frozenset({"markdown"}), text=True),
    Format("html", "one HTML file for the screen, images embedded", "text/html",
           frozenset({"html"}), text=True),
    Format("eml", "an e-mail draft: text and HTML parts, the PDF attached (recipients with "
           "an `email` only)", "message/rfc822", frozenset({"markdown", "html", "print"}),
           made_with=("pdf",), needs_email=True),
    Format("docx", "a Word document for partners who edit in a word processor: the PDF's "
           "text, structure, footnotes and signatories (never signed)",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           frozenset({"print"})),
)

#: every output format by name, in the order documentation and messages list them
FORMATS: Mapping[str, Format] = MappingProxyType({f.name: f for f in _ALL})


def forms_for(formats: Iterable[str]) -> frozenset[str]:
    """The forms of a document a build of these formats needs."""
    return frozenset(form for name in formats for form in FORMATS[name].forms)


def formats_for(formats: Iterable[str], has_email: bool) -> tuple[str, ...]:
    """The formats one document is made in: those needing an e-mail address only when the
    recipient has one."""
    return tuple(f for f in formats if has_email or not FORMATS[f].needs_email)
