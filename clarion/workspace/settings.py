"""clarion.yaml in its own shape: one record per section, each field declared once with its
doc, default and check. No I/O here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import Location
from ..formats import FORMATS
from ..limits import Limits
from .campaigns import Contact
from .meta import about, internal
from .vocabulary import EMPTY, LocalText

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
PAPERS = ("A4", "letter")
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class Organisation:
    name: LocalText | str = field(default="Clarion", metadata=about(
        "your organisation's name, on the letterhead", required=True))
    short: str | None = field(default=None, metadata=about(
        "used in the window-envelope return line"))
    address: tuple[LocalText | str, ...] = field(default=(), metadata=about(
        "the postal lines of the letterhead and return line"))
    email: str | None = field(default=None, metadata=about("printed on the letterhead"))
    logo: str | None = field(default=None, metadata=about("a logo image under `assets/`"))


@dataclass(frozen=True)
class Signing:
    key: str = field(metadata=about(
        "the private key: PEM or PKCS#12 (`.p12`), may be encrypted"))
    cert: str = field(metadata=about("the certificate: PEM/DER (or the same `.p12` file)"))
    chain: tuple[str, ...] = field(default=(), metadata=about(
        "intermediate certificates, embedded in every signature"))
    reason: str | None = field(default=None, metadata=about("the signature's stated reason"))
    visible: bool = field(default=False, metadata=about(
        "`true`: a signature box on the last page"))
    tsa_url: str | None = field(default=None, metadata=about(
        "an RFC 3161 timestamp server: PAdES B-T instead of B-B"))
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=internal(
        "where each field was written, by field name"))


@dataclass(frozen=True)
class BuildSettings:
    """`build:` in clarion.yaml."""

    formats: tuple[str, ...] = field(default=("pdf", "md"), metadata=about(
        f"what `clarion build` makes: any of {', '.join(FORMATS)}; `--format` overrides it "
        "for one run", choices=tuple(FORMATS)))
    paper: str = field(default="A4", metadata=about(
        "`A4`, or `letter` for US Letter", choices=PAPERS))
    marks: bool = field(default=True, metadata=about(
        "fold marks (105, 210 mm) and punch mark (148.5 mm) on letters"))
    pdf_variant: str | None = field(default=None, metadata=about(
        "`pdf/ua-1` (accessible) or `pdf/a-3b` (archival)", choices=PDF_VARIANTS,
        shown_default="none (PDF/UA-1)"))
    front_matter: bool = field(default=False, metadata=about(
        "Markdown outputs open with YAML front matter (title, date, recipient, language, "
        "campaign)"))
    postal_language: str = field(default="en", metadata=about(
        "the language of the country line on envelopes and of the return line: the post of "
        "your country reads it, whatever the letter's language", choices=("en", "fr")))
    justify: bool = field(default=False, metadata=about(
        "justified text in PDFs instead of ragged right"))


@dataclass(frozen=True)
class LintSettings:
    """`lint:` in clarion.yaml."""

    disable: tuple[str, ...] = field(default=(), metadata=about(
        "rule ids switched off, see `clarion lint`"))


@dataclass(frozen=True)
class Mail:
    """`mail:` in clarion.yaml: e-mail drafts and `clarion send` (never a password)."""

    from_: str | None = field(default=None, metadata=about(
        "the sender: `IPHR <info@example.org>`", key="from"))
    reply_to: str | None = field(default=None, metadata=about("where replies go"))
    host: str | None = field(default=None, metadata=about("the SMTP server"))
    port: int = field(default=587, metadata=about(
        "the SMTP server's port", minimum=1, maximum=65535))
    security: str = field(default="starttls", metadata=about(
        "`starttls`, `tls` or `none`", choices=SECURITY))
    username: str | None = field(default=None, metadata=about(
        "the login; the password is never stored in the workspace"))
    per_minute: int = field(default=20, metadata=about(
        "the most messages `clarion send` sends a minute", minimum=1, maximum=10_000))


@dataclass(frozen=True)
class Settings:
    """clarion.yaml, in its own shape: one section, one record."""

    organisation: Organisation = field(default_factory=Organisation, metadata=about(
        "the sender: letterhead and return address", shown_default="name \"Clarion\""))
    language: str = field(default="en", metadata=about(
        "the default language of your documents, see [Languages](#languages)", check="language"))
    locale: str | None = field(default=None, metadata=about(
        "date and list style for the workspace `language` (`en_US`: \"July 18, 2018\")",
        shown_default="the language's usual style (`en_GB`, `fr_FR`, `ru_RU`, `az_Latn_AZ`)"))
    signing: Signing | None = field(default=None, metadata=about(
        "sign every PDF, see below and docs/signing.md"))
    build: BuildSettings = field(default_factory=BuildSettings, metadata=about(
        "what `clarion build` makes, and how"))
    freshness_days: int = field(default=90, metadata=about(
        "how old a `status_as_of` may be before the status is stale (counts, lint)",
        minimum=1, maximum=36600))
    limits: Limits = field(default_factory=Limits, metadata=about(
        "safety limits; a workspace may only lower them, see below"))
    lint: LintSettings = field(default_factory=LintSettings, metadata=about(
        "`clarion lint`'s settings"))
    press_contact: Contact | None = field(default=None, metadata=about(
        "the default media contact of press reactions"))
    mail: Mail | None = field(default=None, metadata=about(
        "e-mail drafts and `clarion send`, see docs/sending.md"))
    allow_remote: bool = field(default=False, metadata=about(
        "`true` lets PDFs load images from web addresses; when false, a web image is left "
        "out with a warning"))
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=internal(
        "where each section was written, by name"))
