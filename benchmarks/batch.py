"""Batch-build benchmark: N open letters with a 13-organisation sign-on list.

Makes a workspace with N recipients (default 200) and prints, from one run:
the hand-made baseline (a plain Jinja2 template and one `weasyprint.HTML(...).write_pdf()`
per letter, one after another) and its layout-only time, `clarion build --force`, a no-op
rebuild and a one-recipient-changed rebuild, in ms per letter, with the peak memory of all
processes of each run.

The baseline, the full build and the no-op rebuild (the median of five) are measured in R
rounds (`--repeat`, default 3), each round's ratios from its own baseline, and the median
round is what the targets are judged on: on a shared machine the speed of both changes from
minute to minute, and one slow minute would otherwise decide the result.

    python benchmarks/batch.py [N] [--jobs J] [--repeat R] [--keep DIR] [--skip-baseline]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLARION = [sys.executable, "-m", "clarion"]

ORGANISATIONS = [
    ("Human Rights Club", "Azerbaijan"), ("Institute for Peace and Democracy", "Azerbaijan"),
    ("Index on Censorship", "United Kingdom"), ("Freedom Now", "United States"),
    ("Norwegian Helsinki Committee", "Norway"), ("Article 19", "United Kingdom"),
    ("Civil Rights Defenders", "Sweden"), ("People in Need", "Czech Republic"),
    ("Netherlands Helsinki Committee", "Netherlands"), ("Crude Accountability", "United States"),
    ("Reporters Without Borders", "France"), ("Committee to Protect Journalists",
                                                "United States"),
    ("Human Rights House Foundation", "Norway"),
]

PARAGRAPHS = [
    "We are writing to you ahead of the meeting of the Council to ask you to raise the case "
    "of {name}, who has been held since February 2013 on charges that the European Court of "
    "Human Rights found were brought to silence and punish him for criticising the "
    "government.",
    "In its judgment of 22 May 2014 the Court found that the authorities had violated his "
    "right to liberty and that the actual purpose of his detention had been to silence or "
    "punish him. The Committee of Ministers has since called for his release at every one "
    "of its meetings, without result.",
    "His continued imprisonment is emblematic of a wider crackdown on civil society, in "
    "which journalists, human rights defenders, lawyers and opposition politicians have "
    "been detained on politically motivated charges, travel bans have been imposed on "
    "critics and independent organisations have been forced to close.",
    "We believe that the forthcoming meeting is an important opportunity to make clear that "
    "respect for the judgments of the European Court of Human Rights is not optional, and "
    "that the relationship between our countries depends on it.",
    "We would be grateful for the opportunity to discuss these concerns with you or your "
    "staff at your earliest convenience, and we thank you for your attention to this "
    "letter.",
] * 2


def make_workspace(root: Path, n: int) -> None:
    """A workspace with one campaign of `n` letters, each with 13 signatory organisations."""
    files = {
        "clarion.yaml": """\
            organisation:
              name: Batch Rights Group
              address: [Rue de la Loi 1, 1000 Brussels, Belgium]
            language: en
            build: {formats: [pdf]}
            """,
        "cases/ilgar-mammadov.yaml": """\
            name: Ilgar Mammadov
            gender: male
            country: Azerbaijan
            status: imprisoned
            status_as_of: 2018-07-01
            summary: Opposition politician jailed since 2013.
            """,
        "campaigns/batch.yaml": "kind: open-letter\ntitle: Release Ilgar Mammadov\n"
                                "date: 2018-07-18\nplace: Brussels\ncases: [ilgar-mammadov]\n"
                                "recipients: [group:ministers]\n"
                                f"signatories: [{', '.join(f'org-{i:02d}' for i in range(13))}]\n"
                                "subject: Release of Ilgar Mammadov\n"
                                "asks:\n  - Call for the release of Ilgar Mammadov.\n"
                                "body: |\n" + "".join(
                                    "  " + p.replace("{name}", "{{ case.name }}") + "\n\n"
                                    for p in PARAGRAPHS),
    }
    files["signatories/signon.yaml"] = "signatories:\n" + "".join(
        f"  - id: org-{i:02d}\n    organisation: {name}\n    country: {country}\n"
        for i, (name, country) in enumerate(ORGANISATIONS))
    rows = ["id,name,title,honorific,gender,address,country,language,groups"]
    rows += [f"minister-{i:04d},Minister Number {i},Minister of Foreign Affairs,Minister,"
             f"{'female' if i % 2 else 'male'},Ministry of Foreign Affairs | {i} Main Street"
             f" | 1000 Capital,Country {i % 27},en,ministers" for i in range(n)]
    files["recipients/ministers.csv"] = "\n".join(rows) + "\n"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if rel.endswith(".yaml") and
                        not rel.startswith(("campaigns", "signatories")) else text,
                        encoding="utf-8")


BASELINE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ css }}
@page { size: A4; @bottom-center { content: "Page " counter(page) " / " counter(pages); } }
</style></head>
<body class="open-letter">
<header class="letterhead"><div></div><div class="org"><strong>Batch Rights Group</strong>
Rue de la Loi 1<br>1000 Brussels<br>Belgium</div></header>
<div class="address">{{ r.name }}<br>{{ r.title }}<br>{% for line in r.address %}{{ line }}<br>
{% endfor %}{{ r.country|upper }}</div>
<p class="date">Brussels, 18 July 2018</p>
<p class="subject"><strong>Re: Release of Ilgar Mammadov</strong></p>
<p>Dear Minister,</p>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}<ul class="asks"><li>Call for the release of Ilgar Mammadov.</li></ul>
<p class="closing">Yours sincerely,</p>
<section class="signatories many">{% for o, c in organisations %}
<div class="signatory"><span class="organisation">{{ o }}</span> ({{ c }})</div>{% endfor %}
</section></body></html>"""


