"""Judging: assigning judges (by hand or balanced automatically), conflicts of interest, recusal, scoring.

Rules:
- A judge must sit on the round's panel (``RoundJudge``) and have no conflict of interest with the team.
- Conflicts: the team's advisor, its enterprise mentor, a current or former member, and — when the competition
  excludes cohort teachers — a teacher of a class (``Cohort.teachers``) any current member is enrolled in.
- Nothing changes in a locked round (one with a finalisation not reopened).
- Scores are never updated: a change is a new row superseding the current one, with who and when. Two judges
  never touch the same rows; one judge in two tabs is caught by optimistic concurrency (``based_on``).

Permission to call these (organiser, or the judge themself) is checked by the views.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from competitions.models import (
    CompetitionPage,
    Criterion,
    JudgeAssignment,
    RoundJudge,
    RoundPage,
    Score,
    Task,
    Team,
    TeamMembership,
)
from competitions.permissions import grant_scoring_rights, revoke_scoring_rights
from competitions.selectors.judging import (
    competition_of,
    current_scores,
    is_round_locked,
    is_task_locked,
    round_entrants,
)
from courses.models import Cohort, Enrolment
from themes.templatetags.themes_tags import person_name

# --- Conflicts of interest -----------------------------------------------------------------------------------


def _conflicts(
    *, competition: CompetitionPage, teams: list[Team], judge_ids: set[int]
) -> dict[tuple[int, int], list[str]]:
    """(judge id, team id) → reasons, for every conflicted pair among ``teams`` × ``judge_ids``. Four queries."""
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    team_ids = [team.pk for team in teams]
    for team in teams:
        if team.advisor_id in judge_ids:
            reasons[(team.advisor_id, team.pk)].append(_("advises this team"))
        if team.mentor_id in judge_ids:
            reasons[(team.mentor_id, team.pk)].append(_("is this team's enterprise mentor"))
    current_members: dict[int, set[int]] = defaultdict(set)  # student → teams
    former: set[tuple[int, int]] = set()
    for team_id, student_id, left_at in TeamMembership.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "student_id", "left_at"
    ):
        if left_at is None:
            current_members[student_id].add(team_id)
        else:
            former.add((student_id, team_id))
    for student_id, member_of in current_members.items():
        for team_id in sorted(member_of):
            if student_id in judge_ids:
                reasons[(student_id, team_id)].append(_("is a member of this team"))
    for student_id, team_id in sorted(former):
        if student_id in judge_ids and team_id not in current_members.get(student_id, set()):
            reasons[(student_id, team_id)].append(_("was a member of this team"))
    if competition.exclude_cohort_teachers and current_members:
        taught: dict[int, list[tuple[int, str]]] = defaultdict(list)  # cohort → [(teacher, cohort name)]
        for cohort_id, teacher_id, cohort_name in (
            Cohort.teachers.through.objects.filter(user_id__in=judge_ids)
            .order_by("cohort_id", "user_id")
            .values_list("cohort_id", "user_id", "cohort__name")
        ):
            taught[cohort_id].append((teacher_id, cohort_name))
        if taught:
            seen: set[tuple[int, int, int]] = set()
            for cohort_id, student_id in (
                Enrolment.objects.filter(cohort_id__in=taught, student_id__in=current_members)
                .order_by("cohort_id", "student_id")
                .values_list("cohort_id", "student_id")
            ):
                for teacher_id, cohort_name in taught[cohort_id]:
                    for team_id in sorted(current_members[student_id]):
                        if (teacher_id, team_id, cohort_id) in seen:
                            continue
                        seen.add((teacher_id, team_id, cohort_id))
                        reasons[(teacher_id, team_id)].append(
                            _("teaches the class “%(cohort)s” of a team member") % {"cohort": cohort_name}
                        )
    return reasons


def conflicts_of_interest(*, judge: AbstractBaseUser, team: Team) -> list[str]:
    """Why ``judge`` may not judge ``team`` (empty when they may), in words an organiser understands."""
    return _conflicts(competition=team.competition, teams=[team], judge_ids={judge.pk}).get((judge.pk, team.pk), [])


# --- Assigning judges ----------------------------------------------------------------------------------------


def _refuse_if_locked(round_page: RoundPage) -> None:
    if is_round_locked(round_page=round_page):
        raise ValidationError(
            _("Round “%(round)s” is finalised; reopen it before changing its judging.") % {"round": round_page.title}
        )


def _lock_round(round_page: RoundPage) -> None:
    """Serialise assignment changes within one round (PostgreSQL row lock; SQLite serialises writes anyway)."""
    list(RoundPage.objects.select_for_update(of=("self",)).filter(pk=round_page.pk).values_list("pk", flat=True))


def _create_assignment(*, task: Task, team: Team, judge_id: int, assigned_by: AbstractBaseUser) -> JudgeAssignment:
    try:
        with transaction.atomic():
            assignment = JudgeAssignment.objects.create(
                task=task, team=team, judge_id=judge_id, assigned_by=assigned_by
            )
    except IntegrityError as error:
        raise ValidationError(_("This judge is already assigned to this entry.")) from error
    grant_scoring_rights(assignment=assignment)
    return assignment


def assign_judge(*, task: Task, team: Team, judge: AbstractBaseUser, assigned_by: AbstractBaseUser) -> JudgeAssignment:
    """Assign one judge to one team's entry for one task, and give them the right to score it."""
    round_page = task.round
    competition = competition_of(round_page)
    if team.competition_id != competition.pk:
        raise ValidationError(_("Team “%(team)s” is not in this competition.") % {"team": team.name})
    if team.withdrawn_at is not None:
        raise ValidationError(_("Team “%(team)s” has withdrawn.") % {"team": team.name})
    if not RoundJudge.objects.filter(round_id=round_page.pk, judge_id=judge.pk).exists():
        raise ValidationError(
            _("%(judge)s is not on the judging panel of “%(round)s”; add them to the round first.")
            % {"judge": person_name(judge), "round": round_page.title}
        )
    reasons = _conflicts(competition=competition, teams=[team], judge_ids={judge.pk}).get((judge.pk, team.pk))
    if reasons:
        raise ValidationError(
            _("%(judge)s cannot judge “%(team)s”: %(reasons)s.")
            % {"judge": person_name(judge), "team": team.name, "reasons": "; ".join(reasons)}
        )
    with transaction.atomic():
        _lock_round(round_page)
        _refuse_if_locked(round_page)
        return _create_assignment(task=task, team=team, judge_id=judge.pk, assigned_by=assigned_by)


