"""Hostile inputs: each plants files into a small valid workspace and names what must happen.

Every entry: the files to write over the base workspace, the command, the exit code, one line
that must appear (exactly as printed, or as its start), and strings that must not appear in any
output or message. Run by test_corpus.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from conftest import BASE

SECRET = "TOPSECRET-OUTSIDE-9876"
PRIVATE = "SECRET-FAMILY-CONTACT-12345"
LETTER = "campaigns/letter.yaml"
CASE = "cases/ilgar-mammadov.yaml"


@dataclass
class Hostile:
    name: str
    files: dict
    expect: str
    args: tuple = ("validate",)
    exit: int = 1
    forbid: tuple = (SECRET, PRIVATE)
    symlink: tuple | None = None   # (link inside the workspace, target outside)
    absent: tuple = ()             # strings that must not be in the outputs (escaped markup…)
    lines: int | None = None       # how many lines the messages must have, when that is the point


def body(text: str) -> dict:
    """The base letter with its body replaced by `text` (one line, at line 12)."""
    return {LETTER: BASE[LETTER].replace("We write about {{ case.name }}.{{ cite('echr') }}",
                                         text)}


MD = ("build", "--format", "md")
HTML = ("build", "--format", "html", "--format", "md")
PDF = ("build", "--format", "pdf")
STATEMENT = {"campaigns/st.yaml": "kind: statement\ntitle: T\ndate: 2018-07-18\n"}
LIMITS = "limits: {render_seconds: 1, max_file_bytes: 20000, max_csv_rows: 5}\n"

CORPUS = [
    # --- template injection in a campaign body (line 12 of the letter) -------------------
    Hostile("dunder on a record", body("{{ case.__class__ }}"),
            f"{LETTER}:12: blocked by the template sandbox: case has no field '__class__'", MD),
    Hostile("mro walk from a string", body("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
            f"{LETTER}:12: blocked by the template sandbox: access to attribute '__class__' of "
            "'str' object is unsafe.", MD),
    Hostile("cycler globals", body("{{ cycler.__init__.__globals__.os }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("lipsum globals", body("{{ lipsum.__globals__['os'] }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("joiner globals", body("{{ joiner.__init__.__globals__ }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("namespace internals", body("{{ namespace.__init__.__globals__ }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("template reference context", body("{{ self._TemplateReference__context }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("mutating a list", body("{{ case.events.append(1) }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("safe filter", body("{{ '<b>x</b>'|safe }}"),
            f"{LETTER}:12: template syntax error: No filter named 'safe'."),
    Hostile("string repeat bomb", body("{{ 'x' * 10**9 }}"),
            f"{LETTER}:12: blocked by the template sandbox: '*' would make more than 100,000 "
            "items", MD),
    Hostile("list repeat bomb", body("{{ [1] * 999999999 }}"),
            f"{LETTER}:12: blocked by the template sandbox: '*' would make more than 100,000 "
            "items", MD),
    Hostile("power bomb", body("{{ 2 ** 999999999 }}"),
            f"{LETTER}:12: blocked by the template sandbox: '**' exponent larger than 128", MD),
    Hostile("percent width bomb", body("{{ '%999999999s' % 'x' }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("center bomb", body("{{ 'x'|center(1000000000) }}"),
            f"{LETTER}:12: blocked by the template sandbox: width larger than 200", MD),
    Hostile("str.format bomb", body("{{ '{:>999999999}'.format(1) }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("range bomb", body("{% for i in range(100000000) %}x{% endfor %}"),
            f"{LETTER}:12: template error: Range too big. The sandbox blocks ranges larger than "
            "MAX_RANGE (100000).", MD),
    Hostile("endless loop", {**body("{% for i in range(99999) %}{% for j in range(99999) %}"
                                    "{% endfor %}{% endfor %}"),
                             "clarion.yaml": BASE["clarion.yaml"] + LIMITS},
            f"{LETTER}:12: rendering stopped: took longer than 1 s; look for a runaway loop", MD),
    Hostile("endless recursion", body("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
            f"{LETTER}:12: rendering stopped: RecursionError",
            MD),
    Hostile("private block from a body", body("{{ case.private }}"),
            f"{LETTER}:12: case has no field 'private'", MD),
    Hostile("sandbox escape in a workspace template",
            {"templates/open-letter.md": "{{ body }}\n{{ ''.__class__.__base__ }}\n"},
            "templates/open-letter.md:2: blocked by the template sandbox", MD),
    # --- markup injection: removed with a warning, the build goes on ----------------------
    Hostile("script in a body", body("Hi <script>alert(1)</script>"),
            f"{LETTER}:12: warning: removed <script> element from the body of letter", HTML, 0,
            absent=("<script",)),
    Hostile("iframe in a body", body("<iframe src='https://evil.example'></iframe>"),
            f"{LETTER}:12: warning: removed <iframe> element from the body of letter", HTML, 0,
            absent=("<iframe",)),
    Hostile("event handler", body("<img src='x.png' onerror='alert(1)'>"),
            f"{LETTER}:12: warning: removed `onerror` attribute on <img> from the body of letter", HTML, 0,
            absent=("onerror",)),
    Hostile("javascript link", body("[click](javascript:alert(1))"),
            f"{LETTER}:12: warning: removed link 'javascript:alert(1)' on <a> from the body of letter",
            HTML, 0, absent=("javascript:",)),
    Hostile("style loading a file", body("<p style='background:url(file:///etc/passwd)'>x</p>"),
            f"{LETTER}:12: warning: removed `style` attribute on <p> from the body of letter", HTML, 0,
            absent=("file:///etc/passwd",)),
    Hostile("stylesheet link in a body",
            body("<link rel='stylesheet' href='file:///tmp/clarion-secret/secret.txt'>"),
            f"{LETTER}:12: warning: removed <link> element from the body of letter", PDF, 0),
    Hostile("attachment link in a body",
            body("<a rel='attachment' href='file:///tmp/clarion-secret/secret.txt'>x</a>"),
            f"{LETTER}:12: warning: removed `rel` attribute on <a> from the body of letter", PDF, 0),
    Hostile("object in a body", body("<object data='file:///tmp/clarion-secret/secret.txt'>"
                                     "</object>"),
            f"{LETTER}:12: warning: removed <object> element from the body of letter", PDF, 0),
    Hostile("embed in a body", body("<embed src='file:///tmp/clarion-secret/secret.txt'>"),
            f"{LETTER}:12: warning: removed <embed> element from the body of letter", PDF, 0),
    Hostile("form in a body", body("<form action='https://evil.example'><input></form>"),
            f"{LETTER}:12: warning: removed <form> element from the body of letter", HTML, 0,
            absent=("<form",)),
    Hostile("markup in a name", {CASE: BASE[CASE].replace("name: Ilgar Mammadov",
                                                           "name: <script>alert(1)</script>")},
            "built 6 file(s), 0 unchanged", HTML, 0, absent=("<script",)),
    Hostile("markup in a CSV address", {"recipients/ministers.csv": BASE[
        "recipients/ministers.csv"].replace("Iveagh House", "<img src=x onerror=alert(1)>")},
            "built 6 file(s), 0 unchanged", HTML, 0, absent=("<img src=x",)),
    # --- exfiltration through workspace templates: the fetcher refuses --------------------
    Hostile("css import of a local file", {**STATEMENT, "templates/style.css":
                                           "@import url('file:///tmp/clarion-secret/x.css');\n"
                                           "body { background: url('file:///tmp/clarion-secret/"
                                           "secret.txt') }\n"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt (file "
            "outside assets/ and templates/)", ("build", "st", "--format", "pdf"), 0),
    Hostile("stylesheet link in a template", {**STATEMENT, "templates/statement.html":
                                              "<link rel=stylesheet href='file:///tmp/"
                                              "clarion-secret/secret.txt'><p>x</p>"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt",
            ("build", "st", "--format", "pdf"), 0),
    Hostile("attachment link in a template", {**STATEMENT, "templates/statement.html":
                                              "<a rel=attachment href='file:///tmp/"
                                              "clarion-secret/secret.txt'>x</a>"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt",
            ("build", "st", "--format", "pdf"), 0),
    Hostile("relative traversal in a template", {**STATEMENT, "templates/statement.html":
                                                 "<a rel=attachment href='../../../../../../tmp"
                                                 "/clarion-secret/secret.txt'>x</a>"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt",
            ("build", "st", "--format", "pdf"), 0),
    Hostile("image of a system file", {**STATEMENT, "templates/statement.html":
                                       "<img src='file:///etc/passwd'>"},
            "warning: st/st.pdf: refused to load file:///etc/passwd (file outside assets/ and "
            "templates/)", ("build", "st", "--format", "pdf"), 0),
    Hostile("remote image", {**STATEMENT, "templates/statement.html":
                             "<img src='http://203.0.113.9/pixel.png'>"},
            "warning: st/st.pdf: refused to load http://203.0.113.9/pixel.png (remote file (set "
            "`allow_remote: true` to allow))", ("build", "st", "--format", "pdf"), 0),
    Hostile("data url that is not an image", {**STATEMENT, "templates/statement.html":
                                              "<a rel=attachment href='data:text/plain,hi'>x</a>"},
            "warning: st/st.pdf: refused to load data:text/plain,hi… (data: URLs other than "
            "images)", ("build", "st", "--format", "pdf"), 0),
    Hostile("symlink in assets", {**STATEMENT, "templates/statement.html":
                                  "<a rel=attachment href='assets/link.txt'>x</a>"},
            "/ws/assets/link.txt (is a symbolic link)", ("build", "st", "--format", "pdf"), 0,
            symlink=("assets/link.txt", "/tmp/clarion-secret/secret.txt")),
    Hostile("logo outside assets", {"signatories/groups.yaml": BASE["signatories/groups.yaml"]
                                    .replace("person: Jane Doe", "logo: assets/../../secret.png\n"
                                             "            person: Jane Doe")},
            "signatories/groups.yaml:5: logo: 'assets/../../secret.png' must be a file under "
            "assets/"),
    Hostile("absolute signature path", {"signatories/groups.yaml": BASE[
        "signatories/groups.yaml"].replace("person: Jane Doe", "signature: /etc/passwd\n"
                                           "            person: Jane Doe")},
            "signatories/groups.yaml:5: signature: '/etc/passwd' must be a file under assets/"),
    # --- bounded input -----------------------------------------------------------------
    Hostile("billion laughs", {CASE: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a]\n"
                               "name: X\nstatus: detained\n"},
            f"{CASE}:2: YAML aliases (*a) are not allowed; write the value out"),
    Hostile("nesting past the limit", {CASE: "name: X\nstatus: detained\nextra: {x: " + "[" * 40
                                       + "]" * 40 + "}\n"},
            f"{CASE}:3: nesting deeper than 32 levels; flatten the data"),
    # 10,000 levels: past the YAML parser's own limit too in newer PyYAML (its libyaml stops at
    # about 1,000, in its own words), so what is promised is one line at the file and line
    Hostile("deep nesting", {CASE: "name: X\nstatus: detained\nextra: {x: " + "[" * 10000
                             + "]" * 10000 + "}\n"},
            f"{CASE}:3: ", lines=2),
    Hostile("file over the size limit", {"clarion.yaml": BASE["clarion.yaml"] + LIMITS,
                                         CASE: "name: X\nstatus: detained\nsummary: '"
                                         + "x" * 30000 + "'\n"},
            f"{CASE}: file is 30,037 bytes, over the limit of 20,000; split it, or raise "
            "`limits.max_file_bytes` in clarion.yaml"),
    Hostile("python object tag", {CASE: "name: !!python/object/apply:os.system [id]\n"
                                  "status: detained\n"},
            f"{CASE}:1: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not "
            "allowed; write plain values"),
    Hostile("custom tag", {CASE: "name: !secret X\nstatus: detained\n"},
            f"{CASE}:1: YAML tags (!secret) are not allowed; write plain values"),
    Hostile("not UTF-8", {CASE: b"name: Il\xe7gar\nstatus: detained\n"},
            f"{CASE}:1: is not valid UTF-8 text; save the file as UTF-8"),
    Hostile("binary garbage", {CASE: bytes(range(256)) * 4},
            f"{CASE}:2: is not valid UTF-8 text; save the file as UTF-8"),
    Hostile("two documents", {CASE: "name: X\nstatus: detained\n---\nname: Y\n"},
            f"{CASE}:3: YAML syntax error"),
    Hostile("a list instead of a record", {CASE: "- name: X\n- status: detained\n"},
            f"{CASE}:1: must be a mapping of fields (name: value)"),
    Hostile("BOM and CRLF load fine", {CASE: ("\ufeff" + BASE[CASE].replace("        ", "", -1)
                                              .replace("\n", "\r\n")).encode("utf-8")},
            "ok: 1 cases, 3 recipients, 2 signatories, 1 campaigns", exit=0),
    Hostile("CSV cell too long", {"recipients/ministers.csv": BASE["recipients/ministers.csv"]
                                  .replace("Iveagh House", "x" * 10_001)},
            "recipients/ministers.csv:3: address: cell longer than 10,000 characters"),
    Hostile("CSV over the row limit", {"clarion.yaml": BASE["clarion.yaml"] + LIMITS,
                                       "recipients/ministers.csv": "id,name\n" + "".join(
                                           f"r{i},N{i}\n" for i in range(10))},
            "recipients/ministers.csv:7: more than 5 rows; split the file or raise "
            "`limits.max_csv_rows` in clarion.yaml"),
    Hostile("CSV with quotes and newlines", {"recipients/ministers.csv":
                                             'id,name,address,groups\nq1,"Seán ""The Minister"" '
                                             'O\'Brien","Line one\nLine two | Dublin",ministers\n'},
            "ok: 1 cases, 2 recipients, 2 signatories, 1 campaigns", exit=0),
    Hostile("CSV with broken quoting", {"recipients/ministers.csv":
                                        'id,name\nq1,"unterminated\n'},
            "recipients/ministers.csv:2: CSV error"),
    # --- ids and paths -------------------------------------------------------------------
    Hostile("traversal in a list id", {"signatories/groups.yaml": BASE["signatories/groups.yaml"]
                                       .replace("id: hrc", "id: ../../evil")},
            "signatories/groups.yaml:7: id: '../../evil' is not a valid id"),
    Hostile("slash in a CSV id", {"recipients/ministers.csv": BASE["recipients/ministers.csv"]
                                  .replace("simon-coveney,", "a/b,")},
            "recipients/ministers.csv:3: id: 'a/b' is not a valid id"),
    Hostile("spaces in a campaign file name", {"campaigns/my letter.yaml": BASE[LETTER]},
            "campaigns/my letter.yaml:1: file name 'my letter' is not a valid id"),
    Hostile("template name with a path", {LETTER: BASE[LETTER].replace(
        "kind: open-letter", "kind: open-letter\n        template: ../../etc/passwd")},
            f"{LETTER}:2: template: '../../etc/passwd' is not a template name"),
    Hostile("recipient option with a path", {}, "no recipient of the chosen campaigns matches "
            "--recipient ../../x", ("build", "--recipient", "../../x", "--format", "md"), 2),
    # --- private data ---------------------------------------------------------------------
    Hostile("template copying private text", {"templates/open-letter.md":
                                              "{{ body }}\nSECRET-FAMILY-CONTACT-12345\n"},
            "build/letter/emmanuel-macron: private data of case ilgar-mammadov would appear in "
            "the output build/letter/emmanuel-macron.md, line 3 (private.family, "
            "cases/ilgar-mammadov.yaml:23); it is written by templates/open-letter.md:2; nothing "
            "was written. Check the templates and the campaign body.", MD,
            forbid=(SECRET,)),
    Hostile("private event in a window", {CASE: BASE[CASE].replace(
        "            text: Appeal hearing.", "            text: PRIVATE-HEARING-NOTE\n"
        "            private: true"), "campaigns/watch.yaml": "kind: alert\ntitle: W\n"
        "date: 2018-07-18\nwindow: {from: 2018-07-18, days: 7}\ncases: [ilgar-mammadov]\n"},
            "built 1 file(s), 0 unchanged", ("build", "watch", "--format", "md"), 0,
            absent=("PRIVATE-HEARING-NOTE",)),
]

CORPUS += [
    Hostile("replace bomb", body("{{ ('x' * 99999).replace('', 'y' * 99999) }}"),
            f"{LETTER}:12: rendering stopped: MemoryError", MD),
    Hostile("join bomb", body("{{ ('x' * 99999)|join('y' * 99999) }}"),
            f"{LETTER}:12: rendering stopped: MemoryError", MD),
]

CORPUS += [
    Hostile("object in a template", {**STATEMENT, "templates/statement.html":
                                     "<object data='file:///tmp/clarion-secret/secret.txt' "
                                     "type='image/png'></object>"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt",
            ("build", "st", "--format", "pdf"), 0),
    Hostile("embed in a template", {**STATEMENT, "templates/statement.html":
                                    "<embed src='file:///tmp/clarion-secret/secret.txt' "
                                    "type='image/png'>"},
            "warning: st/st.pdf: refused to load file:///tmp/clarion-secret/secret.txt",
            ("build", "st", "--format", "pdf"), 0),
    Hostile("safe filter in a workspace template", {"templates/open-letter.md":
                                                    "{{ body|safe }}\n"},
            "templates/open-letter.md:1: template syntax error: No filter named 'safe'.", MD),
]

CORPUS += [
    Hostile("campaign body linked to a file outside", {},
            "campaigns/letter.md: is a link to a file outside the workspace; copy the file in "
            "instead", symlink=("campaigns/letter.md", "/tmp/clarion-secret/secret.txt")),
    Hostile("template linked to a file outside", {**STATEMENT},
            "templates/statement.md: is a link to a file outside the workspace",
            symlink=("templates/statement.md", "/tmp/clarion-secret/secret.txt")),
    Hostile("case linked to a file outside", {},
            "cases/other.yaml: is a link to a file outside the workspace",
            symlink=("cases/other.yaml", "/tmp/clarion-secret/secret.txt")),
    Hostile("alert window of a billion days", {"campaigns/watch.yaml": "kind: alert\ntitle: W\n"
                                               "date: 2018-07-18\nwindow: {from: 9999-12-30, "
                                               "days: 1000000000}\n"},
            "campaigns/watch.yaml:4: days: '1000000000' is out of range (1 to 3660)"),
]

CORPUS += [
    Hostile("templates folder is a link", {**STATEMENT}, "templates/: is a link; make it a real "
            "folder inside the workspace", symlink=("templates", "/tmp/clarion-secret")),
    Hostile("assets folder is a link", {}, "assets/: is a link; make it a real folder inside "
            "the workspace", symlink=("assets", "/tmp/clarion-secret")),
    Hostile("build folder is a link", {}, "build/: is a link; make it a real folder inside the "
            "workspace", ("build", "--format", "md"), symlink=("build", "/tmp/clarion-nowhere")),
    Hostile("party file that is a bare list", {"recipients/bad.yaml": "- a\n- b\n"},
            "recipients/bad.yaml:1: must be a mapping of fields (name: value)"),
    Hostile("list item whose id is a list", {"recipients/bad.yaml": "recipients:\n"
                                             "  - {id: [a], name: X}\n"},
            "recipients/bad.yaml:2: id: must be text"),
    Hostile("CSV row with an empty id and no name", {"recipients/r.csv": "id,name,email\n"
                                                     ",,x@example.org\n"},
            "recipients/r.csv:2: missing required field `id`, and no name to make one from"),
    Hostile("duplicate keys under extra", {CASE: "name: X\nstatus: detained\n"
                                           "extra: {cc: A, cc: B}\n"},
            f"{CASE}:3: duplicate key `cc`"),
]
