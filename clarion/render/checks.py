"""Template checks that `validate` runs: bodies parse, templates exist, and every document dry-renders."""
from __future__ import annotations

import os
from collections.abc import Set
from dataclasses import replace

import jinja2
from jinja2 import nodes

from ..errors import ClarionError, Location, Problem
from ..kinds import KINDS
from ..workspace.audience import recipients_of
from ..workspace.model import GROUP_PREFIX, Campaign, Recipient, Workspace
from . import i18n, templating
from .templating import template_exists
from .undefined import collecting


def check_templates(ws: Workspace, broken: Set[str] = frozenset(),
                    render: bool = True) -> list[Problem]:
    """Problems with the templates and bodies of every campaign, found by rendering them
    (`render=False`: only that they parse and exist)."""
    problems: list[Problem] = []
    for c in ws.campaigns.values():
        found = check_bodies(ws, c) + check_template_exists(ws, c)
        problems += found
        if not found:  # also seen in the dry render, but only on the branches it takes
            problems += check_date_styles(ws, c)
        if render and not found and references_ok(ws, c, broken):
            problems += dry_render(ws, c)
    return _unique(problems)


def check_templates_parse(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """`check_templates` without the dry render: for commands that render what they need."""
    return check_templates(ws, broken, render=False)


def _home(c: Campaign) -> Location:
    return c.loc or Location(f"campaigns/{c.id}.yaml")


def check_template_exists(ws: Workspace, c: Campaign) -> list[Problem]:
    """The campaign's template exists, as .html and as .md."""
    def at(name: str) -> Location:
        return c.locs.get(name) or _home(c)

    problems: list[Problem] = []
    template = c.template or KINDS[c.kind].template
    missing = [f"{template}.{ext}" for ext in ("html", "md")
               if not template_exists(ws.root, template, ext)]
    if len(missing) == 2:
        problems.append(Problem(at("template") if c.template else _home(c), (
            f"template `{template}` not found in templates/ or the built-in templates")))
    elif missing:
        problems.append(Problem(at("template") if c.template else _home(c), (
            f"template `{missing[0]}` not found in templates/ or the built-in templates; "
            "a template needs both its .html and its .md file")))
    return problems


def check_bodies(ws: Workspace, c: Campaign) -> list[Problem]:
    """Campaign bodies (and their translations) must at least compile as templates."""
    env = _body_environment(ws)
    problems = []
    for body, loc in _bodies(c):
        try:
            env.compile(body)  # unlike parse(), also finds unknown filters such as |safe
        except jinja2.TemplateSyntaxError as e:
            line = loc.line + (e.lineno or 1) - 1
            problems.append(Problem(Location(loc.path, line),
                                    f"template syntax error: {e.message}"))
    return problems


def check_date_styles(ws: Workspace, c: Campaign) -> list[Problem]:
    """Every `date` filter of a campaign's bodies with a style written out (`date('d MMMM')`)
    has a style the filter knows, whether or not the dry render reaches it."""
    env = _body_environment(ws)
    problems = []
    for body, loc in _bodies(c):
        for node in env.parse(body).find_all(nodes.Filter):
            if node.name != "date":
                continue
            styles = node.args[:1] + [k.value for k in node.kwargs if k.key == "style"]
            for style in styles:
                problem = i18n.date_style_problem(style.value) \
                    if isinstance(style, nodes.Const) else None
                if problem is not None:
                    problems.append(Problem(Location(loc.path, loc.line + node.lineno - 1),
                                            problem))
    return problems


def _body_environment(ws: Workspace) -> jinja2.Environment:
    return templating.make_environment(ws.root, "en", "en", markdown=True,
                                       links=ws.options.allow_links)


def _bodies(c: Campaign) -> list[tuple[str, Location]]:
    """A campaign's body and each translation's, with where each starts (the written ones)."""
    found = [(c.body, c.body_loc)] + [(t.body, t.body_loc) for t in c.translations.values()]
    return [(body, loc) for body, loc in found if body and loc is not None]


def references_ok(ws: Workspace, c: Campaign, broken: Set[str] = frozenset()) -> bool:
    """Whether every record the campaign names loaded (else that is reported, not rendered)."""
    groups = {g for r in ws.recipients.values() for g in r.groups}
    signing_groups = {g for s in ws.signatories.values() for g in s.groups}
    ok = all(case in ws.cases for case in c.cases) and \
        all(s[len(GROUP_PREFIX):] in signing_groups if s.startswith(GROUP_PREFIX)
            else s in ws.signatories for s in c.signatories) and \
        all(r[len(GROUP_PREFIX):] in groups if r.startswith(GROUP_PREFIX) else r in ws.recipients
            for r in c.recipients)
    if c.event is not None:
        case = ws.cases.get(c.event.case)
        ok = ok and case is not None and any(e.id == c.event.event for e in case.events)
    return ok and not (set(c.cases) | set(c.signatories) | set(c.recipients)) & set(broken)


def build_languages(ws: Workspace, c: Campaign) -> dict[str, Recipient | None]:
    """One recipient (or None) for each language the campaign is built in, its own first.

    The original is checked even when every recipient reads a translation of it.
    """
    from .choice import document_language  # the render stack, only when rendering
    own = c.language or ws.settings.language
    out: dict[str, Recipient | None] = {}
    recipients = recipients_of(ws, c)
    for recipient in recipients:
        language, _ = document_language(ws, c, recipient)
        out.setdefault(language, recipient)
    if own not in out:  # nobody reads the original: check it with a recipient who would
        first = recipients[0]
        out = {own: replace(first, language=own) if first is not None else None, **out}
    return out


def dry_render(ws: Workspace, c: Campaign) -> list[Problem]:
    """Render the campaign in memory (no layout) in each of its languages; note every problem.

    Undefined fields and unknown `cite` keys are noted where they are used and rendering goes
    on, so one run reports them all; any other template error stops that document only.
    """
    from .choice import Texts
    from .document import render_document
    problems: list[Problem] = []
    for language, recipient in build_languages(ws, c).items():
        body_loc = Texts(c, language).body_loc
        with collecting() as collector:
            try:
                render_document(ws, c, recipient)
                stop = None
            except ClarionError as e:
                stop = e
            except Exception as e:  # an undefined value reached code that needs a real one
                stop = None if collector.found else ClarionError(
                    f"could not render the {language} document: {type(e).__name__}: {e}",
                    body_loc or _home(c))
        noted = [Problem(_where(ws, file, line, body_loc), message)
                 for file, line, message in collector.found]
        problems += noted
        if stop is not None:
            loc = stop.location or _home(c)
            # a knock-on of a field noted already at the same line is not reported again
            if not any(p.location.path == loc.path and p.location.line == loc.line
                       for p in noted):
                problems.append(Problem(loc, stop.message))
    return problems


def _where(ws: Workspace, file: str, line: int, body_loc: Location | None) -> Location:
    if not file:
        return body_loc or Location("-")
    if not os.path.isabs(file):  # a campaign body: compiled under its display name
        offset = body_loc.line - 1 if body_loc and body_loc.path == file else 0
        return Location(file, line + max(offset, 0))
    return Location(templating.display_name(file, ws.root), line)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Location, str]] = set()
    out = []
    for p in problems:
        if (p.location, p.message) not in seen:
            seen.add((p.location, p.message))
            out.append(p)
    return out
