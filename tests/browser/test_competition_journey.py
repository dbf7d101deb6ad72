"""A competition from registration to evidence, in a real browser: two students, an organiser and a judge.

The people and pages a school would have prepared beforehand (the framework, the programme and class, a course
with its outcome, the brief, its round, task, rubric and judging panel) are built with the ORM; everything the
issue's journey names — register a team, join it, submit, assign a judge, score, finalise, see the result and
the new evidence — happens through the pages, as each person would do it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from playwright.sync_api import Page, expect

from competitions.models import (
    CompetitionIndexPage,
    CompetitionPage,
    Criterion,
    CriterionAlignment,
    ResultsVisibility,
    RoundJudge,
    RoundPage,
    Task,
)
from lms.services import grant_course_section
from tests.factories import (
    PASSWORD,
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FrameworkFactory,
    ProgrammeFactory,
    UserFactory,
    course_index,
    course_page,
    outcome,
    site_home,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMPETITION = "Cross-border E-commerce Skills Contest"
ROUND = "Preliminary"
TASK = "Product listing"
CRITERION = "Listing quality"
TEAM = "Silk Road Sellers"
PDF_NAME = "listing-report.pdf"
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Stage:
    """What the school prepared before the competition: the pages and the people."""

    competition: CompetitionPage
    round: RoundPage
    student_a: AbstractBaseUser
    student_b: AbstractBaseUser
    organiser: AbstractBaseUser
    judge: AbstractBaseUser


@pytest.fixture
def stage() -> Stage:
    """Committed before the browser starts, so that the live server's thread sees it."""
    now = timezone.now()
    framework = FrameworkFactory(name="Cross-border E-commerce Competencies")  # scale 1–4, mastery at 3; mean
    competency = CompetencyFactory(framework=framework, code="OPS", name="Platform operation")
    programme = ProgrammeFactory(name="Cross-border E-commerce", framework=framework)
    cohort = CohortFactory(programme=programme, name="CBE 2024 Class 1")
    student_a = UserFactory(username="2024010001", first_name="Amina", last_name="Chen", roles=["Students"])
    student_b = UserFactory(username="2024010002", first_name="Bo", last_name="Li", roles=["Students"])
    for student in (student_a, student_b):
        EnrolmentFactory(cohort=cohort, student=student)

    course = course_page(
        index=course_index(programme=programme), code="CBE201", title="Cross-border Platform Operation"
    )
    listing_outcome = outcome(course=course, code="LO1", aligned=[(competency, "1")])

    index = site_home().add_child(instance=CompetitionIndexPage(title="Competitions", slug="competitions"))
    competition = index.add_child(
        instance=CompetitionPage(
            title=COMPETITION,
            slug="skills-contest",
            organiser="School of Business",
            level="provincial",
            category="skills",
            registration_opens=now - timedelta(days=1),
            registration_closes=now + timedelta(days=10),
            min_team_size=2,
            max_team_size=3,
            judges_per_entry=1,
        )
    )
    first_round = competition.add_child(
        instance=RoundPage(
            title=ROUND,
            slug="preliminary",
            opens_at=now - timedelta(days=1),
            submission_deadline=now + timedelta(days=5),
            results_visibility=ResultsVisibility.PUBLIC,
        )
    )
    task = Task.objects.create(
        round=first_round,
        title=TASK,
        brief="<p>List one product on a cross-border platform.</p>",
        deliverables="The listing text and a PDF report",
        max_points=Decimal("100"),
    )
    criterion = Criterion.objects.create(
        task=task,
        title=CRITERION,
        weight=Decimal("1"),
        max_points=Decimal("10"),
        levels=[
            ("level", {"label": "Developing", "points": Decimal("5"), "descriptor": "Title and photos only"}),
            ("level", {"label": "Excellent", "points": Decimal("10"), "descriptor": "Complete, keyword-rich"}),
        ],
    )
    CriterionAlignment.objects.create(criterion=criterion, outcome=listing_outcome, weight=Decimal("0.8"))

    judge = UserFactory(username="judge", first_name="Jia", last_name="Wang", roles=["Judges"])
    RoundJudge.objects.create(round=first_round, judge=judge, organisation="Silk Road Trading Co.")
    organiser = UserFactory(username="organiser", first_name="Hua", last_name="Zhao", roles=["Teachers"])
    grant_course_section(section=index)
    return Stage(competition, first_round, student_a, student_b, organiser, judge)


def fill_login_form(page: Page, *, username: str, password: str = PASSWORD) -> None:
    """Wagtail's login form, which the whole site uses (LOGIN_URL); it sends people on to `next`."""
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()


def message(page: Page):
    return page.get_by_role("status", name="Messages")


