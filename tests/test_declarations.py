"""Each record's fields are declared once; the schema and docs/format.md are made from them."""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from clarion import limits
from clarion.workspace import campaigns, declare, model, people, records, settings
from clarion.workspace.load import read_workspace
from clarion.workspace.meta import about
from clarion.workspace.schema import Record

ROOT = Path(__file__).resolve().parent.parent
FORMAT_MD = ROOT / "docs" / "format.md"
MARKER = re.compile(r"<!-- fields: (\w+) [^\n]*-->\n(.*?)<!-- /fields -->\n", re.S)

#: every record a file can write, as declared (Workspace and LocalText are not read as records)
DECLARED = [cls for module in (people, campaigns, settings) for cls in vars(module).values()
            if dataclasses.is_dataclass(cls) and isinstance(cls, type)
            and cls.__module__ == module.__name__] + [limits.Limits]
#: the loader's Records, by the model each makes
SCHEMA = {model.Case: records.CASE, model.Recipient: records.RECIPIENT,
          model.Signatory: records.SIGNATORY, model.Campaign: records.CAMPAIGN,
          model.Settings: records.SETTINGS, model.Event: records.EVENT,
          model.Quote: records.QUOTE, model.Contact: records.CONTACT,
          model.Translation: records.TRANSLATION, model.Source: records.SOURCE}


def _nested(record, name):
    spec = record.fields[name].spec
    while not isinstance(spec, Record):  # through lists and mappings to the record
        spec = getattr(spec, "item", None) or spec.value
    return spec


def _record_for(cls):
    """The Record the loader uses for `cls`, found through the records that hold it."""
    if cls in SCHEMA:
        return SCHEMA[cls]
    for outer, record in SCHEMA.items():
        for f in dataclasses.fields(outer):
            if not declare.is_internal(f) and declare._record_type(
                    declare.typing.get_type_hints(outer)[f.name]) is cls:
                return _nested(record, declare.contract_name(f))
    raise AssertionError(f"no Record holds {cls.__name__}")


def test_the_declared_records_are_the_models():
    names = {cls.__name__ for cls in DECLARED}
    assert {"Case", "Event", "Charge", "Sentence", "Judgment", "Recognition", "Source",
            "Recipient", "Signatory", "Campaign", "Quote", "EventRef", "Window",
            "Translation", "Contact", "Settings", "Organisation", "Signing", "BuildSettings",
            "Limits", "LintSettings", "Mail"} <= names
    for cls in DECLARED:
        assert getattr(model, cls.__name__) is cls, f"model.{cls.__name__} is not re-exported"


@pytest.mark.parametrize("cls", DECLARED, ids=lambda c: c.__name__)
def test_every_field_has_a_doc_and_a_schema_entry(cls):
    record = _record_for(cls)
    written = set()
    for f in dataclasses.fields(cls):
        assert f.metadata.get("doc", "").strip(), f"{cls.__name__}.{f.name} has no doc"
        if declare.is_internal(f):
            assert declare.contract_name(f) not in record.fields
            continue
        name = declare.contract_name(f)
        written.add(name)
        assert name in record.fields, f"{cls.__name__}.{f.name} is not in the schema"
        assert record.fields[name].required == declare.is_required(f)
    assert set(record.fields) == written, "the schema has a field the model does not declare"


def test_required_follows_the_default_unless_declared():
    case = records.CASE.fields
    assert case["name"].required and case["status"].required
    assert not case["id"].required  # the file name gives it
    assert records.SETTINGS.fields["organisation"].spec.fields["name"].required
    assert records.EVENT.fields["date"].required and not records.EVENT.fields["id"].required


def test_contract_names_differ_from_attributes_where_python_needs_it():
    window = records.CAMPAIGN.fields["window"].spec
    assert "from" in window.fields and "start" not in window.fields
    assert "from" in records.SETTINGS.fields["mail"].spec.fields


def test_a_type_without_a_check_is_refused_at_declaration():
    @dataclasses.dataclass(frozen=True)
    class Odd:
        value: complex = dataclasses.field(metadata=about("no check for this"))

    with pytest.raises(TypeError) as caught:
        declare.record_of(Odd)
    assert "give `check` or `pattern`" in str(caught.value)


