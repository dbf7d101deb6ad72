"""Forming teams: registration window, size bounds, one team per competition, captaincy, supervisors, rights."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from freezegun import freeze_time

from competitions.models import TeamMembership
from competitions.permissions import teams_user_may_submit_for, teams_user_may_view
from competitions.services.teams import (
    create_team,
    join_team,
    leave_team,
    regenerate_invite_code,
    set_supervisors,
)
from lms.services import grant_course_section
from tests.competitions.factories import (
    competition_index,
    competition_page,
    mentor_user,
    student_user,
    teacher_user,
    team,
)

pytestmark = pytest.mark.django_db


def may_submit(user, made) -> bool:
    return teams_user_may_submit_for(user).filter(pk=made.pk).exists()


def may_view(user, made) -> bool:
    return teams_user_may_view(user).filter(pk=made.pk).exists()


def current_members(made) -> set:
    return set(TeamMembership.objects.filter(team=made, left_at__isnull=True).values_list("student_id", flat=True))


@pytest.fixture
def competition():
    return competition_page(min_team_size=2, max_team_size=3)


def test_creator_becomes_captain_and_can_submit(competition):
    creator = student_user()
    made = create_team(competition=competition, name="Silk Road Sellers", created_by=creator)
    membership = TeamMembership.objects.get(team=made)
    assert membership.student == creator
    assert membership.is_captain
    assert may_submit(creator, made)


def test_only_students_can_create_a_team(competition):
    with pytest.raises(ValidationError, match="Only students"):
        create_team(competition=competition, name="Teachers' team", created_by=teacher_user())


def test_team_names_are_unique_within_a_competition(competition):
    create_team(competition=competition, name="Silk Road Sellers", created_by=student_user())
    with pytest.raises(ValidationError, match="already exists"):
        create_team(competition=competition, name="silk road sellers", created_by=student_user())


def test_no_team_is_created_before_registration_opens(competition):
    with (
        freeze_time(competition.registration_opens - timedelta(seconds=1)),
        pytest.raises(ValidationError, match="opens on"),
    ):
        create_team(competition=competition, name="Early", created_by=student_user())


def test_no_team_is_created_once_registration_has_closed(competition):
    # The window is half-open: registration_closes itself is already too late.
    with freeze_time(competition.registration_closes), pytest.raises(ValidationError, match="closed on"):
        create_team(competition=competition, name="Late", created_by=student_user())


def test_a_student_joins_with_the_invitation_code_and_gains_rights(competition):
    made = team(competition=competition)
    joiner = student_user()
    assert not may_submit(joiner, made)
    membership = join_team(invite_code=made.invite_code, student=joiner)
    assert membership.team == made
    assert not membership.is_captain
    assert may_submit(joiner, made)
    assert may_view(joiner, made)


def test_an_unknown_code_is_refused(competition):
    team(competition=competition)
    with pytest.raises(ValidationError, match="No team has this invitation code"):
        join_team(invite_code="not-a-code", student=student_user())


def test_joining_a_full_team_is_refused(competition):
    # max_team_size is 3: captain + 2 joiners fill it.
    made = team(competition=competition, members=[student_user(), student_user()])
    with pytest.raises(ValidationError, match="is full"):
        join_team(invite_code=made.invite_code, student=student_user())
    assert len(current_members(made)) == 3


def test_joining_after_registration_closes_is_refused(competition):
    made = team(competition=competition)
    with (
        freeze_time(competition.registration_closes + timedelta(minutes=1)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        join_team(invite_code=made.invite_code, student=student_user())


def test_a_student_is_in_only_one_current_team_per_competition(competition):
    student = student_user()
    team(competition=competition, captain=student)
    other = team(competition=competition)
    with pytest.raises(ValidationError, match="already in a team"):
        join_team(invite_code=other.invite_code, student=student)
    with pytest.raises(ValidationError, match="already in a team"):
        create_team(competition=competition, name="Second", created_by=student)


def test_a_student_may_be_in_teams_of_different_competitions(competition):
    student = student_user()
    team(competition=competition, captain=student)
    elsewhere = team(competition=competition_page(index=competition_index()))
    join_team(invite_code=elsewhere.invite_code, student=student)
    assert student.pk in current_members(elsewhere)


def test_only_students_can_join(competition):
    made = team(competition=competition)
    with pytest.raises(ValidationError, match="Only students"):
        join_team(invite_code=made.invite_code, student=mentor_user())


def test_leaving_ends_the_membership_and_its_rights(competition):
    member = student_user()
    made = team(competition=competition, members=[member])
    left = leave_team(team=made, student=member)
    assert left.left_at is not None
    assert TeamMembership.objects.filter(team=made, student=member).count() == 1  # kept, not deleted
    assert not may_submit(member, made)
    assert not may_view(member, made)


def test_a_leaving_captain_hands_over_to_the_longest_standing_member(competition):
    captain, first, second = student_user(), student_user(), student_user()
    made = team(competition=competition, captain=captain, members=[first, second])
    leave_team(team=made, student=captain)
    captains = TeamMembership.objects.filter(team=made, left_at__isnull=True, is_captain=True)
    assert list(captains.values_list("student", flat=True)) == [first.pk]


def test_the_last_member_leaving_withdraws_the_team(competition):
    captain = student_user()
    made = team(competition=competition, captain=captain)
    leave_team(team=made, student=captain)
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    with pytest.raises(ValidationError, match="No team has this invitation code"):
        join_team(invite_code=made.invite_code, student=student_user())


def test_a_student_who_left_may_join_another_team(competition):
    student = student_user()
    first = team(competition=competition, members=[student])
    second = team(competition=competition)
    leave_team(team=first, student=student)
    join_team(invite_code=second.invite_code, student=student)
    assert student.pk in current_members(second)


def test_leaving_after_registration_closes_is_refused(competition):
    member = student_user()
    made = team(competition=competition, members=[member])
    with (
        freeze_time(competition.registration_closes + timedelta(days=1)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        leave_team(team=made, student=member)


def test_a_non_member_cannot_leave(competition):
    made = team(competition=competition)
    with pytest.raises(ValidationError, match="not a member"):
        leave_team(team=made, student=student_user())


def test_the_advisor_must_be_a_teacher_and_the_mentor_an_enterprise_mentor(competition):
    with pytest.raises(ValidationError, match="advisor must be a teacher"):
        create_team(competition=competition, name="A", created_by=student_user(), advisor=mentor_user())
    with pytest.raises(ValidationError, match="mentor must be an enterprise mentor"):
        create_team(competition=competition, name="B", created_by=student_user(), mentor=teacher_user())


def test_supervisors_named_at_creation_see_the_work_but_cannot_submit(competition):
    advisor, mentor = teacher_user(), mentor_user()
    made = team(competition=competition, advisor=advisor, mentor=mentor)
    assert may_view(advisor, made) and may_view(mentor, made)
    assert not may_submit(advisor, made) and not may_submit(mentor, made)


def test_changing_supervisors_moves_the_view_right(competition):
    captain = student_user()
    old_advisor, new_advisor, mentor = teacher_user(), teacher_user(), mentor_user()
    made = team(competition=competition, captain=captain, advisor=old_advisor)
    set_supervisors(team=made, advisor=new_advisor, mentor=mentor, changed_by=captain)
    made.refresh_from_db()
    assert (made.advisor, made.mentor) == (new_advisor, mentor)
    assert not may_view(old_advisor, made)
    assert may_view(new_advisor, made) and may_view(mentor, made)


def test_only_the_captain_or_an_organiser_changes_supervisors(competition):
    member = student_user()
    made = team(competition=competition, members=[member])
    with pytest.raises(ValidationError, match="Only the team's captain"):
        set_supervisors(team=made, advisor=teacher_user(), mentor=None, changed_by=member)
    organiser = teacher_user()
    grant_course_section(section=competition.get_parent())
    advisor = teacher_user()
    with freeze_time(competition.registration_closes + timedelta(days=1)):  # organisers are not bound by the window
        set_supervisors(team=made, advisor=advisor, mentor=None, changed_by=organiser)
    made.refresh_from_db()
    assert made.advisor == advisor


def test_the_captain_changes_supervisors_only_while_registration_is_open(competition):
    captain = student_user()
    made = team(competition=competition, captain=captain)
    with (
        freeze_time(competition.registration_closes + timedelta(days=1)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        set_supervisors(team=made, advisor=teacher_user(), mentor=None, changed_by=captain)


def test_a_new_invitation_code_replaces_the_old_one(competition):
    captain = student_user()
    made = team(competition=competition, captain=captain)
    old_code = made.invite_code
    regenerate_invite_code(team=made, by=captain)
    made.refresh_from_db()
    assert made.invite_code != old_code
    with pytest.raises(ValidationError, match="No team has this invitation code"):
        join_team(invite_code=old_code, student=student_user())
    join_team(invite_code=made.invite_code, student=student_user())


def test_only_the_captain_makes_a_new_invitation_code(competition):
    member = student_user()
    made = team(competition=competition, members=[member])
    with pytest.raises(ValidationError, match="Only the team's captain"):
        regenerate_invite_code(team=made, by=member)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_joins_cannot_take_a_team_past_its_largest_size():
    # Largest team 3; the captain is in, so of four students joining at once exactly two get in.
    competition = competition_page(max_team_size=3)
    made = team(competition=competition)
    joiners = [student_user() for _ in range(4)]
    barrier = threading.Barrier(len(joiners))
    outcomes: list[str] = []

    def attempt(student):
        try:
            barrier.wait()
            join_team(invite_code=made.invite_code, student=student)
            outcomes.append("joined")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(student,)) for student in joiners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["joined", "joined", "refused", "refused"]
    assert len(current_members(made)) == 3


def test_my_teams_counts_every_current_member_not_just_me(db):
    from competitions.selectors.teams import teams_of_student
    from tests.competitions.judging_fixtures import build_round, make_team
    from tests.factories import UserFactory

    setup = build_round()
    me, *others = (UserFactory(roles=["Students"]) for _ in range(3))
    make_team(setup, members=[me, *others])
    assert [team.member_count for team in teams_of_student(student=me)] == [3]
