"""Markdown to safe HTML: the one place Markdown is turned into markup and sanitised."""
from __future__ import annotations

import copy
import html
import posixpath
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..errors import TemplateError
from ..limits import HTML_CACHE_SIZE, MARKDOWN_SECONDS
from .calls import SeparatedCalls, order_calls
from .sandbox import RenderTimeout, time_limit

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
        "sub", "sup", "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead",
        "tbody", "tr", "th", "td", "span", "div", "abbr", "cite", "q", "small", "dl", "dt",
        "dd", "img", "figure", "figcaption"}
ATTRIBUTES = {"a": {"href", "title", "id"}, "img": {"src", "alt", "title", "width", "height"},
              "th": {"align", "colspan", "rowspan"}, "td": {"align", "colspan", "rowspan"},
              "li": {"id"}, "sup": {"id"}, "ol": {"start"}, "abbr": {"title"},
              "h2": {"id"}, "h3": {"id"}}
CLASSES = {"span": {"footnote"}, "div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
LINK_SCHEMES = ("http:", "https:", "mailto:")
DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "form", "template", "svg",
                "math", "noscript", "textarea", "select"}
SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        return value if value.startswith("#") or value.lower().startswith(LINK_SCHEMES) \
            else None
    if tag == "img" and attr == "src":
        scheme = SCHEME_RE.match(value)
        if scheme and scheme.group(1).lower() not in ("http", "https", "data"):
            return None
        if value.lower().startswith("data:") and not value.lower().startswith("data:image/"):
            return None
        if not scheme and not _in_assets(value):
            return None
    return value


def _in_assets(src: str) -> bool:
    """A relative image path that stays inside assets/ (no `..`, not absolute)."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/").strip()
    if path.startswith("/") or ".." in path.split("/"):
        return False
    return posixpath.normpath(path).startswith("assets/")


def sanitise(html: str) -> tuple[str, list[str]]:
    """Keep document tags only; return the clean HTML and what was removed, as warnings."""
    audit = _Audit()
    audit.feed(html)
    audit.close()
    clean = nh3.clean(html, tags=TAGS, clean_content_tags=DROP_CONTENT, attributes=ATTRIBUTES,
                      allowed_classes=CLASSES, url_schemes={"http", "https", "mailto", "data"},
                      attribute_filter=_filter_attribute, link_rel=None, strip_comments=True)
    return clean, audit.removed


TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)(/?)>")
ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
COMMENT_RE = re.compile(r"<!--.*?(-->|$)", re.S)
LINK_RE = re.compile(r"(\]\(\s*<?)([a-zA-Z][a-zA-Z0-9+.-]*):((?:[^()\s>]|\([^()\s]*\))*)")


def clean_markdown(text: str) -> tuple[str, list[str]]:
    """Markdown with its raw HTML cut down to document tags, and unsafe link schemes removed.

    The Markdown output is pasted into emails and websites, so it gets the same rules as the
    HTML; this returns what was removed, for the warning.
    """
    removed: list[str] = []

    def note(what: str) -> None:
        if what not in removed:
            removed.append(what)

    text = COMMENT_RE.sub("", text)
    for dropped in DROP_CONTENT:  # the element and everything in it
        pattern = re.compile(rf"<{dropped}\b.*?(</{dropped}\s*>|$)", re.S | re.I)
        if pattern.search(text):
            note(f"<{dropped}> element")
            text = pattern.sub("", text)

    def tag(m: re.Match[str]) -> str:
        closing, name, attrs, selfclose = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
        if name not in TAGS:
            note(f"<{name}> element")
            return ""
        if closing:
            return f"</{name}>"
        kept = []
        for attr, value in ATTR_RE.findall(attrs):
            attr = attr.lower()
            bare = value[1:-1] if value[:1] in "\"'" else value
            if attr == "class" and name in CLASSES and bare in CLASSES[name]:
                kept.append(f'{attr}="{bare}"')
            elif attr not in ATTRIBUTES.get(name, set()):
                note(f"`{attr}` attribute on <{name}>")
            elif _filter_attribute(name, attr, bare) is None:
                note(f"link '{bare[:60]}' on <{name}>")
            else:
                kept.append(f'{attr}="{bare.replace(chr(34), "&quot;")}"')
        return f"<{name}{''.join(' ' + a for a in kept)}{selfclose}>"

    text = TAG_RE.sub(tag, text)

    def link(m: re.Match[str]) -> str:
        whole: str = m.group(0)
        if m.group(2).lower() in ("http", "https", "mailto"):
            return whole
        note(f"link '{m.group(2)}:{m.group(3)[:50]}' on <a>")
        return f"{m.group(1)}#removed"

    text = LINK_RE.sub(link, text)

    def destination(m: re.Match[str]) -> str:
        dest: str = m.group("dest")
        whole: str = m.group(0)
        if safe_link(dest, images=whole.startswith("!")):
            return whole
        note(f"link '{_shown(dest)}' on <a>")
        return whole.replace(dest, "#removed", 1)

    for pattern in (INLINE_DEST_RE, REFERENCE_DEST_RE, AUTOLINK_RE):
        text = pattern.sub(destination, text)
    return text, removed


#: where a Markdown reader finds a link's address: `[x](dest)`, `[x]: dest`, `<dest>`
INLINE_DEST_RE = re.compile(r"!?\]\(\s*<?(?P<dest>[^\s()<>]+)")
REFERENCE_DEST_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(?P<dest>\S+?)>?(?=\s|$)", re.M)
AUTOLINK_RE = re.compile(r"<(?P<dest>[a-zA-Z&][^\s<>]*:[^\s<>]*)>")
_NOT_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")


def _shown(dest: str) -> str:
    return _NOT_IN_SCHEME.sub("", dest)[:60]


def safe_link(dest: str, images: bool = False) -> bool:
    """Whether a link address is one a reader may follow: http, https, mailto, an anchor or a
    relative path (and `data:image/…` for images) — read as a browser reads it, with entities
    decoded and spaces and invisible characters inside the scheme ignored, so that
    `&#106;avascript:`, `java\tscript:` or `JaVaScRiPt:` are not."""
    plain = _NOT_IN_SCHEME.sub("", html.unescape(html.unescape(dest)))
    scheme = SCHEME_RE.match(plain)
    if not scheme:
        return ":" not in plain.split("/", 1)[0] or plain.startswith("#")
    name = scheme.group(1).lower()
    if name in ("http", "https", "mailto"):
        return True
    return images and plain.lower().startswith("data:image/")


class _Audit(HTMLParser):
    """Names the tags and attributes the sanitiser will remove, for the user's warning."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self._note(f"<{tag}> element")
            return
        allowed = ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name == "class" and tag in CLASSES:
                continue
            if name not in allowed:
                self._note(f"`{name}` attribute on <{tag}>")
            elif _filter_attribute(tag, name, value or "") is None:
                self._note(f"link '{(value or '')[:60]}' on <{tag}>")

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)