def test_limits_come_from_the_limits_module_with_their_ranges():
    spec = records.SETTINGS.fields["limits"].spec
    assert model.Limits is limits.Limits
    assert set(spec.fields) == {f.name for f in dataclasses.fields(limits.Limits)}
    memory = spec.fields["layout_memory_mb"].spec
    assert (memory.integer, memory.minimum, memory.maximum) == (True, 16, 65536)
    seconds = spec.fields["render_seconds"].spec
    assert (seconds.integer, seconds.minimum, seconds.maximum) == (False, 0.1, 3600)
    assert limits.DEFAULTS == limits.Limits()


# ---------------------------------------------------------------- docs/format.md

def _tables(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in MARKER.finditer(text)}


def _generated(text: str) -> str:
    """docs/format.md with every marked table made afresh from the declarations."""
    tabled = {getattr(model, name): name for name in _tables(text)}

    def table(m: re.Match[str]) -> str:
        cls = getattr(model, m.group(1))
        head = m.group(0).split("\n", 1)[0]
        return f"{head}\n{declare.markdown_table(cls, tabled)}<!-- /fields -->\n"
    return MARKER.sub(table, text)


def test_format_md_tables_are_made_from_the_declarations():
    """Refresh with CLARION_REFRESH_DOCS=1 after changing a field, then read the diff."""
    text = FORMAT_MD.read_text("utf-8")
    fresh = _generated(text)
    if os.environ.get("CLARION_REFRESH_DOCS") and fresh != text:
        FORMAT_MD.write_text(fresh, "utf-8")
        text = fresh
    assert text == fresh, "docs/format.md's field tables are out of date; run with " \
                          "CLARION_REFRESH_DOCS=1"


def test_format_md_lists_every_field_a_file_may_write():
    tables = _tables(FORMAT_MD.read_text("utf-8"))
    listed = {re.match(r"\| `([^`]+)`", line).group(1)
              for body in tables.values() for line in body.splitlines()[2:]}
    tabled = {getattr(model, name) for name in tables}
    assert {model.Case, model.Recipient, model.Signatory, model.Campaign,
            model.Settings} <= tabled
    for cls in tabled:
        for name, *_ in declare.rows(cls, {c: c.__name__ for c in tabled}):
            assert name in listed, f"docs/format.md does not list {cls.__name__} `{name}`"
    assert {"birth_date", "aliases", "limits.layout_seconds", "window.from"} <= listed


def test_a_changed_doc_makes_the_table_stale():
    text = FORMAT_MD.read_text("utf-8")
    stale = text.replace("the name as your readers know it", "the name")
    assert stale != text and _generated(stale) != stale


# ---------------------------------------------------------------- birth_date and aliases

def _workspace(tmp_path: Path, case: str) -> Path:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "ilgar-mammadov.yaml").write_text(case, "utf-8")
    return tmp_path


def test_a_case_has_a_birth_date_and_aliases(tmp_path):
    ws, problems = read_workspace(_workspace(tmp_path, (
        "name: Ilgar Mammadov\nstatus: imprisoned\nbirth_date: 1969-09-14\n"
        "aliases: [Ilgar Mamedov, İlqar Məmmədov]\n")))
    assert ws is not None, problems
    case = ws.cases["ilgar-mammadov"]
    assert case.birth_date.isoformat() == "1969-09-14"
    assert case.aliases == ("Ilgar Mamedov", "İlqar Məmmədov")
    assert case.locs["birth_date"].line == 3


def test_a_wrong_birth_date_or_aliases_is_reported_at_its_line(tmp_path):
    ws, problems = read_workspace(_workspace(tmp_path, (
        "name: Ilgar Mammadov\nstatus: imprisoned\nbirth_date: 14.09.1969\n"
        "aliases: Ilgar Mamedov\n")))
    assert ws is not None and "ilgar-mammadov" not in ws.cases  # left out, not half-read
    messages = [str(p) for p in problems]
    assert messages == [
        "cases/ilgar-mammadov.yaml:3: birth_date: '14.09.1969' is not a date; write it as "
        "YYYY-MM-DD",
        "cases/ilgar-mammadov.yaml:4: aliases: must be a list (write [a, b] or one '- item' "
        "per line), not 'Ilgar Mamedov'"]


def test_a_case_without_them_has_none(tmp_path):
    ws, _ = read_workspace(_workspace(tmp_path, "name: X\nstatus: released\n"))
    assert ws is not None
    assert ws.cases["ilgar-mammadov"].birth_date is None
    assert ws.cases["ilgar-mammadov"].aliases == ()


def test_an_unknown_named_check_is_refused_at_declaration():
    with pytest.raises(ValueError) as caught:
        about("a field", check="email")
    assert "use one of ('id', 'language')" in str(caught.value)
