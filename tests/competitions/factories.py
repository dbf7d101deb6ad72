"""Builders for competitions: an index page, a brief with its registration window, rounds, tasks and teams.

Pages are built with Wagtail's tree API under the site's home page (``tests.factories.site_home``); teams are
formed through the services so their guardian rights are the real ones.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from competitions.models import (
    CompetitionIndexPage,
    CompetitionPage,
    Criterion,
    CriterionAlignment,
    LatePolicy,
    RoundPage,
    Task,
    Team,
)
from competitions.services.teams import create_team, join_team
from courses.models import CourseOutcome
from tests.factories import CompetencyFactory, UserFactory, course_index, course_page, outcome, site_home

_serial = itertools.count(1)


def student_user(**kwargs) -> AbstractBaseUser:
    return UserFactory(roles=["Students"], **kwargs)


def teacher_user(**kwargs) -> AbstractBaseUser:
    return UserFactory(roles=["Teachers"], **kwargs)


def mentor_user(**kwargs) -> AbstractBaseUser:
    return UserFactory(roles=["Enterprise mentors"], **kwargs)


def competition_index(*, title: str = "Competitions") -> CompetitionIndexPage:
    n = next(_serial)
    return site_home().add_child(instance=CompetitionIndexPage(title=title, slug=f"competitions-{n}"))


def competition_page(
    *,
    index: CompetitionIndexPage | None = None,
    title: str = "Cross-border E-commerce Skills Contest",
    registration_opens: datetime | None = None,
    registration_closes: datetime | None = None,
    min_team_size: int = 1,
    max_team_size: int = 5,
) -> CompetitionPage:
    """A brief whose registration opened yesterday and closes in ten days unless told otherwise."""
    now = timezone.now()
    index = index or competition_index()
    return index.add_child(
        instance=CompetitionPage(
            title=title,
            slug=f"competition-{next(_serial)}",
            organiser="School of Business",
            level="provincial",
            category="skills",
            registration_opens=registration_opens or now - timedelta(days=1),
            registration_closes=registration_closes or now + timedelta(days=10),
            min_team_size=min_team_size,
            max_team_size=max_team_size,
        )
    )


def round_page(
    *,
    competition: CompetitionPage,
    title: str = "Preliminary",
    opens_at: datetime | None = None,
    submission_deadline: datetime | None = None,
    late_policy: str = LatePolicy.REFUSE,
    late_deadline: datetime | None = None,
    late_penalty_percent: str = "0",
) -> RoundPage:
    """A round that opened yesterday with its deadline in five days unless told otherwise."""
    now = timezone.now()
    return competition.add_child(
        instance=RoundPage(
            title=title,
            slug=f"round-{next(_serial)}",
            opens_at=opens_at or now - timedelta(days=1),
            submission_deadline=submission_deadline or now + timedelta(days=5),
            late_policy=late_policy,
            late_deadline=late_deadline,
            late_penalty_percent=Decimal(late_penalty_percent),
        )
    )


def course_outcome() -> CourseOutcome:
    """A course outcome aligned to one competency, for criteria to point at."""
    n = next(_serial)
    course = course_page(index=course_index(title=f"Courses{n}"), code=f"OPS{n:03d}", title="Platform Operation")
    return outcome(course=course, code=f"LO{n}", aligned=[(CompetencyFactory(), "1")])


def task(*, round_page: RoundPage, title: str = "Product listing", aligned_to: CourseOutcome | None = None) -> Task:
    """A task with one rubric criterion aligned to a course outcome."""
    made = Task.objects.create(
        round=round_page,
        title=title,
        brief="<p>List a product on the platform.</p>",
        deliverables="Screenshots of the listing",
        max_points=Decimal("100"),
        sort_order=next(_serial),
    )
    criterion = Criterion.objects.create(
        task=made, title=f"{title}: quality", weight=Decimal("1"), max_points=Decimal("10")
    )
    CriterionAlignment.objects.create(
        criterion=criterion, outcome=aligned_to or course_outcome(), weight=Decimal("0.8")
    )
    return made


def team(
    *,
    competition: CompetitionPage,
    captain: AbstractBaseUser | None = None,
    members: Sequence[AbstractBaseUser] = (),
    name: str | None = None,
    advisor: AbstractBaseUser | None = None,
    mentor: AbstractBaseUser | None = None,
) -> Team:
    """A team formed through the services (the registration window must be open)."""
    made = create_team(
        competition=competition,
        name=name or f"Team {next(_serial)}",
        created_by=captain or student_user(),
        advisor=advisor,
        mentor=mentor,
    )
    for member in members:
        join_team(invite_code=made.invite_code, student=member)
    return made


@dataclass
class Setting:
    """One competition with one round and one task, for tests that need the whole stage."""

    index: CompetitionIndexPage
    competition: CompetitionPage
    round: RoundPage
    task: Task


def competition_with_task(**competition_kwargs) -> Setting:
    index = competition_index()
    competition = competition_page(index=index, **competition_kwargs)
    first_round = round_page(competition=competition)
    return Setting(index, competition, first_round, task(round_page=first_round))
