"""Shared fixtures: small workspaces built from dicts, the example workspace, CLI runners."""
from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from clarion.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PARTS = ("clarion.yaml", "cases", "recipients", "signatories", "campaigns", "assets",
                 "templates")

#: a small valid workspace; tests plant one defect each into a copy of it
BASE = {
    "clarion.yaml": """\
        organisation:
          name: Test Rights Group
          short: TRG
          address: [Rue de la Loi 1, 1000 Brussels, Belgium]
        language: en
        """,
    "cases/ilgar-mammadov.yaml": """\
        name: Ilgar Mammadov
        native_name: İlqar Məmmədov
        gender: male
        country: Azerbaijan
        roles: [opposition politician]
        status: imprisoned
        status_as_of: 2018-07-18
        summary: Opposition politician jailed since 2013.
        events:
          - id: arrest-2013
            date: 2013-02-04
            type: arrest
            text: Arrested in Baku.
            sources: [echr]
          - id: hearing-2018
            date: 2018-07-20
            type: hearing
            court: Shaki Court
            text: Appeal hearing.
        sources:
          echr: {title: Ilgar Mammadov v. Azerbaijan, publisher: ECtHR, date: 2014-05-22, url: "https://hudoc.echr.coe.int/x"}
        private:
          family: SECRET-FAMILY-CONTACT-12345
        """,
    "recipients/emmanuel-macron.yaml": """\
        name: Emmanuel Macron
        title: President of the French Republic
        honorific: President
        gender: male
        address: [Palais de l'Élysée, 55 Rue du Faubourg Saint-Honoré, 75008 Paris]
        country: France
        groups: [heads-of-state]
        """,
    "recipients/ministers.csv": """\
        id,name,title,honorific,gender,address,country,language,email,groups
        jean-asselborn,Jean Asselborn,Minister of Foreign Affairs,Minister,male,4 rue du Palais | 1911 Luxembourg,Luxembourg,fr,ja@example.org,ministers | eu
        simon-coveney,Simon Coveney,Minister for Foreign Affairs,Minister,male,Iveagh House | Dublin 2,Ireland,en,,ministers
        """,
    "signatories/groups.yaml": """\
        signatories:
          - id: trg
            organisation: Test Rights Group
            country: Belgium
            person: Jane Doe
            title: Director
          - id: hrc
            organisation: Human Rights Club
            country: Azerbaijan
        """,
    "campaigns/letter.yaml": """\
        kind: open-letter
        title: Release Ilgar Mammadov
        date: 2018-07-18
        place: Brussels
        cases: [ilgar-mammadov]
        recipients: [emmanuel-macron, group:ministers]
        signatories: [trg, hrc]
        subject: Release of Ilgar Mammadov
        asks:
          - Call for the release of Ilgar Mammadov.
        body: |
          We write about {{ case.name }}.{{ cite('echr') }}
        """,
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write `files` (path → text; None deletes) under `root`; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_ws(tmp_path):
    """make_ws(changes) → a copy of BASE with `changes` applied, as a Path."""
    def make(changes: dict | None = None, base: dict | None = None) -> Path:
        root = tmp_path / "ws"
        if root.exists():
            shutil.rmtree(root)
        root.mkdir()
        write_files(root, {**(BASE if base is None else base), **(changes or {})})
        return root
    return make


def copy_example(root: Path) -> Path:
    """The repository's example workspace copied into `root` (an empty folder)."""
    for part in EXAMPLE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.is_file():
            shutil.copy(src, root / part)
    return root


@pytest.fixture(scope="session")
def example_ws(tmp_path_factory) -> Path:
    """A copy of the repository's example workspace."""
    return copy_example(tmp_path_factory.mktemp("example"))


class Result:
    def __init__(self, r):
        self.exit_code, self.stdout, self.stderr = r.exit_code, r.stdout, r.stderr
        self.exception = r.exception

    @property
    def lines(self) -> list[str]:
        return (self.stdout + self.stderr).splitlines()


@pytest.fixture(autouse=True)
def _no_user_configuration(tmp_path_factory, monkeypatch):
    """Each test runs as a user without a configuration file, never the developer's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


def confirmations(workspace: Path | None) -> list[str]:
    """What a user who trusts the workspace's own key and mail server adds to a command:
    `--key` and `--mail-host` naming them (a workspace alone never chooses either)."""
    try:
        settings = yaml.safe_load((workspace / "clarion.yaml").read_text()) if workspace else {}
    except (OSError, yaml.YAMLError):
        return []
    settings = settings if isinstance(settings, dict) else {}
    signing, mail = settings.get("signing"), settings.get("mail")
    args = []
    if isinstance(signing, dict) and isinstance(signing.get("key"), str):
        args += ["--key", str(workspace / signing["key"])]
    if isinstance(mail, dict) and isinstance(mail.get("host"), str):
        args += ["--mail-host", mail["host"]]
    return args


@pytest.fixture
def confirmed_cli(cli):
    """cli(), run as a user who confirmed the workspace's key and mail server each time."""
    def run(workspace: Path | None, *args: str) -> Result:
        return cli(workspace, *confirmations(workspace), *args)
    return run


@pytest.fixture
def cli():
    """cli(workspace, *args) → Result with exit_code, stdout, stderr (CliRunner, in process)."""
    def run(workspace: Path | None, *args: str) -> Result:
        runner = CliRunner()
        pre = ["--workspace", str(workspace)] if workspace else []
        result = Result(runner.invoke(main, [*pre, *args], catch_exceptions=True))
        assert "Traceback" not in result.stdout + result.stderr
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result
    return run


def pdf_text(path: Path) -> str:
    """The PDF's text, with words hyphenated at line ends joined again."""
    from pypdf import PdfReader
    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return text.replace("\u2010\n", "").replace("-\n", "-")


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_reader(path: Path):
    from pypdf import PdfReader
    return PdfReader(io.BytesIO(Path(path).read_bytes()))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Selenium, shared by the session (skipped without it)."""
    from browser import start

    yield from start()


@pytest.fixture(scope="session")
def example_outputs(example_ws, tmp_path_factory) -> Path:
    """The example workspace built once, as PDF, Markdown and HTML (unsigned), in a folder of
    its own: tests that only read the example's documents share it and never write to it."""
    out = tmp_path_factory.mktemp("example-outputs")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html", "--no-sign",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out
