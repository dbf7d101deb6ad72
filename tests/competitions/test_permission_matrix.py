"""The issue's permission matrix: every role × every action, asserted cell by cell (status and effect).

Denied access answers 404 where the object's existence is not the visitor's business; anonymous visitors are
sent to log in; students and employers never reach the Wagtail admin (Wagtail redirects them to its login).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from competitions.models import RoundFinalisation, Score, Submission
from lms.services import grant_course_section
from tests.competitions.judging_fixtures import add_judge, assign, build_round, make_team, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["team_student", "other_student", "judge_assigned", "judge_not_assigned", "organiser", "anonymous"]


@pytest.fixture
def stage():
    setup = build_round()
    organiser = UserFactory(roles=["Teachers"])
    grant_course_section(section=setup.competition.get_parent())
    member = UserFactory(roles=["Students"])
    team = make_team(setup, members=[member])
    submission = submit(setup, team=team)
    judge = add_judge(setup, UserFactory(roles=["Judges"]))
    idle_judge = add_judge(setup, UserFactory(roles=["Judges"]))
    assignment = assign(setup, team=team, judge=judge)
    people = {
        "team_student": member,
        "other_student": UserFactory(roles=["Students"]),
        "judge_assigned": judge,
        "judge_not_assigned": idle_judge,
        "organiser": organiser,
        "anonymous": AnonymousUser(),
    }
    return {"setup": setup, "team": team, "submission": submission, "assignment": assignment, "people": people}


def act(client, stage, action):
    setup, team = stage["setup"], stage["team"]
    if action == "view_brief":
        return client.get(setup.competition.url)
    if action == "view_submission":
        return client.get(reverse("participation:submission", args=[stage["submission"].pk]))
    if action == "submit":
        url = reverse("participation:submit", args=[team.pk, setup.task.pk])
        return client.post(url, {"body": "<p>Revised listing</p>", "link": ""})
    if action == "score":
        criteria = setup.criteria()
        data = {f"criterion-{c.pk}-points": "5" for c in criteria}
        data |= {f"criterion-{c.pk}-comment": "ok" for c in criteria}
        data |= {f"criterion-{c.pk}-based_on": "" for c in criteria}
        return client.post(reverse("judging:score", args=[stage["assignment"].pk]), data)
    if action == "finalise":
        return client.post(reverse("competitions_admin_results", args=[setup.round_page.pk]), {})
    raise AssertionError(action)


def effect(action) -> int:
    return {
        "view_brief": lambda: 0,
        "view_submission": lambda: 0,
        "submit": lambda: Submission.objects.filter(version=2).count(),
        "score": lambda: Score.objects.count(),
        "finalise": lambda: RoundFinalisation.objects.count(),
    }[action]()


LOGIN = "login"
ALLOWED, NOT_FOUND = 200, 404
DONE = "done"  # a successful POST: redirect after the change, and the change is there

MATRIX = {
    #                      view_brief, view_submission, submit,    score,     finalise
    "team_student": (ALLOWED, ALLOWED, DONE, NOT_FOUND, LOGIN),
    "other_student": (ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    "judge_assigned": (ALLOWED, ALLOWED, NOT_FOUND, DONE, NOT_FOUND),
    "judge_not_assigned": (ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "organiser": (ALLOWED, ALLOWED, NOT_FOUND, NOT_FOUND, DONE),
    "anonymous": (ALLOWED, LOGIN, LOGIN, LOGIN, LOGIN),
}
ACTIONS = ["view_brief", "view_submission", "submit", "score", "finalise"]
CELLS = [(role, action, MATRIX[role][i]) for role in ROLES for i, action in enumerate(ACTIONS)]


@pytest.mark.parametrize(("role", "action", "expected"), CELLS)
def test_permission_matrix(client, stage, role, action, expected):
    person = stage["people"][role]
    if person.is_authenticated:
        client.force_login(person)
    before = effect(action)
    response = act(client, stage, action)
    if expected == DONE:
        assert response.status_code == 302, response.content.decode()[:500]
        assert effect(action) > before
    elif expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert effect(action) == before
    else:
        assert response.status_code == expected
        assert effect(action) == before
