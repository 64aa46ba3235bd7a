"""More hostile inputs (same shape as corpus.py): limits that compose, links, fetches, privacy.

Kept in a file of its own so that corpus.py and this file can grow side by side.
"""
from __future__ import annotations

from dataclasses import dataclass

from conftest import BASE

from . import corpus
from .corpus import CASE, HTML, LETTER, LIMITS, MD, PDF, PRIVATE, STATEMENT, body


@dataclass
class Hostile(corpus.Hostile):
    links: tuple = ()       # more (link, target) pairs; targets under /tmp/clarion-secret exist
    untouched: tuple = ()   # paths outside the workspace that must not exist afterwards
    fifo: str | None = None  # a named pipe planted at this path (reading it would hang)
    patch: tuple = ()       # ("module.NAME", value) set for the run (a limit made small)
    xfail: str | None = None  # known gap: "needs fix in <module>: <what>"
    plant: tuple = ()       # (absolute path outside the workspace, text) written beforehand
    either: tuple = ()      # (exit, line) outcomes accepted instead of (exit, expect)
    seconds: float | None = None  # the command must end within this wall time

OUT = "/tmp/clarion-secret"
ST_PDF = ("build", "st", "--format", "pdf")
REMOTE_ON = {"clarion.yaml": BASE["clarion.yaml"] + "allow_remote: true\n"}
SLOW = {"clarion.yaml": BASE["clarion.yaml"] + LIMITS}


def statement(html: str | None, css: str | None = None) -> dict:
    """A one-document statement whose workspace template is `html` (None: the built-in one,
    which includes style.css), and whose templates/style.css is `css` when given."""
    files = {**STATEMENT}
    if html is not None:
        files["templates/statement.html"] = html
    if css is not None:
        files["templates/style.css"] = css
    return files


def md_body(text: str) -> dict:
    """The base letter with its body in campaigns/letter.md (line 1) instead of the YAML."""
    head = BASE[LETTER][:BASE[LETTER].index("        body: |")]
    return {LETTER: head, "campaigns/letter.md": text}


def refused(url: str, why: str = "file outside assets/ and templates/") -> str:
    return f"warning: st/st.pdf: refused to load {url} ({why})"


PRIVATE_EVENT = {CASE: BASE[CASE].replace("            text: Appeal hearing.",
                                          "            text: PRIVATE-HEARING-NOTE-777\n"
                                          "            place: PRIVATE-PLACE-NAME-888\n"
                                          "            private: true")}
LEAK = "build/st/st: private data of case ilgar-mammadov would appear in the output build/st/st"
PDF_LEAK = "st/st: private data of case ilgar-mammadov would appear in the output st/st.pdf"

