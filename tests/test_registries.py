"""The registries of formats and kinds, and the limits module: complete, matching the code
that reads them, and named by CONTRIBUTING.md's recipes."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import itertools
import re
from pathlib import Path

import pytest

from clarion import formats, kinds, limits
from clarion.formats import FORMATS, Format
from clarion.kinds import KINDS, Kind, KindInfo
from clarion.workspace import model, records

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "clarion"
SHARED = ("limits", "formats", "kinds")


def _recipe(title: str) -> str:
    """One paragraph of CONTRIBUTING.md's "Where each kind of change goes"."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    start = text.index(f"**{title}.**")
    end = text.find("\n\n", start)
    return text[start:end]


@pytest.mark.parametrize(("title", "module", "registry", "entry"), [
    ("A document kind", "clarion/kinds.py", "KINDS", KindInfo),
    ("An output format", "clarion/formats.py", "FORMATS", Format)])
def test_the_contributing_recipe_names_the_registry_and_every_attribute(title, module,
                                                                        registry, entry):
    recipe = _recipe(title)
    assert f"`{module}`" in recipe and f"`{registry}`" in recipe
    named = set(re.findall(r"`([a-z_]+)`", recipe))
    missing = [f.name for f in dataclasses.fields(entry) if f.name not in named]
    assert not missing, f"CONTRIBUTING's recipe for {title.lower()} does not name {missing}"


# ---------------------------------------------------------------- kinds

def test_every_kind_has_one_entry():
    assert list(KINDS) == list(Kind)
    for kind, info in KINDS.items():
        assert info.kind is kind


@pytest.mark.parametrize("info", KINDS.values(), ids=str)
def test_each_kind_entry_is_complete(info: KindInfo):
    assert info.doc.strip()
    for folder in (PACKAGE / "templates", ROOT / "templates"):
        for ext in ("html", "md"):
            assert (folder / f"{info.template}.{ext}").is_file(), f"{folder}/{info.template}.{ext}"
    assert not (info.recipients and info.window), "a document per recipient lists no window"


def test_the_model_and_the_schema_use_the_kinds_registry():
    assert model.Kind is Kind
    assert records.CAMPAIGN.fields["kind"].spec.choices == [k.value for k in KINDS]


# ---------------------------------------------------------------- formats

@pytest.mark.parametrize("fmt", FORMATS.values(), ids=lambda f: f.name)
def test_each_format_entry_is_complete(fmt: Format):
    from clarion.render.document import FORMS
    assert fmt.doc.strip() and re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", fmt.media_type)
    assert fmt.suffix == f".{fmt.name}" and FORMATS[fmt.name] is fmt
    assert fmt.forms and fmt.forms <= FORMS
    assert all(other in FORMATS and other != fmt.name for other in fmt.made_with)
    assert not (fmt.text and len(fmt.forms) != 1), "a text format is the text of one form"
    assert not fmt.signed or fmt.laid_out, "only a laid-out PDF is signed"


def test_the_model_and_the_schema_use_the_formats_registry():
    assert model.FORMATS == records.FORMATS == tuple(FORMATS) == ("pdf", "md", "html", "eml",
                                                                  "docx")
    item = records.SETTINGS.fields["build"].spec.fields["formats"].spec.item
    assert item.choices == list(FORMATS)


def _subsets():
    return [c for n in range(len(FORMATS) + 1) for c in itertools.combinations(FORMATS, n)]


def test_the_forms_a_build_needs_are_those_its_formats_are_made_from():
    """A PDF needs the print HTML only, a draft all three forms (its text, its HTML part and
    the PDF it attaches); the renderer is asked for exactly these (render.document.FORMS)."""
    from clarion.render.document import FORMS
    assert formats.forms_for(("pdf",)) == {"print"}
    assert formats.forms_for(("md", "html")) == {"markdown", "html"}
    assert formats.forms_for(("eml",)) == FORMS
    for chosen in _subsets():
        assert formats.forms_for(chosen) <= FORMS


def test_e_mail_drafts_only_for_recipients_with_an_address():
    for chosen in _subsets():
        assert formats.formats_for(chosen, True) == tuple(chosen)
        assert "eml" not in formats.formats_for(chosen, False)
    assert formats.formats_for(("pdf", "eml"), False) == ("pdf",)


# ---------------------------------------------------------------- the shared modules

