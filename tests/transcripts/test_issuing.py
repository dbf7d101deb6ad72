"""Issuing a student's transcript: versions, superseding, the frozen snapshot, and the render task.

Figures (see conftest): ``student`` has TRADE 3 (mean of 2 and 4, mastered) and COMM 1; transcripts list the
competencies in the snapshot's order, COMM then TRADE.
"""

import copy
import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.services import record_evidence
from portfolios.models import AccessKind, RenderStatus, Transcript
from portfolios.transcripts import selectors, services
from tests.factories import EnrolmentFactory, UserFactory
from tests.transcripts.conftest import client_for, fake_pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

MINE = reverse("transcripts:mine")


def figures(transcript: Transcript) -> dict[str, str]:
    return {row["code"]: row["value"] for row in transcript.snapshot["competencies"]}


def test_a_first_transcript_is_version_1(transcript):
    assert transcript.version == 1
    assert transcript.supersedes is None


def test_issuing_again_makes_version_2_which_supersedes_version_1(issue, transcript):
    second = issue()
    transcript.refresh_from_db()
    assert second.version == 2
    assert second.supersedes == transcript
    assert selectors.standing(transcript=transcript).verdict == "superseded"
    assert selectors.standing(transcript=second).verdict == "valid"


def test_the_snapshot_freezes_the_figures_of_the_day_it_was_issued(issue, transcript, school):
    frozen = copy.deepcopy(transcript.snapshot)
    record_evidence(
        student=school.student,
        score=Decimal("4"),
        done_on=date(2026, 5, 1),
        source_kind="course_assessment",
        source_title="EC101 final project",
        recorded_by=school.course_teacher,
        outcome=school.lo1,
    )
    second = issue()
    transcript.refresh_from_db()
    assert transcript.snapshot == frozen
    assert figures(transcript) == {"COMM": "1", "TRADE": "3"}
    # The new version counts the new row: TRADE (2 + 4 + 4) / 3 = 3.333… → 3.33.
    assert figures(second) == {"COMM": "1", "TRADE": "3.33"}


def test_no_service_changes_an_issued_snapshot_or_credential(transcript, school):
    frozen_snapshot, frozen_credential = copy.deepcopy(transcript.snapshot), transcript.credential
    grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    services.give_feedback(
        transcript=transcript, employer=school.employer, competency=school.trade, importance=5, comment="Key"
    )
    services.record_access(transcript=transcript, kind=AccessKind.VIEW, user=school.employer)
    link, _token = services.create_link(
        transcript=transcript, student=school.student, expires_at=timezone.now() + timedelta(days=7)
    )
    services.revoke_link(link=link, student=school.student)
    services.revoke_grant(grant=grant, student=school.student)
    services.render_transcript(transcript=transcript)
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Issued in error")
    stored = Transcript.objects.get(pk=transcript.pk)
    assert stored.snapshot == frozen_snapshot
    assert stored.credential == frozen_credential


def test_the_render_task_runs_at_commit_and_stores_the_pdf(issue):
    transcript = issue()
    expected = fake_pdf_bytes(transcript.verification_code)
    assert transcript.render_status == RenderStatus.DONE
    with transcript.pdf.open("rb") as stored:
        assert stored.read() == expected
    assert transcript.pdf_sha256 == hashlib.sha256(expected).hexdigest()


