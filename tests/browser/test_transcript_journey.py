"""A transcript from issue to revocation, in a real browser: the student, an employer with a secret link
(logged out), and the class teacher.

The school (framework, class, one piece of evidence) is built with the ORM; everything the issue's journey
names — issue, share a link, open it logged out, download the PDF, verify it, revoke, see the link and the
verification fail — happens through the pages.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.services import record_evidence
from portfolios.models import Transcript
from tests.factories import (
    PASSWORD,
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FrameworkFactory,
    ProgrammeFactory,
    UserFactory,
    site_home,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@dataclass
class Stage:
    student: AbstractBaseUser
    teacher: AbstractBaseUser


@pytest.fixture
def stage() -> Stage:
    site_home()
    framework = FrameworkFactory(name="Cross-border E-commerce Competencies")  # scale 1–4, mastery at 3
    competency = CompetencyFactory(framework=framework, code="OPS", name="Platform operation", demand_weight=90)
    cohort = CohortFactory(programme=ProgrammeFactory(framework=framework), name="CBE 2024 Class 1")
    student = UserFactory(username="2024010001", first_name="Amina", last_name="Chen", roles=["Students"])
    teacher = UserFactory(username="teacher", first_name="Hua", last_name="Li", roles=["Teachers"])
    cohort.teachers.add(teacher)
    EnrolmentFactory(cohort=cohort, student=student)
    record_evidence(
        student=student,
        competency=competency,
        score=Decimal("3"),
        done_on=date(2026, 6, 1),
        source_kind="certificate",
        source_title="1+X Cross-border E-commerce certificate",
        recorded_by=teacher,
    )
    return Stage(student=student, teacher=teacher)


def log_in(page: Page, *, username: str) -> None:
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def verify_pdf(page: Page, pdf_path) -> None:
    page.goto("/transcripts/verify/")
    page.get_by_label("Transcript PDF").set_input_files(pdf_path)
    page.get_by_role("button", name="Verify the PDF").click()


def test_issue_share_a_link_open_it_logged_out_verify_the_pdf_revoke_and_see_both_fail(new_person, stage, tmp_path):
    student = new_person()
    student.goto("/transcripts/")
    log_in(student, username=stage.student.username)
    student.get_by_label("Language of the transcript").select_option("en")
    student.get_by_role("button", name="Issue a new transcript").click()
    student.get_by_role("link", name=re.compile(r"^Open")).first.click()
    expect(student.get_by_role("link", name="Download the PDF")).to_be_visible()  # rendered by the task

    student.get_by_label("Label").fill("Tianshan Trade interview")
    student.get_by_label("Expires on").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    student.get_by_role("button", name="Create a link").click()
    expect(student).to_have_url(re.compile(r"/transcripts/\d+/#new-link$"))  # post/redirect/get
    link = student.get_by_label("Address of the link").input_value()
    assert re.search(r"/transcripts/s/[A-Za-z0-9_-]{32,}/$", link)  # 192 random bits, URL-safe
    expect(student.locator("#new-link")).to_be_in_viewport()  # where the browser lands
    student.reload()  # shows the link no more, and creates no other
    expect(student.locator("#new-link")).to_have_count(0)
    expect(student.locator("#sharing tbody tr")).to_have_count(1)

    employer = new_person()  # logged out, with nothing but the link
    employer.goto(link)
    expect(employer.get_by_text("Amina Chen").first).to_be_visible()
    with employer.expect_download() as download:
        employer.get_by_role("link", name="Download the PDF").click()
    pdf_path = tmp_path / "transcript.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    verify_pdf(employer, pdf_path)
    expect(employer.locator(".verification__verdict")).to_have_text("Valid")

    teacher = new_person()
    transcript = Transcript.objects.get(student=stage.student)
    teacher.goto(f"/transcripts/{transcript.pk}/")
    log_in(teacher, username=stage.teacher.username)
    teacher.get_by_label("Reason").fill("Issued before the corrected results were entered.")
    teacher.get_by_role("button", name="Revoke").click()
    expect(teacher.get_by_text(re.compile("revoked", re.IGNORECASE)).first).to_be_visible()

    response = employer.goto(link)
    assert response.status == 404  # the link dies with the transcript, at once
    verify_pdf(employer, pdf_path)
    expect(employer.locator(".verification__verdict")).to_have_text("Revoked")
