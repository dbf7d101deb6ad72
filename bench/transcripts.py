"""Benchmark transcript PDF rendering against the budget in DESIGN.md, next to headless Chromium.

    a two-page Chinese transcript with a radar chart          < 0.5 s
    (and, for scale, 40 competencies with 100 evidence rows, however many pages that takes)

Each case renders the same print HTML twice: with WeasyPrint (``render_transcript_pdf``: PDF/A-3b, the credential
attached) and with Chromium (Playwright's ``page.pdf()`` on that HTML in a temporary file, the stylesheet inlined,
the browser started once beforehand). Chromium does not lay out running elements or ``string-set``, so its pages
have no footer; the comparison is of time, not of output. No database is needed.

Usage (from the project root):

    .venv/bin/python bench/transcripts.py            # 10 runs per case
    .venv/bin/python bench/transcripts.py --runs 30
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

SITE = "https://kesai.example.edu.cn/"
VERIFICATION_URL = f"{SITE}transcripts/verify/7KQ2M9XH4TRC/"
CODE = "7KQ2M9XH4TRC"
CREDENTIAL = "eyJhbGciOiJFZERTQSJ9." + "eyJ2YyI6e319" * 2000 + ".c2lnbmF0dXJl"  # about the size of a real CLR


def snapshot_for(*, competencies: int, evidence_rows: int) -> dict:
    """sample_snapshot with ``evidence_rows`` rows spread over the competencies, the first ones taking more."""
    from tests.transcripts.samples import sample_snapshot

    per_competency = -(-evidence_rows // competencies)  # ceiling
    snapshot = sample_snapshot(language="zh-hans", competencies=competencies, evidence_per_competency=per_competency)
    extra = evidence_rows - (per_competency - 1) * competencies  # competencies keeping per_competency rows
    for index, competency in enumerate(snapshot["competencies"]):
        competency["evidence"] = competency["evidence"][: per_competency if index < extra else per_competency - 1]
    return snapshot


CASES = [
    ("two pages: 10 competencies, 12 evidence rows", {"competencies": 10, "evidence_rows": 12}),
    ("40 competencies, 100 evidence rows", {"competencies": 40, "evidence_rows": 100}),
]


def weasyprint_runs(snapshot: dict, runs: int) -> tuple[list[float], list[float], bytes]:
    from portfolios.transcripts.pdf import render_transcript_pdf

    def render() -> bytes:
        return render_transcript_pdf(
            snapshot=snapshot,
            verification_url=VERIFICATION_URL,
            verification_code=CODE,
            credential_jwt=CREDENTIAL,
            base_url=SITE,
        )

    render()  # warm up: fontconfig, the stylesheet parse cache, imports
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, pdf


def chromium_html(snapshot: dict) -> str:
    from django.contrib.staticfiles import finders

    from portfolios.transcripts.pdf import transcript_html

    html = transcript_html(snapshot=snapshot, verification_url=VERIFICATION_URL, verification_code=CODE)
    stylesheet = Path(finders.find("portfolios/css/transcript.css")).read_text()
    start = html.index('<link rel="stylesheet"')
    end = html.index(">", start) + 1
    return f"{html[:start]}<style>{stylesheet}</style>{html[end:]}"


def chromium_runs(browser, snapshot: dict, runs: int, folder: Path) -> tuple[list[float], bytes]:
    path = folder / "transcript.html"
    path.write_text(chromium_html(snapshot), encoding="utf-8")
    page = browser.new_page()

    def render() -> bytes:
        page.goto(path.as_uri())
        return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

    render()
    walls = []
    for _ in range(runs):
        wall = time.perf_counter()
        pdf = render()
        walls.append(time.perf_counter() - wall)
    page.close()
    return walls, pdf


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-chromium", action="store_true", help="WeasyPrint only")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    import weasyprint

    from portfolios.checks import harfbuzz_subsetting_available

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        browser = playwright = None
        if not args.no_chromium:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for label, shape in CASES:
                snapshot = snapshot_for(**shape)
                walls, cpus, pdf = weasyprint_runs(snapshot, args.runs)
                rows.append(
                    (
                        label,
                        "WeasyPrint (PDF/A-3b)",
                        statistics.median(walls),
                        max(walls),
                        statistics.median(cpus),
                        pages(pdf),
                        len(pdf),
                    )
                )
                print(f"done: {label}, WeasyPrint", file=sys.stderr, flush=True)
                if browser is not None:
                    walls, pdf = chromium_runs(browser, snapshot, args.runs, Path(folder))
                    rows.append(
                        (label, "Chromium page.pdf()", statistics.median(walls), max(walls), None, pages(pdf), len(pdf))
                    )
                    print(f"done: {label}, Chromium", file=sys.stderr, flush=True)
        finally:
            if browser is not None:
                browser.close()
                playwright.stop()

    print(
        f"\nTranscript PDF rendering, {args.runs} runs per row after one warm-up; {platform.processor() or 'CPU'}, "
        f"{os.cpu_count()} cores; WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz subsetting {'on' if harfbuzz_subsetting_available() else 'OFF'}.\n"
    )
    print("| transcript | renderer | median | max | median CPU | pages | size |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for label, renderer, median, worst, cpu, page_count, size in rows:
        cpu_text = f"{cpu * 1000:.0f} ms" if cpu is not None else "—"
        print(
            f"| {label} | {renderer} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | {cpu_text} | {page_count} "
            f"| {size / 1024:.0f} KiB |"
        )
    print(f"\nCommand: .venv/bin/python bench/transcripts.py --runs {args.runs}")


if __name__ == "__main__":
    main()
