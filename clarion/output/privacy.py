"""The last line of defence: no private string, nor a distinctive part of one, may appear in
any output."""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import PrivacyError
from .docx_text import docx_parts
from .privacy_fold import (
    GROUP,
    NUMBER_IN_PRIVATE,
    WORD,
    compact,
    fold,
    fold_digits,
    haystack,
    variants,
)
from .privacy_parts import email_parts, pdf_parts
from .privacy_screen import reader_views
from .privacy_words import a_year, distinctive

__all__ = ["Leak", "PrivateValue", "Secret", "Secrets", "Trace", "fold", "found_in", "leaks", "pdf_parts",
           "scan_outputs", "secret_forms", "visible_text"]

#: a whole private value (or line of one) shorter than this, folded, is not searched as such
MIN_CHARS = 8
#: a run of private words is searched when its letters number at least this many
MIN_RUN_CHARS = 6
#: the longest run of words looked for in the public text (longer ones count as public)
MAX_RUN_WORDS = 6
#: the fewest digits of a private number searched for (a PIN); see docs/security.md
MIN_DIGITS = 4
#: a private number this long is also searched by its last SUBSCRIBER_DIGITS digits
#: (a phone number written with or without its country or trunk prefix)
PHONE_DIGITS = 9
SUBSCRIBER_DIGITS = 7
#: a private number shorter than this matches only digits joined by spaces, not by dots,
#: dashes or slashes (`48.21`, `2014-08-21`: a price or a date is not the PIN 4821)
SHORT_DIGITS = 6
#: the most words of one private value turned into runs
MAX_WORDS = 2000
#: the most search patterns, and the longest a document's scan may take: past either the
#: document fails (never a silent pass)
MAX_PATTERNS = 250_000
SCAN_SECONDS = 30.0

_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")