@pytest.mark.parametrize("name", SHARED)
def test_the_shared_modules_import_nothing_of_clarion_but_errors(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text("utf-8"))
    imported = {(node.level, node.module) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)}
    imported |= {(0, a.name) for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names}
    inside = {module for level, module in imported if level or (module or "").startswith(
        "clarion")}
    assert inside <= {"errors", "clarion.errors"}, inside


def test_every_limit_has_a_doc_line():
    lines = (PACKAGE / "limits.py").read_text("utf-8").splitlines()
    constants = [i for i, line in enumerate(lines) if re.match(r"[A-Z][A-Z0-9_]* = ", line)]
    assert len(constants) > 20
    for i in constants:
        name = lines[i].split()[0]
        assert lines[i - 1].startswith("#: ") or name in ("KB", "MB"), f"{name} has no doc"


#: caps still defined where they are used, and their name in clarion/limits.py: until each
#: module reads limits.py, the two must agree
MOVED = {
    "clarion.workspace.yamlio": {"MAX_DEPTH": "MAX_YAML_DEPTH", "HARD_MAX_BYTES": "HARD_MAX_BYTES",
                                 "MAX_FOLDER_DEPTH": "MAX_FOLDER_DEPTH"},
    "clarion.workspace.csvio": {"MAX_FIELD_CHARS": "MAX_CSV_FIELD_CHARS",
                                "MAX_COLUMNS": "MAX_CSV_COLUMNS"},
    "clarion.render.sandbox": {"MAX_RENDER_SECONDS": "MAX_RENDER_SECONDS",
                               "COMPILE_SECONDS": "COMPILE_SECONDS",
                               "MAX_SEQUENCE": "MAX_SEQUENCE", "MAX_EXPONENT": "MAX_EXPONENT",
                               "MAX_INT_BITS": "MAX_INT_BITS"},
    "clarion.render.markup": {"MARKDOWN_SECONDS": "MARKDOWN_SECONDS",
                              "CONVERTED_LIMIT": "HTML_CACHE_SIZE"},
    "clarion.render.document": {"MAX_BODY_CHARS": "MAX_BODY_CHARS",
                                "MAX_EMBED_BYTES": "MAX_EMBED_BYTES"},
    "clarion.render.templating": {"MAX_DOCUMENT_CHARS": "MAX_DOCUMENT_CHARS",
                                  "BODIES_LIMIT": "BODY_CACHE_SIZE"},
    "clarion.render.filters": {"MAX_WIDTH": "MAX_WIDTH"},
    "clarion.output.pdf": {"MAX_FETCH_BYTES": "MAX_FETCH_BYTES", "PDF_SECONDS": "PDF_SECONDS"},
    "clarion.output.files": {"MAX_MANIFEST_BYTES": "MAX_MANIFEST_BYTES"},
    "clarion.pipeline.build": {"MAX_FETCH_BYTES": "MAX_FETCH_BYTES"},
    "clarion.pipeline.engine": {"GRACE_SECONDS": "GRACE_SECONDS",
                                "DOCUMENTS_PER_WORKER": "DOCUMENTS_PER_WORKER",
                                "MAX_CHUNK": "MAX_CHUNK",
                                "MAX_STYLESHEETS": "STYLESHEET_CACHE_SIZE"},
    "clarion.review.lint": {"MAX_OUTPUT_BYTES": "MAX_OUTPUT_BYTES"},
    "clarion.delivery.log": {"MAX_LOG_BYTES": "MAX_LOG_BYTES"},
}


@pytest.mark.parametrize("module", MOVED)
def test_a_cap_still_defined_elsewhere_has_the_value_limits_declares(module):
    found = importlib.import_module(module)
    for old, new in MOVED[module].items():
        if hasattr(found, old):
            assert getattr(found, old) == getattr(limits, new), f"{module}.{old}"


def test_the_workspace_default_limits_are_the_built_in_caps():
    from clarion.workspace import yamlio
    if hasattr(yamlio, "DEFAULT_MAX_BYTES"):
        assert yamlio.DEFAULT_MAX_BYTES == limits.DEFAULTS.max_file_bytes
    assert model.Settings().limits == limits.DEFAULTS
    engine = importlib.import_module("clarion.pipeline.engine")
    assert engine.Limits is limits.Limits  # the engine bounds documents by the one Limits


def test_kinds_and_formats_modules_hold_one_table_each():
    assert {type(v) for v in kinds.KINDS.values()} == {KindInfo}
    assert {type(v) for v in formats.FORMATS.values()} == {Format}
