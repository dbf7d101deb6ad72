"""Who may do what to ``school.student``'s transcript, with the exact answer each gets.

404: the transcript is not theirs to know of (the same answer as for one that does not exist).
403: they may see the transcript but not do this to it.
302: done (a redirect back to the transcript; a new link's address is shown once on the page it leads to).
"login": a redirect to the log-in page (no account, or only a secret link, which opens the transcript read-only).
The link holder opens the transcript at its link's addresses (/transcripts/s/<token>/…); everyone else at
/transcripts/<pk>/…; every write is a POST to the transcript's own address.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolios.models import Transcript
from portfolios.transcripts import services
from tests.factories import CohortFactory, UserFactory
from tests.transcripts.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

LOGIN = reverse("wagtailadmin_login")
ACTIONS = ["view", "pdf", "credential", "revoke", "grant", "link", "feedback"]
HIDDEN = dict.fromkeys(ACTIONS, 404)
LOGIN_ONLY = dict.fromkeys(ACTIONS, "login")
READS = {"view": 200, "pdf": 200, "credential": 200}
TEACHER = {**READS, "revoke": 302, "grant": 403, "link": 403, "feedback": 403}

EXPECTED = {
    "owner": {**READS, "revoke": 403, "grant": 302, "link": 302, "feedback": 403},
    "other_student": HIDDEN,
    "class_teacher": TEACHER,
    "other_teacher": HIDDEN,
    "employer_with_grant": {**READS, "revoke": 403, "grant": 403, "link": 403, "feedback": 302},
    "employer_without_grant": HIDDEN,
    "employer_after_grant_revoked": HIDDEN,
    "link_holder": {**READS, "revoke": "login", "grant": "login", "link": "login", "feedback": "login"},
    "anonymous": LOGIN_ONLY,
    "admin": TEACHER,
}
MATRIX = [(role, action, expected[action]) for role, expected in EXPECTED.items() for action in ACTIONS]


class Actors:
    def __init__(self, school, transcript: Transcript):
        self.transcript = transcript
        other_class = CohortFactory(programme=school.programme, name="Class B")
        other_teacher = UserFactory(username="class.b.teacher", roles=["Teachers"])
        other_class.teachers.add(other_teacher)
        self.recruiter = UserFactory(username="recruiter", roles=["Employers"])
        former = UserFactory(username="former.employer", roles=["Employers"])
        services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
        grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=former)
        services.revoke_grant(grant=grant, student=school.student)
        _link, self.token = services.create_link(
            transcript=transcript, student=school.student, expires_at=timezone.now() + timedelta(days=7)
        )
        self.competency = school.trade
        self.users = {
            "owner": school.student,
            "other_student": school.other_student,
            "class_teacher": school.class_teacher,
            "other_teacher": other_teacher,
            "employer_with_grant": school.employer,
            "employer_without_grant": UserFactory(username="stranger.employer", roles=["Employers"]),
            "employer_after_grant_revoked": former,
            "link_holder": None,
            "anonymous": None,
            "admin": school.admin,
        }

    def request(self, role: str, action: str):
        client = client_for(self.users[role])
        pk = self.transcript.pk
        if action in READS:
            if role == "link_holder":
                names = {"view": "shared", "pdf": "shared_pdf", "credential": "shared_credential"}
                return client.get(reverse(f"transcripts:{names[action]}", args=[self.token]))
            names = {"view": "detail", "pdf": "pdf", "credential": "credential"}
            return client.get(reverse(f"transcripts:{names[action]}", args=[pk]))
        data = {
            "revoke": {"reason": "Issued for the wrong programme"},
            "grant": {"employer": self.recruiter.username},
            "link": {"label": "HR", "expires_at": (timezone.localdate() + timedelta(days=14)).isoformat()},
            "feedback": {"competency": self.competency.pk, "importance": 4, "comment": ""},
        }[action]
        names = {"revoke": "revoke", "grant": "grant", "link": "create_link", "feedback": "feedback"}
        return client.post(reverse(f"transcripts:{names[action]}", args=[pk]), data)


@pytest.fixture
def actors(school, transcript) -> Actors:
    return Actors(school, transcript)


@pytest.mark.parametrize(("role", "action", "expected"), MATRIX)
def test_transcript_permission_matrix(actors, role, action, expected):
    response = actors.request(role, action)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected
        if expected == 302:
            assert response["Location"].startswith(reverse("transcripts:detail", args=[actors.transcript.pk]))


def test_the_link_page_refuses_every_write(actors):
    response = client_for(None).post(reverse("transcripts:shared", args=[actors.token]), {"reason": "x"})
    assert response.status_code == 405


def test_a_transcript_that_does_not_exist_answers_as_one_that_is_not_yours(actors, school):
    missing = actors.transcript.pk + 1000
    response = client_for(school.other_student).get(reverse("transcripts:detail", args=[missing]))
    assert response.status_code == 404
