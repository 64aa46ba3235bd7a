"""The preview's own pages, as HTML text: the index of campaigns and their documents, the
page of one document (its HTML beside its PDF, the workspace's problems above), and the note
shown in place of a document that cannot be made. Every value from the workspace is escaped."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from .documents import Shown
from .state import CampaignEntry, Entry, Notice, Snapshot

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f4f4f2}
header{display:flex;gap:.6em;align-items:baseline;padding:.6em 1em;background:#24323f;color:#fff}
header a{color:#fff}header nav{flex:1;min-width:0;white-space:nowrap;overflow:hidden;
  text-overflow:ellipsis}header .live{font-size:.85em;opacity:.8;white-space:nowrap}
header .live.lost{color:#ffb4a8;opacity:1}
main{padding:0 1em 1em}h1{font-size:1.25em;margin:.8em 0 .4em}h2{font-size:1.05em;margin:.8em 0 .3em}
ul.notices{list-style:none;padding:0;margin:0;font:13px/1.4 ui-monospace,monospace}
ul.notices li{padding:.15em .5em;border-left:4px solid #bbb;background:#fff;margin:2px 0;
  white-space:pre-wrap;overflow-wrap:anywhere}
li.error{border-color:#c0392b!important}li.warning{border-color:#d4a017!important}
li.lint{border-color:#2c7fb8!important}
.stop{background:#fdecea;border:1px solid #c0392b;padding:.4em .9em;margin:.8em 0}
.ok{color:#2e7d32}.campaign{background:#fff;padding:.5em 1em;margin:.6em 0;border:1px solid #ddd}
.campaign .meta{color:#666;font-size:.9em}.lang{color:#666;font-size:.85em}
.panes{display:flex;gap:1em;margin-top:.8em}
figure{flex:1;margin:0;display:flex;flex-direction:column;min-width:0}
figcaption{font-weight:600;margin-bottom:.3em}figcaption a{font-weight:400;font-size:.9em}
iframe{width:100%;height:80vh;border:1px solid #ccc;background:#fff}
"""

#: polls the page's tag; when it changes, the page is fetched again and each part of its
#: <main> that changed (the problems, the document) is replaced: a document's frames are
#: loaded again only when the document changed
SCRIPT = """
(function () {
  var delay = 300, failures = 0;
  function main() { return document.getElementById("main"); }
  function state(text, lost) {
    var live = document.getElementById("live");
    if (live) { live.textContent = text; live.className = lost ? "live lost" : "live"; }
  }
  function later() { setTimeout(tick, Math.min(delay * (1 + failures), 3000)); }
  function swap(fresh) {
    var m = main();
    Array.prototype.forEach.call(fresh.children, function (part) {
      var old = part.id ? document.getElementById(part.id) : null;
      if (!old || old.parentNode !== m) { m.replaceWith(document.importNode(fresh, true)); m = main(); return; }
      if (old.dataset.tag !== part.dataset.tag) { old.replaceWith(document.importNode(part, true)); }
    });
    m.dataset.tag = fresh.dataset.tag;
  }
  function tick() {
    fetch(main().dataset.poll, {cache: "no-store"}).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (answer) {
      failures = 0; state("live: updates as you save", false);
      if (answer.tag === main().dataset.tag) { return null; }
      return fetch(location.href, {cache: "no-store"}).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.text();
      }).then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("main");
        if (fresh) { swap(fresh); }
      });
    }).catch(function () {
      failures += 1; state("not connected: is `clarion preview` still running?", true);
    }).then(later, later);
  }
  later();
})();
"""


def _page(title: str, crumbs: str, main: str, nonce: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="referrer" content="no-referrer">'
            f"<title>{escape(title)} · Clarion preview</title>"
            f'<style nonce="{nonce}">{STYLE}</style></head>\n<body><header><nav>{crumbs}</nav>'
            f'<span id="live" class="live">live: updates as you save</span></header>\n'
            f"{main}\n<script nonce=\"{nonce}\">{SCRIPT}</script></body></html>\n")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _part(name: str, inner: str) -> str:
    """One part of <main>, tagged with its content: the page's script replaces it alone."""
    return f'<div id="{name}" data-tag="{_digest(inner)}">\n{inner}</div>\n'


def main_html(poll: str, parts: dict[str, str]) -> tuple[str, str]:
    """<main>, made of tagged parts, and its tag (what the page polls for)."""
    body = "".join(_part(name, inner) for name, inner in parts.items())
    tag = _digest(body)
    return (f'<main id="main" data-tag="{tag}" data-poll="{escape(poll)}">\n{body}</main>',
            tag)


def notices_html(notices: Iterable[Notice]) -> str:
    """The workspace's problems, one `file:line: message` per line."""
    shown = list(notices)
    if not shown:
        return '<p class="ok">validate and lint: no problems</p>\n'
    counts = {s: sum(1 for n in shown if n.severity == s) for s in ("error", "warning", "lint")}
    head = ", ".join(f"{c} {'lint finding' if s == 'lint' else s}{'s' if c != 1 else ''}"
                     for s, c in counts.items() if c)
    items = "".join(f'<li class="{escape(n.severity)}">{escape(n.text)}</li>' for n in shown)
    return (f"<h2>validate and lint: {escape(head)}</h2>"
            f'<ul class="notices">{items}</ul>\n')


