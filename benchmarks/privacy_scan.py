"""What the privacy scan costs: scan time against build time, per letter.

Builds the example workspace's open letter (campaigns/paris-meeting-2018) for 201 recipients
(the two it names and 199 made up) in Markdown, HTML and PDF, and times every call of
`privacy.scan_outputs` — the scan of the Markdown, the HTML, the laid-out PDF text, its
metadata and attached files — against the whole build. The scan must stay under 10 % of it.

    python benchmarks/privacy_scan.py [--letters 201] [--formats md,html,pdf]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("clarion.yaml", "cases", "recipients", "signatories", "campaigns", "assets", "templates")


def workspace(folder: Path, letters: int) -> Path:
    folder.mkdir(parents=True)
    for part in PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, folder / part)
        elif src.is_file():
            shutil.copy(src, folder / part)
    rows = ["id,name,title,honorific,gender,country,language,groups"]
    rows += [f"bench-{i:03d},Minister {i},Minister of Foreign Affairs,Minister,"
             f"{'female' if i % 2 else 'male'},Country {i},en,bench" for i in range(letters - 2)]
    (folder / "recipients" / "bench.csv").write_text("\n".join(rows) + "\n")
    campaign = folder / "campaigns" / "paris-meeting-2018.yaml"
    campaign.write_text(campaign.read_text().replace(
        "recipients: [emmanuel-macron, azerbaijan-ambassador-france]",
        "recipients: [emmanuel-macron, azerbaijan-ambassador-france, 'group:bench']"))
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--letters", type=int, default=201)
    parser.add_argument("--formats", default="md,html,pdf")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from clarion.output import pdf as pdf_module
    from clarion.output import privacy
    from clarion.pipeline import build as build_module

    spent = [0.0]
    calls = [0]
    scan = privacy.scan_outputs

    def timed(*a: object, **k: object) -> object:
        start = time.perf_counter()
        try:
            return scan(*a, **k)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - start
            calls[0] += 1

    privacy.scan_outputs = timed  # type: ignore[assignment]
    texts = pdf_module.document_texts

    def timed_texts(rendered: object) -> list[str]:
        start = time.perf_counter()
        try:
            return texts(rendered)
        finally:
            spent[0] += time.perf_counter() - start

    pdf_module.document_texts = timed_texts  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        ws = workspace(Path(tmp) / "ws", args.letters)
        options = build_module.BuildOptions(campaigns=("paris-meeting-2018",),
                                            formats=tuple(args.formats.split(",")),
                                            out=Path(tmp) / "out", force=True)
        privacy.fold("warm up")  # the Unicode tables are made once per process
        start = time.perf_counter()
        report = build_module.build(ws, options)
        total = time.perf_counter() - start
    letters = args.letters
    print(f"{letters} letters ({args.formats}), {len(report.written)} files, "
          f"{calls[0]} scans")
    print(f"build: {total:8.2f} s  {1000 * total / letters:8.1f} ms per letter")
    print(f"scan:  {spent[0]:8.2f} s  {1000 * spent[0] / letters:8.1f} ms per letter  "
          f"({100 * spent[0] / total:.1f} % of the build)")
    return 0 if spent[0] < 0.10 * total else 1


if __name__ == "__main__":
    sys.exit(main())