def test_a_team_registers_submits_is_judged_and_the_result_becomes_evidence(
    page: Page, new_person: Callable[[], Page], stage: Stage
):
    student_a = page

    # 1. Student A finds the brief, clicks "Register a team", is asked to log in, and lands on the team form.
    student_a.goto(stage.competition.url)
    expect(student_a.get_by_role("heading", level=1, name=COMPETITION)).to_be_visible()
    expect(student_a.get_by_text(CRITERION)).to_be_visible()
    student_a.get_by_role("link", name="Register a team").click()
    fill_login_form(student_a, username=stage.student_a.username)
    expect(student_a.get_by_role("heading", level=1, name="Create a team")).to_be_visible()
    student_a.get_by_label("Team name").fill(TEAM)
    student_a.get_by_role("button", name="Create the team").click()

    expect(student_a.get_by_role("heading", level=1, name=TEAM)).to_be_visible()
    expect(message(student_a)).to_contain_text(f"Team “{TEAM}” created")
    expect(student_a.get_by_text("The team needs at least 2 members before it can submit work")).to_be_visible()
    invite_code = student_a.get_by_role("region", name="Invitation code").locator("code").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,32}", invite_code), invite_code

    # 2. Student B, at another computer, logs in and joins with the code the captain gave her.
    student_b = new_person()
    student_b.goto("/compete/join/")
    fill_login_form(student_b, username=stage.student_b.username)
    expect(student_b.get_by_role("heading", level=1, name="Join a team")).to_be_visible()
    student_b.get_by_label("Invitation code").fill(invite_code)
    student_b.get_by_role("button", name="Join the team").click()
    expect(message(student_b)).to_contain_text(f"You joined “{TEAM}”.")
    members = student_b.get_by_role("region", name="Members and supervisors")
    expect(members.get_by_text("Amina Chen")).to_be_visible()
    expect(members.get_by_text("Bo Li")).to_be_visible()

    # 3. Student A, now in a team of two, submits the team's work: formatted text and a PDF report.
    student_a.reload()
    expect(student_a.get_by_text("The team needs at least 2 members")).to_have_count(0)
    tasks = student_a.get_by_role("region", name="Tasks and submissions")
    expect(tasks.get_by_role("row", name=TASK)).to_contain_text("Nothing submitted yet")
    tasks.get_by_role("row", name=TASK).get_by_role("link", name="Submit").click()
    expect(student_a.get_by_role("heading", level=1, name=TASK)).to_be_visible()
    student_a.get_by_label("Text").fill(
        "<p>Our listing: <strong>bamboo cutting board</strong> for the Kazakh market.</p>"
        "<ul><li>Title in Russian and English</li><li>Six photos</li></ul>"
    )
    student_a.get_by_label("File").set_input_files(
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    student_a.get_by_role("button", name="Submit this version").click()
    expect(message(student_a)).to_contain_text("Version 1 of your work is submitted.")
    expect(student_a.get_by_role("heading", level=1, name=f"{TASK}: version 1")).to_be_visible()
    expect(student_a.locator(".rich-text strong", has_text="bamboo cutting board")).to_be_visible()
    expect(student_a.get_by_role("link", name=f"Download {PDF_NAME}")).to_be_visible()

    # 4. The organiser assigns the round's judge automatically in the Wagtail admin.
    organiser = new_person()
    organiser.goto("/admin/login/")
    fill_login_form(organiser, username=stage.organiser.username)
    expect(organiser).to_have_url(re.compile(r"/admin/$"))
    organiser.get_by_role("navigation").get_by_role("link", name="Competitions", exact=True).click()
    expect(organiser.get_by_role("heading", name="Competitions I organise")).to_be_visible()
    round_row = organiser.get_by_role("row", name=re.compile(rf"{COMPETITION} · {ROUND}"))
    round_row.get_by_role("link", name="Judging").click()
    expect(organiser.get_by_role("heading", name=f"{COMPETITION} · {ROUND}")).to_be_visible()
    organiser.get_by_role("button", name="Assign judges automatically").click()
    expect(organiser.locator(".messages")).to_contain_text(re.compile(r"1 assignments? made"))
    progress_row = organiser.get_by_role("row", name=re.compile(TEAM))
    expect(progress_row).to_contain_text("Jia Wang")
    expect(progress_row).to_contain_text("0/1")

    # 5. The judge opens their queue, reads the submission (and downloads the PDF), and scores the criterion.
    judge = new_person()
    judge.goto("/admin/login/?next=/judging/")
    fill_login_form(judge, username=stage.judge.username)
    expect(judge.get_by_role("heading", level=1, name="My judging")).to_be_visible()
    entry_row = judge.get_by_role("row", name=re.compile(TEAM))
    expect(entry_row).to_contain_text("0 of 1")
    entry_row.get_by_role("link", name=re.compile("Score")).click()
    expect(judge.get_by_role("heading", level=1, name=f"{TEAM} · {TASK}")).to_be_visible()
    submitted = judge.get_by_role("region", name="Submitted work")
    expect(submitted).to_contain_text("bamboo cutting board")
    expect(submitted.get_by_role("listitem").filter(has_text="Six photos")).to_be_visible()
    with judge.expect_download() as download:
        submitted.get_by_role("link", name=f"Download {PDF_NAME}").click()
    assert download.value.suggested_filename == PDF_NAME
    assert Path(download.value.path()).read_bytes() == PDF_BYTES

    criterion = judge.get_by_role("group", name=CRITERION)
    expect(criterion).to_contain_text("Out of 10 points")
    criterion.get_by_label("Points").fill("8")
    criterion.get_by_label("Comment").fill("Clear title and good photos; the keywords need work.")
    judge.get_by_role("button", name="Save scores").click()
    expect(judge.locator(".messages")).to_contain_text("Scores saved.")
    expect(judge.get_by_role("group", name=CRITERION).get_by_label("Points")).to_have_value("8.00")
    judge.get_by_role("link", name="My judging").click()
    expect(judge.get_by_role("row", name=re.compile(TEAM))).to_contain_text("1 of 1")

    # 6. The organiser checks the provisional totals, gives the team a first prize and finalises the round.
    #    Task score = Σ w·(p/max) / Σ w × task max = 1·(8/10) / 1 × 100 = 80.00.
    organiser.reload()
    expect(organiser.get_by_role("row", name=re.compile(TEAM))).to_contain_text("1/1")
    organiser.get_by_role("navigation").get_by_role("link", name="Competitions", exact=True).click()
    round_row = organiser.get_by_role("row", name=re.compile(rf"{COMPETITION} · {ROUND}"))
    round_row.get_by_role("link", name="Results").click()
    team_row = organiser.get_by_role("row", name=re.compile(TEAM))
    expect(team_row).to_contain_text("80.00")
    team_row.get_by_label("Award", exact=True).select_option(label="First prize")
    organiser.get_by_role("button", name="Finalise the round").click()
    expect(organiser.locator(".messages")).to_contain_text("The round is finalised; results and evidence are recorded.")
    expect(organiser.get_by_text("Scores are locked")).to_be_visible()
    expect(organiser.get_by_role("row", name=re.compile(TEAM))).to_contain_text("First prize")

    # 7a. Student A sees the public result on the round page.
    student_a.goto(stage.competition.url)
    student_a.get_by_role("link", name=ROUND).click()
    expect(student_a.get_by_role("heading", level=1, name=ROUND)).to_be_visible()
    results = student_a.get_by_role("region", name="Results")
    result_row = results.get_by_role("row", name=re.compile(TEAM))
    expect(result_row.get_by_role("cell")).to_have_text(["1", "80.00", "First prize", ""])

    # 7b. … and the new evidence on her competencies. Both rows are dated the day of the submission, so the
    #     mean weights them by alignment weight × row weight:
    #     judged criterion: 8/10 × 4 (top of the scale) = 3.20, weight 0.8 × 1 = 0.8;
    #     first prize: top of the scale 4, weight 0.5 × 1 = 0.5;
    #     (0.8·3.20 + 0.5·4) / (0.8 + 0.5) = 4.56 / 1.3 = 3.5077 → 3.51, at or above mastery (3): Proficient.
    student_a.get_by_role("link", name="My competencies").click()
    expect(student_a.get_by_role("heading", level=1, name="My competencies")).to_be_visible()
    competency_row = student_a.get_by_role("row", name=re.compile("Platform operation"))
    expect(competency_row).to_contain_text("3.51 / 4")
    expect(competency_row).to_contain_text("Proficient")
    expect(competency_row).to_contain_text("Mastered")
    explanation = student_a.locator("details.calculation", has_text="Platform operation")
    explanation.locator("summary").click()  # "How this was calculated" opens the rows behind the figure
    source = f"{COMPETITION} · {ROUND} · {TASK} · {CRITERION}"
    expect(explanation.get_by_role("link", name=source)).to_be_visible()
    expect(explanation.get_by_role("row").filter(has_text=source)).to_contain_text("3.20")
    expect(explanation.get_by_role("link", name=f"{COMPETITION} · {ROUND} · First prize")).to_be_visible()
    explanation.get_by_role("link", name=source).click()
    expect(student_a).to_have_url(re.compile(rf"{re.escape(stage.round.url)}$"))
