"""Benchmark the attainment engine against the budgets in DESIGN.md.

    one student with 2,000 evidence rows          < 50 ms
    a cohort of 1,000 students with 200,000 rows  < 5 s on PostgreSQL

Usage (from the project root; the database is created and filled on first use, then reused):

    .venv/bin/python bench/attainment.py                                   # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesai_bench .venv/bin/python bench/attainment.py
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/kesai_bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"

STUDENTS = 1_000
ROWS_PER_STUDENT = 200
HEAVY_STUDENT_ROWS = 2_000
COMPETENCIES = 40
OUTCOMES = 60


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def build_data():
    from django.contrib.auth import get_user_model

    from courses.models import (
        Cohort,
        Competency,
        CompetencyFramework,
        CourseOutcome,
        Enrolment,
        EvidenceRecord,
        OutcomeAlignment,
        ProficiencyLevel,
        ProficiencyScale,
        Programme,
    )
    from tests.factories import course_index, course_page

    if Cohort.objects.filter(name="Bench cohort").exists():
        return Cohort.objects.get(name="Bench cohort")
    print("building data (once)…", flush=True)
    scale = ProficiencyScale.objects.create(name="Bench scale")
    for order, points in enumerate([1, 2, 3, 4]):
        ProficiencyLevel.objects.create(
            scale=scale, name=f"L{points}", points=Decimal(points), is_mastery=points == 3, sort_order=order
        )
    framework = CompetencyFramework.objects.create(name="Bench framework", scale=scale)
    competencies = [
        Competency.objects.create(framework=framework, code=f"B{i:02d}", name=f"Bench competency {i}")
        for i in range(COMPETENCIES)
    ]
    programme = Programme.objects.create(name="Bench programme", code="BENCH", framework=framework)
    course = course_page(index=course_index(programme=programme, title="Bench"), code="BENCH1")
    outcomes = []
    for i in range(OUTCOMES):
        outcome = CourseOutcome.objects.create(course=course, code=f"LO{i}", description="bench")
        OutcomeAlignment.objects.create(outcome=outcome, competency=competencies[i % COMPETENCIES], weight=Decimal(1))
        OutcomeAlignment.objects.create(
            outcome=outcome, competency=competencies[(i * 7 + 3) % COMPETENCIES], weight=Decimal("0.5")
        )
        outcomes.append(outcome)
    cohort = Cohort.objects.create(programme=programme, name="Bench cohort", entry_year=2024)
    user_model = get_user_model()
    recorder = user_model.objects.create(username="bench-teacher")
    students = user_model.objects.bulk_create(user_model(username=f"bench{i:05d}") for i in range(STUDENTS + 1))
    Enrolment.objects.bulk_create(
        Enrolment(cohort=cohort, student=s, student_number=s.username, enrolled_on=date(2024, 9, 1))
        for s in students[:STUDENTS]
    )
    start = date(2024, 9, 1)

    def rows(student, count):
        for i in range(count):
            yield EvidenceRecord(
                student=student,
                outcome=outcomes[(i * 13 + student.pk) % OUTCOMES],
                score=Decimal((i * 7 + student.pk) % 401) / 100,
                done_on=start + timedelta(days=(i * 3 + student.pk) % 700),
                source_kind="course_assessment",
                source_title="bench",
                recorded_by=recorder,
            )

    for student in students[:STUDENTS]:
        EvidenceRecord.objects.bulk_create(rows(student, ROWS_PER_STUDENT), batch_size=5_000)
    EvidenceRecord.objects.bulk_create(rows(students[STUDENTS], HEAVY_STUDENT_ROWS), batch_size=5_000)
    return cohort


def timed(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from courses.models import EvidenceRecord
    from courses.selectors import attainment_for_cohort, attainment_for_student

    call_command("migrate", verbosity=0)
    cohort = build_data()
    heavy = get_user_model().objects.get(username=f"bench{STUDENTS:05d}")
    framework = cohort.programme.framework
    print(f"database: {connection.vendor}; ledger rows: {EvidenceRecord.objects.count():,}")
    median, worst = timed(lambda: attainment_for_student(student=heavy, framework=framework), 20)
    print(f"one student, {HEAVY_STUDENT_ROWS:,} rows: median {median:.1f} ms, max {worst:.1f} ms (budget 50 ms)")
    median, worst = timed(lambda: attainment_for_student(student=heavy, framework=framework, explain=True), 10)
    print(f"one student, explained: median {median:.1f} ms, max {worst:.1f} ms")
    median, worst = timed(lambda: attainment_for_cohort(cohort=cohort), 3)
    print(
        f"cohort of {STUDENTS:,} students, {STUDENTS * ROWS_PER_STUDENT:,} rows: "
        f"median {median / 1000:.2f} s, max {worst / 1000:.2f} s (budget 5 s)"
    )


if __name__ == "__main__":
    main()
