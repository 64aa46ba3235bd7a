"""What commands print from records and logs is shown escaped, never acted on by a terminal:
escape sequences, control characters, bidi controls and line breaks (`alerts`, `status`,
`send`, `lint`, `verify`), in text and in JSON (which stays the same data)."""
from __future__ import annotations

import json
import logging

from conftest import BASE

from clarion.cli.common import fields, json_text
from clarion.delivery import log
from clarion.errors import printable

#: what a hostile record may hold: a colour change, a title-setting OSC, a bidi override, a
#: line break that would forge a line of its own
EVIL = "\x1b[31mRED\x1b]0;pwned\x07 \u202etxt.exe\nFORGED: ok\x9b2J"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)
    assert "\nFORGED" not in text


def _case(name: str = "Ilgar Mammadov", text: str = "Appeal hearing.") -> str:
    return (BASE["cases/ilgar-mammadov.yaml"]
            .replace("name: Ilgar Mammadov", f"name: {json.dumps(name)}", 1)
            .replace("text: Appeal hearing.", f"text: {json.dumps(text)}"))


def test_alerts_escape_names_and_event_text(make_ws, cli):
    root = make_ws({"cases/ilgar-mammadov.yaml": _case(EVIL, EVIL)})
    result = cli(root, "alerts", "--today", "2018-07-18", "--within", "5")
    assert result.exit_code == 0, result.stderr
    _clean(result.stdout)
    assert "\\x1b[31mRED\\x1b]0;pwned\\x07 \\u202etxt.exe\\nFORGED: ok\\x9b2J" in result.stdout
    assert len(result.stdout.splitlines()) == 1
    data = cli(root, "alerts", "--today", "2018-07-18", "--within", "5", "--format", "json")
    _clean(data.stdout)
    event = json.loads(data.stdout)["events"][0]
    assert event["name"] == event["text"] == EVIL  # the same data


def test_lint_escapes_what_a_finding_quotes(make_ws, cli):
    root = make_ws()
    evil = root / "build" / "letter" / "a\x1b]0;pwned\x07\u202e\nFORGED.md"
    evil.parent.mkdir(parents=True)
    evil.write_text("Family: SECRET-FAMILY-CONTACT-12345\n", "utf-8")
    findings = cli(root, "lint")
    assert findings.exit_code == 1
    _clean(findings.stdout)
    assert "build/letter/a\\x1b]0;pwned\\x07\\u202e\\nFORGED.md:1: private-in-output: " \
        in findings.stdout


def test_status_and_send_escape_the_log_and_the_drafts(make_ws, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    settings = BASE["clarion.yaml"].rstrip(" ") + """\
        mail:
          from: Test Rights Group <info@trg.example.org>
          host: 127.0.0.1
          port: 9
          security: none
        """
    title = "Release \u202eIlgar Mammadov"  # a bidi override is not a header break
    root = make_ws({"clarion.yaml": settings, "recipients/ilham.yaml":
                    "name: Ilham\nemail: ilham@example.az\ngroups: [ministers]\n",
                    "campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
                        "title: Release Ilgar Mammadov", f"title: {json.dumps(title)}")})
    dry = cli(root, "send", "letter")
    assert dry.exit_code == 0, dry.stderr
    _clean(dry.stdout + dry.stderr)
    assert "Release \\u202eIlgar Mammadov.pdf" in dry.stdout
    assert all(line.count("\t") in (2, 4) for line in dry.stdout.splitlines())
    # a log sealed by this user, whose entries came from the workspace: still data
    folder = root / "build" / "letter"
    log.write_log(root / "build", "letter", [log.Sent(
        "ilham", EVIL, "<id@example.org>", "0" * 64, "2026-01-01T00:00:00+00:00\nFORGED",
        "250 ok")])
    status = cli(root, "status", "letter")
    assert status.exit_code == 0, status.stderr
    _clean(status.stdout)
    assert "sent 2026-01-01T00:00:00+00:00\\nFORGED to \\x1b[31mRED" in status.stdout
    as_json = cli(root, "status", "letter", "--format", "json")
    _clean(as_json.stdout)
    rows = {r["recipient"]: r for r in json.loads(as_json.stdout)["letters"]}
    assert rows["ilham"]["sent_to"] == EVIL
    assert (folder / "sent.json").is_file()


def test_verify_escapes_file_names(cli, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    name = "a\x1b[2Jb\u202efdp.pdf"
    (folder / name).write_bytes(b"%PDF-1.7 not signed")
    text = cli(None, "verify", str(folder / name))
    _clean(text.stdout + text.stderr)
    assert "a\\x1b[2Jb\\u202efdp.pdf" in text.stdout
    data = cli(None, "verify", str(folder / name), "--format", "json")
    _clean(data.stdout)
    assert json.loads(data.stdout)["files"][0]["path"].endswith(name)


def test_the_helpers_keep_columns_lines_and_data():
    assert fields("a\tb", "c\nd") == "a\\tb\tc\\nd"
    text = json_text({"x": EVIL, "y": ["\u2066", "\x7f"]})
    _clean(text)
    assert "\u2066" not in text and "\x7f" not in text
    assert json.loads(text) == {"x": EVIL, "y": ["\u2066", "\x7f"]}


def test_log_lines_are_escaped(caplog):
    from clarion.cli import _PrintableFormatter
    record = logging.LogRecord("clarion", logging.WARNING, __file__, 1, EVIL, None, None)
    shown = _PrintableFormatter("%(message)s").format(record)
    _clean(shown)
    assert shown == printable(EVIL)