def _lines(lines: Iterable[str], severity: str) -> str:
    items = "".join(f'<li class="{severity}">{escape(line)}</li>' for line in lines)
    return f'<ul class="notices">{items}</ul>'


def path(base: str, what: str, campaign: str, recipient: str | None) -> str:
    """A document's address: `BASE/WHAT/CAMPAIGN[/RECIPIENT]`."""
    parts = [what, campaign] + ([recipient] if recipient else [])
    return base + "/" + "/".join(quote(p, safe="") for p in parts)


def index_main(snapshot: Snapshot, base: str) -> tuple[str, str]:
    """The index's <main> and its tag."""
    campaigns = snapshot.campaigns()
    body = "".join(_campaign_html(c, base) for c in campaigns)
    if not campaigns:
        body = "<p>No campaign to show.</p>" if snapshot.loaded is not None else \
            '<p class="stop">The workspace cannot be read; see the problems above.</p>'
    return main_html(f"{base}/tag", {"notices": notices_html(snapshot.notices),
                                     "campaigns": f"<h1>Campaigns</h1>\n{body}"})


def index_page(snapshot: Snapshot, base: str, nonce: str) -> str:
    crumbs = f'<a href="{escape(base)}/">Clarion preview</a>'
    return _page("Campaigns", crumbs, index_main(snapshot, base)[0], nonce)


def _campaign_html(c: CampaignEntry, base: str) -> str:
    meta = " · ".join(escape(x) for x in (c.kind, c.date, c.id) if x)
    if c.stops:
        what = (f'<div class="stop"><strong>Not made: a build of {escape(c.id)} would stop '
                f"here.</strong>{_lines(c.stops, 'error')}</div>")
    else:
        what = "<ul>" + "".join(_entry_html(c.id, d, base) for d in c.documents) + "</ul>"
    return (f'<section class="campaign" id="campaign-{escape(c.id)}">'
            f"<h2>{escape(c.title or c.id)}</h2>"
            f'<div class="meta">{meta}</div>{what}</section>\n')


def _entry_html(campaign: str, d: Entry, base: str) -> str:
    href = path(base, "doc", campaign, d.recipient)
    who = f"{escape(d.name)} ({escape(d.recipient)})" if d.recipient else escape(d.name)
    return (f'<li><a class="document" href="{escape(href)}">{who}</a> '
            f'<span class="lang">{escape(d.language)}</span></li>')


def document_main(snapshot: Snapshot, shown: Shown, campaign: str, recipient: str | None,
                  base: str, pdf: int = 0) -> tuple[str, str, str]:
    """A document's <main> (the problems; then its HTML beside its PDF, or why neither is
    shown), its tag, and its title. `pdf` is the version of the PDF to load: a new one
    loads it again (made again on request)."""
    found = next((c for c in snapshot.campaigns() if c.id == campaign), None)
    entry = next((d for d in found.documents if d.recipient == recipient), None) \
        if found else None
    title = found.title if found and found.title else campaign
    who = (entry.name if entry else recipient) if recipient else ""
    language = shown.language or (entry.language if entry else "")
    inner = (f"<h1>{escape(title)}" + (f" — {escape(who)}" if who else "")
             + (f' <span class="lang">{escape(language)}</span>' if language else "")
             + "</h1>\n")
    if shown.stops:
        inner += (f'<section class="stop" id="stop"><h2>Not shown: a build of this document '
                  f"would stop here</h2>{_lines(shown.stops, 'error')}</section>\n")
    else:
        if shown.warnings:
            inner += (f'<section id="warnings"><h2>This document</h2>'
                      f"{_lines(shown.warnings, 'warning')}</section>\n")
        html = path(base, "html", campaign, recipient) + f"?v={shown.tag}"
        pdf_url = path(base, "pdf", campaign, recipient) + f"?v={shown.tag}.{pdf}"
        inner += (
            '<div class="panes">'
            f'<figure><figcaption>HTML <a href="{escape(html)}" target="_blank" '
            f'rel="noopener">open</a></figcaption><iframe id="html" title="HTML" '
            f'sandbox src="{escape(html)}"></iframe></figure>'
            f'<figure><figcaption>PDF <a href="{escape(pdf_url)}" target="_blank" '
            f'rel="noopener">open</a></figcaption><iframe id="pdf" title="PDF" '
            f'src="{escape(pdf_url)}"></iframe></figure></div>\n')
    poll = path(base, "tag", campaign, recipient)
    main, tag = main_html(poll, {"notices": notices_html(snapshot.notices), "document": inner})
    return main, tag, f"{title} {who}".strip()


def document_page(snapshot: Snapshot, shown: Shown, campaign: str, recipient: str | None,
                  base: str, nonce: str, pdf: int = 0) -> str:
    main, _, title = document_main(snapshot, shown, campaign, recipient, base, pdf)
    crumbs = f'<a href="{escape(base)}/">Clarion preview</a> <span>› {escape(title)}</span>'
    return _page(title, crumbs, main, nonce)


def stop_page(what: str, lines: Iterable[str]) -> str:
    """Shown in the PDF's frame when the PDF cannot be made (a limit, the privacy stop)."""
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(what)}</title><style>{STYLE}</style></head><body><main>"
            f'<section class="stop" id="stop"><h2>{escape(what)}: a build would stop here'
            f"</h2>{_lines(lines, 'error')}</section></main></body></html>\n")


def missing_page() -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found'
            "</title></head><body><p>Not found.</p></body></html>\n")
