"""Public pages: the home page lists programmes and courses; a course page shows outcomes and competencies."""

import pytest
from wagtail.rich_text import RichText

from tests.factories import CompetencyFactory, ProgrammeFactory, TrackFactory, course_index, course_page, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(framework):
    return ProgrammeFactory(name="Cross-border E-commerce", framework=framework)


@pytest.fixture
def index(programme):
    return course_index(programme=programme)


def test_home_page_lists_the_programme_and_its_courses_by_track(client, programme, index):
    track = TrackFactory(programme=programme, name="Platform courses")
    course_page(index=index, code="MKT101", title="Online Marketing and Promotion", track=track)
    course_page(index=index, code="LAW201", title="International Trade Law")
    body = client.get("/").content.decode()
    assert "Cross-border E-commerce" in body
    assert "Platform courses" in body
    assert "Online Marketing and Promotion" in body
    assert "International Trade Law" in body
    assert body.index("Online Marketing and Promotion") < body.index("International Trade Law")  # tracked first


def test_unpublished_courses_are_not_listed(client, index):
    draft = course_page(index=index, code="DRAFT1", title="Secret draft course")
    draft.unpublish()
    assert "Secret draft course" not in client.get("/").content.decode()


def test_course_page_shows_outcomes_and_the_competencies_they_build(client, index, framework):
    trade = CompetencyFactory(
        framework=framework, code="CBE-02", name="Economic and trade knowledge", demand_weight=100
    )
    page = course_page(index=index, code="TRD101", title="International Trade Practice")
    outcome(course=page, code="LO1", aligned=[(trade, "0.8")])
    body = client.get(page.url).content.decode()
    assert "LO1" in body
    assert "Outcome LO1" in body
    assert "CBE-02" in body and "Economic and trade knowledge" in body
    assert "0.8" in body


def test_script_in_rich_text_never_reaches_the_page(client, index):
    index.introduction = '<p>Hello<script>alert("x")</script><img src=x onerror="alert(1)"></p>'
    index.save_revision().publish()
    page = course_page(index=index, code="SYL1")
    page.syllabus = [
        ("paragraph", RichText('<p>Week 1<script>steal()</script><a href="javascript:alert(1)">go</a></p>'))
    ]
    page.save_revision().publish()
    for url in ("/courses/", page.url):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "steal()" not in body
        assert "onerror" not in body
        assert "javascript:alert" not in body


def make_outcomes(page, framework, count):
    shared = CompetencyFactory(framework=framework)
    for i in range(count):
        outcome(course=page, code=f"LO{i}", aligned=[(CompetencyFactory(framework=framework), "1"), (shared, "0.5")])


def test_course_page_queries_do_not_grow_with_outcomes(client, index, framework, django_assert_num_queries):
    small = course_page(index=index, code="Q5")
    large = course_page(index=index, code="Q50")
    make_outcomes(small, framework, 5)
    make_outcomes(large, framework, 50)
    client.get(small.url)  # warm the site-root and settings caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.url).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        assert client.get(large.url).status_code == 200


def test_course_index_queries_do_not_grow_with_courses(client, programme, framework, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = course_index(programme=programme, title="Few")
    many = course_index(programme=programme, title="Many")
    track = TrackFactory(programme=programme)
    for i in range(5):
        course_page(index=few, code=f"F{i}", track=track)
    for i in range(50):
        course_page(index=many, code=f"M{i}", track=track if i % 2 else None)
    client.get(few.url)
    with CaptureQueriesContext(connection) as few_queries:
        assert client.get(few.url).status_code == 200
    with django_assert_num_queries(len(few_queries)):
        assert client.get(many.url).status_code == 200
