"""Builders for judging tests: a competition with one round, tasks and criteria, teams, a judging panel.

Plain functions (not factories) so each test states the numbers it depends on.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from competitions.models import (
    CompetitionIndexPage,
    CompetitionPage,
    Criterion,
    JudgeAssignment,
    RoundFinalisation,
    RoundJudge,
    RoundPage,
    Submission,
    Task,
    Team,
    TeamMembership,
)
from competitions.permissions import grant_membership_rights, grant_scoring_rights, grant_supervision_rights
from tests.factories import UserFactory, site_home


@dataclass
class Setup:
    competition: CompetitionPage
    round_page: RoundPage
    tasks: list[Task]
    organiser: object
    judges: list = field(default_factory=list)

    @property
    def task(self) -> Task:
        return self.tasks[0]

    def criteria(self, task: Task | None = None) -> list[Criterion]:
        return list((task or self.task).criteria.order_by("sort_order", "pk"))


_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def build_round(
    *,
    tasks: list[tuple[str, str, list[tuple[str, str, str]]]] | None = None,
    judges: int = 0,
    method: str = "mean",
    judges_per_entry: int = 2,
    blind: bool = False,
    exclude_cohort_teachers: bool = False,
) -> Setup:
    """A competition with one round. ``tasks`` = [(title, max_points, [(criterion, weight, max_points), …]), …];
    by default one task "Product listing" out of 100 with criteria Quality (weight 2, out of 10) and Pricing
    (weight 1, out of 20). ``judges`` panel judges are created and seated on the round."""
    n = _next()
    now = timezone.now()
    index = CompetitionIndexPage.objects.first() or site_home().add_child(
        instance=CompetitionIndexPage(title="Competitions", slug="competitions-judging")
    )
    competition = index.add_child(
        instance=CompetitionPage(
            title=f"Cross-border Cup {n}",
            slug=f"cross-border-cup-{n}",
            organiser="School of Business",
            level="provincial",
            category="skills",
            registration_opens=now - timedelta(days=10),
            registration_closes=now + timedelta(days=10),
            aggregation_method=method,
            judges_per_entry=judges_per_entry,
            blind_judging=blind,
            exclude_cohort_teachers=exclude_cohort_teachers,
        )
    )
    round_page = competition.add_child(
        instance=RoundPage(
            title="Preliminary",
            slug="preliminary",
            opens_at=now - timedelta(days=5),
            submission_deadline=now + timedelta(days=5),
        )
    )
    spec = tasks or [("Product listing", "100", [("Quality", "2", "10"), ("Pricing", "1", "20")])]
    made = []
    for order, (title, max_points, criteria) in enumerate(spec):
        task = Task.objects.create(
            round=round_page,
            title=title,
            brief="<p>List one product on the platform.</p>",
            max_points=Decimal(max_points),
            sort_order=order,
        )
        for position, (name, weight, out_of) in enumerate(criteria):
            Criterion.objects.create(
                task=task,
                title=name,
                weight=Decimal(weight),
                max_points=Decimal(out_of),
                sort_order=position,
                levels=[
                    ("level", {"label": "Developing", "points": Decimal(out_of) / 2, "descriptor": "Partly done"}),
                    ("level", {"label": "Excellent", "points": Decimal(out_of), "descriptor": "Exemplary work"}),
                ],
            )
        made.append(task)
    organiser = UserFactory(username=f"organiser{n}", first_name="Organiser", last_name=str(n), is_superuser=True)
    setup = Setup(competition=competition, round_page=round_page, tasks=made, organiser=organiser)
    for _ in range(judges):
        add_judge(setup)
    return setup


def add_judge(setup: Setup, user=None, *, username: str | None = None):
    """Seat a judge (new or given) on the round's panel."""
    judge = user or UserFactory(username=username or f"judge{_next():04d}", first_name="Judge", last_name="Expert")
    RoundJudge.objects.create(round=setup.round_page, judge=judge)
    setup.judges.append(judge)
    return judge


def make_team(setup: Setup, *, name: str | None = None, members: int | list = 1, advisor=None, mentor=None) -> Team:
    """A team with ``members`` current members (a count, or a list of users), rights granted as the app does."""
    team = Team.objects.create(
        competition=setup.competition,
        name=name or f"Team {_next()}",
        advisor=advisor,
        mentor=mentor,
        created_by=setup.organiser,
    )
    students = members if isinstance(members, list) else [UserFactory() for _ in range(members)]
    for position, student in enumerate(students):
        TeamMembership.objects.create(team=team, student=student, is_captain=position == 0)
        grant_membership_rights(team=team, student=student)
    for supervisor in (advisor, mentor):
        if supervisor is not None:
            grant_supervision_rights(team=team, supervisor=supervisor)
    return team


def assign(setup: Setup, *, team: Team, judge, task: Task | None = None) -> JudgeAssignment:
    """An active assignment with scoring rights, made directly (no panel or conflict checks)."""
    assignment = JudgeAssignment.objects.create(
        task=task or setup.task, team=team, judge=judge, assigned_by=setup.organiser
    )
    grant_scoring_rights(assignment=assignment)
    return assignment


def submit(
    setup: Setup, *, team: Team, task: Task | None = None, version: int = 1, penalty: str = "0", body: str = ""
) -> Submission:
    return Submission.objects.create(
        team=team,
        task=task or setup.task,
        version=version,
        body=body or "<p>Our listing for a bamboo cutting board.</p>",
        link="https://shop.example.com/listing/1",
        submitted_by=team.memberships.first().student,
        is_late=Decimal(penalty) > 0,
        late_penalty_percent=Decimal(penalty),
    )


def finalise(setup: Setup) -> RoundFinalisation:
    return RoundFinalisation.objects.create(round=setup.round_page, finalised_by=setup.organiser)
