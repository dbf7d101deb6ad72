"""The /compete/ pages: who sees and does what (404 for "not yours"), versions, downloads, query budgets."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competitions.models import Submission, TeamMembership
from competitions.services.submissions import submit
from lms.services import grant_course_section
from tests.competitions.factories import (
    competition_with_task,
    mentor_user,
    round_page,
    student_user,
    task,
    teacher_user,
    team,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LOGIN = reverse("wagtailadmin_login")


@pytest.fixture
def stage():
    return competition_with_task()


@pytest.fixture
def people(stage):
    advisor = teacher_user()
    organiser = teacher_user()
    grant_course_section(section=stage.index)
    return {
        "captain": student_user(),
        "member": student_user(),
        "other_student": student_user(),
        "advisor": advisor,
        "mentor": mentor_user(),
        "organiser": organiser,
        "judge": UserFactory(roles=["Judges"]),  # a judge not assigned to this team
    }


@pytest.fixture
def entry(stage, people):
    return team(
        competition=stage.competition,
        captain=people["captain"],
        members=[people["member"]],
        name="Silk Road Sellers",
        advisor=people["advisor"],
        mentor=people["mentor"],
    )


@pytest.fixture
def submission(stage, entry, people):
    return submit(
        team=entry,
        task=stage.task,
        submitted_by=people["captain"],
        body_html="<p>Our <b>listing</b><script>alert(1)</script></p>",
        file=SimpleUploadedFile("Listing report.pdf", PDF),
        link="https://shop.example.com/item/42",
    )


def client_for(people, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def url_for(action, *, entry, stage, submission) -> str:
    return {
        "view_team": reverse("participation:team", args=[entry.pk]),
        "view_submission": reverse("participation:submission", args=[submission.pk]),
        "download_file": reverse("participation:submission_file", args=[submission.pk]),
        "submit": reverse("participation:submit", args=[entry.pk, stage.task.pk]),
    }[action]


SEE = ["view_team", "view_submission", "download_file"]
PERMISSIONS = (
    [("captain", action, 200) for action in [*SEE, "submit"]]
    + [("member", action, 200) for action in [*SEE, "submit"]]
    + [("advisor", action, 200) for action in SEE]
    + [("mentor", action, 200) for action in SEE]
    + [("organiser", action, 200) for action in SEE]
    + [(role, "submit", 404) for role in ("advisor", "mentor", "organiser")]
    + [(role, action, 404) for role in ("other_student", "judge") for action in [*SEE, "submit"]]
    + [("anonymous", action, 302) for action in [*SEE, "submit"]]
)


@pytest.mark.parametrize(("role", "action", "expected"), PERMISSIONS)
def test_who_may_see_and_submit(people, stage, entry, submission, role, action, expected):
    response = client_for(people, role).get(url_for(action, entry=entry, stage=stage, submission=submission))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ["other_student", "advisor", "organiser"])
def test_others_cannot_post_a_submission(people, stage, entry, role):
    url = reverse("participation:submit", args=[entry.pk, stage.task.pk])
    response = client_for(people, role).post(url, {"body": "<p>Not ours</p>"})
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_anonymous_post_is_sent_to_log_in(people, stage, entry):
    url = reverse("participation:submit", args=[entry.pk, stage.task.pk])
    response = Client().post(url, {"body": "<p>x</p>"})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not Submission.objects.exists()


def test_a_member_submits_through_the_form(people, stage, entry):
    client = client_for(people, "member")
    url = reverse("participation:submit", args=[entry.pk, stage.task.pk])
    response = client.post(url, {"body": "<p>Done</p>", "file": SimpleUploadedFile("plan.pdf", PDF), "link": ""})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participation:submission", args=[submission.pk])
    assert submission.original_filename == "plan.pdf"
    assert submission.submitted_by == people["member"]


def test_a_refused_file_is_explained_on_the_form(people, stage, entry):
    client = client_for(people, "member")
    url = reverse("participation:submit", args=[entry.pk, stage.task.pk])
    response = client.post(url, {"file": SimpleUploadedFile("report.pdf", b"<html><body>hi</body></html>")})
    assert response.status_code == 200
    assert "HTML" in response.content.decode()
    assert not Submission.objects.exists()


def test_submitting_needs_the_csrf_token(people, stage, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["member"])
    url = reverse("participation:submit", args=[entry.pk, stage.task.pk])
    assert client.post(url, {"body": "<p>x</p>"}).status_code == 403


def test_leaving_is_post_only(people, entry):
    client = client_for(people, "member")
    url = reverse("participation:leave_team", args=[entry.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert TeamMembership.objects.get(team=entry, student=people["member"]).left_at is not None


def test_both_versions_stay_viewable(people, stage, entry, submission):
    second = submit(team=entry, task=stage.task, submitted_by=people["member"], body_html="<p>Second try</p>")
    client = client_for(people, "captain")
    first_page = client.get(reverse("participation:submission", args=[submission.pk])).content.decode()
    second_page = client.get(reverse("participation:submission", args=[second.pk])).content.decode()
    assert "<b>listing</b>" in first_page
    assert "Second try" in second_page
    for page in (first_page, second_page):
        assert "Version 1" in page and "Version 2" in page
    organiser_page = client_for(people, "organiser").get(reverse("participation:submission", args=[submission.pk]))
    assert organiser_page.status_code == 200


def test_the_submission_page_shows_sanitised_text_and_never_the_media_url(people, submission):
    body = client_for(people, "captain").get(reverse("participation:submission", args=[submission.pk])).content
    body = body.decode()
    assert "alert(1)" not in body
    assert "/media/" not in body
    assert reverse("participation:submission_file", args=[submission.pk]) in body
    assert "https://shop.example.com/item/42" in body


def test_the_file_is_downloaded_under_its_original_name(people, submission):
    response = client_for(people, "member").get(reverse("participation:submission_file", args=[submission.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="Listing report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_submission_without_a_file_has_no_download(people, stage, entry):
    text_only = submit(team=entry, task=stage.task, submitted_by=people["captain"], body_html="<p>x</p>")
    url = reverse("participation:submission_file", args=[text_only.pk])
    assert client_for(people, "captain").get(url).status_code == 404


def test_the_invitation_code_is_shown_to_members_only(people, entry):
    url = reverse("participation:team", args=[entry.pk])
    assert entry.invite_code in client_for(people, "member").get(url).content.decode()
    for role in ("advisor", "organiser"):
        assert entry.invite_code not in client_for(people, role).get(url).content.decode()


def test_a_student_creates_a_team_and_another_joins_it(people, stage):
    creator = client_for(people, "other_student")
    response = creator.post(
        reverse("participation:create_team", args=[stage.competition.pk]),
        {"name": "Night Owls", "advisor": people["advisor"].pk, "mentor": ""},
    )
    made = TeamMembership.objects.get(student=people["other_student"]).team
    assert response.status_code == 302 and response.url == reverse("participation:team", args=[made.pk])
    assert made.advisor == people["advisor"]
    joiner = student_user()
    client = Client()
    client.force_login(joiner)
    response = client.post(reverse("participation:join_team"), {"invite_code": made.invite_code})
    assert response.status_code == 302
    assert TeamMembership.objects.filter(team=made, student=joiner, left_at__isnull=True).exists()


def test_a_wrong_code_is_explained(people):
    response = client_for(people, "other_student").post(reverse("participation:join_team"), {"invite_code": "nope"})
    assert response.status_code == 200
    assert "No team has this invitation code" in response.content.decode()


def test_my_teams_lists_current_teams_and_open_competitions(people, stage, entry):
    body = client_for(people, "member").get(reverse("participation:my_teams")).content.decode()
    assert "Silk Road Sellers" in body
    assert stage.competition.title in body
    assert reverse("participation:create_team", args=[stage.competition.pk]) in body


def test_my_teams_needs_a_login():
    response = Client().get(reverse("participation:my_teams"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_captain_changes_the_advisor(people, entry):
    new_advisor = teacher_user()
    response = client_for(people, "captain").post(
        reverse("participation:supervisors", args=[entry.pk]), {"advisor": new_advisor.pk, "mentor": ""}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.advisor == new_advisor and entry.mentor is None


def test_a_closed_round_offers_no_submit_link(people, stage, entry):
    now = timezone.now()
    closed = round_page(
        competition=stage.competition,
        title="Closed round",
        opens_at=now - timedelta(days=5),
        submission_deadline=now - timedelta(days=1),
    )
    closed_task = task(round_page=closed, title="Archived task")
    body = client_for(people, "member").get(reverse("participation:team", args=[entry.pk])).content.decode()
    assert "Archived task" in body
    assert reverse("participation:submit", args=[entry.pk, closed_task.pk]) not in body
    assert reverse("participation:submit", args=[entry.pk, stage.task.pk]) in body


def fill_with_work(stage, *, tasks: int, versions: int):
    """A team whose round has ``tasks`` tasks, each with ``versions`` versions submitted."""
    captain = student_user()
    made = team(competition=stage.competition, captain=captain, members=[student_user()], advisor=teacher_user())
    all_tasks = [stage.task] + [task(round_page=stage.round, title=f"Task {i}") for i in range(tasks - 1)]
    for each in all_tasks:
        for version in range(versions):
            submit(team=made, task=each, submitted_by=captain, body_html=f"<p>v{version}</p>")
    return made, captain


def test_team_page_queries_do_not_grow_with_submissions(django_assert_num_queries):
    small_stage, large_stage = competition_with_task(), competition_with_task()
    small, small_captain = fill_with_work(small_stage, tasks=5, versions=1)  # 5 submissions
    large, large_captain = fill_with_work(large_stage, tasks=10, versions=5)  # 50 submissions
    small_client, large_client = Client(), Client()
    small_client.force_login(small_captain)
    large_client.force_login(large_captain)
    small_url = reverse("participation:team", args=[small.pk])
    large_url = reverse("participation:team", args=[large.pk])
    small_client.get(small_url)  # warm the site-root and settings caches
    large_client.get(large_url)
    with CaptureQueriesContext(connection) as small_queries:
        assert small_client.get(small_url).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        response = large_client.get(large_url)
    assert response.status_code == 200
    assert response.content.decode().count("Version 5 of 5") == 10


def test_the_create_team_form_is_not_offered_after_registration_closes(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.competitions.judging_fixtures import build_round
    from tests.factories import UserFactory

    competition = build_round().competition
    competition.registration_opens = timezone.now() - timedelta(days=20)
    competition.registration_closes = timezone.now() - timedelta(days=1)
    competition.save_revision().publish()
    client.force_login(UserFactory(roles=["Students"]))
    response = client.get(f"/compete/{competition.pk}/teams/new/", follow=True)
    body = response.content.decode()
    assert "teams can no longer change" in body
    assert 'name="name"' not in body


def test_after_registration_closes_the_team_page_offers_no_leaving_or_supervisor_change(client):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from tests.competitions.judging_fixtures import build_round, make_team
    from tests.factories import UserFactory

    setup = build_round()
    captain = UserFactory(roles=["Students"])
    team = make_team(setup, members=[captain])
    team.memberships.filter(student=captain).update(is_captain=True)
    client.force_login(captain)
    url = reverse("participation:team", args=[team.pk])
    open_body = client.get(url).content.decode()
    assert "Leave the team" in open_body and "Change advisor or mentor" in open_body
    competition = setup.competition
    competition.registration_opens = timezone.now() - timedelta(days=20)
    competition.registration_closes = timezone.now() - timedelta(days=1)
    competition.save()
    closed_body = client.get(url).content.decode()
    assert "Leave the team" not in closed_body
    assert "Change advisor or mentor" not in closed_body
