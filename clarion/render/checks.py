"""Template checks that `validate` runs: campaign bodies parse, and each campaign's template exists."""
from __future__ import annotations

import jinja2

from ..errors import Location, Problem
from ..workspace.model import Campaign, Workspace
from .filters import FILTER_NAMES
from .sandbox import LimitedSandbox
from .templating import REMOVED_FILTERS, template_exists


def check_templates(ws: Workspace, broken: frozenset[str] | set[str] = frozenset()) -> list[Problem]:
    """Problems with the templates and bodies of every campaign."""
    problems: list[Problem] = []
    for c in ws.campaigns.values():
        problems += check_bodies(c)
        problems += check_template_exists(ws, c)
    return problems


def check_template_exists(ws: Workspace, c: Campaign) -> list[Problem]:
    def at(name):
        return c.locs.get(name, c.loc)

    problems: list[Problem] = []
    template = c.template or c.kind.value
    missing = [f"{template}.{ext}" for ext in ("html", "md")
               if not template_exists(ws.root, template, ext)]
    if len(missing) == 2:
        problems.append(Problem(at("template") if c.template else c.loc, (
            f"template `{template}` not found in templates/ or the built-in templates")))
    elif missing:
        problems.append(Problem(at("template") if c.template else c.loc, (
            f"template `{missing[0]}` not found in templates/ or the built-in templates; "
            "a template needs both its .html and its .md file")))
    return problems


def check_bodies(c: Campaign) -> list[Problem]:
    """Campaign bodies (and their translations) must at least parse as templates."""
    env = LimitedSandbox(extensions=["jinja2.ext.i18n"])
    for name in REMOVED_FILTERS:
        env.filters.pop(name, None)
    env.filters.update(dict.fromkeys(FILTER_NAMES, str))
    problems = []
    bodies = [(c.body, c.body_loc)] + [(t.body, t.body_loc) for t in c.translations.values()]
    for body, loc in bodies:
        if not body or loc is None:
            continue
        try:
            env.compile(body)  # unlike parse(), also finds unknown filters such as |safe
        except jinja2.TemplateSyntaxError as e:
            line = loc.line + (e.lineno or 1) - 1
            problems.append(Problem(Location(loc.path, line),
                                    f"template syntax error: {e.message}"))
    return problems
