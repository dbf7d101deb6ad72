"""Benchmark the class heat-map page against the budget in DESIGN.md / issue 6:

    a cohort of 1,000 students × 40 competencies renders the heat map page in under 2 s on PostgreSQL

The class is bench/cohort_transcripts.py's (the same builder): every student has 60 evidence rows on 60
course outcomes aligned to 40 competencies, 100 contributions in all, so every cell of the heat map has a
figure. The script times what a teacher's browser waits for: the whole admin page (``GET
/admin/analytics/attainment/?cohort=…`` through Django's test client, logged in as the class teacher: the
attainment of the class, the heat map, the distribution chart and table), after one warm-up request, and
reports the median and the slowest of the runs and the page's size (tests/lms/analytics assert the query
counts). It then times the
attainment query alone, and the other class reports (change between terms, demand gap) for the same class.

Usage (from the project root; the data are built on first use, then reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesai_bench_cohort .venv/bin/python bench/analytics.py
    ... --students 200 --runs 3      # a quicker look
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesai_bench_cohort")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"

BUDGET = 2.0


def timed(call, runs: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()

    from cohort_transcripts import build_cohort, ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from courses.selectors import class_attainment

    print("building data (once)…", flush=True)
    cohort = build_cohort(options.students)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum leaves them after a bulk load: without them the planner guesses a few
        # rows where there are 100,000 and picks nested loops (measured: the attainment query 1.5 s instead of 0.75).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    teacher = cohort.teachers.get()
    client = Client()
    client.force_login(teacher)
    database = "PostgreSQL" if connection.vendor == "postgresql" else connection.vendor

    print(f"database: {database}; students: {cohort.enrolments.count()}; runs: {options.runs}")
    for label, name in [
        ("heat map page (class attainment)", "analytics_attainment"),
        ("change between terms page", "analytics_terms"),
        ("industry-demand gap page", "analytics_demand"),
    ]:
        url = f"{reverse(name)}?cohort={cohort.pk}"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = timed(lambda url=url: client.get(url), options.runs)
        print(
            f"{label}: median {statistics.median(times):.3f} s, slowest {max(times):.3f} s; "
            f"{len(response.content) / 1e6:.2f} MB of HTML"
        )
    times = timed(lambda: class_attainment(cohort=cohort), options.runs)
    print(f"class_attainment alone: median {statistics.median(times):.3f} s, slowest {max(times):.3f} s")
    print(f"budget: the heat map page for 1,000 students × 40 competencies in under {BUDGET:.0f} s on PostgreSQL")


if __name__ == "__main__":
    main()
