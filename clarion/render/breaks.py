"""Where a line of HTML may break: words never hyphenated, and URLs as links that break cleanly.

WeasyPrint and browsers hyphenate with a dictionary that knows nothing of names: it cut
"Kales-nikava", "Azer-baïdjan", an all-capitals code and "https://www.iphron-line.org", and the
PDF text then carries a U+2010 inside the name a reader copies. So, in a document's HTML:

- a run of words that must stay whole is wrapped in `<span class="whole">` (`hyphens: manual`
  in style.css): a proper name (a word that starts with a capital, in a language whose common
  nouns do not), a word in capitals, a word with a digit, and any name the caller passes (the
  records' names, for the languages that capitalise every noun);
- a URL written as text becomes a link (`<a href>`: a /URI annotation in the PDF), and every
  URL shown as a link's text may break after `/` and `.` (a `<wbr>`, which adds no character
  to the PDF text), never with an added hyphen (style.css sets `hyphens: manual` on links).

Both are for the print form only (the HTML WeasyPrint lays out, whose `<body>` has the class
`print`); the published HTML keeps its text as written, with its bare URLs linked, and is not
hyphenated on screen (style.css). Nothing in `<head>`, `<style>`, `<script>`, `<pre>`,
`<code>` or an attribute is changed.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence

from .i18n import base

#: the class of a span whose words are never hyphenated (style.css)
WHOLE = "whole"
#: languages that capitalise every noun: a capital there does not make a name
NOUNS_CAPITALISED = frozenset({"de", "lb"})
#: shorter words are never hyphenated anyway (style.css: `hyphenate-limit-chars: 7 3 3`)
SHORTEST = 7

_TOKEN = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_OPAQUE = {"head", "title", "style", "script", "pre", "code", "textarea"}
#: the elements style.css hyphenates: words elsewhere (headings, labels) need no span
_HYPHENATED = {"p", "li", "blockquote", "dd"}
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_PRINT_BODY = re.compile(r'<body\b[^>]*\bclass="[^"]*\bprint\b')
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"«»“”]+[^\s<>()\"«»“”.,;:!?’'»]")
# a word: letters, digits and the hyphens inside it (an apostrophe ends it: l’Azerbaïdjan)
_WORD = re.compile(r"[^\W_](?:[\w\u2010\u2011-]*[^\W_])?")
_GAP = re.compile(r"[ \u00a0\u202f]+")


def mark(text: str, language: str, names: Iterable[str] = ()) -> str:
    """The HTML with its URLs linked; in the print form, its unbreakable words wrapped and
    its URLs breakable after `/` and `.`."""
    printed = _PRINT_BODY.search(text) is not None
    capitals = base(language) not in NOUNS_CAPITALISED
    named = _names_pattern(names)
    out: list[str] = []
    opaque: list[str] = []  # open elements whose text is left alone
    in_link = hyphenated = 0
    last = 0
    for m in _TOKEN.finditer(text):
        out.append(_text(text[last:m.start()], bool(opaque), in_link > 0,
                         printed and hyphenated > 0, printed, capitals, named))
        tag = m.group(0)
        out.append(tag)
        name = _TAG_NAME.match(tag)
        if name and not tag.endswith("/>"):
            closing, element = name.group(1) == "/", name.group(2).lower()
            if element in _OPAQUE:
                if closing and element in opaque:
                    opaque.remove(element)
                elif not closing:
                    opaque.append(element)
            elif element == "a":
                in_link = max(in_link - 1, 0) if closing else in_link + 1
            elif element in _HYPHENATED:
                hyphenated = max(hyphenated - 1, 0) if closing else hyphenated + 1
        last = m.end()
    out.append(_text(text[last:], bool(opaque), in_link > 0, printed and hyphenated > 0,
                     printed, capitals, named))
    return "".join(out)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def _text(raw: str, opaque: bool, in_link: bool, hyphenated: bool, printed: bool,
          capitals: bool, named: re.Pattern[str] | None) -> str:
    if opaque or not raw.strip():
        return raw
    plain = html.unescape(raw)
    if in_link:
        return _breakable(plain) if printed and _URL.fullmatch(plain.strip()) else raw
    rule = capitals if hyphenated else None  # None: no word needs a span here
    parts, last = [], 0
    for m in _URL.finditer(plain):
        parts.append(_words(plain[last:m.start()], rule, named))
        url = m.group(0)
        href = url if "://" in url else "https://" + url
        shown = _breakable(url) if printed else html.escape(url, quote=False)
        parts.append(f'<a href="{html.escape(href)}">{shown}</a>')
        last = m.end()
    parts.append(_words(plain[last:], rule, named))
    done = "".join(parts)
    return raw if done == html.escape(plain, quote=False) else done


def _breakable(url: str) -> str:
    """A URL that may break after each `/` and `.` (not inside `://`), and nowhere else."""
    escaped = html.escape(url, quote=False)
    return re.sub(r"(?<!:)(?<!:/)(/+|\.)(?=[^/])", r"\1<wbr>", escaped)


def _words(plain: str, capitals: bool | None, named: re.Pattern[str] | None) -> str:
    """Runs of words that must stay whole, wrapped in one span each; the rest escaped."""
    spans = _whole_spans(plain, capitals, named)
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(plain[last:start], quote=False))
        out.append(f'<span class="{WHOLE}">{html.escape(plain[start:end], quote=False)}</span>')
        last = end
    out.append(html.escape(plain[last:], quote=False))
    return "".join(out)


def _whole_spans(plain: str, capitals: bool | None,
                 named: re.Pattern[str] | None) -> list[tuple[int, int]]:
    marked: list[tuple[int, int, bool]] = []  # start, end, long enough to matter
    if capitals is None:  # not hyphenated where it stands
        return []
    for m in _WORD.finditer(plain):
        if _never_hyphenated(m.group(0), capitals):
            marked.append((m.start(), m.end(), len(m.group(0)) >= SHORTEST))
    if named is not None:
        marked += [(m.start(), m.end(), True) for m in named.finditer(plain)]
    marked.sort()
    runs: list[list[int]] = []  # [start, end, matters]
    for start, end, matters in marked:
        if runs and (start <= runs[-1][1] or _GAP.fullmatch(plain[runs[-1][1]:start])):
            runs[-1][1] = max(runs[-1][1], end)
            runs[-1][2] |= matters
        else:
            runs.append([start, end, int(matters)])
    return [(start, end) for start, end, matters in runs if matters]


def _never_hyphenated(word: str, capitals: bool) -> bool:
    if any(c.isdigit() for c in word):
        return True
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return capitals and word[0].isupper()


#: the character WeasyPrint ends a hyphenated line with (`hyphenate-character`)
HYPHEN = "\u2010"
#: at most this many hyphenated lines in a row
MOST_IN_A_ROW = 2


def hyphen_faults(pages: Sequence[Sequence[str]]) -> set[str]:
    """The words hyphenated where they must not be, from the laid-out body lines of each page:
    across a page break (the last line of a page), or as a third hyphenated line in a row.
    WeasyPrint 70 has no `hyphenate-limit-lines` nor `hyphenate-limit-last`: the caller lays
    the document out again with these words kept whole (`mark(..., names=faults)`)."""
    faults: set[str] = set()
    lines = [(page, line.rstrip()) for page, body in enumerate(pages) for line in body
             if line.strip()]
    run = 0
    for i, (page, line) in enumerate(lines):
        run = run + 1 if line.endswith(HYPHEN) else 0
        if not run:
            continue
        last_of_page = i + 1 == len(lines) or lines[i + 1][0] != page
        if last_of_page or run > MOST_IN_A_ROW:
            following = lines[i + 1][1] if i + 1 < len(lines) else ""
            head = re.findall(r"\w+$", line[:-1])
            tail = re.findall(r"^\w+", following.lstrip())
            if head:
                faults.add(head[0] + (tail[0] if tail else ""))
    return faults


def keeping_whole(language: str) -> Callable[[str, list[list[str]]], str | None]:
    """The PDF writer's `relayout` for a document in `language`: shown the laid-out pages, the
    HTML again with every word hyphenated across a page or in a third line in a row (found so
    far) kept whole; None once there is none."""
    kept: set[str] = set()

    def again(text: str, pages: list[list[str]]) -> str | None:
        found = hyphen_faults(pages) - kept
        if not found:
            return None
        kept.update(found)
        return mark(text, language, names=kept)
    return again