def test_the_pdf_waits_for_the_commit(school, evidence, fake_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transcript = services.issue_transcript(student=school.student, issued_by=school.student)
    transcript.refresh_from_db()
    assert transcript.render_status == RenderStatus.PENDING
    assert len(callbacks) == 1  # the render task, enqueued once the transcript is committed


def test_a_student_issues_a_transcript_from_their_page(school, evidence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school.student).post(reverse("transcripts:issue"))
    assert response.status_code == 302
    assert response["Location"] == MINE
    transcript = Transcript.objects.get(student=school.student)
    assert (transcript.version, transcript.render_status) == (1, RenderStatus.DONE)


def test_a_student_with_nothing_attained_is_told_why_no_transcript_is_issued(school):
    newcomer = UserFactory(username="2024000099", roles=["Students"])
    EnrolmentFactory(cohort=school.cohort, student=newcomer)
    response = client_for(newcomer).post(reverse("transcripts:issue"), follow=True)
    assert not Transcript.objects.filter(student=newcomer).exists()
    assert "has not attained any competency yet" in response.content.decode()


def test_the_list_shows_each_version_with_its_standing(issue, transcript, school):
    second = issue()
    services.revoke_transcript(transcript=second, revoked_by=school.class_teacher, reason="Wrong class")
    issue()
    soup = BeautifulSoup(client_for(school.student).get(MINE).content, "html.parser")
    rows = [
        (row.th.get_text(strip=True), row.select_one(".transcript-standing").get_text(strip=True))
        for row in soup.select(".transcripts-table tbody tr")
    ]
    assert rows == [
        ("Version 3", "Valid"),
        ("Version 2", "Revoked"),
        ("Version 1", "Superseded by a newer transcript"),
    ]


def test_the_list_links_the_pdf_once_it_is_rendered(transcript, school):
    html = client_for(school.student).get(MINE).content.decode()
    assert reverse("transcripts:pdf", args=[transcript.pk]) in html


def test_a_transcript_being_rendered_polls_its_status_instead_of_linking_the_pdf(school, evidence):
    transcript = services.issue_transcript(student=school.student, issued_by=school.student)  # not committed
    html = client_for(school.student).get(MINE).content.decode()
    assert f'data-poll-url="{reverse("transcripts:status", args=[transcript.pk])}"' in html
    assert reverse("transcripts:pdf", args=[transcript.pk]) not in html
    assert "portfolios/js/transcript-progress.js" in html


def test_the_status_endpoint_reports_a_rendered_transcript_as_finished(transcript, school):
    answer = client_for(school.student).get(reverse("transcripts:status", args=[transcript.pk])).json()
    assert answer == {
        "status": "done",
        "label": "Ready",
        "done": 1,
        "failed": 0,
        "total": 1,
        "percent": 100,
        "finished": True,
    }


def test_the_status_endpoint_is_gated_like_the_transcript(transcript, school):
    response = client_for(school.other_student).get(reverse("transcripts:status", args=[transcript.pk]))
    assert response.status_code == 404


def test_a_transcript_is_written_in_the_language_asked_for(issue, school, evidence):
    transcript = services.issue_transcript(student=school.student, issued_by=school.student, language="zh-hans")
    assert (transcript.language, transcript.snapshot["language"]) == ("zh-hans", "zh-hans")


def test_without_a_language_the_transcript_uses_the_students_account_language(school, evidence):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(school.student)
    profile.preferred_language = "zh-hans"
    profile.save()
    transcript = services.issue_transcript(student=school.student, issued_by=school.student)
    assert transcript.language == "zh-hans"


def test_a_language_the_site_does_not_offer_is_refused(school, evidence):
    with pytest.raises(ValidationError) as refused:
        services.issue_transcript(student=school.student, issued_by=school.student, language="fr")
    assert refused.value.message_dict == {"language": ["Choose one of the languages offered."]}
    assert not Transcript.objects.exists()


def test_a_new_version_is_shared_with_the_employers_the_previous_one_was_shared_with(issue, transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    second = issue()
    assert list(second.grants.filter(revoked_at__isnull=True).values_list("employer", flat=True)) == [
        school.employer.pk
    ]
    assert selectors.shared_with_employer(employer=school.employer).filter(pk=second.pk).exists()


def test_a_grant_the_student_stopped_is_not_carried_to_the_new_version(issue, transcript, school):
    grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    services.revoke_grant(grant=grant, student=school.student)
    second = issue()
    assert not second.grants.exists()
    assert not selectors.shared_with_employer(employer=school.employer).exists()