class PrivateValue(Protocol):
    """One private text and where it comes from (the workspace gives them: PrivateValue in
    clarion/workspace/private.py)."""

    @property
    def case(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def text(self) -> str: ...


#: traces a leaked string back in the workspace: (case file, field, holds) → (the field's line,
#: `cases/x.yaml:12`; the first template or campaign line that writes it out, or None), where
#: `holds(text)` says whether a text shows the string (trace_leak in workspace/private.py)
Trace = Callable[[str, str, Callable[[str], bool]], tuple[str, str | None]]


@dataclass(frozen=True)
class Secret:
    """Where a private string comes from: the case, the field and its place in the case file."""

    case: str
    field: str   # `private.family`, `events[2].text`
    file: str    # the case file, relative to the workspace


@dataclass(frozen=True)
class Leak:
    """A private string found in an output: what, where it came from and where it went."""

    secret: Secret
    output: str
    at: str
    where: str   # `cases/x.yaml:23`, the private field's line

    source: str | None = None   # `templates/x.md:3`: a workspace file that writes it out

    def __str__(self) -> str:
        s = self.secret
        by = f"; it is written by {self.source}" if self.source else ""
        return (f"{self.output}: private data of case {s.case} would appear in the output "
                f"{self.at} ({s.field}, {self.where}){by}; nothing was written. Check the "
                "templates and the campaign body.")


class Secrets(dict[str, Secret]):
    """The search patterns of the private values → where each comes from.

    The keys are searched as folded text stands and with only its letters and digits (whole
    values, their lines, e-mail addresses, tokens with a digit). `runs` are runs of words
    (` w1 w2 `) searched in an output's words joined by one space, and `spelled` the same
    without spaces, searched in text spelled out letter by letter (`L e y l a`); `numbers` are digit
    sequences that must cover whole groups of digits of a number in the output."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: dict[str, Secret] = {}
        self.spelled: dict[str, Secret] = {}
        self.numbers: dict[str, Secret] = {}
        self.matcher: _Matcher | None = None
        self.too_many = False     # more than MAX_PATTERNS: made no further

    def count(self) -> int:
        return len(self) + len(self.runs) + len(self.spelled) + len(self.numbers)


@dataclass(frozen=True)
class _Matcher:
    raw: Any      # ahocorasick.Automaton, or None without patterns
    runs: Any
    spelled: Any
    numbers: Any
    too_many: bool


def _automaton(patterns: dict[str, Secret]) -> Any:
    if not patterns:
        return None
    import ahocorasick  # type: ignore[import-not-found]  # the package ships no types
    automaton = ahocorasick.Automaton()
    for form, secret in patterns.items():
        automaton.add_word(form, (len(form), secret))
    automaton.make_automaton()
    return automaton


def _matcher(secrets: dict[str, Secret]) -> _Matcher:
    if not isinstance(secrets, Secrets):  # a plain mapping of forms: searched as raw ones
        return _Matcher(_automaton(dict(secrets)), None, None, None,
                        len(secrets) > MAX_PATTERNS)
    if secrets.matcher is None:
        too_many = secrets.too_many or secrets.count() > MAX_PATTERNS
        secrets.matcher = _Matcher(None, None, None, None, True) if too_many else _Matcher(
            _automaton(secrets), _automaton(secrets.runs), _automaton(secrets.spelled),
            _automaton(secrets.numbers), False)
    return secrets.matcher


def _groups(number: str) -> list[str]:
    return GROUP.findall(number)


def _spans(groups: list[str], most: int = 8) -> Iterator[str]:
    """Every run of whole consecutive groups of a number, joined (`2014-08-10` → 2014, 0810,
    201408, 20140810, …)."""
    for i in range(len(groups)):
        for j in range(i + 1, min(len(groups), i + most) + 1):
            yield "".join(groups[i:j])


class _Public:
    """What the workspace's public text shows: runs of words and numbers (whole groups)."""

    def __init__(self, texts: Iterable[str]):
        self.runs: set[str] = set()
        self.numbers: set[str] = set()
        self.words: set[str] = set()
        for text in texts:
            words = WORD.findall(fold(text))
            self.words.update(words)
            for n in range(2, MAX_RUN_WORDS + 1):
                self.runs.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
            for m in NUMBER_IN_PRIVATE.finditer(fold_digits(text)):
                self.numbers.update(_spans(_groups(m.group())))


def secret_forms(values: Iterable[PrivateValue], public: Iterable[str] | None = None
                 ) -> Secrets:
    """The search patterns of every private value (see docs/security.md, "The privacy stop").

    Each private value (and each of its lines, 8 characters or more) is folded (`fold`), and
    also kept reversed (text set right to left reads backwards) and with only its letters and
    digits. Besides: each e-mail address in it; each number of MIN_DIGITS digits or more (and
    the last SUBSCRIBER_DIGITS of a phone-length one), compared by its digits alone; each token
    with a digit and a letter; and, when the workspace's `public` text is known (by default
    `values.public`, as `private_values` gives it), each shortest run of two or more of its
    words that the public text does not show. An address, number or token the public text
    shows is not searched: an output may show it without any private field."""
    if public is None:
        public = getattr(values, "public", None)
    known = _Public(public) if public is not None else None
    found = Secrets()
    for value in values:
        secret, text = Secret(value.case, value.field, value.file), value.text
        for piece in [text, *re.split(r"[\n;]+", text)]:
            forms = {fold(piece), fold(piece[::-1])}
            forms |= {compact(f) for f in forms}
            for form in forms:
                if len(form) >= MIN_CHARS:
                    found.setdefault(form, secret)
        _parts(found, secret, text, known)
        if found.count() > MAX_PATTERNS:  # every document will fail: stop here
            found.too_many = True
            break
    return found


def _parts(found: Secrets, secret: Secret, text: str, known: _Public | None) -> None:
    """The distinctive parts of one private value: addresses, numbers, tokens, runs."""
    public_words = known.words if known else set()
    public_numbers = known.numbers if known else set()
    for address in _EMAIL.findall(text):
        form = fold(address)
        if compact(form) not in public_words and form not in (known.runs if known else ()):
            found.setdefault(form, secret)
            found.setdefault(compact(form), secret)
    for m in NUMBER_IN_PRIVATE.finditer(fold_digits(text)):
        digits = "".join(_groups(m.group()))
        for part in {digits, digits[-SUBSCRIBER_DIGITS:] if len(digits) >= PHONE_DIGITS
                     else digits}:
            if len(part) >= MIN_DIGITS and part not in public_numbers and not a_year(part):
                found.numbers.setdefault(part, secret)
    for token in text.split():
        form = compact(fold(token))
        if (len(form) >= MIN_RUN_CHARS and any(c.isdigit() for c in token)
                and any(c.isalpha() for c in token) and form not in public_words):
            found.setdefault(form, secret)
    if known is None:
        return
    words = WORD.findall(fold(text))[:MAX_WORDS]
    for i in range(len(words) - 1):
        for j in range(i + 2, min(i + MAX_RUN_WORDS, len(words)) + 1):
            run = words[i:j]
            if " ".join(run) in known.runs:
                continue
            if sum(len(w) for w in run) < MIN_RUN_CHARS or not distinctive(run):
                continue
            found.runs.setdefault(" " + " ".join(run) + " ", secret)
            found.spelled.setdefault("".join(run), secret)
            break  # the shortest run from here that is not public: longer ones hold it


class _Clock:
    """The time one document's scan may take (SCAN_SECONDS)."""

    def __init__(self, name: str):
        self.name, self.deadline = name, time.monotonic() + SCAN_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise PrivacyError(
                f"{self.name}: the privacy scan did not finish within {SCAN_SECONDS:.0f} s; "
                "nothing was written (shorten the private fields or the document)")


def _matches(text: str, m: _Matcher, clock: _Clock) -> Iterator[Secret]:
    """The secret of every pattern found in `text` (raw, runs, then numbers)."""
    if m.too_many:
        raise PrivacyError(f"{clock.name}: the cases' private fields give more than "
                           f"{MAX_PATTERNS} search patterns; nothing was written (shorten "
                           "them: the privacy scan cannot pass an output it did not search)")
    hay = haystack(text)
    clock.check()
    for automaton, where in ((m.raw, hay.raw), (m.runs, hay.runs), (m.spelled, hay.spelled)):
        if automaton is not None:
            for _, (_, secret) in automaton.iter(where):
                yield secret
    clock.check()
    if m.numbers is not None:
        for n, (end, (length, secret)) in enumerate(m.numbers.iter(hay.digits)):
            start = end - length + 1
            if end in hay.ends and start in hay.starts and (
                    length >= SHORT_DIGITS or not any(i in hay.joins
                                                      for i in range(start + 1, end + 1))):
                yield secret
            if n % 65536 == 65535:
                clock.check()


def _first(texts: list[str], secrets: dict[str, Secret], clock: _Clock | None = None
           ) -> Secret | None:
    if not secrets:
        return None
    matcher, clock = _matcher(secrets), clock or _Clock("the privacy scan")
    for text in texts:
        for secret in _matches(text, matcher, clock):
            return secret
    return None


def _origin(secret: Secret, secrets: dict[str, Secret], trace: Trace | None
            ) -> tuple[str, str | None]:
    """(the private field's line, the workspace file that writes the string out or None)."""
    if trace is None:
        return secret.file, None
    forms = Secrets()
    forms.update({form: s for form, s in secrets.items() if s == secret})
    if isinstance(secrets, Secrets):
        forms.runs = {f: s for f, s in secrets.runs.items() if s == secret}
        forms.numbers = {f: s for f, s in secrets.numbers.items() if s == secret}
        forms.spelled = {f: s for f, s in secrets.spelled.items() if s == secret}
    return trace(secret.file, secret.field, lambda line: _first([line], forms) is not None)


def visible_text(markup: str) -> str:
    """The text a reader sees in `markup`, in every searched form (folded)."""
    return "\n".join(fold(v) for v in variants(markup))


def leaks(texts: list[str], secrets: dict[str, Secret]) -> list[str]:
    """Ids of the cases whose private strings appear in any of `texts` (in any variant)."""
    return sorted({s.case for s in found_in(texts, secrets)})


def found_in(texts: list[str], secrets: dict[str, Secret], name: str = "the privacy scan"
             ) -> list[Secret]:
    """The private fields (case, field, file) with a pattern in any of `texts`, sorted; raises
    PrivacyError when the scan cannot finish."""
    if not secrets:
        return []
    matcher, clock = _matcher(secrets), _Clock(name)
    return sorted({s for text in texts for s in _matches(text, matcher, clock)},
                  key=lambda s: (s.case, s.field))


def _line_of(text: str, secrets: dict[str, Secret], clock: _Clock) -> str:
    """`line N` of the first line (else pair of lines) of `text` that holds a private string."""
    lines = text.split("\n")
    for size in (1, 2):
        for i in range(len(lines)):
            if _first(["\n".join(lines[i:i + size])], secrets, clock):
                return f"line {i + 1}"
    return "its text"


def scan_outputs(secrets: dict[str, Secret], name: str, *, markdown: str | None = None,
                 html_text: str | None = None, print_html: str | None = None,
                 metadata: dict[str, object] | None = None, pdf: bytes | None = None,
                 pdf_pages: list[str] | None = None, eml: bytes | None = None,
                 docx: bytes | None = None, trace: Trace | None = None) -> Leak | None:
    """The first private string found in one document's outputs, or None.

    `name` is the document (`build/<campaign>/<stem>`); `markdown` and `html_text` the .md and
    .html outputs, `print_html` the HTML the PDF is made from (each HTML also as its readers
    meet it, on the page and read aloud: privacy_screen.reader_views), `metadata` the document's
    metadata, `pdf` the PDF's bytes (its metadata, XMP and attached files are read back) and
    `pdf_pages` the text laid out on its pages (`pdf.document_texts`), `eml` an e-mail draft
    (its headers and every part, its PDF's text included), `docx` a .docx (its body, footnotes,
    headers, footers, properties and every other part). `trace` lets the leak name the line
    of the private field in its case file, and a file that writes it out. Raises PrivacyError
    when the scan cannot finish (too many patterns, SCAN_SECONDS spent): never a silent pass.
    """
    if not secrets:
        return None
    texts: list[tuple[str, str, str]] = []  # (where, text, line-searchable?)
    if markdown is not None:
        texts.append((f"{name}.md", markdown, "lines"))
    if html_text is not None:
        texts.append((f"{name}.html", html_text, "lines"))
        texts += [(f"{name}.html", t, how) for how, t in reader_views(html_text, "screen")]
    if print_html is not None:
        texts.append((f"{name}.pdf (its HTML)", print_html, "lines"))
        # what CSS writes in print is read from the layout, with what the PDF really shows
        texts += [(f"{name}.pdf", t, how)
                  for how, t in reader_views(print_html, "print", generated=False)]
    if metadata:
        texts.append((f"{name}.pdf", " ".join(str(v) for v in metadata.values()), "metadata"))
    for i, page in enumerate(pdf_pages or []):
        texts.append((f"{name}.pdf", page, f"the laid-out text ({i // 2 + 1})"))
    for suffix, data, reader in ((".pdf", pdf, pdf_parts), (".eml", eml, email_parts),
                                 (".docx", docx, docx_parts)):
        if data is None:
            continue
        try:
            parts = reader(data)
        except Exception:
            return Leak(Secret("?", "?", "?"), name, f"a {suffix} that cannot be read back", "?")
        texts += [(f"{name}{suffix}", text, where) for where, text in parts]
    clock = _Clock(name)
    for output, text, how in texts:
        found = _first([text], secrets, clock)
        if found is None:
            continue
        at = f"{output}, {_line_of(text, secrets, clock)}" if how == "lines" \
            else f"{output}, {how}"
        return Leak(found, name, at, *_origin(found, secrets, trace))
    return None
