"""A teacher's journey through the public site and the Wagtail admin, in a real browser."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from courses.models import CoursePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "kesai-demo-2026"
COURSE_TITLE = "Online Marketing and Promotion"
COURSE_SLUG = "online-marketing-and-promotion"


@pytest.fixture
def demo_site() -> None:
    """The demo programme, courses and people, committed so that the live server's thread sees them."""
    call_command("load_demo", stdout=io.StringIO())


def log_in_to_admin(page: Page, *, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_teacher_edits_a_learning_outcome_and_the_public_course_page_shows_it(page: Page, demo_site: None):
    # A visitor finds the programme and its courses on the home page …
    page.goto("/")
    expect(page.get_by_text("Cross-border E-commerce").first).to_be_visible()
    course_link = page.get_by_role("link", name=re.compile(COURSE_TITLE)).first
    expect(course_link).to_be_visible()

    # … opens a course, and sees what it teaches and which competencies that builds.
    course_link.click()
    expect(page).to_have_url(re.compile(rf"/courses/{COURSE_SLUG}/$"))
    expect(page.get_by_role("heading", name=COURSE_TITLE).first).to_be_visible()
    expect(page.get_by_text("Learning outcomes").first).to_be_visible()
    expect(page.get_by_text("LO1", exact=True).first).to_be_visible()
    expect(page.get_by_text("Market insight").first).to_be_visible()

    # The course's teacher rewrites the first learning outcome in the Wagtail admin and publishes it.
    log_in_to_admin(page, username="teacher")
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    expect(page.locator("input[name='outcomes-0-code']")).to_have_value("LO1")
    new_description = "Size up a Central Asian target market and its competitors from platform search data."
    page.locator("textarea[name='outcomes-0-description']").fill(new_description)

    publish = page.locator("button[name='action-publish']")
    footer_menu = page.locator("[data-controller~='w-dropdown']", has=publish)
    footer_menu.locator(".w-dropdown__toggle").click()
    publish.click()
    expect(page.locator(".messages")).to_contain_text("published")

    # The public course page now shows the new wording, still aligned to its competencies.
    page.goto(f"/courses/{COURSE_SLUG}/")
    expect(page.get_by_text(new_description)).to_be_visible()
    expect(page.get_by_text("Market insight").first).to_be_visible()
