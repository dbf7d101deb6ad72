"""Reads behind the students' pages: their teams, a team's members and tasks, and its submissions."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from competitions.models import CompetitionPage, LatePolicy, RoundPage, Submission, Task, Team, TeamMembership
from courses.roles import MENTORS, TEACHERS


def people_in_role(group_name: str) -> QuerySet:
    return get_user_model().objects.filter(groups__name=group_name, is_active=True).order_by("last_name", "first_name")


def advisor_candidates() -> QuerySet:
    return people_in_role(TEACHERS)


def mentor_candidates() -> QuerySet:
    return people_in_role(MENTORS)


def current_memberships() -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(left_at__isnull=True)


def current_member_count(*, team: Team) -> int:
    return current_memberships().filter(team=team).count()


def current_team_of(*, student: AbstractBaseUser, competition: CompetitionPage) -> Team | None:
    """The team a student is in now for a competition (at most one)."""
    membership = (
        current_memberships()
        .filter(student=student, team__competition=competition, team__withdrawn_at__isnull=True)
        .select_related("team")
        .first()
    )
    return membership.team if membership else None


#: Counted in a subquery: filtering the joined memberships to this student would otherwise count only them.
_current_member_count = (
    TeamMembership.objects.filter(team=OuterRef("pk"), left_at__isnull=True)
    .values("team")
    .annotate(n=Count("pk"))
    .values("n")
)


def teams_of_student(*, student: AbstractBaseUser) -> QuerySet[Team]:
    """The teams a student is in now, newest competition first, with their size."""
    return (
        Team.objects.filter(memberships__student=student, memberships__left_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("competition", "advisor", "mentor")
        .annotate(member_count=Coalesce(Subquery(_current_member_count, output_field=IntegerField()), 0))
        .order_by("-competition__registration_opens", "name")
    )


def _when(moment: datetime) -> str:
    """A moment in messages: 2026-04-01 09:00 reads the same in English and Chinese and ends no sentence early."""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def registration_closed_reason(*, competition: CompetitionPage, at=None) -> str:
    """Why teams cannot form or change now ("" while registration is open)."""
    now = at or timezone.now()
    if now < competition.registration_opens:
        return _("Registration for “%(competition)s” opens on %(when)s.") % {
            "competition": competition.title,
            "when": _when(competition.registration_opens),
        }
    if now >= competition.registration_closes:
        return _("Registration for “%(competition)s” closed on %(when)s; teams can no longer change.") % {
            "competition": competition.title,
            "when": _when(competition.registration_closes),
        }
    return ""


def competitions_open_for_registration(*, at=None) -> QuerySet[CompetitionPage]:
    now = at or timezone.now()
    return (
        CompetitionPage.objects.live()
        .public()
        .filter(registration_opens__lte=now, registration_closes__gt=now)
        .order_by("registration_closes", "title")
    )


def team_detail(*, team_id: int) -> QuerySet[Team]:
    """One team with its supervisors and current members (``team.current_members``), in two queries."""
    return (
        Team.objects.filter(pk=team_id)
        .select_related("competition", "advisor", "mentor")
        .prefetch_related(
            Prefetch(
                "memberships",
                current_memberships().select_related("student").order_by("joined_at", "pk"),
                to_attr="current_members",
            )
        )
    )


def live_rounds(*, competition: CompetitionPage) -> QuerySet[RoundPage]:
    return RoundPage.objects.live().child_of(competition).order_by("path")


def open_tasks(*, competition: CompetitionPage) -> QuerySet[Task]:
    """Tasks of the competition's published rounds, in round and task order."""
    return (
        Task.objects.filter(round__in=live_rounds(competition=competition).values("pk"))
        .select_related("round")
        .order_by("round__path", "sort_order", "pk")
    )


def _later_version_exists() -> Exists:
    return Exists(
        Submission.objects.filter(team=OuterRef("team"), task=OuterRef("task"), version__gt=OuterRef("version"))
    )


def latest_submissions(*, team: Team) -> QuerySet[Submission]:
    """The newest version of the team's work on each task, with how many versions there are."""
    version_count = (
        Submission.objects.filter(team=OuterRef("team"), task=OuterRef("task"))
        .order_by()
        .values("task")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Submission.objects.filter(team=team)
        .exclude(_later_version_exists())
        .select_related("task", "submitted_by")
        .annotate(version_count=Coalesce(Subquery(version_count, output_field=IntegerField()), 0))
        .order_by("task__round__path", "task__sort_order")
    )


def submission_history(*, team: Team, task: Task) -> QuerySet[Submission]:
    """Every version of a team's work on one task, newest first; nothing is ever removed from it."""
    return Submission.objects.filter(team=team, task=task).select_related("submitted_by").order_by("-version")


@dataclass(frozen=True)
class SubmissionWindow:
    """Whether a round takes submissions at a moment, and on what terms."""

    is_open: bool
    is_late: bool = False
    late_penalty_percent: Decimal = Decimal("0")
    reason: str = ""


def submission_window(*, round_page: RoundPage, at: datetime | None = None) -> SubmissionWindow:
    """The round's late policy applied to a moment (now by default).

    On time up to and including ``submission_deadline``. After it: ``refuse`` closes the round; ``flag`` and
    ``penalise`` accept until ``late_deadline`` (inclusive) and mark the work late, ``penalise`` with the round's
    penalty. A round with a late policy but no late deadline takes nothing late.
    """
    now = at or timezone.now()
    if now < round_page.opens_at:
        return SubmissionWindow(False, reason=_("This round opens on %(when)s.") % {"when": _when(round_page.opens_at)})
    if now <= round_page.submission_deadline:
        return SubmissionWindow(True)
    closed = SubmissionWindow(
        False,
        reason=_("The deadline for this round passed on %(when)s.") % {"when": _when(round_page.submission_deadline)},
    )
    if round_page.late_policy == LatePolicy.REFUSE or round_page.late_deadline is None:
        return closed
    if now > round_page.late_deadline:
        return SubmissionWindow(
            False,
            reason=_("The late deadline for this round passed on %(when)s.")
            % {"when": _when(round_page.late_deadline)},
        )
    if round_page.late_policy == LatePolicy.PENALISE:
        return SubmissionWindow(True, is_late=True, late_penalty_percent=round_page.late_penalty_percent)
    return SubmissionWindow(True, is_late=True)


@dataclass
class TaskEntry:
    task: Task
    latest: Submission | None


@dataclass
class RoundEntry:
    round: RoundPage
    window: SubmissionWindow
    tasks: list[TaskEntry] = field(default_factory=list)


def team_task_board(*, team: Team) -> list[RoundEntry]:
    """The competition's published rounds, each with its tasks and the team's latest submission: three queries."""
    now = timezone.now()
    rounds = {
        round_page.pk: RoundEntry(round_page, submission_window(round_page=round_page, at=now))
        for round_page in live_rounds(competition=team.competition)
    }
    latest = {submission.task_id: submission for submission in latest_submissions(team=team)}
    for task in open_tasks(competition=team.competition):
        entry = rounds.get(task.round_id)
        if entry is not None:
            entry.tasks.append(TaskEntry(task, latest.get(task.pk)))
    return list(rounds.values())


def entries_of_student(*, student: AbstractBaseUser) -> QuerySet[Submission]:
    """The newest version of every entry of teams the student is or was in, for linking from a portfolio."""
    team_ids = TeamMembership.objects.filter(student=student).values("team_id")
    return (
        Submission.objects.filter(team_id__in=team_ids)
        .exclude(_later_version_exists())
        .select_related("team__competition", "task")
        .order_by("-submitted_at")
    )
