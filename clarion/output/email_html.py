"""The HTML part of an e-mail: the published page with a mail-safe style, images as cid: parts."""
from __future__ import annotations

import base64
import binascii
import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: the style sheet of the e-mail: a readable column, nothing a mail program drops or
#: misreads (no @page, no positioned window zones, no fold marks, no web fonts)
EMAIL_CSS = """\
body { margin: 0; padding: 16px; font-family: Georgia, "Times New Roman", serif;
       font-size: 16px; line-height: 1.45; color: #111; background: #fff; }
.letterhead, .address-field, .inside-address, .dateline, .subject, h1, h2, h3, .cc, .media-contact {
       font-family: Arial, Helvetica, sans-serif; }
.letterhead { margin-bottom: 16px; overflow: hidden; }
.letterhead .org { font-size: 13px; color: #333; }
.letterhead .org strong { display: block; font-size: 15px; color: #111; }
.address-field, .inside-address { margin: 16px 0; font-size: 14px; }
.address-field p, .inside-address p { margin: 0; }
.copy-label { font-weight: bold; }
.dateline { text-align: right; margin: 16px 0; }
h1 { font-size: 20px; } h2 { font-size: 17px; } h3 { font-size: 16px; }
.subject { font-size: 16px; font-weight: bold; }
.signatory { margin: 12px 0; }
.copied-letter { border-top: 1px solid #bbb; margin-top: 24px; padding-top: 12px; }
.endnotes { border-top: 1px solid #bbb; margin-top: 24px; font-size: 14px; }
.cc { margin-top: 16px; font-size: 14px; }
a { color: #0b4a8b; }
"""
#: inline styles by class, for mail programs that drop a <style> element
INLINE = {"letterhead": "margin-bottom:16px", "address-field": "margin:16px 0",
          "dateline": "text-align:right", "subject": "font-size:16px;font-weight:bold",
          "copied-letter": "border-top:1px solid #bbb;margin-top:24px;padding-top:12px",
          "endnotes": "border-top:1px solid #bbb;margin-top:24px"}
#: inline styles of an element inside one of a class: the lines of an address block
NESTED = {("address-field", "p"): "margin:0", ("inside-address", "p"): "margin:0"}
#: furniture of the printed page that means nothing in a mailbox: left out with what it holds
#: (the running head of pages 2+, the envelope's return line, the fold and punch marks)
LEFT_OUT = {"running-title", "return", "marks"}
#: the largest an image may be shown at, by the class of what holds it
IMAGE_SIZES = {"letterhead": "max-height:56px;max-width:240px",
               "signature-slot": "max-height:48px;max-width:180px"}
_DATA_URI = re.compile(r"data:(image/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]*)$", re.I)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


@dataclass(frozen=True)
class Image:
    """One picture of the HTML part, sent as a related part of the message."""

    cid: str            # without the angle brackets
    media_type: str     # image/png
    data: bytes

    @property
    def file_name(self) -> str:
        subtype = self.media_type.split("/", 1)[1].split("+", 1)[0]
        return f"{self.cid.split('@', 1)[0]}.{'jpg' if subtype == 'jpeg' else subtype}"


@dataclass(frozen=True)
class EmailHtml:
    """The HTML alternative and the pictures it shows."""

    html: str
    images: tuple[Image, ...]


def email_html(page: str, domain: str) -> EmailHtml:
    """The published page (`.html`) as the HTML of an e-mail: its head reduced to charset,
    title and EMAIL_CSS; print furniture (LEFT_OUT) left out; each embedded `data:` image
    turned into a `cid:` reference to an Image (the same picture once)."""
    rewriter = _Rewriter(domain)
    rewriter.feed(page)
    rewriter.close()
    title = html_lib.escape(rewriter.title.strip(), quote=False)
    lang = rewriter.lang or "en"
    body = "".join(rewriter.body).strip("\n")
    doc = (f'<!DOCTYPE html>\n<html lang="{html_lib.escape(lang)}">\n<head>\n'
           '<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{title}</title>\n<style>\n{EMAIL_CSS}</style>\n</head>\n"
           f'<body{rewriter.body_attrs} style="margin:0;padding:16px">\n'
           f'<div style="max-width:640px;margin:0 auto">\n{body}\n</div>\n</body>\n</html>\n')
    return EmailHtml(doc, tuple(rewriter.images.values()))


class _Rewriter(HTMLParser):
    """Copies the body of a sanitised page, tag by tag, with the changes email_html makes."""

    def __init__(self, domain: str) -> None:
        super().__init__(convert_charrefs=False)
        self.domain = domain
        self.body: list[str] = []
        self.images: dict[str, Image] = {}
        self.title = ""
        self.lang = ""
        self.body_attrs = ""
        self._where = "head"
        self._skip = 0                      # depth inside an element left out
        self._open: list[set[str]] = []     # the classes of each open element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "title":
            self._where = "title"
        if tag == "body":
            self._where = "body"
            if values.get("class"):
                self.body_attrs = f' class="{html_lib.escape(values["class"] or "")}"'
            return
        if self._where != "body":
            return
        classes = set((values.get("class") or "").split())
        void = tag in _VOID
        if self._skip or classes & LEFT_OUT:
            self._skip += 0 if void else 1
            return
        if not void:
            self._open.append(classes)
        self.body.append(self._tag(tag, attrs, classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._where = "head"
        if self._where != "body" or tag in _VOID:
            return
        if tag == "body":
            self._where = "after"
            return
        if self._skip:
            self._skip -= 1
            return
        if self._open:
            self._open.pop()
        self.body.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._where == "title":
            self.title += data
        elif self._where == "body" and not self._skip:
            self.body.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], classes: set[str]) -> str:
        styles = [INLINE[c] for c in sorted(classes) if c in INLINE]
        styles += sorted({style for (outer, inner), style in NESTED.items() if inner == tag
                          and any(outer in open_ for open_ in self._open[:-1])})
        out: list[str] = []
        for name, value in attrs:
            if name == "style":
                continue
            if tag == "img" and name == "src" and value is not None:
                value = self._cid(value)
                if value is None:
                    continue
            out.append(name if value is None else f'{name}="{html_lib.escape(value)}"')
        if tag == "img":
            size = next((IMAGE_SIZES[c] for open_ in reversed(self._open)
                         for c in sorted(open_) if c in IMAGE_SIZES), "max-width:100%")
            styles.append(f"{size};height:auto;border:0")
        if styles:
            out.append(f'style="{";".join(styles)}"')
        return f"<{tag}{''.join(' ' + a for a in out)}>"

    def _cid(self, src: str) -> str | None:
        """`cid:…` for an embedded picture; other sources kept; a broken one dropped."""
        m = _DATA_URI.match(src.strip())
        if m is None:
            return None if src.strip().lower().startswith("data:") else src
        try:
            data = base64.b64decode(re.sub(r"\s+", "", m.group(2)), validate=True)
        except (binascii.Error, ValueError):
            return None
        digest = hashlib.sha256(data).hexdigest()[:20]
        cid = f"image-{digest}@{self.domain}"
        self.images.setdefault(cid, Image(cid, m.group(1).lower(), data))
        return f"cid:{cid}"
