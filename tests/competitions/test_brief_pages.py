"""Integration both ways: a brief shows the courses and outcomes each task draws on; a course page lists the tasks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from competitions.models import CompetitionIndexPage, CompetitionPage, Criterion, CriterionAlignment, RoundPage, Task
from tests.factories import course_index, course_page, outcome, site_home

pytestmark = pytest.mark.django_db


def build_competition(*, course_outcome, tasks=1, title="Shopee Cup"):
    now = timezone.now()
    index = site_home().add_child(
        instance=CompetitionIndexPage(title="Competitions", slug=f"comp-{title.lower().replace(' ', '-')}")
    )
    competition = index.add_child(
        instance=CompetitionPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            organiser="School of Business",
            level="provincial",
            category="innovation",
            registration_opens=now - timedelta(days=1),
            registration_closes=now + timedelta(days=10),
        )
    )
    round_page = competition.add_child(
        instance=RoundPage(
            title="Preliminary",
            slug="preliminary",
            opens_at=now - timedelta(days=1),
            submission_deadline=now + timedelta(days=5),
        )
    )
    for i in range(tasks):
        task = Task.objects.create(
            round=round_page, title=f"Product listing {i}", brief="<p>List a product</p>", max_points=Decimal("100")
        )
        criterion = Criterion.objects.create(
            task=task, title=f"Listing quality {i}", weight=Decimal("1"), max_points=Decimal("10")
        )
        CriterionAlignment.objects.create(criterion=criterion, outcome=course_outcome, weight=Decimal("0.8"))
    return competition, round_page


@pytest.fixture
def course_outcome(competency):
    course = course_page(index=course_index(), code="OPS201", title="Platform Operation")
    return outcome(course=course, code="LO2", aligned=[(competency, "1")])


def test_brief_shows_each_tasks_courses_and_outcomes(client, course_outcome):
    competition, _round = build_competition(course_outcome=course_outcome)
    body = client.get(competition.url).content.decode()
    assert "Product listing 0" in body
    assert "Listing quality 0" in body
    assert "Platform Operation" in body and "LO2" in body and "0.80" in body


def test_course_page_lists_the_competition_tasks_that_assess_it(client, course_outcome):
    build_competition(course_outcome=course_outcome)
    body = client.get(course_outcome.course.url).content.decode()
    assert "Competition tasks that assess this course" in body
    assert "Shopee Cup" in body and "Product listing 0" in body


def test_course_page_without_competition_tasks_has_no_such_section(client, course_outcome):
    body = client.get(course_outcome.course.url).content.decode()
    assert "Competition tasks that assess this course" not in body


def test_brief_queries_do_not_grow_with_tasks(client, course_outcome, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, _ = build_competition(course_outcome=course_outcome, tasks=5, title="Small Cup")
    large, _ = build_competition(course_outcome=course_outcome, tasks=50, title="Large Cup")
    client.get(small.url)
    with CaptureQueriesContext(connection) as few:
        client.get(small.url)
    with django_assert_num_queries(len(few)):
        client.get(large.url)


def test_brief_offers_registration_only_while_it_is_open(client, course_outcome):
    competition, _round = build_competition(course_outcome=course_outcome)
    assert f"/compete/{competition.pk}/teams/new/" in client.get(competition.url).content.decode()
    competition.registration_closes = timezone.now() - timedelta(minutes=1)
    competition.registration_opens = timezone.now() - timedelta(days=2)
    competition.save_revision().publish()
    assert "/teams/new/" not in client.get(competition.url).content.decode()


def test_home_page_lists_live_competitions(client, course_outcome):
    build_competition(course_outcome=course_outcome, title="Silk Road Cup")
    assert "Silk Road Cup" in client.get("/").content.decode()


def test_course_page_queries_do_not_grow_with_the_tasks_assessing_it(client, competency, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    index = course_index()
    small = outcome(course=course_page(index=index, code="SMALL1"), code="LO1", aligned=[(competency, "1")])
    large = outcome(course=course_page(index=index, code="LARGE1"), code="LO1", aligned=[(competency, "1")])
    build_competition(course_outcome=small, tasks=5, title="Small Cup")
    build_competition(course_outcome=large, tasks=50, title="Large Cup")
    client.get(small.course.url)
    with CaptureQueriesContext(connection) as few:
        assert "Small Cup" in client.get(small.course.url).content.decode()
    with django_assert_num_queries(len(few)):
        assert "Large Cup" in client.get(large.course.url).content.decode()
