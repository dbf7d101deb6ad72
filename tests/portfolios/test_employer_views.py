"""What employers see of the portfolios shared with them (/portfolio/shared-with-me/), the account links each
role gets in the page header, and the portfolio address on the student's sharing page."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolios.models import PortfolioShare, Visibility
from portfolios.selectors import portfolios_shared_with
from portfolios.services import portfolio_for, revoke_share, share_with_employer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHARED_WITH_ME = reverse("portfolios:shared_with_me")
LOGIN = reverse("wagtailadmin_login")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def share(student, employer) -> PortfolioShare:
    return share_with_employer(portfolio=portfolio_for(student=student), student=student, employer=employer)


def portfolio_links(response) -> list[str]:
    """The hrefs of the "Open portfolio" links on the shared-with-me page, in order."""
    return re.findall(r'<a class="button button--quiet" href="([^"]+)">Open portfolio', response.content.decode())


def account_links(response) -> set[str]:
    """The texts of the links in the header's account area (between the name and the log-out button)."""
    html = response.content.decode()
    area = html[html.index('<div class="account">') : html.index('class="account__logout"')]
    return set(re.findall(r"<a [^>]*>([^<]+)</a>", area))


# --- /portfolio/shared-with-me/ --------------------------------------------------------------------------------


def test_employer_with_no_shares_is_told_how_students_share(school):
    response = client_for(school.employer).get(SHARED_WITH_ME)
    assert response.status_code == 200
    assert portfolio_links(response) == []
    assert "Students share their portfolio from their own portfolio page" in response.content.decode()


def test_employer_sees_the_shared_portfolio_with_its_students_name(school):
    share(school.student, school.employer)
    response = client_for(school.employer).get(SHARED_WITH_ME)
    html = response.content.decode()
    assert portfolio_links(response) == [portfolio_for(student=school.student).url]
    assert '<th scope="row">陈小红</th>' in html  # family name 陈 first, no space
    assert "Students share their portfolio" not in html


def test_employer_sees_when_the_portfolio_was_shared(school):
    PortfolioShare.objects.filter(pk=share(school.student, school.employer).pk).update(
        granted_at=datetime(2026, 5, 3, 6, 30, tzinfo=UTC)
    )
    response = client_for(school.employer).get(SHARED_WITH_ME)
    # 06:30 UTC is 14:30 in Asia/Shanghai (UTC+8); English DATETIME_FORMAT "N j, Y, P".
    assert "May 3, 2026, 2:30 p.m." in response.content.decode()


def test_revoked_share_leaves_the_list_at_once(school):
    granted = share(school.student, school.employer)
    revoke_share(share=granted, student=school.student)
    response = client_for(school.employer).get(SHARED_WITH_ME)
    assert portfolio_links(response) == []


def test_newest_share_is_listed_first(school):
    share(school.student, school.employer)
    share(school.other_student, school.employer)
    response = client_for(school.employer).get(SHARED_WITH_ME)
    assert portfolio_links(response) == [
        portfolio_for(student=school.other_student).url,
        portfolio_for(student=school.student).url,
    ]


def test_sharing_again_after_revoking_lists_the_portfolio_once(school):
    revoke_share(share=share(school.student, school.employer), student=school.student)
    share(school.student, school.employer)
    response = client_for(school.employer).get(SHARED_WITH_ME)
    assert portfolio_links(response) == [portfolio_for(student=school.student).url]


def test_another_employer_does_not_see_the_share(school):
    share(school.student, school.employer)
    other_employer = UserFactory(username="employer.two", roles=["Employers"])
    response = client_for(other_employer).get(SHARED_WITH_ME)
    assert portfolio_links(response) == []


def test_student_gets_no_portfolios_from_the_employers_list(school):
    share(school.student, school.employer)
    response = client_for(school.student).get(SHARED_WITH_ME)
    assert response.status_code == 200
    assert portfolio_links(response) == []


def test_anonymous_visitor_is_sent_to_log_in(school):
    share(school.student, school.employer)
    response = Client().get(SHARED_WITH_ME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_unpublished_portfolio_is_not_listed(school):
    share(school.student, school.employer)
    portfolio_for(student=school.student).unpublish()
    assert list(portfolios_shared_with(employer=school.employer)) == []


def test_shared_with_me_queries_do_not_grow_with_shares(school, django_assert_num_queries):
    few_employer = school.employer
    many_employer = UserFactory(username="employer.many", roles=["Employers"])
    students = [UserFactory(username=f"20249{number:05d}", roles=["Students"]) for number in range(20)]
    for student in students[:2]:
        share(student, few_employer)
    for student in students:
        share(student, many_employer)
    few_client, many_client = client_for(few_employer), client_for(many_employer)
    few_client.get(SHARED_WITH_ME)  # warm per-process caches (site root paths, content types)
    many_client.get(SHARED_WITH_ME)
    with CaptureQueriesContext(connection) as few:
        response = few_client.get(SHARED_WITH_ME)
    assert len(portfolio_links(response)) == 2
    with django_assert_num_queries(len(few)):
        response = many_client.get(SHARED_WITH_ME)
    assert len(portfolio_links(response)) == 20


# --- Account links in the header, by role ----------------------------------------------------------------------

STUDENT_LINKS = {"My competencies", "My portfolio", "My transcripts", "My teams"}


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (["Students"], STUDENT_LINKS),
        (["Employers"], {"Shared with me"}),
        (["Teachers"], {"Judging"}),  # teachers reach the admin, hence judging; no portfolio links
        (["Students", "Employers"], STUDENT_LINKS | {"Shared with me"}),
        ([], set()),
    ],
)
def test_account_links_follow_the_persons_roles(school, roles, expected):
    person = UserFactory(username="person", roles=roles)
    response = client_for(person).get(SHARED_WITH_ME)
    assert account_links(response) == expected


def test_account_links_on_a_portfolio_page_follow_the_viewers_role(school):
    """The same header on a Wagtail page: the employer opening a shared portfolio has no "My portfolio"."""
    share(school.student, school.employer)
    portfolio = portfolio_for(student=school.student)
    portfolio.overview_visibility = Visibility.EMPLOYERS
    portfolio.save(update_fields=["overview_visibility"])
    response = client_for(school.employer).get(portfolio.url)
    assert response.status_code == 200
    assert account_links(response) == {"Shared with me"}


# --- The student's sharing page --------------------------------------------------------------------------------


def test_sharing_page_shows_the_portfolios_absolute_address(school):
    response = client_for(school.student).get(reverse("portfolios:sharing"))
    address = "http://testserver" + portfolio_for(student=school.student).url
    assert f'<input id="portfolio-address" type="url" value="{address}" readonly>' in response.content.decode()
