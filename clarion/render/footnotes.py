"""Sources as footnotes: cite() in a body, the notes it calls, and their order and place."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import jinja2
from markupsafe import Markup

from ..errors import did_you_mean
from . import markup
from .undefined import soft_fail
from .views import View


def make_cite(cases: Mapping[str, View], cited: dict[str, View]) -> Callable[..., Markup]:
    """cite(key, case=None) for bodies and templates: a footnote call, the source noted in
    `cited` under its label."""

    def cite(key: str, case: str | None = None) -> Markup:
        pool = [cases[case]] if case is not None and case in cases else list(cases.values())
        for c in pool:
            if key in c.sources:
                # the same key in two cases may name two different sources
                label = _label(c.sources[key], cited)
                cited.setdefault(label, c.sources[key])
                return Markup(f"[^{label}]")
        known = {k for c in pool for k in c.sources}
        message = f"cite: no source `{key}` in the cases of this campaign{did_you_mean(key, known)}"
        if soft_fail(message):  # validate's dry run: note it and go on
            return Markup("")
        raise ValueError(message)

    return cite


def _label(source: View, cited: dict[str, View]) -> str:
    """A footnote label for a source: readable, and never shared by two different sources."""
    base = "src-" + re.sub(r"[^A-Za-z0-9_-]", "-", source.key)
    fields = ("key", "title", "publisher", "date", "url")
    for label, other in cited.items():
        if all(getattr(other, f) == getattr(source, f) for f in fields):
            return label
    label, n = base, 1
    while label in cited:
        n += 1
        label = f"{base}-{n}"
    return label


def source_notes(cited: dict[str, View], env: jinja2.Environment) -> str:
    """Markdown footnote definitions for the cited sources (put after everything else)."""
    if not cited:
        return ""
    date = env.filters["date"]
    lines = []
    for label, s in cited.items():
        url = s.url if s.url and markup.safe_link(s.url) and \
            markup.SCHEME_RE.match(s.url) else None  # an address to visit: http(s) only
        parts = [p for p in (s.title and f"“{s.title}”", s.publisher,
                             s.date and date(s.date), url and f"<{url}>") if p]
        text = " ".join(", ".join(parts).split()) or label
        lines.append(f"[^{label}]: {_md_escape(text)}")
    return "\n\n" + "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Source text from data: no raw HTML, but keep <https://…> autolinks."""
    return re.sub(r"<(?!https?://[^\s<>]+>)", "&lt;", text)


def split_endnotes(html: str) -> tuple[Markup, Markup]:
    """The body without its footnotes, and the footnotes (printed at the document's end)."""
    m = re.search(r'<div class="footnote">.*</div>\s*$', html, re.S)
    if not m:
        return Markup(html), Markup("")
    return Markup(html[:m.start()]), Markup(m.group(0))


FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*(?:\n(?:[ \t]{2,}|\t).*)*)\n?", re.M)


def footnotes_last(text: str) -> str:
    """Markdown with every footnote numbered in the order it is first called, and all the
    notes at the very end (after the signatories)."""
    defs: dict[str, str] = {}
    for m in FOOTNOTE_DEF_RE.finditer(text):
        defs.setdefault(m.group(1), m.group(2).rstrip())
    if not defs:
        return text
    text = FOOTNOTE_DEF_RE.sub("", text)
    order: dict[str, int] = {}

    def call(m: re.Match[str]) -> str:
        label = m.group(1)
        if label not in defs:
            return m.group(0)
        number = order.setdefault(label, len(order) + 1)
        return f"[^{number}]"

    text = re.sub(r"\[\^([^\]\s]+)\]", call, text)
    # calls side by side read in order: "³¹" → "¹,³"
    text = re.sub(r"(?:\[\^\d+\]){2,}", lambda m: "".join(
        f"[^{n}]" for n in sorted(int(x) for x in re.findall(r"\d+", m.group(0)))), text)
    notes = [f"[^{n}]: {defs[label]}" for label, n in order.items()]
    return text.rstrip() + "\n\n" + "\n".join(notes) + "\n"

