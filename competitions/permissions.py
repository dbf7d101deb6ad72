"""Who may do what in competitions.

- Organisers of a competition are the people who may edit its page (Wagtail page permissions).
- Team members hold guardian object permissions on their team (``submit_for_team``, ``view_team_work``),
  granted when they join and removed when they leave; advisors and mentors hold ``view_team_work``.
- Judges hold ``score_entry`` on each of their active assignments; recusal removes it.

Gate functions fetch one protected object for a user and answer 404 for both "does not exist" and "not yours".
Each condition is on its own line.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from competitions.models import CompetitionPage, JudgeAssignment, RoundPage, Submission, Team

SUBMIT = "competitions.submit_for_team"
VIEW_WORK = "competitions.view_team_work"
SCORE = "competitions.score_entry"


def is_organiser(user: AbstractBaseUser, competition: CompetitionPage) -> bool:
    if not user.is_authenticated:
        return False
    return competition.permissions_for_user(user).can_edit()


def teams_user_may_submit_for(user: AbstractBaseUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return get_objects_for_user(
        user, SUBMIT, Team.objects.filter(withdrawn_at__isnull=True), accept_global_perms=False, with_superuser=False
    )


def teams_user_may_view(user: AbstractBaseUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return get_objects_for_user(user, VIEW_WORK, Team.objects.all(), accept_global_perms=False, with_superuser=False)


def assignments_for_judge(user: AbstractBaseUser) -> QuerySet[JudgeAssignment]:
    if not user.is_authenticated:
        return JudgeAssignment.objects.none()
    return get_objects_for_user(
        user,
        SCORE,
        JudgeAssignment.objects.filter(recused_at__isnull=True),
        accept_global_perms=False,
        with_superuser=False,
    )


def access_team(user: AbstractBaseUser, pk: int) -> Team:
    """A team the user belongs to, advises or mentors, or organises."""
    team = get_object_or_404(Team.objects.select_related("competition"), pk=pk)
    if teams_user_may_view(user).filter(pk=team.pk).exists():
        return team
    if is_organiser(user, team.competition):
        return team
    raise Http404


def access_team_for_submitting(user: AbstractBaseUser, pk: int) -> Team:
    return get_object_or_404(teams_user_may_submit_for(user).select_related("competition"), pk=pk)


def access_submission(user: AbstractBaseUser, pk: int) -> Submission:
    """A submission its team, its organisers, or a judge assigned to that entry may see."""
    submission = get_object_or_404(Submission.objects.select_related("team__competition", "task__round"), pk=pk)
    if teams_user_may_view(user).filter(pk=submission.team_id).exists():
        return submission
    if is_organiser(user, submission.team.competition):
        return submission
    if assignments_for_judge(user).filter(team_id=submission.team_id, task_id=submission.task_id).exists():
        return submission
    raise Http404


def access_assignment(user: AbstractBaseUser, pk: int) -> JudgeAssignment:
    return get_object_or_404(assignments_for_judge(user).select_related("task__round", "team__competition"), pk=pk)


def access_round_as_organiser(user: AbstractBaseUser, pk: int) -> RoundPage:
    round_page = get_object_or_404(RoundPage, pk=pk)
    if not is_organiser(user, round_page.competition):
        raise Http404
    return round_page


def grant_membership_rights(*, team: Team, student: AbstractBaseUser) -> None:
    assign_perm(SUBMIT, student, team)
    assign_perm(VIEW_WORK, student, team)


def revoke_membership_rights(*, team: Team, student: AbstractBaseUser) -> None:
    remove_perm(SUBMIT, student, team)
    remove_perm(VIEW_WORK, student, team)


def grant_supervision_rights(*, team: Team, supervisor: AbstractBaseUser) -> None:
    """Advisors and mentors see their team's work but do not submit it."""
    assign_perm(VIEW_WORK, supervisor, team)


def revoke_supervision_rights(*, team: Team, supervisor: AbstractBaseUser) -> None:
    remove_perm(VIEW_WORK, supervisor, team)


def grant_scoring_rights(*, assignment: JudgeAssignment) -> None:
    assign_perm(SCORE, assignment.judge, assignment)


def revoke_scoring_rights(*, assignment: JudgeAssignment) -> None:
    remove_perm(SCORE, assignment.judge, assignment)
