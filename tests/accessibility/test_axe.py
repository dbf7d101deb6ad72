"""axe-core on the main pages of the demo site, for each role: no serious or critical violation.

Each test logs one person in through the login page, opens that role's pages and runs axe on each; it fails on any
serious or critical violation and prints every violation it saw (moderate and minor ones as information). Public
pages are checked a second time in Chinese, after pressing the site's language switch.
"""

import io
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.models import Cohort
from lms.demo import content
from portfolios.models import Transcript
from portfolios.transcripts.services import create_link
from tests.accessibility.axe import Finding, report
from tests.accessibility.conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STUDENT = f"{content.STUDENT_NUMBER_PREFIX}01"  # 王芳: a team, a portfolio, a transcript
COURSE = "/courses/online-marketing-and-promotion/"
COMPETITION = "/competitions/shopee-cup/"
ROUND = "/competitions/shopee-cup/preliminary/"


@pytest.fixture
def demo_site() -> None:
    """The demo programme, courses and people, committed so that the live server's thread sees them."""
    call_command("load_demo", stdout=io.StringIO())


def log_in(page: Page, username: str, *, then: str) -> None:
    page.goto(f"/admin/login/?next={quote(then)}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(content.DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def open_and_check(visit: Visit, label: str, path: str) -> None:
    response = visit.page.goto(path)
    assert response is not None and response.ok, f"{label}: {path} answered {response and response.status}"
    visit.check(label)


def follow_first(visit: Visit, label: str, pattern: str) -> None:
    """Open the first link on the current page whose href matches `pattern`, as a person would, and check it."""
    hrefs = visit.page.locator("a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    href = next((href for href in hrefs if re.fullmatch(pattern, href)), None)
    assert href, f"{label}: no link matching {pattern} on {visit.page.url}"
    open_and_check(visit, label, href)


def assert_accessible(*visits: Visit) -> None:
    findings: list[Finding] = [finding for visit in visits for finding in visit.findings]
    checked = [label for visit in visits for label in visit.pages]
    print(f"\naxe checked {len(checked)} pages: {', '.join(checked)}")
    if findings:
        print(report(findings))
    blocking = [finding for finding in findings if finding.blocking]
    assert not blocking, f"{len(blocking)} serious or critical accessibility violation(s):\n{report(blocking)}"


def test_public_pages_in_english_and_chinese(visit, demo_site: None):
    transcript = Transcript.objects.filter(student__username=STUDENT).latest("pk")
    _link, token = create_link(
        transcript=transcript,
        student=transcript.student,
        expires_at=timezone.now() + timedelta(days=30),
        label="Accessibility check",
    )
    revoked = Transcript.objects.filter(revoked_at__isnull=False).latest("pk")
    public_pages = [
        ("home", "/"),
        ("course page", COURSE),
        ("competition index", "/competitions/"),
        ("competition brief", COMPETITION),
        ("round page", ROUND),
        ("portfolio index", "/portfolios/"),
        ("transcript verification", "/transcripts/verify/"),
        ("verification answer, valid", f"/transcripts/verify/{transcript.verification_code}/"),
        ("verification answer, revoked", f"/transcripts/verify/{revoked.verification_code}/"),
        ("secret-link transcript", f"/transcripts/s/{token}/"),
        ("login page", "/admin/login/"),
    ]

    def journey(visit: Visit) -> None:
        for label, path in public_pages:
            open_and_check(visit, f"anonymous: {label}", path)

        visit.page.goto("/")
        visit.page.get_by_role("group", name="Language").get_by_role("button", name="简体中文").click()
        expect(visit.page.locator("html")).to_have_attribute("lang", "zh-hans")
        for label, path in public_pages:
            open_and_check(visit, f"anonymous, 中文: {label}", path)
            expect(visit.page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))

    assert_accessible(visit(journey))


def test_student_pages(visit, demo_site: None):
    def journey(visit: Visit) -> None:
        log_in(visit.page, STUDENT, then="/me/competencies/")
        visit.check("student: my competencies")
        open_and_check(visit, "student: my teams", "/compete/")
        follow_first(visit, "student: team page", r"/compete/teams/\d+/")
        open_and_check(visit, "student: own portfolio page", "/portfolio/")
        open_and_check(visit, "student: add an artefact (internship)", "/portfolio/artefacts/new/internship/")
        open_and_check(visit, "student: my transcripts", "/transcripts/")
        follow_first(visit, "student: transcript page", r"/transcripts/\d+/")

    assert_accessible(visit(journey))


def test_teacher_pages(visit, demo_site: None):
    cohort = Cohort.objects.get(name=content.COHORT_NAME)

    def journey(visit: Visit) -> None:
        log_in(visit.page, "teacher", then="/admin/")
        visit.check("teacher: admin dashboard")
        reports = {
            name: visit.page.locator(f"a[href^='/admin/analytics/{name}/']").first.get_attribute("href")
            for name in ("alignment", "attainment", "terms", "demand")
        }
        assert all(reports.values()), f"the dashboard links {reports}"
        open_and_check(visit, "teacher: reviews queue", "/admin/portfolios/reviews/")
        follow_first(visit, "teacher: review page", r"/admin/portfolios/reviews/\d+/")
        open_and_check(visit, "teacher: transcripts of a class", f"/admin/transcripts/classes/{cohort.pk}/")
        for name, href in reports.items():
            open_and_check(visit, f"teacher: analytics, {name}", href)

    assert_accessible(visit(journey))


def test_judge_employer_and_mentor_pages(visit, demo_site: None):
    def judge(visit: Visit) -> None:
        log_in(visit.page, "judge", then="/judging/")
        visit.check("judge: judging queue")
        follow_first(visit, "judge: scoring page", r"/judging/assignments/\d+/")

    def employer(visit: Visit) -> None:
        log_in(visit.page, "employer", then="/portfolio/shared-with-me/")
        visit.check("employer: shared with me")
        follow_first(visit, "employer: shared transcript with the feedback form", r"/transcripts/\d+/")
        expect(visit.page.locator("form[action*='/feedback/']").first).to_be_attached()

    def mentor(visit: Visit) -> None:
        log_in(visit.page, "mentor", then="/admin/portfolios/reviews/")
        visit.check("mentor: reviews queue")
        follow_first(visit, "mentor: review page", r"/admin/portfolios/reviews/\d+/")

    assert_accessible(visit(judge), visit(employer), visit(mentor))
