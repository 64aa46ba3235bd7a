"""Lint rule about what was built: private data found in build/."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import ClarionError
from ..limits import MAX_OUTPUT_BYTES, PDFTOTEXT_SECONDS
from ..output import privacy
from ..output.docx_text import docx_parts
from ..output.privacy_parts import email_parts, pdf_parts
from ..output.privacy_screen import reader_views
from ..safefile import FileError, FileRefused, read_file
from ..workspace.folders import workspace_files
from ..workspace.private import private_values
from .lint_scope import Finding, Scope

OUTPUT_SUFFIXES = (".md", ".html", ".eml", ".txt", ".json", ".pdf", ".svg", ".xml", ".docx")
RULE = "private-in-output"


def private_in_output(scope: Scope) -> Iterator[Finding]:
    """A built file in build/ that contains a private string (or a distinctive part of one):
    its line and the private field, so that the user can judge a match that is not a leak."""
    build = scope.ws.root / "build"
    secrets = privacy.secret_forms(private_values(scope.ws))
    if not secrets.count() or not build.is_dir():
        return
    folders = [build] if scope.whole else [build / c.id for c in scope.campaigns]
    for folder in folders:
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in workspace_files(folder):  # no link followed, pipes and devices left out
            if path.suffix not in OUTPUT_SUFFIXES:
                continue
            name = path.relative_to(scope.ws.root).as_posix()
            try:
                data = read_file(scope.ws.root, name, MAX_OUTPUT_BYTES, shown=name)
            except FileRefused as e:
                yield Finding(name, 1, RULE, "too large to search for private data (over "
                              f"{MAX_OUTPUT_BYTES // 2**20} MB); check it by hand"
                              if e.kind == "too-big" else
                              f"not searched for private data: {e.why}; {e.hint}")
                continue
            except FileError:  # gone since the folder was listed
                continue
            try:
                found = _first_leak(path, data, secrets)
            except ClarionError as e:  # the scan could not finish: never a silent pass
                yield Finding(name, 1, RULE, str(e).split("\n")[0])
                continue
            if found is not None:
                line, secret = found
                yield Finding(name, line, RULE, (
                    f"private data of {secret.case} ({secret.field}, {secret.file}) is in this "
                    "output; delete it, fix the template or body, and rebuild"))


def _first_leak(path: Path, data: bytes, secrets: dict[str, privacy.Secret]
                ) -> tuple[int, privacy.Secret] | None:
    """(line, private field) of the first private string in a built file, or None; a line
    of 1 when the string is found only across lines or in a part without lines."""
    lines, parts = _output_text(path, data)
    name = path.name
    for size in (1, 2):  # a line, else a line with the next one
        for number in range(1, len(lines) + 1):
            hits = privacy.found_in(["\n".join(lines[number - 1:number - 1 + size])],
                                    secrets, name)
            if hits:
                return number, hits[0]
    hits = privacy.found_in(["\n".join(lines), *parts], secrets, name)
    return (1, hits[0]) if hits else None


def _output_text(path: Path, data: bytes) -> tuple[list[str], list[str]]:
    """(lines, other parts) of a built file (`data`, read once) as a reader gets it: an
    e-mail's headers and decoded parts; a .docx's body, notes, headers, properties and other
    parts; an HTML page's markup and its text as shown and as
    read aloud (a private value split by a hidden span); a PDF's laid-out text, metadata,
    outline, links and attached files."""
    if path.suffix == ".eml":
        return [], [text for _, text in email_parts(data)]
    if path.suffix == ".html":  # the markup, and the page as shown and as read aloud
        text = data.decode("utf-8", errors="replace")
        return text.splitlines(), [view for _, view in reader_views(text)]
    if path.suffix == ".docx":  # a zip of XML parts: their text, none of it in lines
        try:
            return [], [text for _, text in docx_parts(data)]
        except Exception:
            raise ClarionError(f"{path.name}: a .docx that cannot be read back; check it by "
                               "hand") from None
    if path.suffix != ".pdf":
        return data.decode("utf-8", errors="replace").splitlines(), []
    try:
        parts = [text for _, text in pdf_parts(data)]
    except Exception:
        raise ClarionError(f"{path.name}: a PDF that cannot be read back; check it by hand") \
            from None
    return _pdftotext(path, data), parts


def _pdftotext(path: Path, data: bytes) -> list[str]:
    """The PDF's text as pdftotext lays it out, given the bytes already read (on its
    standard input: it never opens the file itself)."""
    import shutil
    import subprocess
    tool = shutil.which("pdftotext")
    if tool is None:
        from ..output.privacy_parts import pdf_page_texts
        return "\n".join(pdf_page_texts(data)).splitlines()
    try:
        done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, timeout=PDFTOTEXT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ClarionError(f"{path.name}: its text could not be read in {PDFTOTEXT_SECONDS} s; "
                           "check it by hand") from None
    return done.stdout.decode("utf-8", errors="replace").splitlines()