@dataclass(frozen=True)
class UnderstaffedEntry:
    task: Task
    team: Team
    wanted: int
    assigned: int  # active judges after assignment

    def message(self) -> str:
        return _("“%(team)s” · %(task)s: %(assigned)s of %(wanted)s judges (no other judge without a conflict).") % {
            "team": self.team.name,
            "task": self.task.title,
            "assigned": self.assigned,
            "wanted": self.wanted,
        }


@dataclass
class AssignmentReport:
    """What automatic assignment did: the new assignments, and the entries it could not fully staff."""

    created: list[JudgeAssignment] = field(default_factory=list)
    understaffed: list[UnderstaffedEntry] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.understaffed


class _Panel:
    """The round's panel, current loads and which judges each entry has had, for choosing judges."""

    def __init__(self, *, round_page: RoundPage, competition: CompetitionPage, teams: list[Team]):
        self.judge_ids = list(
            RoundJudge.objects.filter(round=round_page).order_by("judge_id").values_list("judge_id", flat=True)
        )
        self.load: dict[int, int] = dict.fromkeys(self.judge_ids, 0)
        for judge_id, count in (
            JudgeAssignment.objects.filter(task__round=round_page, recused_at__isnull=True)
            .order_by()
            .values("judge_id")
            .annotate(n=Count("pk"))
            .values_list("judge_id", "n")
        ):
            self.load[judge_id] = count
        self.active: dict[tuple[int, int], set[int]] = defaultdict(set)  # (task, team) → active judges
        self.ever: dict[tuple[int, int], set[int]] = defaultdict(set)  # (task, team) → every judge, recused too
        for task_id, team_id, judge_id, recused_at in JudgeAssignment.objects.filter(
            task__round=round_page, team_id__in=[team.pk for team in teams]
        ).values_list("task_id", "team_id", "judge_id", "recused_at"):
            self.ever[(task_id, team_id)].add(judge_id)
            if recused_at is None:
                self.active[(task_id, team_id)].add(judge_id)
        self.conflicts = _conflicts(competition=competition, teams=teams, judge_ids=set(self.judge_ids))

    def best(self, *, task_id: int, team_id: int, count: int) -> list[int]:
        """Up to ``count`` judges: on the panel, not conflicted, never on this entry; fewest assignments first,
        then lowest id."""
        candidates = [
            judge_id
            for judge_id in self.judge_ids
            if judge_id not in self.ever[(task_id, team_id)] and (judge_id, team_id) not in self.conflicts
        ]
        candidates.sort(key=lambda judge_id: (self.load[judge_id], judge_id))
        return candidates[:count]

    def took(self, *, task_id: int, team_id: int, judge_id: int) -> None:
        self.load[judge_id] += 1
        self.ever[(task_id, team_id)].add(judge_id)
        self.active[(task_id, team_id)].add(judge_id)


