"""Property-based fuzzing of the loader: any YAML or CSV gives exit 0 or 1, never a crash."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clarion.cli import main

from conftest import BASE, write_files

FIELDS = ["name", "status", "gender", "events", "date", "type", "sources", "roles", "summary",
          "id", "extra", "private", "charges", "sentence", "years", "life", "text", "country"]
YAML_CHARS = st.sampled_from(list("abcXYZ019 -:[]{},&*!|>'\"#%@`\n\t\\?~") + ["\ufeff", "é",
                                                                            "Ə", "\x00"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["NO", "0123", "2014-02-30",
                                                           "detained", "~", "yes"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=20)

FUZZ = settings(max_examples=120, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def validate(files: dict) -> None:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        write_files(root, {**BASE, **files})
        result = CliRunner().invoke(main, ["-w", str(root), "validate"])
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert "Traceback" not in result.output + result.stderr
    finally:
        shutil.rmtree(root)


@FUZZ
@given(st.text(YAML_CHARS, max_size=300))
def test_random_text_as_a_case(text):
    validate({"cases/ilgar-mammadov.yaml": text.encode("utf-8", "surrogatepass")})


@FUZZ
@given(values)
def test_random_structures_as_a_case(data):
    validate({"cases/ilgar-mammadov.yaml": yaml.safe_dump(data, allow_unicode=True)})


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS + ["kind", "title", "recipients", "window"]),
                       values, max_size=8))
def test_random_campaigns(data):
    validate({"campaigns/letter.yaml": yaml.safe_dump(data, allow_unicode=True)})


CSV_CHARS = st.sampled_from(list('ab,"|\n\r ;=-é') + ["\ufeff", "\x00"])


@FUZZ
@given(st.text(CSV_CHARS, max_size=300))
def test_random_csv_rows(text):
    header = "id,name,title,honorific,gender,address,country,language,email,groups\n"
    validate({"recipients/ministers.csv": header + text})


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_as_csv(data):
    validate({"recipients/ministers.csv": data})