EXTRA = [
    # --- limits that the first corpus did not compose ------------------------------------
    Hostile("percent width behind a mapping key", body("{{ '%(a)999999999s' % {'a': 'x'} }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("percent precision behind a mapping key", body("{{ '%(a).99999f' % {'a': 1} }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("number squared in a loop", body(
        "{% set n = namespace(v=10**128) %}{% for i in range(40) %}{% set n.v = n.v * n.v %}"
        "{% endfor %}{{ n.v }}"),
        f"{LETTER}:12: blocked by the template sandbox: '*' would make a number of more than "
        "100,000 bits", MD),
    Hostile("power tower", body("{{ ((10**128)**128)**128 }}"),
            f"{LETTER}:12: blocked by the template sandbox: '**' would make a number of more "
            "than 100,000 bits", MD),
    Hostile("string doubled in a loop", body(
        "{% set n = namespace(v='x' * 99999) %}{% for i in range(40) %}{% set n.v = n.v ~ n.v %}"
        "{% endfor %}{{ n.v|length }}"),
        f"{LETTER}:12: rendering stopped: MemoryError", MD),
    Hostile("lipsum bomb", {**body("{{ lipsum(n=10**5, min=99, max=100) }}"), **SLOW},
            f"{LETTER}:12: rendering stopped: took longer than 1 s; look for a runaway loop", MD),
    Hostile("batch fill bomb", body("{{ [1]|batch(10**9, 'x')|list|length }}"),
            f"{LETTER}:12: blocked by the template sandbox: batch: the size of a batch", MD),
    Hostile("loop after background() still timed", {**body(
        "{{ background() }}{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
        "{% endfor %}"), **SLOW},
        f"{LETTER}:12: rendering stopped: took longer than 1 s; look for a runaway loop", MD),
    Hostile("time-out not swallowed by the sandbox", {**body(
        "{% for i in range(99999) %}{% for j in range(99999) %}{{ 1['x'] is defined }}"
        "{% endfor %}{% endfor %}"), **SLOW},
        f"{LETTER}:12: rendering stopped: took longer than 1 s; look for a runaway loop", MD),
    Hostile("endless loop in a workspace template", {
        "templates/open-letter.md": "{{ body }}\n{% for i in range(99999) %}"
                                    "{% for j in range(99999) %}{% endfor %}{% endfor %}\n",
        **SLOW},
        "templates/open-letter.md:2: rendering stopped: took longer than 1 s", MD),
    Hostile("width bomb through gettext", body("{{ _('%(a)999999999s', a='x') }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("width bomb through ngettext", body("{{ ngettext('%(num)999999999s', 'x', 1) }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("template that extends itself", {**STATEMENT, "templates/statement.md":
                                              "{% extends 'statement.md' %}\n"},
            "templates/statement.md:1: rendering stopped: RecursionError",
            ("build", "st", "--format", "md")),
    Hostile("brackets nested 3,000 deep", body("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"),
            f"{LETTER}:12: template syntax error: nested too deeply (brackets, filters or "
            "blocks); simplify it", MD),
    Hostile("unary minus 5,000 times", body("{{ " + "-" * 5000 + "1 }}"),
            f"{LETTER}:12: template syntax error: nested too deeply", MD),
    Hostile("filter chain 20,000 long", body("{{ 1" + "|string" * 20000 + " }}"),
            f"{LETTER}:12: template syntax error: nested too deeply", MD),
    Hostile("loops nested 25 deep", body("{% for a in [1] %}" * 25 + "x"
                                         + "{% endfor %}" * 25),
            f"{LETTER}:12: template syntax error: nested too deeply", MD),
    Hostile("brackets nested deep in a workspace template",
            {"templates/open-letter.md": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n"},
            "templates/open-letter.md:1: template syntax error: nested too deeply", MD),
    Hostile("include of a system file", body("{% include '/etc/passwd' %}"),
            f"{LETTER}:12: template error: /etc/passwd", MD, absent=("root:",)),
    Hostile("include of a case file", body("{% include '../cases/ilgar-mammadov.yaml' %}"),
            f"{LETTER}:12: template error: ../cases/ilgar-mammadov.yaml", MD),
    Hostile("template file linked to a file in the workspace",
            {**body("{% include 'private.txt' %}"), "notes/private.txt": PRIVATE},
            "templates/private.txt: is a symbolic link; copy the file in instead (or run "
            "`clarion --allow-links` to allow links that stay inside the workspace)", MD,
            symlink=("templates/private.txt", "../notes/private.txt")),
    Hostile("attribute of a function", body("{{ cite.__globals__ }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("loop internals", body("{% for e in case.events %}{{ loop.__class__ }}{% endfor %}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("view internals by subscript", body("{{ case['_data'] }}"),
            f"{LETTER}:12: blocked by the template sandbox: case has no field '_data'", MD),
    Hostile("view internals by attr filter", body("{{ case|attr('_data') }}"),
            f"{LETTER}:12: blocked by the template sandbox: case has no field '_data'", MD),
    Hostile("str.format reached by attr filter", body("{{ ('{:>99999999}'|attr('format'))(1) }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    # the layout is bounded by ending the worker process that runs it: nothing in WeasyPrint
    # can catch that
    Hostile("PDF that never ends", {**statement("{% for i in range(30000) %}<p>paragraph "
                                                "{{ i % 1000 }}</p>{% endfor %}"),
                                    "clarion.yaml": BASE["clarion.yaml"]
                                    + "limits: {layout_seconds: 1}\n"},
            "st/st.pdf: the layout took longer than the limit of 1 s (limits.layout_seconds)",
            ST_PDF),
    # Python-Markdown 3.11.3 needs 48 s for this body, 3.11.4 a fifth of a second: what Clarion
    # promises is a bounded time, so either it is stopped at the limit or it is built
    Hostile("markdown bomb of nested brackets",
            {**md_body("[" * 20000 + "x" + "]" * 20000 + "(y)"),
             "clarion.yaml": BASE["clarion.yaml"] + "limits: {render_seconds: 1}\n"},
            "campaigns/letter.md:1: turning the Markdown into HTML took longer than 1 s "
            "(limits.render_seconds)", HTML,
            either=((0, "built 6 file(s), 0 unchanged"),), seconds=30),
    # --- markup that must not survive into the HTML ---------------------------------------
    Hostile("image outside assets in a body", body("![x](../../../tmp/clarion-secret/s.png)"),
            f"{LETTER}:12: warning: removed link '../../../tmp/clarion-secret/s.png' on <img> from the "
            "body of letter", HTML, 0, absent=('src="../../../tmp',)),
    Hostile("absolute image path in a body", body("<img src='/etc/passwd'>"),
            f"{LETTER}:12: warning: removed link '/etc/passwd' on <img> from the body of letter", HTML, 0,
            absent=('src="/etc/passwd"',)),
    Hostile("protocol-relative image in a body", body("<img src='//evil.example/p.png'>"),
            f"{LETTER}:12: warning: removed link '//evil.example/p.png' on <img>", HTML, 0,
            absent=("//evil.example",)),
    Hostile("entity-encoded javascript link", body("<a href='&#106;avascript:alert(1)'>x</a>"),
            f"{LETTER}:12: warning: removed link '&#106;avascript:alert(1)' on <a> from the body of "
            "letter", HTML, 0, absent=("javascript:", "&#106;avascript")),
    Hostile("mixed-case javascript link", body("[x](JaVaScRiPt:alert(1))"),
            f"{LETTER}:12: warning: removed link 'JaVaScRiPt:alert(1)' on <a>", HTML, 0,
            absent=("alert(1)",)),
    Hostile("data link in a body", body("[x](data:text/html;base64,PHNjcmlwdD4=)"),
            f"{LETTER}:12: warning: removed link 'data:text/html;base64,PHNjcmlwdD4=' on <a>", HTML, 0,
            absent=("data:text/html",)),
    Hostile("svg in a body", body("<svg><image href='file:///tmp/clarion-secret/secret.txt'/>"
                                  "</svg>"),
            f"{LETTER}:12: warning: removed <svg> element from the body of letter", PDF, 0,
            absent=("<svg",)),
    Hostile("base element in a body", body("<base href='file:///tmp/clarion-secret/'>"),
            f"{LETTER}:12: warning: removed <base> element from the body of letter", HTML, 0,
            absent=("<base",)),
    Hostile("meta refresh in a body", body("<meta http-equiv='refresh' content='0;url=https://"
                                           "evil.example'>"),
            f"{LETTER}:12: warning: removed <meta> element from the body of letter", HTML, 0,
            absent=("evil.example",)),
    Hostile("style element in a body", body("<style>@import 'file:///etc/passwd';</style>"),
            f"{LETTER}:12: warning: removed <style> element from the body of letter", HTML, 0,
            absent=("@import",)),
    Hostile("javascript link in a case name", {
        **body("We write about {{ case.name }}."),
        CASE: BASE[CASE].replace("name: Ilgar Mammadov", "name: '[Ilgar](javascript:alert(1))'")},
            f"{LETTER}:12: warning: removed link 'javascript:alert(1)' on <a> from the body of letter",
            HTML, 0, absent=("javascript:",)),
    Hostile("markup in a quote", {"campaigns/pr.yaml": (
        "kind: press-reaction\ntitle: P\ndate: 2018-07-20\ncases: [ilgar-mammadov]\n"
        "quotes: [{speaker: '<img src=x onerror=alert(1)>', text: '<script>alert(1)</script>'}]"
        "\n")}, "built 2 file(s), 0 unchanged", ("build", "pr", "--format", "html", "--format",
                                                  "md"), 0,
            absent=("<script", "<img src=x")),
    Hostile("script in a workspace HTML template", statement(
        "<script>alert(1)</script><p onclick='steal()'>x</p><a href='javascript:x()'>y</a>"),
            "built 1 file(s), 0 unchanged", ("build", "st", "--format", "html"), 0,
            absent=("<script", "onclick", "javascript:")),
    Hostile("a whole page of tricks in a workspace HTML template", statement(
        "<html><head><script src='https://evil.example/x.js'></script>"
        "<meta http-equiv='refresh' content='0;url=https://evil.example'>"
        "<base href='https://evil.example/'><link rel='stylesheet' href='https://evil.example/s.css'>"
        "<style>@import url(https://evil.example/t.css); p { background: url(https://evil.example/p.png) }</style>"
        "</head><body onload='steal()'><iframe src='https://evil.example'></iframe>"
        "<a href='vbscript:x'>v</a><img src='data:text/html,x'><svg><script>x()</script></svg>"
        "<p>kept</p></body></html>"),
            "built 1 file(s), 0 unchanged", ("build", "st", "--format", "html"), 0,
            absent=("<script", "evil.example", "onload", "vbscript:", "data:text", "<iframe",
                    "http-equiv", "<base", "<link", "@import")),
    # --- what a workspace template may make WeasyPrint fetch ----------------------------
    Hostile("font from a file outside", statement(
        None, "@font-face { font-family: x; src: url(file:///tmp/clarion-secret/"
        "secret.txt) }\nbody { font-family: x }\n"),
            refused("file:///tmp/clarion-secret/secret.txt"), ST_PDF, 0),
    Hostile("style attribute in a template loading a file", statement(
        "<p style=\"background: url('file:///tmp/clarion-secret/secret.txt')\">x</p>"),
            refused("file:///tmp/clarion-secret/secret.txt"), ST_PDF, 0),
    Hostile("svg image that loads a file", statement(
        "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='10' "
        "height='10'><image href='file:///tmp/clarion-secret/secret.txt' width='10' "
        "height='10'/></svg>\">"),
            refused("file:///tmp/clarion-secret/secret.txt"), ST_PDF, 0),
    Hostile("file URL with a NUL byte", statement(
        "<a rel=attachment href='file:///tmp/clarion-secret/secret.txt%00.png'>x</a>"),
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt%00.png",
            ST_PDF, 0),
    Hostile("link element attachment in a template", statement(
        "<link rel=attachment href='file:///tmp/clarion-secret/secret.txt'><p>x</p>"),
            refused("file:///tmp/clarion-secret/secret.txt"), ST_PDF, 0),
    Hostile("stylesheet import by relative path", statement(
        None, "@import '../../../../../../../../tmp/clarion-secret/secret.txt';\n"),
            refused("file:///tmp/clarion-secret/secret.txt"), ST_PDF, 0),
    Hostile("folder link inside assets", statement(
        "<a rel=attachment href='assets/outside/secret.txt'>x</a>"),
            "/ws/assets/outside/secret.txt (outside/ is a symbolic link or not a folder)", ST_PDF,
            0, symlink=("assets/outside", "/tmp/clarion-secret")),
    Hostile("remote attachment", statement("<a rel=attachment href='https://203.0.113.9/x'>x</a>"),
            refused("https://203.0.113.9/x", "remote file (set `allow_remote: true` to allow)"),
            ST_PDF, 0),
    Hostile("private address with remote allowed", {
        **statement("<img src='http://127.0.0.1:9/p.png'>"), **REMOTE_ON},
            refused("http://127.0.0.1:9/p.png", "127.0.0.1 is a local or private address; allow it for one run "
                    "with `clarion --allow-local-network`"),
            ST_PDF, 0),
    Hostile("metadata service with remote allowed", {
        **statement("<a rel=attachment href='http://169.254.169.254/latest/meta-data/'>x</a>"),
        **REMOTE_ON},
            refused("http://169.254.169.254/latest/meta-data/",
                    "169.254.169.254 is a local or private address; allow it for one run "
                    "with `clarion --allow-local-network`"), ST_PDF, 0),
    Hostile("localhost with remote allowed", {
        **statement("<img src='http://localhost/p.png'>"), **REMOTE_ON},
            refused("http://localhost/p.png", "localhost is a local or private address; allow it for one run "
                    "with `clarion --allow-local-network`"),
            ST_PDF, 0),
    # --- private data ----------------------------------------------------------------------
    Hostile("private text split by a tag", statement(
        "<p>SECRET-FAMILY-<b></b>CONTACT-12345</p>"), LEAK, ST_PDF, forbid=()),
    Hostile("private text as CSS escapes", statement(
        None, "body::after { content: '\\53 ECRET-FAMILY-CONTACT-12345' }\n"),
            LEAK, ST_PDF, forbid=()),
    Hostile("private text as HTML entities", statement(
        "<p>&#83;ECRET-FAMILY-CONTACT-12345</p>"), LEAK, ST_PDF, forbid=()),
    Hostile("private text with a soft hyphen", statement(
        "<p>SECRET-FAM&shy;ILY-CONTACT-12345</p>"), LEAK, ST_PDF, forbid=()),
    Hostile("private text in PDF metadata", statement(
        "<meta name=keywords content='SECRET-FAMILY-CONTACT-12345'><p>x</p>"), LEAK, ST_PDF,
            forbid=()),
    Hostile("private text in a Markdown template with escapes", {
        **STATEMENT, "templates/statement.md": "{{ body }}\nSECRET\\-FAMILY\\-CONTACT-12345\n"},
            LEAK, ("build", "st", "--format", "md"), forbid=()),
    Hostile("private text made by CSS strings", statement(
        None, "body::after { content: 'SECRET-FAM' 'ILY-CONTACT-12345' }\n"),
            LEAK, ST_PDF, forbid=()),
    Hostile("private text joined by CSS from an attribute", statement(
        # no part of the private value alone in the HTML: only the laid-out text holds it
        "<style>p::after { content: 'SECRET-FAM' attr(data-x) 'CT-123' '45' }</style>"
        "<p data-x='ILY-CONTA'>x</p>"),
            PDF_LEAK + ", the laid-out text (1) (private.family, cases/ilgar-mammadov.yaml:23)",
            ST_PDF, forbid=()),
    Hostile("private file attached to the PDF", {
        **statement("<a rel=attachment href='assets/notes.txt'>notes</a>"),
        "assets/notes.txt": "family: SECRET-FAMILY-CONTACT-12345\n"},
            PDF_LEAK + ", the attached file notes.txt", ST_PDF, forbid=()),
    *[Hostile(f"private text {how}", {**STATEMENT, "templates/statement.md":
                                      "{{ body }}\n" + text + "\n"},
              LEAK + ".md, line", ("build", "st", "--format", "md"), forbid=())
      for how, text in [
          ("in Cyrillic and Greek lookalikes", "ЅЕСRЕТ-FАМІLY-СОNТАСТ-12345"),
          ("in mathematical letters", "𝐒𝐄𝐂𝐑𝐄𝐓-FAMILY-CONTACT-１２３４５"),
          ("reversed", "54321-TCATNOC-YLIMAF-TERCES"),
          ("reversed by a bidi override", "\u202e54321-TCATNOC-YLIMAF-TERCES\u202c"),
          ("with zero-width joiners", "S\u200dE\u200cC\u2060R\ufe0fE\U000e0041T-FAMILY-CONTACT-12345"),
          ("letter-spaced", "S E C R E T - F A M I L Y - C O N T A C T - 1 2 3 4 5"),
          ("with lookalike digits and letters", "SECRET-FAMILY-C0NTACT-l2345"),
      ]],
    Hostile("private event in the background section", {
        **PRIVATE_EVENT, **body("{{ background() }}")}, "built 2 file(s), 0 unchanged",
            ("build", "--format", "md", "--recipient", "emmanuel-macron", "--format", "html"), 0,
            absent=("PRIVATE-HEARING-NOTE-777", "PRIVATE-PLACE-NAME-888")),
    Hostile("private event looped over in a body", {
        **PRIVATE_EVENT, **body("{% for e in case.events %}{{ e.text }} {{ e.place }} "
                                "{% endfor %}")}, "built 1 file(s), 0 unchanged",
            ("build", "--format", "md", "--recipient", "emmanuel-macron"), 0,
            absent=("PRIVATE-HEARING-NOTE-777", "PRIVATE-PLACE-NAME-888")),
    Hostile("private event reacted to", {**PRIVATE_EVENT, "campaigns/pr.yaml": (
        "kind: press-reaction\ntitle: P\ndate: 2018-07-20\ncases: [ilgar-mammadov]\n"
        "event: {case: ilgar-mammadov, event: hearing-2018}\nquotes: [{speaker: A, text: B}]\n")},
            "campaigns/pr.yaml:5: event: `hearing-2018` is private and cannot be reacted to in a "
            "public document"),
    Hostile("private block through extra", body("{{ case.extra.private }}"),
            f"{LETTER}:12: 'dict object' has no attribute 'private'", MD),
    Hostile("settings file linked to a file outside", {"clarion.yaml": None},
            "clarion.yaml: is a link to a file outside the workspace", ("validate",),
            plant=((OUT + "/other.yaml", "organisation:\n  name: OUTSIDE-ORG-4242\n"),),
            links=(("clarion.yaml", OUT + "/other.yaml"),), forbid=("OUTSIDE-ORG-4242",)),
    Hostile("organisation logo outside assets", {"clarion.yaml": BASE["clarion.yaml"].replace(
        "  short: TRG", "  short: TRG\n          logo: /etc/passwd")},
            "clarion.yaml:1: logo: '/etc/passwd' must be a file under assets/"),
    # --- input that must be refused without reading on -----------------------------------
    Hostile("NUL byte in YAML", {CASE: "name: X\x00\nstatus: detained\n"},
            f"{CASE}:1: contains the control character U+0000, which YAML does not allow; "
            "remove it"),
    Hostile("bell character in YAML", {CASE: "name: X\nstatus: detained\nsummary: a\x07b\n"},
            f"{CASE}:3: contains the control character U+0007"),
    Hostile("duplicate keys", {CASE: "name: X\nname: Y\nstatus: detained\n"},
            f"{CASE}:2: duplicate key `name` (first on line 1); keep one"),
    Hostile("nesting past the limit in clarion.yaml", {"clarion.yaml": "extra: " + "[" * 40
                                                       + "]" * 40 + "\n"},
            "clarion.yaml:1: nesting deeper than 32 levels; flatten the data"),
    # past the YAML parser's own limit in newer PyYAML: one line at the file and line (corpus.py)
    Hostile("deep nesting in clarion.yaml", {"clarion.yaml": "extra: " + "[" * 5000 + "]" * 5000
                                             + "\n"},
            "clarion.yaml:1: ", lines=2),
    Hostile("deep block nesting", {CASE: "name: X\nstatus: detained\nextra:\n" + "".join(
        "  " * (i + 1) + f"k{i}:\n" for i in range(60))},
            f"{CASE}:", exit=1),
    Hostile("alias through a merge key", {CASE: "base: &b {name: X}\n<<: *b\nstatus: detained\n"},
            f"{CASE}:2: YAML aliases (*b) are not allowed; write the value out"),
    Hostile("too many CSV columns", {"recipients/wide.csv": ",".join(
        f"c{i}" for i in range(5000)) + "\n"},
            "recipients/wide.csv:1: more than 100 columns; a recipient or signatory has far "
            "fewer fields"),
    Hostile("CSV with 500 empty trailing columns", {"recipients/ministers.csv": "".join(
        line + "," * 500 + "\n" for line in BASE["recipients/ministers.csv"].split("\n")[:-1])
        .replace("        ", "")},
            "ok: 1 cases, 3 recipients, 2 signatories, 1 campaigns", exit=0),
    Hostile("duplicate CSV column", {"recipients/ministers.csv": "id,name,name\nab,C,D\n"},
            "recipients/ministers.csv:1: column `name` appears twice; keep one"),
    Hostile("CSV row longer than its header", {"recipients/ministers.csv":
                                               "id,name\nab,C,D,E\n"},
            "recipients/ministers.csv:2: row has 4 cells but the header has 2 columns"),
    Hostile("CSV cell over the csv module's own limit", {"recipients/ministers.csv":
                                                         "id,name\nab,\"" + "x" * 200_000
                                                         + "\"\n"},
            "recipients/ministers.csv:2: CSV error"),
    Hostile("case file that is a pipe", {}, "ok: 1 cases", exit=0, fifo="cases/pipe.yaml"),
    Hostile("cited source with no fields", {CASE: BASE[CASE].replace(
        'echr: {title: Ilgar Mammadov v. Azerbaijan, publisher: ECtHR, date: 2014-05-22, '
        'url: "https://hudoc.echr.coe.int/x"}', "echr: {}")}, "built 3 file(s), 0 unchanged",
            MD, 0),
    Hostile("upper-case id", {"recipients/ministers.csv": BASE["recipients/ministers.csv"]
                              .replace("simon-coveney,", "Simon-Coveney,")},
            "recipients/ministers.csv:3: id: 'Simon-Coveney' is not a valid id"),
    Hostile("upper-case file name", {"cases/Ilgar.yaml": "name: X\nstatus: detained\n"},
            "cases/Ilgar.yaml:1: file name 'Ilgar' is not a valid id"),
    # --- the output folder ------------------------------------------------------------------
    Hostile("campaign output folder is a link", {}, "refusing to write outside",
            ("build", "--format", "md"), links=(("build/letter", OUT + "/out"),),
            untouched=(OUT + "/out/emmanuel-macron.md",)),
    Hostile("output file is a link", {}, "refusing to write outside",
            ("build", "--format", "md"),
            links=(("build/letter/emmanuel-macron.md", OUT + "/victim.md"),),
            untouched=(OUT + "/victim.md",)),
    Hostile("manifest naming a file outside", {"build/letter/manifest.json": (
        '{"campaign": "letter", "outputs": [{"file": "' + '../' * 12 + 'tmp/clarion-secret/'
        'secret.txt", "format": "md", "sha256": "0"}]}')}, "built 3 file(s), 0 unchanged",
            ("build", "--format", "md"), 0, absent=("clarion-secret",)),
    Hostile("manifest is a link to a device", {}, "built 3 file(s), 0 unchanged",
            ("build", "--format", "md"), 0, links=(("build/letter/manifest.json", "/dev/zero"),)),
]
