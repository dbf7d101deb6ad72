"""Reads behind judging: who enters a round, the judge's queue, the scoring page, progress and aggregation.

Everything here costs a fixed number of queries, whatever the number of teams, judges or scores.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from competitions.models import (
    AdvancementRule,
    AggregationMethod,
    CompetitionPage,
    Criterion,
    JudgeAssignment,
    RoundFinalisation,
    RoundPage,
    RoundResult,
    Score,
    Submission,
    Task,
    Team,
    TeamMembership,
)
from competitions.permissions import assignments_for_judge
from competitions.services import aggregation

# --- Rounds and entrants -------------------------------------------------------------------------------------


def competition_of(round_page: RoundPage) -> CompetitionPage:
    """The round's competition in one query (``RoundPage.competition`` takes two)."""
    return CompetitionPage.objects.parent_of(round_page).get()


def is_round_locked(*, round_page: RoundPage) -> bool:
    """A round is locked while it has a finalisation that has not been reopened."""
    return RoundFinalisation.objects.filter(round_id=round_page.pk, reopened_at__isnull=True).exists()


def is_task_locked(*, task_id: int) -> bool:
    """Whether the round a task belongs to is locked (see :func:`is_round_locked`)."""
    return RoundFinalisation.objects.filter(round__tasks__pk=task_id, reopened_at__isnull=True).exists()


def _previous_round(round_page: RoundPage) -> RoundPage | None:
    return (
        RoundPage.objects.sibling_of(round_page, inclusive=False)
        .filter(path__lt=round_page.path)
        .order_by("path")
        .last()
    )


def round_entrants(*, round_page: RoundPage, competition: CompetitionPage | None = None) -> QuerySet[Team]:
    """The teams whose entries a round judges: not withdrawn, with at least one current member.

    When the round before this one advances teams (top N or threshold) and is finalised, only the teams that
    advanced from it enter. Until it is finalised every active team counts, so judging can be prepared.
    """
    competition = competition or competition_of(round_page)
    teams = Team.objects.filter(competition=competition, withdrawn_at__isnull=True).filter(
        Exists(TeamMembership.objects.filter(team=OuterRef("pk"), left_at__isnull=True))
    )
    previous = _previous_round(round_page)
    if previous is not None and previous.advancement_rule != AdvancementRule.NONE:
        open_results = RoundResult.objects.filter(finalisation__round=previous, finalisation__reopened_at__isnull=True)
        if open_results.exists():
            teams = teams.filter(pk__in=open_results.filter(advanced=True).values("team_id"))
    return teams.order_by("pk")


# --- Blind judging -------------------------------------------------------------------------------------------


def entry_code(team_id: int) -> str:
    """A short, stable code standing for a team under blind judging; the team id cannot be read back from it."""
    return salted_hmac("kesai.judging.entry", str(team_id)).hexdigest()[:6].upper()


def entry_label(*, team: Team, competition: CompetitionPage) -> str:
    """What a judge sees for a team: its name, or "Entry #3F9A2C" under blind judging."""
    if competition.blind_judging:
        return _("Entry #%(code)s") % {"code": entry_code(team.pk)}
    return team.name


# --- The judge's queue and scoring page ----------------------------------------------------------------------


def current_scores() -> QuerySet[Score]:
    """Scores no later row supersedes: each one is a judge's standing score for a criterion."""
    return Score.objects.filter(superseded_by__isnull=True)


