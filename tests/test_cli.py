"""The command line, in process (click's runner) and as a real subprocess; init; wheel."""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def run(*args: str, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "clarion.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


def test_version_and_help(cli):
    from clarion import __version__
    assert __version__ in cli(None, "--version").stdout
    result = cli(None, "--help")
    for command in ("init", "validate", "list", "build"):
        assert command in result.stdout


def test_root_cli_shim_is_thin():
    text = (REPO / "cli.py").read_text()
    assert "from clarion.cli import main" in text and len(text.splitlines()) < 10
    result = subprocess.run([sys.executable, str(REPO / "cli.py"), "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "clarion" in result.stdout


def test_init_then_validate_and_build(tmp_path, cli):
    target = tmp_path / "new"
    result = cli(None, "init", str(target))
    assert result.exit_code == 0
    assert (target / "templates" / "open-letter.html").is_file()
    assert cli(target, "validate").exit_code == 0
    result = cli(target, "build", "--format", "md")
    assert result.exit_code == 0
    md = (target / "build" / "first-letter" / "head-of-state.md").read_text()
    assert "Dear President Macron," in md and "Ilgar Mammadov" in md


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, cli):
    (tmp_path / "x.txt").write_text("keep me")
    result = cli(None, "init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path}: folder is not empty")
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_list_commands(make_ws, cli):
    ws = make_ws()
    assert cli(ws, "list", "cases").stdout == \
        "ilgar-mammadov\tIlgar Mammadov\timprisoned (as of 2018-07-18)\n"
    assert cli(ws, "list", "recipients").stdout.splitlines()[0].startswith("emmanuel-macron\t")
    assert "letter\topen-letter\t2018-07-18" in cli(ws, "list", "campaigns").stdout
    assert cli(ws, "list", "signatories").stdout.splitlines() == [
        "trg\tTest Rights Group\tJane Doe", "hrc\tHuman Rights Club"]
    assert "open-letter.html\tbuilt-in" in cli(ws, "list", "templates").stdout


def test_usage_errors_exit_2(cli):
    assert cli(None, "list", "nothing").exit_code == 2


def test_subprocess_validate_reports_lines_without_traceback(make_ws):
    ws = make_ws({"cases/ilgar-mammadov.yaml": "name: X\nstatus: jailed\n"})
    result = run("--workspace", str(ws), "validate")
    assert result.returncode == 1
    assert "cases/ilgar-mammadov.yaml:2: status: 'jailed' is not one of:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_subprocess_build_of_the_example(example_ws, tmp_path):
    result = run("--workspace", str(example_ws), "build", "trial-watch-2014-10-06",
                 "--format", "pdf", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.pdf").is_file()
    assert "built 1 file(s)" in result.stderr


def test_example_workspace_validates_clean(cli):
    result = cli(REPO, "validate")
    assert result.exit_code == 0, result.lines


def test_root_templates_are_the_built_in_ones():
    """templates/ in the example workspace is what `init` copies: it must not drift."""
    built_in = REPO / "clarion" / "templates"
    names = sorted(p.name for p in built_in.iterdir() if p.is_file())
    assert names == sorted(p.name for p in (REPO / "templates").iterdir() if p.is_file())
    _match, mismatch, errors = filecmp.cmpfiles(built_in, REPO / "templates", names,
                                               shallow=False)
    assert not mismatch and not errors


@pytest.mark.slow
def test_wheel_install_then_init_validate_build(tmp_path):
    """A plain (non-editable) install carries the templates, starter and catalogues."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "clarion", src / "clarion",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(src)], check=True,
                   capture_output=True, timeout=300)
    target = tmp_path / "site"
    wheel = next(wheels.glob("clarion-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import clarion; print(clarion.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(target))
    assert run("init", str(tmp_path / "ws"), env=env, cwd=tmp_path).returncode == 0
    assert run("-w", str(tmp_path / "ws"), "validate", env=env, cwd=tmp_path).returncode == 0
    result = run("-w", str(tmp_path / "ws"), "build", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ws" / "build" / "first-letter" / "head-of-state.pdf").is_file()