class _InlineFootnotes(Treeprocessor):
    """Move each footnote's text to where it is called, for WeasyPrint's `float: footnote`."""

    def run(self, root: etree.Element) -> None:
        holder = next((d for d in root.iter("div") if d.get("class") == "footnote"), None)
        if holder is None:
            return
        notes: dict[str, etree.Element] = {}
        for li in holder.iter("li"):
            span = etree.Element("span", {"class": "footnote"})
            first = True
            for p in list(li):
                for a in list(p.iter("a")):
                    if a.get("class") == "footnote-backref":
                        _remove(p, a)
                if not first:
                    span.append(etree.Element("br"))
                _move_content(p, span)
                first = False
            notes[li.get("id", "")[3:]] = span
        order_calls(root)  # "³¹" → "¹,³": calls side by side in the order of their numbers
        numbers: dict[str, int] = {}  # note → its number, in the order first called
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "sup" and child.get("id", "").startswith("fnref"):
                    i = list(parent).index(child)  # earlier commas shift the positions
                    key = child.get("id", "").split(":", 1)[-1]
                    note = notes.get(key)
                    if note is None:
                        continue
                    if key in numbers:
                        # a source cited again: its number again, one footnote per source
                        note = etree.Element("sup")
                        note.text = str(numbers[key])
                    else:
                        numbers[key] = len(numbers) + 1
                        note = copy.deepcopy(note)
                    note.tail = child.tail
                    parent.remove(child)
                    parent.insert(i, note)
                    before = parent[i - 1] if i > 0 else None
                    if before is not None and (before.get("class") == "footnote" or (
                            before.tag == "sup" and (before.text or "").isdigit())) \
                            and not (before.tail or "").strip():
                        # two calls side by side: "¹,²" rather than "¹²" (read as 12)
                        comma = etree.Element("sup")
                        comma.text = ","
                        comma.tail = before.tail
                        before.tail = None
                        parent.insert(i, comma)
        for parent in root.iter():
            if holder in list(parent):
                parent.remove(holder)
                break


def _remove(parent: etree.Element, node: etree.Element) -> None:
    for p in parent.iter():
        if node in list(p):
            idx = list(p).index(node)
            text = (node.tail or "").rstrip("\xa0 ")
            if idx > 0:
                prev = p[idx - 1]
                prev.tail = (prev.tail or "").rstrip("\xa0 ") + text
            else:
                p.text = (p.text or "").rstrip("\xa0 ") + text
            p.remove(node)
            return


def _move_content(src: etree.Element, dst: etree.Element) -> None:
    if src.text:
        if len(dst):
            dst[-1].tail = (dst[-1].tail or "") + src.text
        else:
            dst.text = (dst.text or "") + src.text
    for child in list(src):
        dst.append(child)


class _FootnoteExtension(markdown.Extension):
    def __init__(self, inline: bool) -> None:
        super().__init__()
        self.inline = inline

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if self.inline:
            md.treeprocessors.register(_InlineFootnotes(md), "clarion-inline-footnotes", 5)
        else:
            md.treeprocessors.register(SeparatedCalls(md), "clarion-separated-calls", 5)


