"""The run's loading choices travel explicitly: a second process loads an equal workspace."""
from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest

from clarion.workspace.load import read_workspace
from clarion.workspace.options import LoadOptions
from clarion.workspace.yamlio import FileRefused, read_workspace_file

OPTIONS = LoadOptions(allow_links=True, raised=(("max_csv_rows", 20_000.0),))


def _load(root: Path, options: LoadOptions) -> tuple[str, list[str]]:
    """In the child: the workspace as text (its records hold read-only mappings, which do not
    pickle) and its problems."""
    ws, problems = read_workspace(root, (), options)
    return repr(ws), [str(p) for p in problems]


@pytest.fixture
def linked_ws(make_ws):
    root = make_ws({"clarion.yaml": "language: en\nlimits:\n  render_seconds: 5\n"})
    (root / "cases/same-file.yaml").symlink_to("ilgar-mammadov.yaml")
    return root


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_second_process_loads_an_equal_workspace(linked_ws, method):
    ws, problems = read_workspace(linked_ws, (), OPTIONS)
    assert ws is not None and problems == []
    assert "same-file" in ws.cases  # the link was followed, as the options say
    assert ws.settings.limits.max_csv_rows == 20_000  # raised for this run
    assert ws.settings.limits.render_seconds == 5.0  # lowered by clarion.yaml
    assert ws.options == OPTIONS and pickle.loads(pickle.dumps(OPTIONS)) == OPTIONS
    with multiprocessing.get_context(method).Pool(1) as pool:
        text, found = pool.apply(_load, (linked_ws, OPTIONS))
    assert found == [] and text == repr(ws)


def test_without_the_options_the_link_is_refused(linked_ws):
    ws, problems = read_workspace(linked_ws)
    assert ws is not None and "same-file" not in ws.cases
    assert ws.settings.limits.max_csv_rows == 10_000
    assert [str(p) for p in problems] == [
        "cases/same-file.yaml: is a symbolic link; copy the file in instead (or run "
        "`clarion --allow-links` to allow links that stay inside the workspace)"]
    assert problems[0].code == "link-refused"


def test_a_raised_limit_still_caps_the_workspace(make_ws):
    """clarion.yaml may lower a limit, never raise it above the run's cap."""
    root = make_ws({"clarion.yaml": "language: en\nlimits:\n  max_csv_rows: 50000\n"})
    ws, problems = read_workspace(root, (), OPTIONS)
    assert ws is not None and ws.settings.limits.max_csv_rows == 20_000
    assert [str(p) for p in problems] == [
        "clarion.yaml:3: warning: limits.max_csv_rows: 50,000 is above Clarion's cap of 20,000, "
        "which is used; clarion.yaml may only lower a limit (raise it for one run with "
        "`clarion --limit max_csv_rows=50000`)"]


def test_reading_a_file_follows_links_only_when_told(linked_ws):
    with pytest.raises(FileRefused) as e:
        read_workspace_file(linked_ws, "cases/same-file.yaml", 10_000)
    assert e.value.why == "is a symbolic link"
    assert str(e.value) == "cases/same-file.yaml: is a symbolic link; copy the file in instead"
    data = read_workspace_file(linked_ws, "cases/same-file.yaml", 10_000, links=True)
    assert data == (linked_ws / "cases/ilgar-mammadov.yaml").read_bytes()


def test_a_raised_limit_applies_without_a_settings_file(make_ws):
    root = make_ws({"clarion.yaml": None})
    ws, problems = read_workspace(root, (), OPTIONS)
    assert ws is not None and problems == []
    assert ws.settings.limits.max_csv_rows == 20_000
