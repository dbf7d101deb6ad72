"""A portfolio artefact from draft to verified evidence, in a real browser: a student and her enterprise mentor.

The school's set-up (framework, programme, class, the portfolio section, the people) is built with the ORM;
what the issue's journey names — the student adds an internship artefact, the mentor verifies it in the admin
review queue, the student's radar chart changes — happens through the pages.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from playwright.sync_api import Page, expect

from courses.models import EvidenceRecord
from portfolios.models import PortfolioIndexPage
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

ARTEFACT = "Amazon store operation internship"
ENTERPRISE = "Horgos Silk Road Cross-border E-commerce Co., Ltd."


@dataclass
class Stage:
    student: AbstractBaseUser
    mentor: AbstractBaseUser


@pytest.fixture
def stage() -> Stage:
    framework = FrameworkFactory(name="Cross-border E-commerce Competencies")  # scale 1–4, mastery at 3; mean
    CompetencyFactory(framework=framework, code="OPS", name="Platform operation", demand_weight=90)
    CompetencyFactory(framework=framework, code="COMM", name="Buyer communication", demand_weight=60)
    cohort = CohortFactory(programme=ProgrammeFactory(framework=framework), name="CBE 2024 Class 1")
    student = UserFactory(username="2024010001", first_name="Amina", last_name="Chen", roles=["Students"])
    EnrolmentFactory(cohort=cohort, student=student)
    mentor = UserFactory(username="mentor", first_name="Wei", last_name="Zhang", roles=["Enterprise mentors"])
    site_home().add_child(instance=PortfolioIndexPage(title="Portfolios", slug="portfolios"))
    return Stage(student=student, mentor=mentor)


def log_in(page: Page, *, username: str) -> None:
    """Wagtail's login form, which the whole site uses; it sends people on to `next`."""
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def radar_values(page: Page) -> str:
    return page.locator("svg.radar").first.get_attribute("data-values")


def test_student_adds_an_internship_the_mentor_verifies_it_and_the_radar_chart_changes(new_person, stage: Stage):
    student = new_person()
    student.goto("/portfolio/")
    log_in(student, username=stage.student.username)
    expect(student.get_by_role("heading", level=1)).to_have_text("Amina Chen")
    assert radar_values(student) == "0,0"  # COMM, OPS (framework order): no evidence yet

    student.get_by_role("link", name="Internship or enterprise project").click()
    student.get_by_label("Title").fill(ARTEFACT)
    student.get_by_label("Enterprise:", exact=True).fill(ENTERPRISE)
    student.get_by_label("Enterprise mentor").select_option(label="Wei Zhang")
    student.get_by_label("Done on").fill("2026-08-28")
    student.get_by_label("Description").fill("Eight weeks in the operations team: 40 listings rewritten.")
    student.get_by_label("OPS · Platform operation").check()
    student.get_by_label("My teachers and mentors").check()
    student.get_by_role("button", name=re.compile("Save")).click()
    card = student.locator(".artefact", has_text=ARTEFACT)
    expect(card).to_contain_text("Draft")
    card.get_by_role("button", name="Ask for a review").click()
    expect(student.locator(".artefact", has_text=ARTEFACT)).to_contain_text("Waiting for review")

    mentor = new_person()
    mentor.goto("/admin/portfolios/reviews/")
    log_in(mentor, username=stage.mentor.username)
    mentor.get_by_role("link", name=ARTEFACT).click()
    mentor.get_by_label("Meets", exact=True).check()
    mentor.get_by_label(re.compile(r"Proficient \(3")).check()
    mentor.get_by_label("Comment").fill("Listings were clear and complete; worked independently.")
    mentor.get_by_role("button", name="Sign off this version").click()
    expect(mentor.get_by_text(re.compile("signed off", re.IGNORECASE)).first).to_be_visible()

    row = EvidenceRecord.objects.active().get(student=stage.student)
    assert (row.competency.code, row.score, row.recorded_by) == ("OPS", 3, stage.mentor)

    student.reload()
    expect(student.locator(".artefact", has_text=ARTEFACT)).to_contain_text("Meets")
    assert radar_values(student) == "0,3"  # COMM still none; OPS: the one verified row, Proficient = 3 points
