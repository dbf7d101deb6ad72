"""Benchmark transcript PDFs against the budgets in DESIGN.md, next to headless Chromium printing the same HTML.

    a two-page Chinese transcript with a radar chart, 40 competencies and 100 evidence rows   < 0.5 s
    a repeat download of an unchanged transcript, served from storage                        < 50 ms

Each transcript is rendered the way a worker renders it: ``render_transcript_pdf`` (WeasyPrint, PDF/A-3b, the
credential attached), after one warm-up render (fontconfig, imports), timed as wall clock and as CPU time of this
process (the machine may be busy with other work; the CPU time says what the render itself costs). The same
print HTML is then printed by Chromium (Playwright's ``page.pdf()`` on a temporary file, the stylesheet inlined,
the browser started once beforehand); Chromium does not lay out running elements or ``string-set``, so its
pages have no footer: the comparison is of time, not of output. Every row says how many pages it made.

The repeat download stores the 40-competency PDF in the private storage with the service's atomic write
(``save_atomically``, a file under ``bench/`` that is deleted afterwards), then times what the download view
does once its gate check has passed: open the stored file, build the ``FileResponse``
(``courses.uploads.private_file_response``) and read its body to the end. No database is needed.

Usage (from the project root):

    .venv/bin/python bench/transcripts.py            # 10 runs per row
    .venv/bin/python bench/transcripts.py --runs 30 --no-chromium
"""

import argparse
import os
import platform
import secrets
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
RENDER_BUDGET = 0.5
DOWNLOAD_BUDGET = 0.05


def snapshot_for(*, competencies: int, evidence_rows: int, language: str = "zh-hans") -> dict:
    """sample_snapshot with ``evidence_rows`` rows spread over the competencies, the first ones taking more."""
    from tests.transcripts.samples import sample_snapshot

    per_competency = -(-evidence_rows // competencies)  # ceiling
    snapshot = sample_snapshot(language=language, competencies=competencies, evidence_per_competency=per_competency)
    extra = evidence_rows - (per_competency - 1) * competencies  # competencies keeping per_competency rows
    for index, competency in enumerate(snapshot["competencies"]):
        competency["evidence"] = competency["evidence"][: per_competency if index < extra else per_competency - 1]
    return snapshot


CASES = [
    ("Chinese: 10 competencies, 12 evidence rows", {"competencies": 10, "evidence_rows": 12}),
    ("Chinese: 40 competencies, 100 evidence rows", {"competencies": 40, "evidence_rows": 100}),
    ("English: 40 competencies, 100 evidence rows", {"competencies": 40, "evidence_rows": 100, "language": "en"}),
]
BUDGET_CASE = CASES[1][0]


def render(snapshot: dict) -> bytes:
    from portfolios.transcripts.pdf import render_transcript_pdf

    return render_transcript_pdf(
        snapshot=snapshot,
        verification_url=VERIFICATION_URL,
        verification_code=CODE,
        credential_jwt=CREDENTIAL,
        base_url=SITE,
    )


def timed(work, runs: int) -> tuple[list[float], list[float], object]:
    """Wall and CPU seconds of ``runs`` calls of ``work`` after one warm-up call, and its last result."""
    result = work()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


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

    def print_pdf() -> bytes:
        page.goto(path.as_uri())
        return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

    try:
        walls, _cpus, pdf = timed(print_pdf, runs)
    finally:
        page.close()
    return walls, pdf


def download_runs(pdf: bytes, runs: int) -> tuple[list[float], list[float], int]:
    """Store ``pdf`` as a rendered transcript is stored, then time opening, responding with and reading it."""
    from courses.uploads import private_file_response, private_storage
    from portfolios.transcripts.services import save_atomically

    storage = private_storage()
    name = save_atomically(storage, f"bench/transcript-{secrets.token_hex(8)}.pdf", pdf)

    def download() -> int:
        response = private_file_response(storage.open(name, "rb"), download_name="transcript.pdf")
        try:
            return sum(len(chunk) for chunk in response.streaming_content)
        finally:
            response.close()

    try:
        walls, cpus, size = timed(download, runs)
    finally:
        storage.delete(name)
    return walls, cpus, size


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def milliseconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


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
    budget_pdf = b""
    with tempfile.TemporaryDirectory() as folder:
        browser = playwright = None
        if not args.no_chromium:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for label, shape in CASES:
                snapshot = snapshot_for(**shape)
                walls, cpus, pdf = timed(lambda snapshot=snapshot: render(snapshot), args.runs)
                budget = RENDER_BUDGET if label == BUDGET_CASE else None
                rows.append((label, "WeasyPrint (PDF/A-3b)", walls, cpus, pages(pdf), len(pdf), budget))
                if label == BUDGET_CASE:
                    budget_pdf = pdf
                print(f"done: {label}, WeasyPrint", file=sys.stderr, flush=True)
                if browser is not None:
                    walls, pdf = chromium_runs(browser, snapshot, args.runs, Path(folder))
                    rows.append((label, "Chromium page.pdf()", walls, None, pages(pdf), len(pdf), None))
                    print(f"done: {label}, Chromium", file=sys.stderr, flush=True)
        finally:
            if browser is not None:
                browser.close()
                playwright.stop()
    walls, cpus, size = download_runs(budget_pdf, args.runs)
    label = f"repeat download ({BUDGET_CASE})"
    rows.append((label, "private storage + FileResponse", walls, cpus, None, size, DOWNLOAD_BUDGET))

    print(
        f"\nTranscript PDFs, {args.runs} runs per row after one warm-up; {platform.processor() or 'CPU'}, "
        f"{os.cpu_count()} cores; WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz subsetting {'on' if harfbuzz_subsetting_available() else 'OFF'}.\n"
    )
    print("| transcript | by | median | max | median CPU | pages | size | budget |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, renderer, walls, cpus, page_count, size, budget in rows:
        median = statistics.median(walls)
        verdict = "" if budget is None else f"< {budget * 1000:.0f} ms: {'met' if median < budget else 'MISSED'}"
        print(
            f"| {label} | {renderer} | {milliseconds(median)} | {milliseconds(max(walls))} "
            f"| {milliseconds(statistics.median(cpus) if cpus else None)} | {page_count or '—'} "
            f"| {size / 1024:.0f} KiB | {verdict} |"
        )
    print(f"\nCommand: .venv/bin/python bench/transcripts.py --runs {args.runs}{' --no-chromium' * args.no_chromium}")


if __name__ == "__main__":
    main()