def assign_automatically(*, round_page: RoundPage, assigned_by: AbstractBaseUser) -> AssignmentReport:
    """Give every entrant's entry for every task of the round ``judges_per_entry`` active judges.

    Entries are taken in task order, then team id; each gets the panel judges with the fewest active
    assignments in the round (ties: lowest user id), skipping conflicted judges and judges who already have
    (or recused from) that entry. Existing assignments are kept. Entries that cannot be fully staffed are
    listed in the report's ``understaffed``; everything else is assigned all the same.
    """
    competition = competition_of(round_page)
    wanted = competition.judges_per_entry
    report = AssignmentReport()
    with transaction.atomic():
        _lock_round(round_page)
        _refuse_if_locked(round_page)
        teams = list(round_entrants(round_page=round_page, competition=competition))
        tasks = list(Task.objects.filter(round=round_page).order_by("sort_order", "pk"))
        panel = _Panel(round_page=round_page, competition=competition, teams=teams)
        for task in tasks:
            for team in teams:
                have = len(panel.active[(task.pk, team.pk)])
                for judge_id in panel.best(task_id=task.pk, team_id=team.pk, count=max(wanted - have, 0)):
                    report.created.append(
                        _create_assignment(task=task, team=team, judge_id=judge_id, assigned_by=assigned_by)
                    )
                    panel.took(task_id=task.pk, team_id=team.pk, judge_id=judge_id)
                assigned = len(panel.active[(task.pk, team.pk)])
                if assigned < wanted:
                    report.understaffed.append(
                        UnderstaffedEntry(task=task, team=team, wanted=wanted, assigned=assigned)
                    )
    return report


def recuse(*, assignment: JudgeAssignment, reason: str, by: AbstractBaseUser) -> JudgeAssignment | None:
    """End an assignment with a reason, remove the judge's right to score it and pass the entry to the best
    available judge (same rule as automatic assignment). Returns the new assignment, or None when no judge
    is available — the entry then shows as understaffed in the organisers' progress view.

    The replacement's ``assigned_by`` is ``by``, the person whose recusal caused it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why you are withdrawing from this entry."))
    round_page = assignment.task.round
    competition = competition_of(round_page)
    with transaction.atomic():
        _lock_round(round_page)
        _refuse_if_locked(round_page)
        fresh = JudgeAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if fresh.recused_at is not None:
            raise ValidationError(_("This assignment has already ended."))
        fresh.recused_at = timezone.now()
        fresh.recusal_reason = reason
        fresh.save(update_fields=["recused_at", "recusal_reason"])
        revoke_scoring_rights(assignment=fresh)
        assignment.recused_at, assignment.recusal_reason = fresh.recused_at, fresh.recusal_reason
        team = Team.objects.get(pk=assignment.team_id)
        panel = _Panel(round_page=round_page, competition=competition, teams=[team])
        chosen = panel.best(task_id=assignment.task_id, team_id=team.pk, count=1)
        if not chosen:
            return None
        return _create_assignment(task=assignment.task, team=team, judge_id=chosen[0], assigned_by=by)


# --- Scoring -------------------------------------------------------------------------------------------------


class ScoreConflict(ValidationError):
    """The score changed since the judge's form was loaded; ``current`` is what stands now (None: no score)."""

    def __init__(self, message: str, *, current: Score | None):
        super().__init__(message, code="score_conflict")
        self.current = current


