"""An HTML document as its readers meet it, as text for the privacy scan: on the page (what
its style sheets hide left out) and read aloud (alt text and labels in place of what they name).

A value split by a hidden element (`Ley<span class=h>zz</span>la`, `.h {display: none}` only
on screen) or spread over two images' alt texts is whole only in these views: the markup
itself never shows it.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: declarations that may hide an element from sight: (property, values); an empty set of
#: values means any value (`clip`), a value "0" any size too small to see (TINY) and "-" a
#: negative length far enough to move an element off the page (OFF_PAGE)
HIDING: dict[str, frozenset[str]] = {
    "display": frozenset({"none"}), "visibility": frozenset({"hidden", "collapse"}),
    "content-visibility": frozenset({"hidden"}), "opacity": frozenset({"0"}),
    "font-size": frozenset({"0"}), "color": frozenset({"transparent"}),
    "width": frozenset({"0"}), "height": frozenset({"0"}), "max-width": frozenset({"0"}),
    "max-height": frozenset({"0"}), "clip": frozenset(), "clip-path": frozenset(),
    "transform": frozenset({"scale"}), "text-indent": frozenset({"-"}),
    "left": frozenset({"-"}), "top": frozenset({"-"}), "margin-left": frozenset({"-"}),
    "margin-top": frozenset({"-"}), "right": frozenset({"-"}),
}
#: a negative offset at least this many units (of any unit but the small ones) is off the
#: page; in px, pt and mm, OFF_PAGE_SMALL
OFF_PAGE, OFF_PAGE_SMALL = 10, 100
#: a size or opacity below this is no size (`font-size: 0.01px`; in em, % or a plain
#: opacity: TINY); a negative offset is `_LENGTH`
TINY_SMALL, TINY = 1.0, 0.1
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z%]*)")
_LENGTH = re.compile(r"-\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z%]*)")
#: of those, what also hides from a screen reader
SILENCING = frozenset({"display", "visibility", "content-visibility"})
#: elements laid out as blocks: their text does not run on into the next one's
BLOCKS = frozenset({"p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                    "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody",
                    "blockquote", "pre", "section", "header", "footer", "main", "article",
                    "aside", "nav", "figure", "figcaption", "address", "body"})
#: elements never shown, and the most rules and elements looked at
UNSHOWN = frozenset({"head", "style", "script", "template", "title", "meta", "link"})
MAX_RULES = 20_000
MAX_ELEMENTS = 500_000
_HTML = "{http://www.w3.org/1999/xhtml}"


def reader_views(html: str, media: str = "screen", generated: bool = True
                 ) -> list[tuple[str, str]]:
    """(how, text) of `html` seen in `media` ("screen" or "print"): as shown (every element a
    rule for that medium may hide left out, no alt text) and as read aloud (elements hidden
    from screen readers left out, images by their alt text, labelled elements by their label);
    both, when `generated`, with the text style sheets write before and after elements
    (`::before { content: … }`; WeasyPrint's layout reads it for print). Empty for text
    without markup."""
    if "<" not in html:
        return []
    import tinyhtml5  # WeasyPrint's HTML parser
    root = tinyhtml5.parse(html)
    styled = _styled(root, media)
    if not generated:
        styled.before.clear()
        styled.after.clear()
    unshown = {e for e in root.iter() if e.get("hidden") is not None}  # `display: none`
    silent = styled.silencing | unshown | {e for e in root.iter()
                                           if _attr(e, "aria-hidden") == "true"}
    return [(f"the text as shown ({media})",
             _text(root, styled, styled.hiding | unshown, aloud=False)),
            (f"the text as read aloud ({media})", _text(root, styled, silent, aloud=True))]


def _attr(element: Any, name: str) -> str:
    return str(element.get(name, "")).strip().lower()


def _tag(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[len(_HTML):] if tag.startswith(_HTML) else tag


@dataclass
class _Styled:
    """What the style sheets do to a document's elements, as far as its text goes."""

    hiding: set[Any] = field(default_factory=set)     # may be hidden from sight
    silencing: set[Any] = field(default_factory=set)  # hidden from screen readers too
    before: dict[Any, str] = field(default_factory=dict)  # text written before its content
    after: dict[Any, str] = field(default_factory=dict)   # and after


@dataclass(frozen=True)
class _Rule:
    hides: bool
    silences: bool
    content: tuple[tuple[str, str], ...]   # ("string", text) or ("attr", name)


def _styled(root: Any, media: str) -> _Styled:
    """What the rules for `media` in the document's `<style>` elements do to its elements."""
    import cssselect2  # WeasyPrint's selectors
    matcher = _matcher("\n".join(e.text or "" for e in root.iter(f"{_HTML}style")), media)
    found = _Styled()
    for n, element in enumerate(cssselect2.ElementWrapper.from_html_root(root).iter_subtree()):
        if n > MAX_ELEMENTS:
            break
        node = element.etree_element
        for _, _, pseudo, rule in matcher.match(element):  # (specificity, order, …)
            if pseudo is None and rule.hides:
                found.hiding.add(node)
                if rule.silences:
                    found.silencing.add(node)
            elif pseudo in ("before", "after") and rule.content:
                text = "".join(v if kind == "string" else str(node.get(v, ""))
                               for kind, v in rule.content)
                where = found.before if pseudo == "before" else found.after
                where[node] = where.get(node, "") + text
    return found


@functools.lru_cache(maxsize=16)
def _matcher(sheets: str, media: str) -> Any:
    """The rules of `sheets` that hide an element or write text, for `media`, as one
    cssselect2 matcher (made once for the many documents that share one style sheet)."""
    import cssselect2
    matcher = cssselect2.Matcher()
    count = 0
    for prelude, declarations in _rules(sheets, media):
        hides = {name for name, value, _ in declarations if _hides(name, value)}
        content = tuple(part for name, _, tokens in declarations if name == "content"
                        for part in _content(tokens))
        if not hides and not content:
            continue
        try:
            selectors = cssselect2.compile_selector_list(prelude)
        except cssselect2.SelectorError:
            continue
        for selector in selectors:
            matcher.add_selector(selector, _Rule(bool(hides), bool(hides & SILENCING),
                                                 content))
            count += 1
        if count > MAX_RULES:
            break
    return matcher


def _content(tokens: list[Any]) -> Iterator[tuple[str, str]]:
    """The strings and `attr()` of a `content` value."""
    for token in tokens:
        if token.type == "string":
            yield "string", str(token.value)
        elif token.type == "function" and token.lower_name == "attr":
            names = [t.value for t in token.arguments if t.type == "ident"]
            if names:
                yield "attr", str(names[0])


def _rules(text: str, media: str) -> Iterator[tuple[list[Any], list[tuple[str, str, Any]]]]:
    """(selector tokens, [(property, value, value tokens)]) of each style rule that applies
    in `media`, inside @media (when it names that medium), @supports and @layer blocks too."""
    import tinycss2
    todo: list[Iterable[Any]] = [tinycss2.parse_stylesheet(text, True, True)]
    while todo:
        for rule in todo.pop():
            if rule.type == "qualified-rule":
                declarations = tinycss2.parse_declaration_list(rule.content, True, True)
                yield rule.prelude, [(d.lower_name, tinycss2.serialize(d.value).strip().lower(),
                                      d.value) for d in declarations if d.type == "declaration"]
            elif rule.type == "at-rule" and rule.content is not None and (
                    rule.lower_at_keyword in ("supports", "layer", "container", "scope")
                    or (rule.lower_at_keyword == "media" and _applies(
                        tinycss2.serialize(rule.prelude), media))):
                todo.append(tinycss2.parse_rule_list(rule.content, True, True))


def _applies(queries: str, media: str) -> bool:
    """Whether a media query list may apply in `media` (any query may: features are not
    weighed)."""
    for query in queries.lower().split(","):
        words = set(query.replace("(", " ( ").split())
        types = words & {"all", "screen", "print", "speech", "tty", "tv", "projection",
                         "handheld", "braille", "embossed", "aural"}
        if not types or ("not" in words) != (media in types or "all" in types):
            return True
    return False


def _hides(name: str, value: str) -> bool:
    if name not in HIDING:
        return False
    wanted = HIDING[name]
    if not wanted:
        return True
    value = value.replace("!important", "").strip()
    if "0" in wanted and (size := _SIZE.fullmatch(value)):
        small = size.group(2) in ("px", "pt", "mm", "q", "") and name != "opacity"
        return float(size.group(1)) < (TINY_SMALL if small else TINY)
    if "-" in wanted and (length := _LENGTH.match(value)):
        small = length.group(2) in ("px", "pt", "mm", "q", "")
        return float(length.group(1)) >= (OFF_PAGE_SMALL if small else OFF_PAGE)
    if "scale" in wanted and "scale" in value:
        return True
    if name == "color" and ("transparent" in value or value.replace(" ", "").endswith(
            (",0)", "/0)", "/0%)"))):
        return True
    return value in wanted


def _text(root: Any, styled: _Styled, skip: set[Any], aloud: bool) -> str:
    """The text of `root` but the elements in `skip` (their tails kept), blocks on their own
    lines, with the text style sheets write before and after elements; read aloud, an image
    is its alt text, a labelled inline element its label, and a labelled block (a region)
    its label before its text."""
    out: list[str] = []
    todo: list[tuple[Any, bool]] = [(root, False)]  # (element, only its tail)
    while todo:
        element, tail_only = todo.pop()
        if tail_only:
            out.append(element.tail or "")
            continue
        tag = _tag(element)
        todo.append((element, True))
        if element in skip or tag in UNSHOWN or not isinstance(element.tag, str):
            continue  # hidden, never shown, or a comment
        block = tag in BLOCKS
        label = str(element.get("aria-label", "")).strip() if aloud else ""
        out.append(f"\n {label} " if block else f" {label} " if label else "")
        out.append(styled.before.get(element, ""))
        todo.append((_Tail(("\n" if block else "") + styled.after.get(element, "")), True))
        if aloud and tag == "img":
            out.append(f" {element.get('alt', '')} ")
        elif block or not label:
            out.append(element.text or "")
            todo += [(child, False) for child in reversed(list(element))]
    return "".join(out)


@dataclass(frozen=True)
class _Tail:
    """Text at the end of an element's content, in the walk's to-do list (a line break at
    the end of a block, what `::after` writes)."""

    tail: str
