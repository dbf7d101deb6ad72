"""Data for the load test, on top of the demo site, and the plan the locust users follow.

Run by bench/load/run.py with the same environment as the web processes (production settings, the load
database, the load media folders). Idempotent: a second run reuses what the first made.

What it adds to ``load_demo``:
- every one of the 40 demo students gets a reflection in their portfolio (something of their own to edit) and a
  rendered transcript (something to download);
- the demo's finalised preliminary round is reopened, so its judges can score again.

It writes the plan (JSON) the locustfile reads: the public pages to browse, and per student, per judge, the
pages and forms that belong to them.
"""

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(plan_path: Path) -> None:
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from wagtail.models import Page

    from competitions.models import CompetitionPage, JudgeAssignment, RoundFinalisation, RoundPage
    from competitions.services.results import reopen_round
    from courses.models import CoursePage
    from lms.demo.loader import load_demo
    from portfolios.models import Artefact, ArtefactKind, Transcript
    from portfolios.services import ArtefactInput, save_artefact
    from portfolios.transcripts.services import issue_transcript, render_transcript

    report = load_demo()
    User = get_user_model()
    admin = User.objects.get(username="admin")
    students = list(User.objects.filter(username__startswith="2024").order_by("username"))

    for student in students:
        with transaction.atomic():
            if not Artefact.objects.filter(portfolio__owner=student, kind=ArtefactKind.REFLECTION).exists():
                save_artefact(
                    student=student,
                    kind=ArtefactKind.REFLECTION,
                    data=ArtefactInput(
                        title="What the listing contest taught me",
                        done_on=date(2026, 6, 1),
                        body="<p>Keywords matter more than photos.</p>",
                    ),
                )
        transcript = Transcript.objects.filter(
            student=student, superseded_by__isnull=True, revoked_at__isnull=True
        ).first()
        if transcript is None:
            transcript = issue_transcript(student=student, issued_by=student, language="en")
        if not transcript.pdf:
            render_transcript(transcript=transcript)

    for finalisation in RoundFinalisation.objects.filter(reopened_at__isnull=True):
        reopen_round(round_page=finalisation.round, by=admin, reason="Load test: judges score again.")

    def live_urls(model) -> list[str]:
        return [page.url for page in model.objects.live().order_by("path")]

    judges = {}
    for assignment in JudgeAssignment.objects.filter(recused_at__isnull=True).select_related("judge"):
        judges.setdefault(assignment.judge.username, []).append(assignment.pk)

    plan = {
        "password": report.password,
        "public": {
            "course page": live_urls(CoursePage),
            "competition brief": live_urls(CompetitionPage),
            "round page": live_urls(RoundPage),
        },
        "home_and_indexes": [page.url for page in Page.objects.live().filter(depth__in=(2, 3)).order_by("path")],
        "students": [
            {
                "username": student.username,
                "artefact": Artefact.objects.filter(portfolio__owner=student, kind=ArtefactKind.REFLECTION)
                .values_list("pk", flat=True)
                .first(),
                "transcript": Transcript.objects.filter(
                    student=student, superseded_by__isnull=True, revoked_at__isnull=True
                )
                .values_list("pk", flat=True)
                .first(),
            }
            for student in students
        ],
        "judges": [{"username": username, "assignments": sorted(pks)} for username, pks in sorted(judges.items())],
    }
    plan_path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    print(
        f"plan: {sum(map(len, plan['public'].values()))} public pages, {len(plan['students'])} students, "
        f"{sum(len(j['assignments']) for j in plan['judges'])} judge assignments → {plan_path}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