def baseline(n: int) -> tuple[float, float, float]:
    """The hand-made mail merge, one letter after another: (seconds, layout-only seconds,
    layout-only CPU seconds)."""
    import jinja2
    import weasyprint
    css = (ROOT / "clarion" / "templates" / "style.css").read_text("utf-8")
    template = jinja2.Environment(autoescape=True).from_string(BASELINE)
    paragraphs = [p.replace("{name}", "Ilgar Mammadov") for p in PARAGRAPHS]
    total = layout = layout_cpu = 0.0
    for i in range(n):
        start = time.perf_counter()
        html = template.render(
            title="Release Ilgar Mammadov", css=css, paragraphs=paragraphs,
            organisations=ORGANISATIONS,
            r={"name": f"Minister Number {i}", "title": "Minister of Foreign Affairs",
               "address": ["Ministry of Foreign Affairs", f"{i} Main Street", "1000 Capital"],
               "country": f"Country {i % 27}"})
        document = weasyprint.HTML(string=html)
        t, c = time.perf_counter(), time.process_time()
        rendered = document.render()
        layout += time.perf_counter() - t
        layout_cpu += time.process_time() - c
        rendered.write_pdf()
        total += time.perf_counter() - start
    return total, layout, layout_cpu


def _tree(pid: int) -> dict[int, tuple[int, float]]:
    """{pid: (resident bytes, CPU seconds)} of a process and all its descendants (/proc)."""
    out, todo = {}, [pid]
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                rss = int(f.read().split()[1]) * page
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[p] = (rss, (int(fields[11]) + int(fields[12])) / tick)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return out