def judging_queue(*, judge: AbstractBaseUser, round_page: RoundPage | None = None) -> QuerySet[JudgeAssignment]:
    """The judge's active assignments, each annotated with ``scored_count`` (criteria with a current score)
    and ``criteria_count`` (criteria of the task), and with ``current_scores`` prefetched (a list)."""
    scored = (
        current_scores()
        .filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    criteria = Criterion.objects.filter(task=OuterRef("task")).order_by().values("task").annotate(n=Count("pk"))
    queue = (
        assignments_for_judge(judge)
        .filter(judge=judge)
        .select_related("task__round", "team__competition")
        .prefetch_related(Prefetch("scores", queryset=current_scores(), to_attr="current_scores"))
        .annotate(
            scored_count=Coalesce(Subquery(scored, output_field=IntegerField()), Value(0)),
            criteria_count=Coalesce(Subquery(criteria.values("n"), output_field=IntegerField()), Value(0)),
        )
        .order_by("task__round__path", "task__sort_order", "task_id", "pk")
    )
    if round_page is not None:
        queue = queue.filter(task__round=round_page)
    return queue


@dataclass
class CriterionToScore:
    """One row of the scoring form: the criterion, the judge's current score and its earlier versions."""

    criterion: Criterion
    levels: list[dict]
    current: Score | None
    history: list[Score]  # every version for this assignment and criterion, newest first (current included)


@dataclass
class EntryForScoring:
    assignment: JudgeAssignment
    task: Task
    round_page: RoundPage
    competition: CompetitionPage
    label: str  # team name, or the blind entry code
    blind: bool
    locked: bool
    submission: Submission | None  # the latest version, or None when the team has not submitted
    members: list  # current members' users; empty under blind judging
    rows: list[CriterionToScore] = field(default_factory=list)


def entry_for_scoring(*, assignment: JudgeAssignment) -> EntryForScoring:
    """What a judge needs to score an entry: the latest submission, the rubric and their own scores."""
    task = assignment.task
    round_page = task.round
    competition = assignment.team.competition
    submission = (
        Submission.objects.filter(team_id=assignment.team_id, task_id=assignment.task_id).order_by("-version").first()
    )
    criteria = list(Criterion.objects.filter(task_id=task.pk).order_by("sort_order", "pk"))
    history: dict[int, list[Score]] = defaultdict(list)
    superseded: set[int] = set()
    for score in Score.objects.filter(assignment=assignment).select_related("scored_by").order_by("-scored_at", "-pk"):
        history[score.criterion_id].append(score)
        if score.supersedes_id:
            superseded.add(score.supersedes_id)
    rows = []
    for criterion in criteria:
        versions = history.get(criterion.pk, [])
        current = next((score for score in versions if score.pk not in superseded), None)
        levels = [dict(block.value) for block in criterion.levels] if criterion.levels else []
        rows.append(CriterionToScore(criterion=criterion, levels=levels, current=current, history=versions))
    members = []
    if not competition.blind_judging:
        members = [
            membership.student
            for membership in TeamMembership.objects.filter(team_id=assignment.team_id, left_at__isnull=True)
            .select_related("student")
            .order_by("joined_at")
        ]
    return EntryForScoring(
        assignment=assignment,
        task=task,
        round_page=round_page,
        competition=competition,
        label=entry_label(team=assignment.team, competition=competition),
        blind=competition.blind_judging,
        locked=is_round_locked(round_page=round_page),
        submission=submission,
        members=members,
        rows=rows,
    )


# --- Organisers' view of progress ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryProgress:
    """One team's entry for one task: who judges it and how much of the rubric they have scored."""

    team: Team
    task: Task
    judges: tuple  # active judges (users), by id
    judges_wanted: int  # the competition's judges_per_entry
    scored: int  # current scores of active judges on this entry
    expected: int  # active judges × criteria of the task

    @property
    def understaffed(self) -> bool:
        return len(self.judges) < self.judges_wanted

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.scored >= self.expected


def judging_progress(*, round_page: RoundPage) -> list[EntryProgress]:
    """Every entrant × task of the round, in task then team order, in a fixed number of queries."""
    competition = competition_of(round_page)
    teams = list(round_entrants(round_page=round_page, competition=competition))
    tasks = list(
        Task.objects.filter(round=round_page).annotate(criteria_total=Count("criteria")).order_by("sort_order", "pk")
    )
    scored = (
        current_scores()
        .filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    judges: dict[tuple[int, int], list] = defaultdict(list)
    scored_by_entry: dict[tuple[int, int], int] = defaultdict(int)
    for assignment in (
        JudgeAssignment.objects.filter(task__round=round_page, recused_at__isnull=True)
        .select_related("judge")
        .annotate(scored_count=Coalesce(Subquery(scored, output_field=IntegerField()), Value(0)))
        .order_by("judge_id")
    ):
        key = (assignment.task_id, assignment.team_id)
        judges[key].append(assignment.judge)
        scored_by_entry[key] += assignment.scored_count
    return [
        EntryProgress(
            team=team,
            task=task,
            judges=tuple(judges[(task.pk, team.pk)]),
            judges_wanted=competition.judges_per_entry,
            scored=scored_by_entry[(task.pk, team.pk)],
            expected=len(judges[(task.pk, team.pk)]) * task.criteria_total,
        )
        for task in tasks
        for team in teams
    ]


# --- Aggregation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionAggregate:
    criterion_id: int
    title: str
    weight: Decimal
    max_points: Decimal
    judge_scores: dict[int, Decimal]  # judge id → that judge's current raw points
    points: Decimal  # aggregated with the competition's method, rounded to 2 places; 0 when nobody scored


@dataclass(frozen=True)
class TaskAggregate:
    task_id: int
    title: str
    max_points: Decimal
    submission_id: int | None  # the latest version; None when the team did not submit (the task scores 0)
    submission_version: int | None
    score_before_penalty: Decimal  # task_score(...), rounded to 2 places
    late_penalty_percent: Decimal  # of the latest version; 0 without one
    score: Decimal  # after the penalty, rounded to 2 places
    criteria: tuple[CriterionAggregate, ...]


@dataclass(frozen=True)
class TeamAggregate:
    team_id: int
    team_name: str
    total: Decimal  # Σ task scores after penalties, summed unrounded, then rounded to 2 places
    tasks: tuple[TaskAggregate, ...]


@dataclass(frozen=True)
class RoundAggregate:
    round_id: int
    method: str  # AggregationMethod value
    max_total: Decimal  # Σ task max_points
    teams: tuple[TeamAggregate, ...]  # by total descending, then team name; ties are not ranked here

    def for_team(self, team_id: int) -> TeamAggregate | None:
        return next((team for team in self.teams if team.team_id == team_id), None)


def aggregate_round(*, round_page: RoundPage) -> RoundAggregate:
    """Aggregate the current scores of a round's active assignments into per-team totals.

    Returns a :class:`RoundAggregate`::

        RoundAggregate(round_id, method, max_total, teams=(
            TeamAggregate(team_id, team_name, total, tasks=(
                TaskAggregate(task_id, title, max_points, submission_id, submission_version,
                              score_before_penalty, late_penalty_percent, score, criteria=(
                    CriterionAggregate(criterion_id, title, weight, max_points, judge_scores, points), …)), …)), …))

    Only current scores (not superseded) of active assignments (not recused) count. Teams are the round's
    entrants (:func:`round_entrants`). Per criterion the competition's method applies (z-score normalises over
    all entrants' scores of that criterion); per task :func:`aggregation.task_score`, then the late penalty of the
    team's latest submission for the task; a team that did not submit a task scores 0 on it. Intermediate
    figures keep full precision; each figure is rounded (2 places, half up) only when it is reported, so a
    shown total can differ by 0.01 from the sum of the shown task scores. Costs at most 7 queries, whatever the size.
    """
    competition = competition_of(round_page)
    method = competition.aggregation_method
    teams = list(round_entrants(round_page=round_page, competition=competition).order_by("name", "pk"))
    tasks = list(
        Task.objects.filter(round=round_page)
        .order_by("sort_order", "pk")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("sort_order", "pk")))
    )
    # raw[criterion][team][judge] = points
    raw: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for judge_id, team_id, criterion_id, points in (
        current_scores()
        .filter(assignment__task__round=round_page, assignment__recused_at__isnull=True)
        .order_by()
        .values_list("assignment__judge_id", "assignment__team_id", "criterion_id", "points")
    ):
        raw[criterion_id][team_id][judge_id] = points
    latest: dict[tuple[int, int], tuple[int, int, Decimal]] = {}
    for team_id, task_id, pk, version, penalty in (
        Submission.objects.filter(task__round=round_page)
        .order_by("team_id", "task_id", "-version")
        .values_list("team_id", "task_id", "pk", "version", "late_penalty_percent")
    ):
        latest.setdefault((team_id, task_id), (pk, version, penalty))

    entrant_ids = {team.pk for team in teams}
    criterion_points: dict[int, dict[int, Decimal]] = {}
    for task in tasks:
        for criterion in task.criteria.all():
            by_team = {team_id: judges for team_id, judges in raw[criterion.pk].items() if team_id in entrant_ids}
            criterion_points[criterion.pk] = _aggregate_criterion(
                method=method, by_team=by_team, max_points=criterion.max_points
            )

    results = []
    for team in teams:
        task_results = []
        total = aggregation.ZERO
        for task in tasks:
            criteria = list(task.criteria.all())
            earned = {c.pk: criterion_points[c.pk][team.pk] for c in criteria if team.pk in criterion_points[c.pk]}
            submission = latest.get((team.pk, task.pk))
            if submission is None:
                before, penalty, after = aggregation.ZERO, aggregation.ZERO, aggregation.ZERO
            else:
                before = aggregation.task_score(
                    earned, [(c.pk, c.weight, c.max_points) for c in criteria], task.max_points
                )
                penalty = submission[2]
                after = aggregation.apply_penalty(before, penalty)
            total += after
            task_results.append(
                TaskAggregate(
                    task_id=task.pk,
                    title=task.title,
                    max_points=task.max_points,
                    submission_id=submission[0] if submission else None,
                    submission_version=submission[1] if submission else None,
                    score_before_penalty=aggregation.round_points(before),
                    late_penalty_percent=penalty,
                    score=aggregation.round_points(after),
                    criteria=tuple(
                        CriterionAggregate(
                            criterion_id=c.pk,
                            title=c.title,
                            weight=c.weight,
                            max_points=c.max_points,
                            judge_scores=dict(sorted(raw[c.pk].get(team.pk, {}).items())),
                            points=aggregation.round_points(earned.get(c.pk, aggregation.ZERO)),
                        )
                        for c in criteria
                    ),
                )
            )
        results.append(
            TeamAggregate(
                team_id=team.pk, team_name=team.name, total=aggregation.round_points(total), tasks=tuple(task_results)
            )
        )
    results.sort(key=lambda result: -result.total)  # stable: equal totals keep name order
    return RoundAggregate(
        round_id=round_page.pk,
        method=method,
        max_total=sum((task.max_points for task in tasks), aggregation.ZERO),
        teams=tuple(results),
    )


def _aggregate_criterion(
    *, method: str, by_team: dict[int, dict[int, Decimal]], max_points: Decimal
) -> dict[int, Decimal]:
    """team id → aggregated points for one criterion; teams nobody scored are absent."""
    if method == AggregationMethod.Z_SCORE:
        by_judge: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for team_id, judges in by_team.items():
            for judge_id, points in judges.items():
                by_judge[judge_id][team_id] = points
        return aggregation.z_scores(by_judge, max_points=max_points)
    combine = aggregation.trimmed_mean if method == AggregationMethod.TRIMMED_MEAN else aggregation.mean
    return {team_id: combine(list(judges.values())) for team_id, judges in by_team.items() if judges}


def recusals(*, round_page: RoundPage) -> QuerySet[JudgeAssignment]:
    """Judges who withdrew from entries of the round, with their reasons, newest first (for organisers)."""
    return (
        JudgeAssignment.objects.filter(task__round=round_page, recused_at__isnull=False)
        .select_related("judge", "team", "task")
        .order_by("-recused_at")
    )
