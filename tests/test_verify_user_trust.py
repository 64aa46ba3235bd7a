"""`clarion verify` trusts the roots in the user's own configuration (`signing: trust:`), over
the workspace's certificate and under `--cert`; the user's `chain:` only builds chains.

Certificates are made here and PDFs signed with pyHanko directly (as in test_verify_trust).
"""
from __future__ import annotations

import pytest
from conftest import write_files
from test_signing import make_key_and_cert, pem_cert, signed_ws
from test_verify_trust import forge, make_cert


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint
    return weasyprint.HTML(string="<p>We call for the release of Ilgar Mammadov.</p>").write_pdf()


@pytest.fixture
def config(tmp_path, monkeypatch):
    """config(text, files) → the user's configuration folder, in a fresh $XDG_CONFIG_HOME."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))

    def write(text: str, files: dict[str, bytes] | None = None):
        folder = home / "clarion"
        write_files(folder, {"config.yaml": text, **(files or {})})
        return folder
    return write


def test_the_users_trust_replaces_the_workspace_certificate(make_ws, cli, pdf, config,
                                                            tmp_path):
    """A partner's workspace names the partner's own certificate: without `trust:` their
    forgery passes as the workspace's; with the user's `trust:` only the user's root counts."""
    partner = make_key_and_cert("Test Rights Group")
    ws = signed_ws(make_ws, key_and_cert=partner)
    root = make_cert("Our Root CA", is_ca=True)
    ours = make_key_and_cert("Test Rights Group", issuer=(root[1], root[0]))
    forged, genuine = tmp_path / "forged.pdf", tmp_path / "genuine.pdf"
    forged.write_bytes(forge(pdf, partner[0], partner[1]))
    genuine.write_bytes(forge(pdf, ours[0], ours[1], [root[1]]))
    before = cli(ws, "verify", str(forged))
    assert before.exit_code == 0 and f"{forged}: ok (signed by Test Rights Group" in before.stdout
    config("signing:\n  trust: [roots/ours.pem]\n", {"roots/ours.pem": pem_cert(root[1])})
    result = cli(ws, "verify", str(forged), str(genuine))
    assert result.exit_code == 1
    assert f"{forged}: signed by Test Rights Group, not by the expected certificate " \
           "(untrusted chain" in result.stdout
    assert f"{genuine}: ok (signed by Test Rights Group, " in result.stdout
    # --cert still wins over the configuration, for this run
    (tmp_path / "partner.pem").write_bytes(pem_cert(partner[1]))
    result = cli(ws, "verify", str(forged), "--cert", str(tmp_path / "partner.pem"))
    assert result.exit_code == 0 and f"{forged}: ok (" in result.stdout


def test_the_users_chain_builds_the_path_to_the_users_root(cli, pdf, config, tmp_path):
    root = make_cert("Our Root CA", is_ca=True)
    inter = make_cert("Our Issuing CA", issuer=root, is_ca=True)
    ours = make_key_and_cert("Test Rights Group", issuer=(inter[1], inter[0]))
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(forge(pdf, ours[0], ours[1]))  # no chain in the PDF
    workspace = tmp_path / "empty"
    workspace.mkdir()
    config(f"signing:\n  trust: [{tmp_path / 'root.pem'}]\n",)
    (tmp_path / "root.pem").write_bytes(pem_cert(root[1]))
    result = cli(workspace, "verify", str(letter))
    assert result.exit_code == 1 and "untrusted chain" in result.stdout
    config(f"signing:\n  trust: [{tmp_path / 'root.pem'}]\n  chain: [inter.pem]\n",
           {"inter.pem": pem_cert(inter[1])})
    result = cli(workspace, "verify", str(letter))
    assert result.exit_code == 0, result.stdout
    assert f"{letter}: ok (signed by Test Rights Group, " in result.stdout
    # the intermediate is never a root itself
    config("signing:\n  trust: [inter.pem]\n", {"inter.pem": pem_cert(inter[1])})
    result = cli(workspace, "verify", str(letter))
    assert result.exit_code == 0  # trusting the issuing CA trusts what it issued
    other = make_key_and_cert("Test Rights Group")
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(forge(pdf, other[0], other[1]))
    result = cli(workspace, "verify", str(forged))
    assert result.exit_code == 1 and "untrusted chain" in result.stdout


def test_a_trust_file_that_cannot_be_read_names_the_configuration_line(cli, config,
                                                                       tmp_path):
    folder = config("signing:\n  trust: [missing.pem]\n")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.7")
    result = cli(tmp_path, "verify", str(letter))
    assert result.exit_code == 1
    assert f"signing.trust: {folder / 'missing.pem'}: the certificate cannot be read" \
        in result.stderr
    assert "config.yaml:2" in result.stderr
    assert "Traceback" not in result.stderr