def timed(command: list[str], env: dict[str, str] | None = None
          ) -> tuple[float, int, float, str]:
    """Run a command: (seconds, peak resident memory of it and its children, CPU seconds of
    all of them, sampled every 50 ms, and what it wrote on standard error)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = [0]
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            tree = _tree(process.pid)
            peak[0] = max(peak[0], sum(rss for rss, _ in tree.values()))
            for p, (_, seconds) in tree.items():
                cpu[p] = max(cpu.get(p, 0.0), seconds)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    return seconds, peak[0], sum(cpu.values()), err.decode(errors="replace")


def documents_cpu(stderr: str) -> float | None:
    """The CPU seconds per document `clarion build --verbose` reports (start-up left out)."""
    found = re.search(r"; (\d+) ms of CPU per document", stderr)
    return int(found.group(1)) / 1000 if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="make the workspace here and keep it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of baseline, full build and no-op rebuild (median kept)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="clarion-batch-"))
    if root.exists():
        shutil.rmtree(root)
    make_workspace(root, args.n)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    build = [*CLARION, "-w", str(root), "build", "--quiet", *jobs]  # --quiet: last but jobs
    # as on a user's machine: Python keeps compiled bytecode (some shells and CI set
    # PYTHONDONTWRITEBYTECODE, which makes every command compile Clarion from source again)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run([*CLARION, "--version"], env=env, check=True, capture_output=True)
    cores = len(os.sched_getaffinity(0))
    print(f"{args.n} letters, 13 signatories each; {cores} core(s); "
          f"{os.uname().machine}, Python {sys.version.split()[0]}")

    def line(label: str, seconds: float, peak: int | None = None, cpu: float | None = None,
             per: int = args.n) -> None:
        memory = f"  peak {peak / 2**20:5.0f} MB" if peak else ""
        used = f"  CPU {1000 * cpu / per:6.1f} ms/letter" if cpu is not None else ""
        print(f"{label:<32} {seconds:7.2f} s {1000 * seconds / per:7.1f} ms/letter"
              f"{used}{memory}")

    rounds: list[dict[str, float]] = []
    for r in range(args.repeat):
        print(f"round {r + 1} of {args.repeat}")
        row: dict[str, float] = {}
        if not args.skip_baseline:
            started = time.process_time()
            row["base"], row["layout"], row["layout_cpu"] = baseline(args.n)
            row["base_cpu"] = time.process_time() - started
            line("  hand-made (Jinja2 + write_pdf)", row["base"], cpu=row["base_cpu"])
            line("    of which layout (render)", row["layout"], cpu=row["layout_cpu"])
        full, peak, cpu, err = timed([*build[:-1 - len(jobs)], "--verbose", *jobs, "--force"],
                                     env)
        row["full"], row["cpu"] = full, cpu
        per_document = documents_cpu(err)
        line("  clarion build --force", full, peak, cpu)
        if per_document is not None:
            print(f"{'    of which making documents':<32} {'':>9} {'':>17}  CPU "
                  f"{1000 * per_document:6.1f} ms/letter (the rest: start-up, writing)")
        # a no-op lasts a third of a second: one hiccup of the machine is a large part of
        # it, so it is run five times and the median kept (the full build averages them out)
        noops = sorted((timed(build, env) for _ in range(5)), key=lambda t: t[0])
        row["noop"], peak, noop_cpu, _ = noops[2]
        line("  no-op rebuild (median of 5)", row["noop"], peak, noop_cpu)
        if "base" in row:
            print(f"  speed-up over hand-made {row['base'] / full:.2f}x; build / baseline "
                  f"layout {full / row['layout']:.2f}; no-op / full "
                  f"{100 * row['noop'] / full:.1f} %")
        rounds.append(row)
    csv = root / "recipients" / "ministers.csv"
    csv.write_text(csv.read_text().replace("Minister Number 7,", "Minister Number Seven,"))
    one, peak, one_cpu, _ = timed(build, env)
    line("one recipient changed", one, peak, one_cpu)
    # the same full build with every PDF signed (PAdES B-B, a key made for the run)
    subprocess.run([*CLARION, "-w", str(root), "keys", "new", "--org", "Benchmark Group"],
                   env=env, check=True, capture_output=True)
    with (root / "clarion.yaml").open("a", encoding="utf-8") as f:
        f.write("signing: {key: keys/org.key.pem, cert: keys/org.cert.pem}\n")
    # the user confirms the workspace's key for the run (a workspace alone never chooses it)
    key = ["--key", str(root / "keys" / "org.key.pem")]
    signed, peak, signed_cpu, _ = timed([*build[:3], *key, *build[3:], "--force"], env)
    line("clarion build --force, signed", signed, peak, signed_cpu)
    full, cpu = rounds[-1]["full"], rounds[-1]["cpu"]
    print(f"signing adds {100 * (signed / full - 1):.0f} % to the last full build "
          f"(CPU {100 * (signed_cpu / cpu - 1):.0f} %)")

    def median(key: Callable[[dict[str, float]], float]) -> str:
        values = sorted(key(row) for row in rounds)
        spread = f" ({', '.join(f'{v:.2f}' for v in values)})" if len(values) > 1 else ""
        return f"{statistics.median(values):.2f}{spread}"

    print(f"median of {len(rounds)} round(s):")
    print(f"  no-op / full: {median(lambda r: 100 * r['noop'] / r['full'])} %")
    if not args.skip_baseline:
        print(f"  wall: speed-up over hand-made {median(lambda r: r['base'] / r['full'])}x; "
              f"build per letter / baseline layout per letter "
              f"{median(lambda r: r['full'] / r['layout'])}")
        print(f"  CPU: build / baseline CPU per letter {median(lambda r: r['cpu'] / r['base_cpu'])};"
              f" on {cores} free core(s) the build would be "
              f"{median(lambda r: r['base_cpu'] * cores / r['cpu'])}x faster per letter")
        print("(the machine is shared: wall-clock ratios depend on the load during each part; "
              "CPU time does much less)")
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