def _conflict(current: Score | None) -> ScoreConflict:
    if current is None:
        message = _(
            "Someone (or another tab) changed this score while you were editing; it has no score now. "
            "Your entry was not saved: check it and save again."
        )
    else:
        message = _(
            "Someone (or another tab) changed this score while you were editing: it is now %(points)s "
            "(saved %(when)s). Your entry was not saved: check it and save again to replace it."
        ) % {
            "points": current.points,
            "when": date_format(timezone.localtime(current.scored_at), "SHORT_DATETIME_FORMAT"),
        }
    return ScoreConflict(message, current=current)


def _current_score(*, assignment_id: int, criterion_id: int, lock: bool) -> Score | None:
    scores = current_scores().filter(assignment_id=assignment_id, criterion_id=criterion_id)
    if lock:
        scores = scores.select_for_update(of=("self",))
    return scores.order_by("-pk").first()


def _clean_points(points, criterion: Criterion) -> Decimal:
    try:
        value = points if isinstance(points, Decimal) else Decimal(str(points).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("Enter the points as a number.")) from error
    if not value.is_finite():
        raise ValidationError(_("Enter the points as a number."))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Points have at most two decimal places."))
    if not Decimal("0") <= value <= criterion.max_points:
        raise ValidationError(
            _("Points for “%(criterion)s” must be between 0 and %(max)s (got %(points)s).")
            % {"criterion": criterion.title, "max": criterion.max_points, "points": value}
        )
    return value


def record_score(
    *,
    assignment: JudgeAssignment,
    criterion: Criterion,
    points: Decimal,
    comment: str,
    judge: AbstractBaseUser,
    based_on: Score | None,
) -> Score:
    """Record the judge's points and comment for one criterion of their assignment.

    ``based_on`` is the score the judge's form showed (None: it showed no score). If the current score is
    not that one, someone — or the judge in another tab — changed it meanwhile: :class:`ScoreConflict` is
    raised with the current score, and nothing is written. Unchanged points and comment return the current
    score; anything else appends a row superseding it.
    """
    if judge.pk != assignment.judge_id:
        raise ValidationError(_("Only the judge assigned to this entry can score it."))
    if criterion.task_id != assignment.task_id:
        raise ValidationError(_("“%(criterion)s” is not a criterion of this task.") % {"criterion": criterion.title})
    points = _clean_points(points, criterion)
    comment = (comment or "").strip()
    with transaction.atomic():
        # Finalising locks the same round row, so a score cannot slip in between its check and its results.
        list(
            RoundPage.objects.select_for_update(of=("self",))
            .filter(tasks__pk=assignment.task_id)
            .values_list("pk", flat=True)
        )
        if JudgeAssignment.objects.filter(pk=assignment.pk, recused_at__isnull=True).count() != 1:
            raise ValidationError(_("This assignment has ended; the entry can no longer be scored by you."))
        if is_task_locked(task_id=assignment.task_id):
            raise ValidationError(_("This round is finalised; scores are locked."))
        current = _current_score(assignment_id=assignment.pk, criterion_id=criterion.pk, lock=True)
        if current is not None and current.points == points and current.comment == comment:
            return current
        if (current.pk if current else None) != (based_on.pk if based_on else None):
            raise _conflict(current)
        try:
            with transaction.atomic():
                return Score.objects.create(
                    assignment=assignment,
                    criterion=criterion,
                    points=points,
                    comment=comment,
                    scored_by=judge,
                    supersedes=current,
                )
        except IntegrityError:
            # Another transaction wrote the first score, or superseded ``current``, between our read and write.
            pass
    raise _conflict(_current_score(assignment_id=assignment.pk, criterion_id=criterion.pk, lock=False))
