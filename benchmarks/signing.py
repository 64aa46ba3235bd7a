"""Signing speed: per-letter signing time, and a signed against an unsigned build of one campaign.

    python benchmarks/signing.py [--letters N] [--repeat R]

Makes a throw-away workspace with one open letter to N recipients and a fresh key (nothing is
kept), then prints: the time to sign one letter with the key parsed once (Clarion's path) and
with pyHanko's simple path (key parsed at every signature), and the wall time of
`clarion build --force --format pdf` signed and with --no-sign, with the overhead in percent.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clarion.output import certificates, signing
from clarion.output.keys import SignerSettings
from clarion.pipeline.build import BuildOptions, build
from clarion.pipeline.session import Session
from clarion.workspace.userconfig import User

SETTINGS = """\
organisation: {name: Benchmark Rights Group, address: [Rue de la Loi 1, 1000 Brussels]}
language: en
signing: {key: keys/org.key.pem, cert: keys/org.cert.pem, reason: Authenticity}
"""
CASE = """\
name: Ilgar Mammadov
gender: male
country: Azerbaijan
status: imprisoned
summary: Opposition politician jailed since 2013.
"""
LETTER = """\
kind: open-letter
title: Release Ilgar Mammadov
date: 2018-07-18
place: Brussels
cases: [ilgar-mammadov]
recipients: [group:all]
subject: Release of Ilgar Mammadov
asks: [Call for the release of Ilgar Mammadov.]
body: |
  We write about {{ case.name }}, imprisoned since 2013 after an unfair trial.

  {% for i in range(12) %}The European Court of Human Rights found his detention arbitrary.
  {% endfor %}
"""


def make_workspace(root: Path, letters: int) -> None:
    for folder in ("cases", "recipients", "campaigns", "keys"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "clarion.yaml").write_text(SETTINGS)
    (root / "cases" / "ilgar-mammadov.yaml").write_text(CASE)
    rows = ["id,name,honorific,gender,address,country,groups"]
    rows += [f"r{i:04d},Recipient {i},Minister,female,Street {i} | City,Country,all"
             for i in range(letters)]
    (root / "recipients" / "all.csv").write_text("\n".join(rows) + "\n")
    (root / "campaigns" / "letter.yaml").write_text(LETTER)
    key, cert = certificates.make_self_signed("Benchmark Rights Group")
    (root / "keys" / "org.key.pem").write_bytes(key)
    os.chmod(root / "keys" / "org.key.pem", 0o600)
    (root / "keys" / "org.cert.pem").write_bytes(cert)


def timed_build(root: Path, sign: bool) -> float:
    start = time.perf_counter()
    # the user confirms the workspace's key, as `clarion --key` does
    user = User(key=str(root / "keys" / "org.key.pem"))
    build(Session(root, user=user), BuildOptions(formats=("pdf",), force=True, sign=sign))
    return time.perf_counter() - start


def per_letter(root: Path, repeat: int) -> tuple[float, float]:
    """Median seconds to sign one built letter: Clarion's signer, pyHanko's simple signer."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    pdf = next((root / "build" / "letter").glob("*.pdf")).read_bytes()
    from pyhanko.pdf_utils.reader import PdfFileReader
    if PdfFileReader(BytesIO(pdf)).embedded_signatures:
        raise SystemExit("expected an unsigned PDF to sign")
    settings = SignerSettings(key="keys/org.key.pem", cert="keys/org.cert.pem",
                              reason="Authenticity")
    ours = signing.Signer.load(root, settings)
    simple = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        str(root / "keys/org.key.pem"), str(root / "keys/org.cert.pem"))

    def run(sign: Callable[[], object]) -> float:
        times: list[float] = []
        for _ in range(repeat):
            start = time.perf_counter()
            sign()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def theirs() -> None:
        meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, simple, output=BytesIO())
    return run(lambda: ours.sign(pdf, location="Brussels")), run(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_workspace(root, args.letters)
        timed_build(root, sign=False)                        # warm-up: fonts, imports
        unsigned = timed_build(root, sign=False)
        ours, theirs = per_letter(root, args.repeat)
        signed = timed_build(root, sign=True)
    print(f"sign one letter (key parsed once):        {ours * 1000:7.1f} ms")
    print(f"sign one letter (pyHanko simple signer):   {theirs * 1000:7.1f} ms")
    print(f"build {args.letters} letters, unsigned:            {unsigned:7.2f} s")
    print(f"build {args.letters} letters, signed:              {signed:7.2f} s")
    print(f"signing adds:                              {(signed / unsigned - 1) * 100:6.1f} %"
          "  (limit 50 %, goal 25 %)")


if __name__ == "__main__":
    main()
