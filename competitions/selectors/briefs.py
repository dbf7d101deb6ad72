"""Reads behind the brief and round pages."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from competitions.models import CompetitionIndexPage, CompetitionPage, Criterion, CriterionAlignment, RoundPage, Task
from competitions.selectors.results import visible_results


def live_competitions(*, index_page: CompetitionIndexPage) -> QuerySet[CompetitionPage]:
    return CompetitionPage.objects.live().public().child_of(index_page).order_by("-registration_opens")


def tasks_with_alignments(*, round_pages) -> QuerySet[Task]:
    """Tasks of the given rounds with criteria, aligned outcomes and their courses, in three queries."""
    return (
        Task.objects.filter(round__in=round_pages)
        .order_by("round__path", "sort_order")
        .prefetch_related(
            Prefetch(
                "criteria",
                Criterion.objects.order_by("sort_order").prefetch_related(
                    Prefetch(
                        "alignments",
                        CriterionAlignment.objects.select_related("outcome__course").order_by("sort_order"),
                    )
                ),
            )
        )
    )


def brief_context(*, competition: CompetitionPage, user: AbstractBaseUser) -> dict:
    rounds = list(RoundPage.objects.live().public().child_of(competition).order_by("path"))
    tasks = list(tasks_with_alignments(round_pages=rounds))
    tasks_by_round: dict[int, list[Task]] = {r.pk: [] for r in rounds}
    for task in tasks:
        tasks_by_round[task.round_id].append(task)
    now = timezone.now()
    registration_open = competition.registration_opens <= now < competition.registration_closes
    return {
        "rounds": [(r, tasks_by_round[r.pk]) for r in rounds],
        "related_courses": competition.related_courses.live().order_by("code"),
        "registration_url": reverse("participation:create_team", args=[competition.pk]) if registration_open else "",
    }


def round_context(*, round_page: RoundPage, user: AbstractBaseUser) -> dict:
    return {
        "tasks": list(tasks_with_alignments(round_pages=[round_page])),
        "results": list(visible_results(round_page=round_page, user=user)),
    }


def tasks_assessing_course(*, course) -> list[tuple[CompetitionPage, RoundPage, Task, list[CriterionAlignment]]]:
    """Live competition tasks whose rubric criteria assess this course's outcomes, in three queries."""
    alignments = list(
        CriterionAlignment.objects.filter(outcome__course=course, criterion__task__round__live=True)
        .select_related("outcome", "criterion__task__round")
        .order_by("criterion__task__round__path", "criterion__task__sort_order", "criterion__sort_order")
    )
    round_paths = {a.criterion.task.round.path for a in alignments}
    parents = {
        page.path: page
        for page in CompetitionPage.objects.live().filter(path__in={p[: -RoundPage.steplen] for p in round_paths})
    }
    grouped: dict[int, tuple[CompetitionPage, RoundPage, Task, list[CriterionAlignment]]] = {}
    for alignment in alignments:
        task = alignment.criterion.task
        competition = parents.get(task.round.path[: -RoundPage.steplen])
        if competition is None:
            continue
        grouped.setdefault(task.pk, (competition, task.round, task, []))[3].append(alignment)
    return list(grouped.values())
