"""Who sees what of a portfolio, who may touch it, and what the portfolio page costs in queries.

The matrix: one course-work artefact (with a PDF), sent for review (so the course's teacher is its reviewer),
then set to each visibility. Private artefacts are seen by the owner only — not even by their reviewer.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolios.models import ArtefactKind, ReviewVerdict, Visibility
from portfolios.services import (
    ArtefactInput,
    cancel_review,
    portfolio_for,
    save_artefact,
    set_visibility,
    share_with_employer,
    sign_off,
    update_introduction,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TITLE = "Tea shop listing on Amazon"
LOGIN = reverse("wagtailadmin_login")

PRIVATE, REVIEWERS, EMPLOYERS, PUBLIC = Visibility.values
EVERY_LEVEL = {PRIVATE, REVIEWERS, EMPLOYERS, PUBLIC}
TEACHERS_AND_UP = {REVIEWERS, EMPLOYERS, PUBLIC}

#: The visibility levels at which each viewer sees the artefact.
SEES = {
    "owner": EVERY_LEVEL,
    "other_student": {PUBLIC},
    "class_teacher": TEACHERS_AND_UP,  # teaches the student's class
    "course_teacher": TEACHERS_AND_UP,  # the artefact's reviewer
    "other_course_teacher": {PUBLIC},
    "mentor": {PUBLIC},  # a mentor, but not named on this artefact
    "employer_without_share": {PUBLIC},
    "employer_with_share": {EMPLOYERS, PUBLIC},
    "anonymous": {PUBLIC},
    "admin": TEACHERS_AND_UP,
}
MATRIX = [
    (viewer, visibility, visibility in levels) for viewer, levels in SEES.items() for visibility in Visibility.values
]


@pytest.fixture
def viewers(school):
    unshared = UserFactory(username="employer.two", roles=["Employers"])
    return {
        "owner": school.student,
        "other_student": school.other_student,
        "class_teacher": school.class_teacher,
        "course_teacher": school.course_teacher,
        "other_course_teacher": school.other_course_teacher,
        "mentor": school.mentor,
        "employer_without_share": unshared,
        "employer_with_share": school.employer,
        "anonymous": None,
        "admin": school.admin,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def shown(school, make_artefact, send_for_review):
    """``shown(visibility)``: the artefact, reviewed by the course's teacher's queue, at that visibility."""

    def make(visibility):
        artefact = make_artefact(
            kind=ArtefactKind.COURSE_WORK, title=TITLE, file=SimpleUploadedFile("listing.pdf", PDF)
        )
        send_for_review(artefact)
        if visibility == PRIVATE:
            cancel_review(artefact=artefact, student=school.student)
        set_visibility(artefact=artefact, student=school.student, visibility=visibility)
        share_with_employer(portfolio=artefact.portfolio, student=school.student, employer=school.employer)
        return artefact

    return make


@pytest.mark.parametrize(("viewer", "visibility", "sees"), MATRIX)
def test_who_sees_the_artefact_on_the_portfolio_page(viewers, shown, viewer, visibility, sees):
    artefact = shown(visibility)
    response = client_for(viewers[viewer]).get(artefact.portfolio.url)
    assert response.status_code in (200, 404)
    assert (response.status_code == 200 and TITLE in response.content.decode()) is sees


@pytest.mark.parametrize(("viewer", "visibility", "sees"), MATRIX)
def test_who_may_open_the_artefacts_file(viewers, shown, viewer, visibility, sees):
    artefact = shown(visibility)
    url = reverse("portfolios:version_file", args=[artefact.current_version_id])
    assert client_for(viewers[viewer]).get(url).status_code == (200 if sees else 404)


def test_earlier_versions_files_are_for_the_owner_and_reviewers_only(school, viewers, shown):
    artefact = shown(PUBLIC)
    first = artefact.current_version
    cancel_review(artefact=artefact, student=school.student)
    data = ArtefactInput(title="v2", done_on=first.done_on, course=school.course, competencies=[school.trade])
    save_artefact(student=school.student, kind=artefact.kind, data=data, artefact=artefact)
    url = reverse("portfolios:version_file", args=[first.pk])
    statuses = {
        name: client_for(viewers[name]).get(url).status_code for name in ("owner", "course_teacher", "anonymous")
    }
    assert statuses == {"owner": 200, "course_teacher": 200, "anonymous": 404}


# --- Owner-only views ------------------------------------------------------------------------------------------

OWN_VIEWS = [
    ("get", "portfolios:edit_artefact"),
    ("post", "portfolios:edit_artefact"),
    ("get", "portfolios:artefact_detail"),
    ("post", "portfolios:request_review"),
    ("post", "portfolios:cancel_review"),
    ("post", "portfolios:withdraw"),
    ("post", "portfolios:move_up"),
    ("post", "portfolios:move_down"),
    ("post", "portfolios:set_visibility"),
]
OUTSIDERS = ["other_student", "class_teacher", "course_teacher", "admin"]


@pytest.mark.parametrize("viewer", OUTSIDERS)
@pytest.mark.parametrize(("method", "name"), OWN_VIEWS)
def test_others_cannot_reach_the_owners_artefact_views(viewers, shown, viewer, method, name):
    artefact = shown(REVIEWERS)
    url = reverse(name, args=[artefact.pk])
    response = getattr(client_for(viewers[viewer]), method)(url, {"visibility": PUBLIC, "title": "Hijacked"})
    artefact.refresh_from_db()
    assert response.status_code == 404
    assert (artefact.visibility, artefact.current_version.title, artefact.withdrawn_at) == (REVIEWERS, TITLE, None)


@pytest.mark.parametrize(("method", "name"), OWN_VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(shown, method, name):
    artefact = shown(PUBLIC)
    response = getattr(Client(), method)(reverse(name, args=[artefact.pk]))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("viewer", ["class_teacher", "course_teacher", "mentor", "employer_with_share"])
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "portfolios:introduction"),
        ("get", "portfolios:sharing"),
        ("post", "portfolios:introduction"),
        ("post", "portfolios:sharing"),
    ],
)
def test_people_who_are_not_students_have_no_portfolio_to_change(viewers, shown, viewer, method, name):
    shown(PUBLIC)
    response = getattr(client_for(viewers[viewer]), method)(reverse(name), {"employer": "employer"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["portfolios:introduction", "portfolios:sharing", "portfolios:mine"])
def test_anonymous_visitors_are_sent_to_log_in_for_their_portfolio(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_another_students_introduction_form_is_their_own(school, viewers, shown):
    """/portfolio/introduction/ has no id: another student edits only their own portfolio there."""
    update_introduction(
        portfolio=portfolio_for(student=school.student),
        student=school.student,
        introduction="<p>Owner's words</p>",
        overview_visibility=REVIEWERS,
    )
    response = client_for(viewers["other_student"]).get(reverse("portfolios:introduction"))
    assert response.status_code == 200
    assert "Owner&#x27;s words" not in response.content.decode()
    assert response.context["portfolio"].student == school.other_student


def test_another_student_cannot_revoke_the_owners_share(school, viewers, shown):
    artefact = shown(EMPLOYERS)
    share = artefact.portfolio.shares.get()
    response = client_for(viewers["other_student"]).post(reverse("portfolios:revoke_share", args=[share.pk]))
    share.refresh_from_db()
    assert response.status_code == 404
    assert share.revoked_at is None


def test_revoking_the_share_hides_employer_artefacts_again(school, viewers, shown):
    artefact = shown(EMPLOYERS)
    client_for(school.student).post(reverse("portfolios:revoke_share", args=[artefact.portfolio.shares.get().pk]))
    response = client_for(viewers["employer_with_share"]).get(artefact.portfolio.url)
    assert response.status_code == 404


def test_people_who_are_not_students_are_told_portfolios_are_for_students(viewers):
    response = client_for(viewers["class_teacher"]).get(reverse("portfolios:mine"))
    assert response.status_code == 200
    assert response.context["for_students_only"] is True


# --- Query budget ----------------------------------------------------------------------------------------------

KINDS = [ArtefactKind.COURSE_WORK, ArtefactKind.INTERNSHIP, ArtefactKind.CERTIFICATE, ArtefactKind.REFLECTION]


def build_portfolio(*, student, size, school, make_artefact, send_for_review, levels):
    """``size`` public artefacts of mixed kinds, each claiming an outcome and a competency, with a file; the first
    two reviewed, so cards show courses, mentors, claims, files and reviews."""
    for number in range(size):
        artefact = make_artefact(
            kind=KINDS[number % len(KINDS)],
            student=student,
            title=f"Artefact {number}",
            body=f"<p>Work number {number}</p>",
            outcomes=[school.lo1],
            file=SimpleUploadedFile(f"work-{number}.pdf", PDF),
        )
        if number < 2:
            send_for_review(artefact)
            reviewer = school.mentor if artefact.kind == ArtefactKind.INTERNSHIP else school.course_teacher
            sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
        set_visibility(artefact=artefact, student=student, visibility=PUBLIC)
    return portfolio_for(student=student)


@pytest.mark.parametrize("viewer", ["owner", "anonymous"])
def test_portfolio_page_queries_do_not_grow_with_artefacts(
    school, make_artefact, send_for_review, levels, django_assert_num_queries, viewer
):
    small = build_portfolio(
        student=school.student,
        size=5,
        school=school,
        make_artefact=make_artefact,
        send_for_review=send_for_review,
        levels=levels,
    )
    large = build_portfolio(
        student=school.other_student,
        size=50,
        school=school,
        make_artefact=make_artefact,
        send_for_review=send_for_review,
        levels=levels,
    )
    small_client = client_for(school.student if viewer == "owner" else None)
    large_client = client_for(school.other_student if viewer == "owner" else None)
    small_client.get(small.url)  # warm per-process caches (site root paths, content types)
    large_client.get(large.url)
    with CaptureQueriesContext(connection) as few:
        response = small_client.get(small.url)
    assert response.content.decode().count('class="artefact ') == 5
    with django_assert_num_queries(len(few)):
        response = large_client.get(large.url)
    assert response.content.decode().count('class="artefact ') == 50
