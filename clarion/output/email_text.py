"""The text/plain part of an e-mail: a document's Markdown read as plain text, notes at the end."""
from __future__ import annotations

import re
from collections.abc import Callable

_BREAK = re.compile(r"\\$")                        # a hard line break: `line\`
_NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]+)\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"
                   r"|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CODE = re.compile(r"`([^`]+)`")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")   # a backslash escape of ASCII punctuation
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^>\s?")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_CONTINUED = re.compile(r"^(?: {4}|\t)(.*)$")
#: escaped marks are set aside as private-use characters while the marks are read
_HIDDEN = 0xF0000
_UNHIDE = re.compile("[\U000F0021-\U000F007E]")
_Call = Callable[[re.Match[str]], str]
#: how a horizontal rule (`---`: a copy's cover note above the letter) reads in plain text
RULE = "-" * 30


def plain_text(markdown: str) -> str:
    """The document as a reader of plain-text mail should see it: no front matter, no
    Markdown marks (`**…**`, a line-ending `\\`, `[^1]`), links as `text (url)`, lists and
    paragraphs kept, and footnotes renumbered in order of first call as `[1] …` at the end.
    Ends in one newline."""
    text = _without_front_matter(markdown.replace("\r\n", "\n"))
    body, notes = _split_notes(text.split("\n"))
    numbers: dict[str, int] = {}

    def call(m: re.Match[str]) -> str:
        if m.group(1) not in notes:
            return ""     # a call without its note says nothing to a reader
        number = numbers.setdefault(m.group(1), len(numbers) + 1)
        return f"[{number}]"

    out = [_line(line, call) for line in body]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    listed = [f"[{n}] {_inline(notes[label], call)}"
              for label, n in sorted(numbers.items(), key=lambda kv: kv[1])]
    if listed:
        text += "\n\n" + RULE + "\n" + "\n".join(listed)
    return text + "\n"


def _without_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def _split_notes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The lines that are not footnote definitions, and each definition's text by label (a
    definition's indented continuation lines joined to it)."""
    body: list[str] = []
    notes: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        m = _NOTE_DEF.match(line)
        if m:
            current = m.group(1)
            notes.setdefault(current, m.group(2).strip())
            continue
        more = _CONTINUED.match(line)
        if current is not None and more and more.group(1).strip():
            notes[current] = f"{notes[current]} {more.group(1).strip()}".strip()
            continue
        if line.strip():
            current = None
        body.append(line)
    return body, notes


def _line(line: str, call: _Call) -> str:
    """One line of the body in plain text."""
    if _RULE.match(line):
        return RULE
    heading = _HEADING.match(line)
    if heading:
        title = _inline(heading.group(2), call)
        underline = "=" if len(heading.group(1)) == 1 else "-"
        return f"{title}\n{underline * min(len(title), 72)}"
    quoted = ""
    while _QUOTE.match(line):
        line = _QUOTE.sub("", line, count=1)
        quoted += "    "
    return quoted + _inline(_BREAK.sub("", line.rstrip()), call)


def _inline(text: str, call: _Call) -> str:
    """Inline Markdown as plain text (an escaped mark, `\\*`, is kept as the mark)."""
    text = _ESCAPED.sub(lambda m: chr(_HIDDEN + ord(m.group(1))), text)
    text = _NOTE_REF.sub(call, text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(_link, text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    for _ in range(3):  # nested emphasis: ***x***, **a *b* c**
        text = _STRONG.sub(lambda m: m.group(2), text)
        text = _EMPH.sub(lambda m: m.group(1) or m.group(2), text)
    return _UNHIDE.sub(lambda m: chr(ord(m.group(0)) - _HIDDEN), text)


def _link(m: re.Match[str]) -> str:
    label, url = m.group(1), m.group(2)
    shown = url.removeprefix("mailto:")
    if label.strip() in (url, shown):
        return shown
    return f"{label} ({shown})"
