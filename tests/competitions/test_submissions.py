"""Submitting work: versions, sanitised text, checked files, links, the round's late policy, team size."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from competitions.models import LatePolicy, Submission
from competitions.services.submissions import submit
from competitions.services.teams import leave_team
from tests.competitions.factories import (
    competition_index,
    competition_page,
    competition_with_task,
    round_page,
    student_user,
    task,
    team,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def stage():
    return competition_with_task()


@pytest.fixture
def captain():
    return student_user()


@pytest.fixture
def entry(stage, captain):
    return team(competition=stage.competition, captain=captain)


def late_round(stage, *, policy, penalty="0"):
    """A round whose deadline passed yesterday; late work is possible until tomorrow."""
    now = timezone.now()
    made = round_page(
        competition=stage.competition,
        title="Final",
        opens_at=now - timedelta(days=10),
        submission_deadline=now - timedelta(days=1),
        late_policy=policy,
        late_deadline=now + timedelta(days=1),
        late_penalty_percent=penalty,
    )
    return task(round_page=made, title="Customs documents")


def test_the_body_is_stored_sanitised(stage, entry, captain):
    submission = submit(
        team=entry,
        task=stage.task,
        submitted_by=captain,
        body_html='<p onclick="steal()">Listing <b>done</b><script>alert(1)</script><img src=x onerror=alert(1)></p>',
    )
    assert submission.body == "<p>Listing <b>done</b></p>"


def test_each_resubmission_is_a_new_version_and_earlier_ones_are_kept(stage, entry, captain):
    first = submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>Draft</p>")
    second = submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>Final</p>")
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.body == "<p>Draft</p>"
    assert Submission.objects.filter(team=entry, task=stage.task).count() == 2


def test_versions_are_counted_per_task(stage, entry, captain):
    other_task = task(round_page=stage.round, title="Buyer correspondence")
    submit(team=entry, task=stage.task, submitted_by=captain, link="https://shop.example.com/item/1")
    assert submit(team=entry, task=other_task, submitted_by=captain, link="https://example.com").version == 1


@pytest.mark.parametrize("body", ["", "   ", "<p> </p>", "<script>alert(1)</script>"])
def test_something_must_be_submitted(stage, entry, captain, body):
    with pytest.raises(ValidationError, match="Add some text, a file or a link"):
        submit(team=entry, task=stage.task, submitted_by=captain, body_html=body)


def test_a_file_is_stored_under_a_random_name_and_its_original_name_kept(stage, entry, captain):
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF)
    submission = submit(team=entry, task=stage.task, submitted_by=captain, file=upload)
    assert re.fullmatch(r"submissions/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", submission.file.name)
    assert submission.original_filename == "passwd.pdf"
    with submission.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_recorded(stage, entry, captain):
    upload = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="HTML"):
        submit(team=entry, task=stage.task, submitted_by=captain, file=upload)
    assert not Submission.objects.exists()


def test_gif_images_are_not_among_the_accepted_kinds(stage, entry, captain):
    upload = SimpleUploadedFile("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    with pytest.raises(ValidationError, match="cannot be uploaded here"):
        submit(team=entry, task=stage.task, submitted_by=captain, file=upload)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.com/x", "not a link"])
def test_links_must_be_web_addresses(stage, entry, captain, link):
    with pytest.raises(ValidationError, match="http"):
        submit(team=entry, task=stage.task, submitted_by=captain, link=link)


def test_only_current_members_submit(stage, entry):
    with pytest.raises(ValidationError, match="Only current members"):
        submit(team=entry, task=stage.task, submitted_by=student_user(), body_html="<p>x</p>")


def test_a_task_of_another_competition_is_refused(stage, entry, captain):
    elsewhere = competition_page(index=competition_index())
    foreign_task = task(round_page=round_page(competition=elsewhere))
    with pytest.raises(ValidationError, match="not part of your team's competition"):
        submit(team=entry, task=foreign_task, submitted_by=captain, body_html="<p>x</p>")


def test_a_team_below_the_smallest_size_cannot_submit(captain):
    stage = competition_with_task(min_team_size=2)
    entry = team(competition=stage.competition, captain=captain)
    with pytest.raises(ValidationError, match="needs at least 2 to submit"):
        submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>x</p>")


def test_a_team_that_reached_the_smallest_size_can_submit(captain):
    stage = competition_with_task(min_team_size=2)
    member = student_user()
    entry = team(competition=stage.competition, captain=captain, members=[member])
    assert submit(team=entry, task=stage.task, submitted_by=member, body_html="<p>x</p>").version == 1


def test_a_withdrawn_team_cannot_submit(stage, entry, captain):
    leave_team(team=entry, student=captain)
    with pytest.raises(ValidationError, match="withdrawn"):
        submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>x</p>")


def test_nothing_is_accepted_before_the_round_opens(stage, entry, captain):
    with freeze_time(stage.round.opens_at - timedelta(seconds=1)), pytest.raises(ValidationError, match="opens on"):
        submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>x</p>")


def test_work_at_the_deadline_itself_is_on_time(stage, entry, captain):
    with freeze_time(stage.round.submission_deadline):
        submission = submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>x</p>")
    assert not submission.is_late


def test_refuse_policy_turns_away_late_work(stage, entry, captain):
    with (
        freeze_time(stage.round.submission_deadline + timedelta(seconds=1)),
        pytest.raises(ValidationError, match="deadline for this round passed"),
    ):
        submit(team=entry, task=stage.task, submitted_by=captain, body_html="<p>x</p>")


def test_flag_policy_accepts_late_work_marked_late_without_penalty(stage, entry, captain):
    late_task = late_round(stage, policy=LatePolicy.FLAG, penalty="10")
    submission = submit(team=entry, task=late_task, submitted_by=captain, body_html="<p>x</p>")
    assert submission.is_late
    assert submission.late_penalty_percent == Decimal("0")


def test_penalise_policy_accepts_late_work_with_the_rounds_penalty(stage, entry, captain):
    late_task = late_round(stage, policy=LatePolicy.PENALISE, penalty="15.5")
    submission = submit(team=entry, task=late_task, submitted_by=captain, body_html="<p>x</p>")
    assert submission.is_late
    assert submission.late_penalty_percent == Decimal("15.50")


@pytest.mark.parametrize("policy", [LatePolicy.FLAG, LatePolicy.PENALISE])
def test_nothing_is_accepted_after_the_late_deadline(stage, entry, captain, policy):
    late_task = late_round(stage, policy=policy, penalty="10")
    with (
        freeze_time(late_task.round.late_deadline + timedelta(seconds=1)),
        pytest.raises(ValidationError, match="late deadline for this round passed"),
    ):
        submit(team=entry, task=late_task, submitted_by=captain, body_html="<p>x</p>")
