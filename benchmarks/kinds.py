"""Where a document's time goes, kind by kind: a profile of building each campaign.

    python benchmarks/kinds.py [WORKSPACE] [--repeat R]

Builds every campaign of WORKSPACE (default: the example workspace at the repository's root)
as PDF, in this process (`--jobs 1`), R times (default 2) after one warm-up build, under
cProfile, and prints for each campaign the share of the build's time spent in the WeasyPrint
functions that lay out each kind of box (multi-column, grid, flex, floats, inline blocks,
tables), in the cascade, in layout as a whole and in writing the PDF. Nothing is written
to the workspace: the outputs go to a temporary folder.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clarion.pipeline.build import BuildOptions, build  # noqa: E402
from clarion.workspace.load import read_workspace  # noqa: E402

#: column → (file of WeasyPrint's, function): its cumulative time is that column's
FUNCTIONS = {
    "columns": ("layout/column.py", "columns_layout"),
    "grid": ("layout/grid.py", "grid_layout"),
    "flex": ("layout/flex.py", "flex_layout"),
    "floats": ("layout/float.py", "float_layout"),
    "inline blocks": ("layout/inline.py", "inline_block_box_layout"),
    "tables": ("layout/table.py", "table_layout"),
    "cascade": ("css/__init__.py", "get_all_computed_styles"),
    "layout (all)": ("layout/__init__.py", "layout_document"),
    "PDF writing": ("weasyprint/document.py", "write_pdf"),
}


def shares(profile: cProfile.Profile) -> tuple[float, dict[str, float]]:
    """(total seconds, {column: share of the total})."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(cumulative for (_, _, _, cumulative, _) in stats.values())
    out = {}
    for column, (file, function) in FUNCTIONS.items():
        seconds = sum(cumulative for (path, _, name), (_, _, _, cumulative, _) in stats.items()
                      if name == function and path.replace("\\", "/").endswith(file))
        out[column] = seconds / total
    return total, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workspace", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    ws, _ = read_workspace(args.workspace, ())
    if ws is None:
        sys.exit(f"{args.workspace}: not a valid workspace (run `clarion validate`)")
    print(f"{'campaign':<34} {'kind':<15}" + "".join(f"{c:>14}" for c in FUNCTIONS))
    with tempfile.TemporaryDirectory() as out:
        for name, campaign in sorted(ws.campaigns.items()):
            options = BuildOptions(campaigns=(name,), formats=("pdf",), out=Path(out),
                                   force=True, jobs=1, sign=False)
            build(args.workspace, options)  # warm: fonts, templates, stylesheets
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                build(args.workspace, options)
            profile.disable()
            _, parts = shares(profile)
            print(f"{name:<34} {campaign.kind.value:<15}" +
                  "".join(f"{100 * parts[c]:>13.0f}%" for c in FUNCTIONS))


if __name__ == "__main__":
    main()
