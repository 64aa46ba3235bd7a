"""What each column of a sign-on form's export holds, from its question (English, French,
Russian), and what the answers to the yes/no and individual/organisation questions mean."""
from __future__ import annotations

import re
from dataclasses import dataclass

#: roles a column may play, each found by the words of its header (casefolded), tried in this
#: order: the first that matches wins ("Email of your organisation" is an e-mail column,
#: "Country of your organisation" a country, "Organisation name" an organisation)
ROLES: tuple[tuple[str, str], ...] = (
    ("timestamp", r"timestamp|horodat|отметка времени|submitted|submission|^date$|^date |"
                  r"created|start time|completion time|^дата|^время"),
    ("email", r"e-?mail|courriel|adresse (?:é|e)lectronique|почт"),
    ("consent", r"consent|agree|accept|autoris|соглас|публик|publish|publication"),
    ("capacity", r"signing as|sign as|on behalf|capacity|individual or|as an individual|"
                 r"en tant que|(?:à|a) titre|au nom|в качестве|от имени|"
                 r"type of signat|signatory type|quelle qualit|как частное"),
    ("country", r"country|pays|стран"),
    ("website", r"website|web site|site web|site internet|сайт|\burl\b"),
    ("comment", r"comment|message|remark|\bnotes?\b|remarque|комментар|сообщени|примечан"),
    ("title", r"position|job|title|\brole|function|fonction|titre|poste|qualit|должност|"
              r"\bроль"),
    ("affiliation", r"affiliation|institution|university|universit(?:é|e)|employer|"
                    r"аффилиац|место работы"),
    ("first", r"first name|given name|forename|pr(?:é|e)nom|^имя$"),
    ("last", r"last name|surname|family name|nom de famille|фамили"),
    ("organisation", r"organi[sz]ation|organisme|association|\bngo\b|\bong\b|group name|"
                     r"организац"),
    ("city", r"\bcity\b|\btown\b|\bville\b|город"),
    ("person", r"name|\bnom\b|имя|фио"),
)
_ROLES = tuple((role, re.compile(pattern)) for role, pattern in ROLES)

#: what each role becomes, in words for the report
ROLE_WORDS = {
    "timestamp": "when they signed", "email": "e-mail (kept, never printed)",
    "consent": "consent to publish", "capacity": "organisation or individual",
    "country": "country", "website": "website (kept)", "comment": "comment (kept)",
    "title": "position", "affiliation": "affiliation", "first": "first name",
    "last": "last name", "organisation": "organisation", "city": "city",
    "person": "name"}

#: an answer saying no (to consent), in the languages of the aliases
NO = re.compile(r"^\s*(?:no|non|нет|false|0|n|disagree|je refuse|не согласен|не согласна)\b",
                re.I)
#: an answer to "individual or organisation?" that means an individual
INDIVIDUAL = re.compile(r"individu|personal|personnel|privately|myself|\bself\b|particulier|"
                        r"citizen|citoyen|частн|лично|физическ|от себя|от своего имени", re.I)
#: an answer that is no answer (a required question answered with a dash)
NO_ANSWER = re.compile(r"^\s*(?:-+|—|–|n/?a|none|nil|\.+|\?+)\s*$", re.I)
#: an organisation cell that means "none" (so the person signs as an individual)
NO_ORGANISATION = re.compile(r"^\s*(?:-+|n/?a|none|nil|no|non|aucune?|нет|—|individual|"
                             r"independent|ind(?:é|e)pendante?|self|myself|personal|"
                             r"(?:à|a) titre personnel|in a personal capacity|частное лицо)"
                             r"\s*\.?\s*$", re.I)


@dataclass(frozen=True)
class Columns:
    """Each column's role (None: not used), and the headers as given."""

    roles: tuple[str | None, ...]
    headers: tuple[str, ...]

    def index(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]


def role_of(header: str) -> str | None:
    """The role of a column from its header, or None when it says nothing we use."""
    text = " ".join(header.casefold().split())
    return next((role for role, pattern in _ROLES if pattern.search(text)), None)


def read_columns(headers: list[str]) -> Columns:
    """The role of every column. A second column of one role is not used (a form asks each
    question once), except that with a first-name column and no last-name one, a plain name
    column is the last name (`Prénom` + `Nom`), and the other way round (`Имя` + `Фамилия`)."""
    roles: list[str | None] = []
    for header in headers:
        role = role_of(header) if header.strip() else None
        roles.append(None if role in roles and role not in ("first", "last") else role)
    if "person" in roles and ("first" in roles) != ("last" in roles):
        roles[roles.index("person")] = "last" if "first" in roles else "first"
    return Columns(tuple(roles), tuple(headers))
