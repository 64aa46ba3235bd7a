"""Reading PDFs back for tests: text (pypdf) and word positions (poppler's pdftotext -bbox)."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class Word:
    page: int
    text: str
    x0: float  # millimetres from the left edge
    y0: float  # millimetres from the top edge
    x1: float
    y1: float


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its box in millimetres, page by page."""
    if not shutil.which("pdftotext"):
        raise RuntimeError("pdftotext (Debian poppler-utils) is needed; run scripts/setup")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
                      line)
        if m:
            x0, y0, x1, y1 = (float(v) / MM for v in m.groups()[:4])
            found.append(Word(page, unescape(m.group(5)), x0, y0, x1, y1))
    return found


def find(ws: list[Word], text: str) -> list[Word]:
    return [w for w in ws if w.text == text]
