"""Commands about signatures: verify, keys."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ClarionError
from .common import handle_errors, json_text, say

if TYPE_CHECKING:
    from cryptography import x509

    from ..output.keys import SignerSettings
    from ..output.verify import FileCheck
    from ..pipeline.session import Session


def _signing(workspace: Path) -> SignerSettings | None:
    """The workspace's `signing:` settings, read without loading the whole workspace."""
    from ..pipeline.signatures import signer_settings
    from ..workspace.load import Loader, load_settings
    loader = Loader(Path(workspace))
    load_settings(loader)
    signing = loader.settings.signing
    return signer_settings(signing) if signing is not None else None


def _trust(session: Session, certs: tuple[Path, ...]) -> tuple[list[x509.Certificate],
                                                               list[x509.Certificate]]:
    """(trust roots, intermediates) for `verify`. Roots: the `--cert` files, else the
    certificates in `trust:` of the user's configuration, else the workspace's `signing:
    cert:`. `chain:` certificates (the workspace's and the user's) only help build a chain,
    never trusted themselves."""
    from ..output.certificates import load_certificates
    workspace = session.root
    mine = session.user.config.signing
    given = bool(certs) or bool(mine and mine.trust)
    try:
        signing = _signing(workspace) if (Path(workspace) / "clarion.yaml").is_file() else None
        chain = [c for rel in signing.chain
                 for c in load_certificates(Path(workspace) / rel, Path(workspace))] \
            if signing is not None else []
    except ClarionError:
        if not given:  # the workspace certificate was asked for: say why it cannot be had
            raise
        signing, chain = None, []  # only intermediates would have come from it
    if mine is not None:
        chain += _users_certificates(session, mine.chain, "chain")
    if certs:
        return [c for path in certs for c in load_certificates(path)], chain
    if mine is not None and mine.trust:
        return _users_certificates(session, mine.trust, "trust"), chain
    if signing is None:
        return [], []
    return load_certificates(Path(workspace) / signing.cert, Path(workspace)), chain


def _users_certificates(session: Session, paths: tuple[str, ...],
                        field: str) -> list[x509.Certificate]:
    """The certificates of `signing.<field>` in the user's configuration; a file that cannot
    be read stops `verify` at that line of the configuration."""
    from ..errors import Location
    from ..output.certificates import load_certificates
    config = session.user.config
    where = config.signing.locs.get(field) if config.signing else None
    out: list[x509.Certificate] = []
    for path in paths:
        try:
            out += load_certificates(Path(path))
        except ClarionError as e:
            raise ClarionError(f"signing.{field}: {e.message}",
                               where or Location(session.user.where)) from None
    return out


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--cert", "certs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A certificate to trust: the signer's own, or the authority it chains to "
                   "(repeat for several); default: `signing: trust:` in your configuration, "
                   "else the workspace's `signing: cert:`.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
@handle_errors
def verify(session: Session, paths: tuple[Path, ...], certs: tuple[Path, ...], fmt: str) -> None:
    """Check PDFs' signatures and files against their sealed manifest (files or folders)."""
    from dataclasses import asdict

    from ..output.verify import verify_paths
    roots, intermediates = _trust(session, certs)
    results = verify_paths(paths, roots, intermediates)
    failed = sum(1 for r in results if r.problem)
    if fmt == "json":
        click.echo(json_text({"files": [{**asdict(r), "ok": r.problem is None}
                                        for r in results],
                              "checked": len(results), "failed": failed}))
    else:
        for r in results:
            say(f"{r.path}: {_verdict(r)}")
    click.echo(f"{len(results)} file(s) checked: {len(results) - failed} ok, {failed} failed",
               err=True)
    if failed:
        sys.exit(1)


def _verdict(r: FileCheck) -> str:
    if r.problem:
        return r.problem
    if not r.signed:
        return "ok (matches the manifest)"
    clock = "timestamped" if r.time_source == "timestamp" else "by the signer's own clock"
    return f"ok (signed by {r.signer}, {r.signed_at}, {clock})"


@click.group()
def keys() -> None:
    """Make or show the organisation's signing key and certificate."""


SELF_SIGNED = """\
What this proves: every PDF signed with this key was made by whoever holds the key, and has
not been changed by a single byte since. A self-signed certificate does not prove WHO that is:
anyone can make one with your organisation's name. Readers (journalists, officials) must get
the certificate's fingerprint from you through a channel they trust (your website, in person)
and compare it. A certificate from a certification authority (for PDF readers: one on the
Adobe Approved Trust List) adds that check for them: the reader shows the signature as
trusted without any exchange. See docs/signing.md."""


@keys.command("new")
@click.option("--org", required=True, help="The organisation's name, as readers will see it.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the key and certificate (default: keys/ in the workspace).")
@click.pass_obj
@handle_errors
def keys_new(session: Session, org: str, out: Path | None) -> None:
    """A new key (readable by you only) and a self-signed certificate for ORG."""
    from ..output.certificates import describe, make_self_signed
    from ..output.keys import env_passphrase
    workspace = session.root
    folder = out if out is not None else Path(workspace) / "keys"
    key_path, cert_path = folder / "org.key.pem", folder / "org.cert.pem"
    for path in (key_path, cert_path):
        if path.exists() or path.is_symlink():
            raise ClarionError(f"{path}: already exists; move it away first (nothing was "
                               "overwritten)")
    passphrase = env_passphrase()
    key_pem, cert_pem = make_self_signed(org, passphrase)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key_pem)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert_pem)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# private keys never go into version control\n*.key.pem\n*.p12\n"
                          "*.pfx\n", "utf-8")
    from cryptography import x509
    info = describe(x509.load_pem_x509_certificate(cert_pem))

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            return str(path.resolve())
    click.echo(f"wrote {shown(key_path)} (private: readable by you only"
               f"{', encrypted with CLARION_KEY_PASSPHRASE' if passphrase else ''}) and "
               f"{shown(cert_path)}", err=True)
    click.echo(f"certificate fingerprint: {info['fingerprint']}", err=True)
    click.echo("\nPaste this into clarion.yaml:\n")
    click.echo(f"signing:\n  key: {shown(key_path)}\n  cert: {shown(cert_path)}\n"
               f"  reason: Authenticity of this document\n  visible: false\n")
    click.echo(SELF_SIGNED)


@keys.command("show")
@click.option("--cert", type=click.Path(dir_okay=False, path_type=Path),
              help="A certificate file (default: the workspace's `signing: cert:`).")
@click.pass_obj
@handle_errors
def keys_show(session: Session, cert: Path | None) -> None:
    """The signing certificate's subject, fingerprint and dates."""
    from ..output.certificates import describe, load_certificates
    from ..output.keys import cert_problem
    workspace = session.root
    if cert is None:
        signing = _signing(workspace)
        if signing is None:
            raise ClarionError("clarion.yaml has no `signing:`; make a key with `clarion keys "
                               "new --org NAME`, or pass --cert FILE")
        cert = Path(workspace) / signing.cert
        certs = load_certificates(cert, Path(workspace))  # a workspace file: no link
    else:
        certs = load_certificates(cert)  # the file the user named
    if not certs:
        raise ClarionError(f"{cert}: no certificate in it")
    for name, value in describe(certs[0]).items():
        say(f"{name.replace('_', ' ')}: {value}")
    why = cert_problem(certs[0])
    if why:
        say(f"warning: {why}", err=True)


COMMANDS: list[click.Command] = [verify, keys]
