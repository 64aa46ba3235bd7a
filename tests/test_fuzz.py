"""Property-based fuzzing of the loader: any YAML or CSV gives exit 0 or 1, never a crash."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

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


def run(files: dict, *args: str) -> None:
    """Write BASE + `files` into a fresh workspace, run the CLI; only exit 0 or 1 is fine."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        write_files(root, {**BASE, **files})
        started = time.monotonic()
        result = CliRunner().invoke(main, ["-w", str(root), *args])
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert "Traceback" not in result.output + result.stderr
        assert time.monotonic() - started < 2
    finally:
        shutil.rmtree(root)


def validate(files: dict) -> None:
    run(files, "validate")


@FUZZ
@given(st.text(YAML_CHARS, max_size=300))
def test_random_text_as_a_case(text):
    validate({"cases/ilgar-mammadov.yaml": text.encode("utf-8", "surrogatepass")})


@FUZZ
@given(values)
def test_random_structures_as_a_case(data):
    validate({"cases/ilgar-mammadov.yaml": yaml.safe_dump(data, allow_unicode=True)})


@FUZZ
@given(st.dictionaries(st.sampled_from([*FIELDS, "kind", "title", "recipients", "window"]),
                       values, max_size=8))
def test_random_campaigns(data):
    validate({"campaigns/letter.yaml": yaml.safe_dump(data, allow_unicode=True)})


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


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "organisation", "person",
                                                 "address", "groups", "logo", "signature",
                                                 "language", "salutation", "extra"]),
                                values, max_size=6), max_size=4))
def test_random_party_lists(items):
    validate({"recipients/more.yaml": yaml.safe_dump({"recipients": items}, allow_unicode=True),
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
