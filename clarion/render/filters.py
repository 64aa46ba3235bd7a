"""Pure template filters, bound to a document's language and locale."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.exceptions import SecurityError

from ..limits import MAX_WIDTH
from . import i18n, languages
from .undefined import soft_fail


def _gender(person: Any) -> str | None:
    value = getattr(person, "gender", None) if not isinstance(person, str) else person
    return str(value) if value else None


def make_filters(language: str, locale: str) -> dict[str, Callable[..., Any]]:
    """The documented filters: date, list_and, pronoun, gendered (and safe replacements)."""

    def date(value: dt.date | str | None, style: str = "long") -> str:
        """`short`, `medium`, `long` (default), `full`, `iso` or a CLDR pattern (`'d MMMM'`);
        another style stops the build (`validate` notes it at its line and goes on)."""
        problem = i18n.date_style_problem(style)
        if problem is not None:
            if not soft_fail(problem):
                raise ValueError(problem)
            style = "long"
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return i18n.styled_date(value, style, locale)

    def list_and(items: Iterable[Any]) -> str:
        return i18n.list_and(items, locale)

    def pronoun(person: Any, form: str = "subject") -> str:
        if form not in i18n.PRONOUN_FORMS:
            raise ValueError(f"pronoun form must be one of {', '.join(i18n.PRONOUN_FORMS)}")
        return i18n.pronoun(_gender(person), form, language)

    def gendered(person: Any, masculine: str, feminine: str, other: str | None = None) -> str:
        gender = _gender(person)
        if gender == "male":
            return masculine
        if gender == "female":
            return feminine
        return other if other is not None else masculine

    def datetime(value: dt.datetime | None) -> str:
        if value is None:
            return ""
        return i18n.long_datetime(value, locale)

    def dateline(value: dt.date | str | None, place: Any = None) -> str:
        """`campaign.date|dateline(campaign.place)` → 'Bruxelles, le 18 juillet 2018'."""
        if value is None or value == "":
            return str(place or "")
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return i18n.dateline(str(place) if place else None, value, locale)

    def date_range(start: dt.date | str | None, end: dt.date | str | None) -> str:
        """`window.from|date_range(window.end)` → '6–12 October 2014'."""
        if isinstance(start, str):
            start = dt.date.fromisoformat(start)
        if isinstance(end, str):
            end = dt.date.fromisoformat(end)
        if start is None or end is None:
            return date(start or end)
        return i18n.date_range(start, end, locale)

    def quoted(text: Any) -> str:
        return i18n.quote(str(text), language)

    def label(text: Any) -> str:
        """'cc' → 'cc:', in French 'Copie :' (a no-break space before the colon)."""
        return languages.label(str(text), language)

    def capfirst(text: Any) -> str:
        words = str(text)
        return words[:1].upper() + words[1:]

    def center(value: Any, width: int = 80) -> str:
        return str(value).center(_width(width))

    def indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False,
               ) -> str:
        from jinja2.filters import do_indent
        return str(do_indent(str(value), _width(width) if isinstance(width, int) else str(width)[
            :MAX_WIDTH], first, blank))

    def format_(value: Any, *args: Any, **kwargs: Any) -> str:
        raise SecurityError("the `format` filter is not available; join values with ~")

    return {"date": date, "datetime": datetime, "quoted": quoted, "label": label,
            "list_and": list_and, "pronoun": pronoun, "gendered": gendered,
            "capfirst": capfirst, "center": center, "indent": indent, "format": format_,
            "dateline": dateline, "date_range": date_range}


def _width(width: object) -> int:
    if not isinstance(width, int) or width > MAX_WIDTH:
        raise SecurityError(f"width larger than {MAX_WIDTH}")
    return width

