"""Reads behind the alignment matrix and the demand report: which competition tasks assess which course outcomes.

Competitions import courses, never the other way round, so the questions that join a programme's courses to
competition rubrics are answered here.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from competitions.models import CompetitionPage, Criterion, CriterionAlignment, RoundPage, Task
from courses.models import CoursePage


@dataclass(frozen=True)
class CriterionColumn:
    """One rubric criterion, with where it sits: competition → round → task."""

    competition: CompetitionPage
    round: RoundPage
    task: Task
    criterion: Criterion


@dataclass
class AlignmentGrid:
    columns: list[CriterionColumn]  # by competition, round, task and criterion order
    weights: dict[tuple[int, int], Decimal]  # (outcome id, criterion id) → alignment weight
    unaligned: list[CriterionColumn]  # criteria aligned to no course outcome at all

    def assessed_outcome_ids(self) -> set[int]:
        return {outcome_id for outcome_id, _criterion_id in self.weights}


def _competitions_for(courses: list[CoursePage]) -> list[CompetitionPage]:
    course_ids = [course.pk for course in courses]
    return list(
        CompetitionPage.objects.live()
        .filter(Q(related_courses__in=course_ids) | Q(pk__in=_competitions_assessing(course_ids)))
        .distinct()
        .order_by("-registration_opens", "pk")
    )


def _competitions_assessing(course_ids: list[int]) -> set[int]:
    """Competitions with a live round whose criteria are aligned to an outcome of these courses."""
    round_paths = set(
        CriterionAlignment.objects.filter(outcome__course_id__in=course_ids).values_list(
            "criterion__task__round__path", flat=True
        )
    )
    return set(
        CompetitionPage.objects.live()
        .filter(path__in={_parent_path(path) for path in round_paths})
        .values_list("pk", flat=True)
    )


def _parent_path(path: str) -> str:
    """The tree path of a page's parent (a round's competition): Wagtail's paths add ``steplen`` per level."""
    return path[: -RoundPage.steplen]


def alignment_grid(*, courses: list[CoursePage]) -> AlignmentGrid:
    """The criteria of the live competitions related to ``courses`` or assessing their outcomes, and each
    criterion's alignment weights to those courses' outcomes. A constant number of queries."""
    competitions = _competitions_for(courses)
    if not competitions:
        return AlignmentGrid(columns=[], weights={}, unaligned=[])
    competition_order = {competition.pk: position for position, competition in enumerate(competitions)}
    by_path = {competition.path: competition for competition in competitions}
    rounds = [
        (by_path[_parent_path(round_page.path)], round_page)
        for round_page in RoundPage.objects.live().filter(
            reduce(or_, (Q(path__startswith=competition.path) for competition in competitions))
        )
    ]
    rounds.sort(key=lambda pair: (competition_order[pair[0].pk], pair[1].path))
    round_by_id = {round_page.pk: (competition, round_page) for competition, round_page in rounds}
    tasks = {task.pk: task for task in Task.objects.filter(round_id__in=round_by_id)}
    criteria = list(Criterion.objects.filter(task_id__in=tasks))
    round_position = {round_page.pk: position for position, (_c, round_page) in enumerate(rounds)}
    criteria.sort(
        key=lambda c: (round_position[tasks[c.task_id].round_id], tasks[c.task_id].sort_order or 0, c.sort_order or 0)
    )
    columns = []
    for criterion in criteria:
        task = tasks[criterion.task_id]
        competition, round_page = round_by_id[task.round_id]
        columns.append(CriterionColumn(competition=competition, round=round_page, task=task, criterion=criterion))
    weights: dict[tuple[int, int], Decimal] = {}
    aligned_criteria: set[int] = set()
    course_ids = {course.pk for course in courses}
    for criterion_id, outcome_id, course_id, weight in CriterionAlignment.objects.filter(
        criterion_id__in=[column.criterion.pk for column in columns]
    ).values_list("criterion_id", "outcome_id", "outcome__course_id", "weight"):
        aligned_criteria.add(criterion_id)
        if course_id in course_ids:
            weights[(outcome_id, criterion_id)] = weight
    unaligned = [column for column in columns if column.criterion.pk not in aligned_criteria]
    return AlignmentGrid(columns=columns, weights=weights, unaligned=unaligned)


@dataclass(frozen=True)
class TaskBuilding:
    """A competition task that builds a competency (through a criterion aligned to an outcome aligned to it)."""

    competition: CompetitionPage
    round: RoundPage
    task: Task


def tasks_building(*, competency_ids: list[int]) -> dict[int, list[TaskBuilding]]:
    """{competency id: the tasks of live competitions that build it}, each task once, in a constant number of
    queries."""
    pairs = set(
        CriterionAlignment.objects.filter(outcome__alignments__competency_id__in=competency_ids)
        .order_by()  # the model's ordering (sort_order) would be selected too and defeat DISTINCT
        .values_list("outcome__alignments__competency_id", "criterion__task_id")
        .distinct()
    )
    if not pairs:
        return {}
    tasks = {task.pk: task for task in Task.objects.filter(pk__in={task_id for _c, task_id in pairs})}
    rounds = {r.pk: r for r in RoundPage.objects.live().filter(pk__in={t.round_id for t in tasks.values()})}
    competitions = {
        competition.path: competition
        for competition in CompetitionPage.objects.live().filter(
            path__in={_parent_path(round_page.path) for round_page in rounds.values()}
        )
    }
    building: dict[int, list[TaskBuilding]] = defaultdict(list)
    for competency_id, task_id in sorted(pairs):
        task = tasks[task_id]
        round_page = rounds.get(task.round_id)
        competition = competitions.get(_parent_path(round_page.path)) if round_page else None
        if round_page is None or competition is None:
            continue  # a draft or unpublished round or competition
        building[competency_id].append(TaskBuilding(competition=competition, round=round_page, task=task))
    for entries in building.values():
        entries.sort(key=lambda entry: (entry.competition.title, entry.round.path, entry.task.sort_order or 0))
    return dict(building)
