"""Fixtures for the transcript pages: the portfolio tests' small school, evidence that gives its students
something to certify, issuing with the background task run at commit, and a stand-in for the slow PDF renderer.

Evidence (the school's framework uses the mean on a 1/2/3(mastery)/4 scale):
- ``student``: TRADE through LO1 (aligned 1.0): 2 on 1 March and 4 on 1 April → (2 + 4) / 2 = 3.00, Proficient,
  mastered; COMM directly: 1 on 15 March → 1.00, Beginning, not mastered. Attained 2, mastered 1.
- ``other_student``: TRADE through LO1: 2 on 1 March → 2.00, Developing. Attained 1, mastered 0.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from courses.services import record_evidence
from portfolios.models import Transcript
from portfolios.transcripts import services
from tests.portfolios import conftest as portfolio_fixtures

#: The portfolio tests' small school, shared as it is (pytest finds a fixture under any module-level name).
school = portfolio_fixtures.school

#: What the stand-in renderer writes: a PDF header, the transcript's verification code (so every transcript's
#: file, and so its SHA-256, differs) and the end-of-file marker.
FAKE_PDF_TEMPLATE = b"%%PDF-1.7\n%% Kesai test transcript %s\n%%%%EOF\n"


def fake_pdf_bytes(verification_code: str) -> bytes:
    return FAKE_PDF_TEMPLATE % verification_code.encode("ascii")


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limits count in the cache: every test starts with no request counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_pdf(monkeypatch):
    """Render transcripts as a few fixed bytes instead of through WeasyPrint (seconds per file)."""
    from portfolios.transcripts import pdf

    def render(*, verification_code: str, **_ignored) -> bytes:
        return fake_pdf_bytes(verification_code)

    monkeypatch.setattr(pdf, "render_transcript_pdf", render)
    return render


@pytest.fixture
def evidence(school):
    def record(student, score, done_on, title, **target):
        return record_evidence(
            student=student,
            score=Decimal(score),
            done_on=done_on,
            source_kind="course_assessment",
            source_title=title,
            recorded_by=school.course_teacher,
            **target,
        )

    record(school.student, "2", date(2026, 3, 1), "EC101 quiz", outcome=school.lo1)
    record(school.student, "4", date(2026, 4, 1), "EC101 listing project", outcome=school.lo1)
    record(school.student, "1", date(2026, 3, 15), "Buyer email drill", competency=school.comm)
    record(school.other_student, "2", date(2026, 3, 1), "EC101 quiz", outcome=school.lo1)
    return record


@pytest.fixture
def issue(school, evidence, django_capture_on_commit_callbacks):
    """``issue(student, by=None)``: issue a transcript and run what waits for the commit (the render task)."""

    def issue_one(student=None, *, by=None) -> Transcript:
        student = student or school.student
        with django_capture_on_commit_callbacks(execute=True):
            transcript = services.issue_transcript(student=student, issued_by=by or student)
        transcript.refresh_from_db()
        return transcript

    return issue_one


@pytest.fixture
def transcript(issue, fake_pdf) -> Transcript:
    """Version 1 of ``school.student``'s transcript, rendered (by the stand-in renderer)."""
    return issue()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