def _language_configs(language: str) -> dict[str, dict[str, Any]]:
    """Footnote back-link title from the catalogue; the language's quotation marks."""
    from . import i18n, languages
    title = i18n.catalog(language).gettext("Jump back to footnote %d in the text")
    opening, closing = languages.get(language).quotes
    return {"footnotes": {"BACKLINK_TEXT": "↩", "BACKLINK_TITLE": title},
            "smarty": {"substitutions": {"left-double-quote": opening,
                                         "right-double-quote": closing}}}


#: the last bodies turned into HTML: in a campaign to many recipients the body's Markdown is
#: usually the same for all of them, and Python-Markdown is a tenth of a letter's making
_CONVERTED: dict[tuple[str, bool, str], tuple[Markup, tuple[str, ...]]] = {}


def to_html(text: str, inline_footnotes: bool, seconds: float | None = None,
            where: str = "the body", language: str = "en") -> tuple[Markup, list[str]]:
    """Markdown (body of a document) → sanitised HTML, plus warnings for removed content.

    The result depends only on the text, the footnote style and the language, and is kept
    for the next document with the same (a failure is not kept: it is raised each time).
    """
    key = (text, inline_footnotes, language)
    if key not in _CONVERTED:
        if len(_CONVERTED) >= HTML_CACHE_SIZE:
            _CONVERTED.clear()
        _CONVERTED[key] = _convert(text, inline_footnotes, seconds, where, language)
    clean, removed = _CONVERTED[key]
    return clean, list(removed)


def _convert(text: str, inline_footnotes: bool, seconds: float | None, where: str,
             language: str) -> tuple[Markup, tuple[str, ...]]:
    extensions: list[str | markdown.Extension] = ["footnotes", "sane_lists", "tables", "smarty",
                                                  _FootnoteExtension(inline_footnotes)]
    limit = min(seconds or MARKDOWN_SECONDS, MARKDOWN_SECONDS)
    named = " (limits.render_seconds)" if limit < MARKDOWN_SECONDS else ""
    try:
        with time_limit(limit):
            raw = markdown.markdown(text, extensions=extensions, output_format="html",
                                    extension_configs=_language_configs(language))
    except RenderTimeout:
        raise TemplateError(f"{where}: turning the Markdown into HTML took longer than "
                            f"{limit:g} s{named}; look for long runs of nested brackets or "
                            "tags") from None
    except (RecursionError, MemoryError) as e:
        raise TemplateError(f"{where}: the Markdown is nested too deeply to turn into HTML "
                            f"({type(e).__name__})") from None
    clean, removed = sanitise(raw)
    if inline_footnotes:
        clean = re.sub(r"(?:&nbsp;|\xa0|\s)+</span>", "</span>", clean)
    return Markup(clean), tuple(removed)


#: what the published .html document may hold besides TAGS: the built-in templates' sections
DOCUMENT_TAGS = TAGS | {"section", "header", "footer", "main", "article", "aside", "nav",
                       "wbr"}  # where a URL may break (render/breaks.py)
DOCUMENT_ATTRIBUTES = {**{tag: set(names) for tag, names in ATTRIBUTES.items()},
                       "*": {"class", "id", "lang", "dir", "title", "role", "aria-label",
                             "aria-hidden"}}
_HEAD_PARTS = re.compile(r'<meta\s+charset="[^"<>]*"\s*/?>'
                         r'|<meta\s+name="[^"<>]*"\s+content="[^"<>]*"\s*/?>'
                         r"|<title>[^<]*</title>|<style>[^<]*</style>", re.I)
_HTML_LANG = re.compile(r'<html\b[^>]*?\blang="([A-Za-z0-9-]{1,35})"', re.I)
_BODY = re.compile(r"<body\b([^>]*)>(.*)</body>", re.I | re.S)
_BODY_CLASS = re.compile(r'\bclass="([A-Za-z0-9 _-]*)"')
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:image/)[^)]*\)", re.I)


def sanitise_document(html: str) -> str:
    """The published .html file rebuilt from its allowed parts, whatever a workspace template
    wrote: `<meta>` (charset, name/content), `<title>` and `<style>` in the head (style sheets
    may not import or load anything but inline images), and a body cleaned as Markdown output
    is (no script, event handler, `javascript:`, `vbscript:` or non-image `data:` link)."""
    head_end = html.lower().find("<body")
    head = "\n".join(m.group(0) for m in _HEAD_PARTS.finditer(html[:max(head_end, 0)]))
    head = _CSS_URL.sub("none", _CSS_IMPORT.sub("", head))
    lang = _HTML_LANG.search(html)
    body = _BODY.search(html)
    classes = _BODY_CLASS.search(body.group(1)) if body else None
    inner = nh3.clean(body.group(2) if body else html, tags=DOCUMENT_TAGS,
                      clean_content_tags=DROP_CONTENT, attributes=DOCUMENT_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "data"},
                      attribute_filter=_filter_attribute, link_rel=None, strip_comments=True)
    return (f'<!DOCTYPE html><html lang="{lang.group(1) if lang else "en"}">\n<head>\n{head}\n'
            f'</head>\n<body class="{classes.group(1) if classes else ""}">\n{inner}\n'
            "</body>\n</html>\n")
