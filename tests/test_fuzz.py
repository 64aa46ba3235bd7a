"""Property-based fuzzing: any YAML or CSV gives exit 0 or 1, never a crash; and whatever
`validate` passes, `build --format md` builds (validate finds everything build would refuse)."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import BASE, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clarion.cli import main

FIELDS = ["name", "status", "gender", "events", "date", "type", "sources", "roles", "summary",
          "id", "extra", "private", "charges", "sentence", "years", "life", "text", "country"]
YAML_CHARS = st.sampled_from([*list("abcXYZ019 -:[]{},&*!|>'\"#%@`\n\t\\?~"), "\ufeff", "é", "Ə", "\x00"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["NO", "0123", "2014-02-30",
                                                           "detained", "~", "yes"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=20)

FUZZ = settings(max_examples=120, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
#: a build per example is slower: fewer examples
FUZZ_BUILD = settings(FUZZ, max_examples=40, deadline=6000)
pytestmark = pytest.mark.slow


def run(files: dict, *args: str, then_build: bool = False) -> None:
    """Write BASE + `files` into a fresh workspace, run the CLI; only exit 0 or 1 is fine.

    With `then_build`, a workspace that validates must also build as Markdown.
    """
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        write_files(root, {**BASE, **files})
        result = _invoke(root, *args)
        if then_build and result.exit_code == 0:
            built = _invoke(root, "build", "--format", "md")
            # only the privacy stop may refuse what validate passed: it needs the finished text
            assert built.exit_code == 0 or "private data" in built.stderr, built.stderr
    finally:
        shutil.rmtree(root)


def _invoke(root: Path, *args: str):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["-w", str(root), *args])
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    assert time.monotonic() - started < 3
    return result


def validate(files: dict) -> None:
    run(files, "validate")


def validate_then_build(files: dict) -> None:
    run(files, "validate", then_build=True)


@FUZZ
@given(st.text(YAML_CHARS, max_size=300))
def test_random_text_as_a_case(text):
    validate({"cases/ilgar-mammadov.yaml": text.encode("utf-8", "surrogatepass")})


@FUZZ_BUILD
@given(values)
def test_random_structures_as_a_case(data):
    validate_then_build({"cases/ilgar-mammadov.yaml": yaml.safe_dump(data, allow_unicode=True)})


@FUZZ_BUILD
@given(st.dictionaries(st.sampled_from([*FIELDS, "kind", "title", "recipients", "window"]),
                       values, max_size=8))
def test_random_campaigns(data):
    validate_then_build({"campaigns/letter.yaml": yaml.safe_dump(data, allow_unicode=True)})


CSV_CHARS = st.sampled_from([*list('ab,"|\n\r ;=-é'), "\ufeff", "\x00"])


@FUZZ
@given(st.text(CSV_CHARS, max_size=300))
def test_random_csv_rows(text):
    header = "id,name,title,honorific,gender,address,country,language,email,groups\n"
    validate({"recipients/ministers.csv": header + text})


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_as_csv(data):
    validate({"recipients/ministers.csv": data})


@FUZZ
@given(values)
def test_random_structures_as_settings(data):
    validate({"clarion.yaml": yaml.safe_dump(data, allow_unicode=True)})


@FUZZ_BUILD
@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "organisation", "person",
                                                 "address", "groups", "logo", "signature",
                                                 "language", "salutation", "extra"]),
                                values, max_size=6), max_size=4))
def test_random_party_lists(items):
    validate_then_build({"recipients/more.yaml": yaml.safe_dump({"recipients": items}, allow_unicode=True),
              "signatories/more.yaml": yaml.safe_dump({"signatories": items},
                                                      allow_unicode=True)})


#: pieces of Jinja, Markdown and HTML a hostile body is made of
BODY_PIECES = st.sampled_from([
    "{{ ", " }}", "{% ", " %}", "{# ", " #}", "case", ".name", "'x'", "1", "*", "**", "%", "~",
    "(", ")", "[", "]", "|", "length", "join", "range(9)", "for i in ", "endfor", "if ",
    "endif", "__class__", "cite('echr')", "background()", "lipsum", "\n", "\n\n", "# ",
    "> ", "- ", "1. ", "`", "```", "*a*", "_", "[x](", "http://a/", "javascript:", "<a ",
    "<img src=", "<script>", "</p>", "<", ">", "&", "&#", ";", '"', "'", "[^1]", "[^1]: n",
    "|---|", " ", "é", "\u200b", "\x00"])


@FUZZ
@given(st.lists(BODY_PIECES, max_size=40).map("".join))
def test_random_bodies(text):
    head = BASE["campaigns/letter.yaml"]
    run({"campaigns/letter.yaml": head[:head.index("        body: |")],
         "campaigns/letter.md": text}, "build", "--format", "md", "--format", "html",
        "--recipient", "emmanuel-macron")


#: pieces of a body that reads records: fields that exist, misspelt ones, filters, cite keys
FIELD_PIECES = st.sampled_from([
    "{{ case.name }}", "{{ case.nmae }}", "{{ case.status }}", "{{ case.held_since|date }}",
    "{{ case.held_sinse|date }}", "{{ cite('echr') }}", "{{ cite('echrr') }}",
    "{{ campaign.title }}", "{{ campaign.titel }}", "{{ recipient.name }}",
    "{{ recipient.nmae }}", "{{ cases['ilgar-mammadov'].name }}", "{{ cases['x'].name }}",
    "{% if case.nmae %}a{% endif %}", "{% for e in case.events %}{{ e.txt }}{% endfor %}",
    "{{ case|pronoun }}", "{{ case.name|upper }}", "{{ signatories[0].organisation }}",
    "{{ signatories[5].organisation }}", "{{ count_cases('detained') }}", " ", "\n"])


@FUZZ_BUILD
@given(st.lists(FIELD_PIECES, max_size=12).map("".join))
def test_bodies_that_validate_also_build(text):
    """The promise of `validate`: a body it passes does not stop `build`."""
    head = BASE["campaigns/letter.yaml"]
    validate_then_build({"campaigns/letter.yaml": head[:head.index("        body: |")],
                         "campaigns/letter.md": text})
