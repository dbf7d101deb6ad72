"""Benchmark issuing a whole class's transcripts against the budget in DESIGN.md:

    500 transcripts for a cohort in under 2 minutes with two workers

Each of the 500 students has 60 evidence rows on 60 course outcomes aligned to 40 competencies (100 rows
count towards a competency in all, as in bench/transcripts.py), so every transcript is a full two-page PDF.
The script asks for the batch as a teacher would (``issue_for_cohort``), starts two database task workers
(``manage.py db_worker --batch``), and times the batch from the request until both workers have emptied the
queue: the snapshot, the signature and the PDF of every student, written to storage.

Usage (from the project root; the data are built on first use, then reused; each run issues a new batch):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesai_bench_cohort .venv/bin/python bench/cohort_transcripts.py
    ... --students 50        # a quicker look
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesai_bench_cohort")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "test-artifacts" / "bench-private-media"))
os.environ.pop("REDIS_URL", None)  # the database workers

COMPETENCIES = 40
OUTCOMES = 60
WORKERS = 2


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def build_cohort(students: int):
    from django.db import transaction

    from courses.models import Cohort

    name = f"Transcript bench {students}"
    cohort = Cohort.objects.filter(name=name).first()
    if cohort is not None:
        return cohort
    with transaction.atomic():
        return _build(students, name)


def _build(students: int, name: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

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
    from lms.services import sync_role_groups
    from tests.factories import course_index, course_page

    sync_role_groups()
    User = get_user_model()
    scale = ProficiencyScale.objects.create(name=f"Bench scale {students}")
    for order, (level, points, mastery) in enumerate(
        [
            ("入门 Beginning", 1, False),
            ("发展 Developing", 2, False),
            ("熟练 Proficient", 3, True),
            ("卓越 Exemplary", 4, False),
        ]
    ):
        ProficiencyLevel.objects.create(scale=scale, name=level, points=points, is_mastery=mastery, sort_order=order)
    framework = CompetencyFramework.objects.create(name=f"跨境电商能力框架 {students}", scale=scale)
    competencies = [
        Competency.objects.create(
            framework=framework, code=f"CBE-{n:02d}", name=f"跨境电商能力 {n} Cross-border skill", demand_weight=n * 2
        )
        for n in range(1, COMPETENCIES + 1)
    ]
    programme = Programme.objects.create(name=f"跨境电子商务 {students}", code=f"CBEB{students}", framework=framework)
    course = course_page(
        index=course_index(programme=programme, title=f"bench-courses-{students}"), code=f"TB{students}"
    )
    outcomes = []
    for n in range(OUTCOMES):
        outcome = CourseOutcome.objects.create(course=course, code=f"LO{n + 1}", description=f"学习成果 {n + 1}")
        OutcomeAlignment.objects.create(outcome=outcome, competency=competencies[n % COMPETENCIES], weight=Decimal(1))
        if n < 40:  # 40 outcomes count twice: 60 rows → 100 contributions
            OutcomeAlignment.objects.create(
                outcome=outcome, competency=competencies[(n + 7) % COMPETENCIES], weight=Decimal("0.5")
            )
        outcomes.append(outcome)
    teacher = User.objects.create_user(f"bench-teacher-{students}", first_name="华", last_name="李")
    teacher.groups.add(Group.objects.get(name="Teachers"))
    cohort = Cohort.objects.create(programme=programme, name=name, entry_year=2024)
    cohort.teachers.add(teacher)
    people = User.objects.bulk_create(
        User(username=f"tb{students}-{n:04d}", first_name="小红", last_name=f"陈{n}") for n in range(students)
    )
    Enrolment.objects.bulk_create(
        Enrolment(cohort=cohort, student=person, student_number=f"B{n:06d}", enrolled_on=date(2024, 9, 1))
        for n, person in enumerate(people)
    )
    rows = []
    for n, person in enumerate(people):
        for k, outcome in enumerate(outcomes):
            rows.append(
                EvidenceRecord(
                    student=person,
                    outcome=outcome,
                    score=Decimal(1 + (n + k) % 4),
                    done_on=date(2026, 1, 1) + timedelta(days=k * 3),
                    source_kind="course_assessment",
                    source_title=f"虾皮杯初赛 · 商品上架任务 {k + 1}",
                    recorded_by=teacher,
                )
            )
    EvidenceRecord.objects.bulk_create(rows, batch_size=5000)
    return cohort


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    options = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from portfolios.transcripts.selectors import batch_progress
    from portfolios.transcripts.services import issue_for_cohort

    print("building data (once)…", flush=True)
    cohort = build_cohort(options.students)
    teacher = cohort.teachers.get()
    DBTaskResult.objects.all().delete()

    started = time.perf_counter()
    batch = issue_for_cohort(cohort=cohort, issued_by=teacher)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.wait()
    elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = children.ru_utime + children.ru_stime
    progress = batch_progress(batch=batch)
    database = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"database: {database}; workers: {WORKERS}; students: {options.students}")
    print(f"transcripts done {progress.done}, failed {progress.failed}, of {progress.total}")
    print(f"batch time: {elapsed:.1f} s ({elapsed / max(progress.done, 1) * WORKERS:.2f} s per transcript per worker)")
    print(
        f"workers' CPU time: {worker_cpu:.1f} s ({worker_cpu / max(progress.done, 1):.3f} s per transcript; "
        f"the batch on two otherwise idle cores needs at least {worker_cpu / WORKERS:.1f} s)"
    )
    print("budget: 500 transcripts in under 120 s with two workers")


if __name__ == "__main__":
    main()
