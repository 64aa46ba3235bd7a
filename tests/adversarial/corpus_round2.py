"""Second round of hostile inputs (issue 9): links inside the workspace, hard links, text only
the PDF holds, bombs at compile time, manifests, odd files, output hygiene.

Same shape as corpus.py and corpus_extra.py; run by test_corpus.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from conftest import BASE

from . import corpus_extra
from .corpus import CASE, HTML, LETTER, MD, PRIVATE, SECRET, STATEMENT, body
from .corpus_extra import OUT, ST_PDF, md_body, statement


@dataclass
class Hostile(corpus_extra.Hostile):
    hardlinks: tuple = ()   # (new name inside the workspace, existing file): os.link
    nested: tuple = ()      # (folder, depth): that many nested folders, a file at the bottom


CASE_LINK = "is a symbolic link; copy the file in instead (or run `clarion --allow-links` to "
HARD = "hard links: it may be another file of the workspace or of the machine"
MD_BODY = {LETTER: BASE[LETTER][:BASE[LETTER].index("        body: |")]}

ROUND2 = [
    # --- links that stay inside the workspace ---------------------------------------------
    Hostile("campaign body linked to a case file", MD_BODY, f"campaigns/letter.md: {CASE_LINK}",
            symlink=("campaigns/letter.md", "../cases/ilgar-mammadov.yaml")),
    Hostile("campaign body linked to a case file, built", MD_BODY,
            f"campaigns/letter.md: {CASE_LINK}", MD,
            symlink=("campaigns/letter.md", "../cases/ilgar-mammadov.yaml")),
    Hostile("case file linked to another case", {}, f"cases/other.yaml: {CASE_LINK}",
            symlink=("cases/other.yaml", "ilgar-mammadov.yaml")),
    Hostile("linked body allowed with --allow-links is still scanned", {
        **MD_BODY, "templates/open-letter.md": "{{ body|reverse }}\n"},
            "build/letter/emmanuel-macron: private data of case ilgar-mammadov would appear in "
            "the output build/letter/emmanuel-macron.md", ("--allow-links", *MD), forbid=(SECRET,),
            symlink=("campaigns/letter.md", "../cases/ilgar-mammadov.yaml")),
    Hostile("link out of the workspace refused even with --allow-links", {},
            "cases/other.yaml: is a link to a file outside the workspace",
            ("--allow-links", "validate"),
            symlink=("cases/other.yaml", "/tmp/clarion-secret/secret.txt")),
    Hostile("symbolic link in a template subfolder", {**STATEMENT, "notes.txt": PRIVATE},
            f"templates/parts/x.html: {CASE_LINK}",
            symlink=("templates/parts/x.html", "../../notes.txt")),
    # --- hard links -------------------------------------------------------------------------
    Hostile("hard link in assets to a case file, attached", statement(
        "<a rel=attachment href='assets/notes.txt'>x</a>"),
            f"{CASE}: has 2 {HARD}", ST_PDF, hardlinks=(("assets/notes.txt", CASE),)),
    Hostile("hard link in assets to a file outside, attached", statement(
        "<a rel=attachment href='assets/notes.txt'>x</a>"),
            f"(has 2 {HARD})", ST_PDF, 0,
            plant=((OUT + "/hard.txt", SECRET + "\n"),),
            hardlinks=(("assets/notes.txt", OUT + "/hard.txt"),)),
    Hostile("hard link as a campaign body", MD_BODY,
            f"{CASE}: has 2 {HARD}; copy the file in instead of linking it",
            hardlinks=(("campaigns/letter.md", CASE),)),
    Hostile("hard link as a template", {**STATEMENT},
            "templates/statement.md: template `statement.md` has 2 hard links",
            ("build", "st", "--format", "md"),
            plant=((OUT + "/hard.md", PRIVATE + "\n"),),
            hardlinks=(("templates/statement.md", OUT + "/hard.md"),)),
    Hostile("hard link as clarion.yaml", {"clarion.yaml": None},
            f"clarion.yaml: has 2 {HARD}",
            plant=((OUT + "/settings.yaml", BASE["clarion.yaml"]),),
            hardlinks=(("clarion.yaml", OUT + "/settings.yaml"),)),
    # --- bombs ------------------------------------------------------------------------------
    Hostile("document longer than any letter", statement(
        "{% for i in range(99999) %}<p>paragraph {{ i }}</p>{% endfor %}"),
            "templates/statement.html: rendering stopped: the document would be longer than "
            "1,000,000 characters", ST_PDF),
    # validate dry-renders the body, so it reports what build would refuse (without blowing up)
    Hostile("batch bomb folded at compile time", body("{{ [1, 2]|batch(999999999, 'x')|list }}"),
            f"{LETTER}:12: blocked by the template sandbox: batch: the size of a batch must be a "
            "whole number from 1 to 100,000"),
    Hostile("batch bomb, built", body("{{ [1, 2]|batch(999999999, 'x')|list }}"),
            f"{LETTER}:12: blocked by the template sandbox: batch: the size of a batch must be a "
            "whole number from 1 to 100,000", MD),
    Hostile("batch bomb in validate behind autoescape", body(
        "{% autoescape [1]|batch(999999999, 'x')|list|length > 1 %}x{% endautoescape %}"),
            f"{LETTER}:12: blocked by the template sandbox: batch: the size of a batch"),
    Hostile("slice bomb", body("{{ [1]|slice(999999999, 'x')|list }}"),
            f"{LETTER}:12: blocked by the template sandbox: slice: the number of slices", MD),
    Hostile("wordwrap bomb", body("{{ 'a b'|wordwrap(999999999) }}"),
            f"{LETTER}:12: blocked by the template sandbox: wordwrap: the width", MD),
    Hostile("percent width through gettext with a mapping", body(
        "{{ _('%(x)-200000000s', x=1) }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("percent width through ngettext", body(
        "{{ ngettext('%(num)0200000000d', '%(num)d', 1) }}"),
            f"{LETTER}:12: blocked by the template sandbox: '%' formatting with a huge width", MD),
    Hostile("percent width through a gettext alias", body(
        "{% set f = _ %}{{ f('%-200000000s' ~ '', 1) }}"),
            f"{LETTER}:12: blocked by the template sandbox", MD),
    Hostile("workspace raising its own render limit", {
        "clarion.yaml": BASE["clarion.yaml"] + "limits: {render_seconds: 3000, max_file_bytes: "
        "99999999}\n"},
            "clarion.yaml:6: warning: limits.render_seconds: 3,000 is above Clarion's cap of 10, "
            "which is used; clarion.yaml may only lower a limit (raise it for one run with "
            "`clarion --limit render_seconds=3000`)", exit=0),
    Hostile("workspace raising max_file_bytes to read a big file", {
        "clarion.yaml": BASE["clarion.yaml"] + "limits: {max_file_bytes: 99999999}\n",
        "cases/big.yaml": "name: X\nstatus: detained\nsummary: " + "x" * 6_000_000 + "\n"},
            "cases/big.yaml: file is 6,000,0"),
    Hostile("the command line may raise a limit", {
        "cases/big.yaml": "name: X\nstatus: detained\nsummary: " + "x" * 6_000_000 + "\n"},
            "ok: 2 cases", ("--limit", "max_file_bytes=7000000", "validate"), 0),
    # --- output hygiene ---------------------------------------------------------------------
    Hostile("escape sequences and bidi controls in a listed name", {CASE: BASE[CASE].replace(
        "name: Ilgar Mammadov", 'name: "Ilgar\\e[2J\\e]0;owned\\a \\u202eMammadov\\x9b"')},
            "ilgar-mammadov\tIlgar\\x1b[2J\\x1b]0;owned\\x07 \\u202eMammadov\\x9b\timprisoned",
            ("list", "cases"), 0, forbid=("\x1b", "\u202e", "\x07", "\x9b")),
    Hostile("tab and newline in a listed organisation", {"signatories/groups.yaml":
                                                         BASE["signatories/groups.yaml"].replace(
        "organisation: Human Rights Club", 'organisation: "Human\\tRights\\nClub"')},
            "hrc\tHuman\\tRights\\nClub", ("list", "signatories"), 0),
    Hostile("file name with a newline in validate output", {
        "cases/x\nforged.yaml: all good.yaml": "name: X\n"},
            "cases/x\\nforged.yaml: all good.yaml:1: file name", forbid=("\nforged",)),
    *[Hostile(f"{how} link in Markdown output", md_body(text),
              "campaigns/letter.md:1: warning: removed", HTML, 0,
              absent=("javascript:", "vbscript:", "data:text", "&#106;avascript",
                      "JaVaScRiPt:", "java&#x09;script"))
      for how, text in [
          ("reference-style javascript", "[x][r]\n\n[r]: javascript:alert(1)\n"),
          ("reference-style data", "[x][r]\n\n[r]: <data:text/html,x>\n"),
          ("autolink javascript", "<javascript:alert(1)>"),
          ("entity-encoded javascript", "[x](&#106;avascript:alert(1))"),
          ("tab inside the scheme", "[x](java&#x09;script:alert(1))"),
          ("vbscript", "[x](vbscript:msgbox(1))"),
          ("data text", "[x](data:text/html;base64,PHNjcmlwdD4=)"),
          ("mixed-case", "[x](JaVaScRiPt:alert(1))"),
      ]],
    Hostile("javascript link as a source URL", {CASE: BASE[CASE].replace(
        'url: "https://hudoc.echr.coe.int/x"', 'url: "javascript:alert(1)"')},
            "built 6 file(s), 0 unchanged", HTML, 0, absent=("javascript:",)),
    Hostile("data link as a source URL", {CASE: BASE[CASE].replace(
        'url: "https://hudoc.echr.coe.int/x"', 'url: "data:text/html,<script>alert(1)</script>"')},
            "built 6 file(s), 0 unchanged", HTML, 0, absent=("data:text", "<script")),
    # --- odd files: one line, no traceback ------------------------------------------------
    Hostile("symbolic link loop among the cases", {},
            "cases/a.yaml: is a symbolic link that leads nowhere (missing, or a loop of links)",
            links=(("cases/a.yaml", "b.yaml"), ("cases/b.yaml", "a.yaml"))),
    Hostile("symbolic link loop as the logo", {"signatories/groups.yaml":
                                               BASE["signatories/groups.yaml"].replace(
                                                   "person: Jane Doe", "logo: assets/logo.png")},
            "signatories/groups.yaml:5: logo: 'assets/logo.png' is a symbolic link; copy the image "
            "into assets/ instead", ("build", "--format", "pdf"),
            links=(("assets/logo.png", "logo2.png"), ("assets/logo2.png", "logo.png"))),
    Hostile("symbolic link loop as the logo, links allowed", {"signatories/groups.yaml":
                                                              BASE["signatories/groups.yaml"]
                                                              .replace("person: Jane Doe",
                                                                       "logo: assets/logo.png")},
            "signatories/groups.yaml:5: logo: file 'assets/logo.png' not found",
            ("--allow-links", "validate"),
            links=(("assets/logo.png", "logo2.png"), ("assets/logo2.png", "logo.png"))),
    Hostile("symbolic link loop in build", {}, "refusing to write through the link",
            MD, links=(("build/letter", "letter"),)),
    Hostile("a thousand nested folders under assets", {}, "built 3 file(s), 0 unchanged", MD, 0,
            nested=(("assets", 1000),)),
    Hostile("a thousand nested folders under cases", {}, "ok: 1 cases", ("validate",), 0,
            nested=(("cases", 1000),)),
    Hostile("a thousand nested folders under templates", {**STATEMENT},
            "built 1 file(s), 0 unchanged", ("build", "st", "--format", "md"), 0,
            nested=(("templates", 1000),)),
    Hostile("lone surrogate in a body", body('{{ "\\udc80" }}'),
            f"{LETTER}:12: the text holds a lone surrogate", MD, 1),
    Hostile("lone surrogate in a case name", {CASE: BASE[CASE].replace(
        "name: Ilgar Mammadov", 'name: "Ilgar \\udc80"')},
            f"{CASE}:1: YAML syntax error: while parsing a quoted scalar, found invalid Unicode "
            "character escape code"),
    Hostile("list where salutations.yaml expects text", {
        "templates/salutations.yaml": "en:\n  president:\n    salutation: [a, b]\n"},
            "templates/salutations.yaml:3: en.president.salutation: give a text, or texts by "
            "gender", MD, 1),
    Hostile("rule that is a list in salutations.yaml", {
        "templates/salutations.yaml": "en:\n  president: [a, b]\n"},
            "templates/salutations.yaml:2: en.president: must be a mapping with `salutation`",
            MD, 1),
]
