"""Postal lines as a letter prints them: the recipient's lines in the document's language,
the country line in the language of the sender's post (`build.postal_language`)."""
from __future__ import annotations

from ..workspace import model
from ..workspace.model import Recipient, Workspace
from . import i18n
from .views import Picker


def postal_language(ws: Workspace) -> str:
    """The language of the envelope's country line and of the return line."""
    return ws.settings.build.postal_language


def address_lines(recipient: Recipient | None, org: model.Organisation, pick: Picker,
                  postal: str = "en") -> tuple[list[str], bool]:
    """Postal lines; the country is added (in capitals) when the letter crosses a border,
    named in `postal`, the language of the sender's post, which sorts it: "FRANCE" on a
    letter posted in Belgium, whatever the letter's language."""
    if recipient is None:
        return [], False
    lines = [pick.text(line, f"recipient {recipient.id} address") or "" for line in
             recipient.address]
    code = (recipient.country or "").strip()
    country = i18n.country_name(code, postal) if code else ""
    # the sender's country: the last part of its last address line ("…, Belgium" or "Belgium")
    home = (str(org.address[-1]).split(",")[-1] if org.address else "").strip().lower()
    names = {code.lower(), country.lower(), *i18n.country_keys(code)}
    if country and lines and lines[-1].strip().lower() not in names and home not in names:
        return [*lines, country], True
    return lines, False


def address_block(recipient: Recipient | None, org: model.Organisation, pick: Picker,
                  postal: str = "en", addressed: str | None = None) -> list[str]:
    """Name (`addressed`: with the civility the language puts before it), title and postal
    lines as printed, the added country in capitals."""
    if recipient is None:
        return []
    lines, add_country = address_lines(recipient, org, pick, postal)
    if add_country:
        lines = [*lines[:-1], lines[-1].upper()]
    name = addressed or pick.text(recipient.name, f"recipient {recipient.id} name")
    title = pick.text(recipient.title, f"recipient {recipient.id} title")
    return [str(p) for p in (name, title, *lines) if p]
